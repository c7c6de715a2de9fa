"""The index as a reader meets it: the submissions table whole on a 1280 px screen
(its last column not cut off or scrolled away), the two programme counts explained
beside each other, and "All fiscal years" said in words. Pages of the session's
``site`` (tests/conftest.py), in English and Bangla.
"""

from __future__ import annotations

import pytest

from nsss_analysis.reference.i18n import translator
from nsss_analysis.runner.index import INDEX_WORDS, index_file
from tests.support.browser import CHROMIUM
from tests.support.pages import page_text


@pytest.mark.parametrize("language", ["en", "bn"])
def test_the_index_says_why_accepted_and_on_record_differ_and_what_all_years_is(site, language):
    t = translator(language)
    text = " ".join(page_text(site.out / index_file(language)).split())
    html = (site.out / index_file(language)).read_text(encoding="utf-8")
    assert t(INDEX_WORDS["submissions_note"]) in text  # under the table, in words
    for header, means in (("accepted", "accepted_means"), ("on_record", "on_record_means")):
        assert f'<span title="{t(INDEX_WORDS[means])}">{t(INDEX_WORDS[header])}</span>' in html.replace("&#39;", "'")
    if any(key.startswith("all-years/") for key in site.entries):
        assert t(INDEX_WORDS["all_years"]).format(folder="all-years/") in text


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_at_1280_px_no_index_table_is_cut_or_scrolls(site, browser):
    def check(chromium) -> None:
        view = chromium.new_page(viewport={"width": 1280, "height": 900})
        try:
            for language in ("en", "bn"):
                view.goto((site.out / index_file(language)).as_uri())
                assert view.evaluate("document.documentElement.scrollWidth") <= 1280, language
                tables = view.evaluate("""Array.from(document.querySelectorAll('table')).map(t => {
                    const box = t.parentElement, cells = t.rows[0].cells, last = cells[cells.length - 1];
                    return {scroll: box.scrollWidth, client: box.clientWidth, n: cells.length,
                            last: last.getBoundingClientRect().right, edge: box.getBoundingClientRect().right,
                            header: last.textContent}; })""")
                assert len(tables) >= 2, language  # the reports and the submissions
                for table in tables:
                    assert table["scroll"] <= table["client"], (language, table)  # nothing to scroll sideways
                    assert table["last"] <= table["edge"] + 0.5, (language, table)  # the last column in view
        finally:
            view.close()

    browser.run(check)
