"""The reports in a real browser: Debian's headless Chromium opens the index and one
ministry report (the real notebook over the bundled data, with a hostile programme
name added: the session's ``hostile_site``) from disk (file://, no network) and reads
the DOM it built, in the worker's one shared Chromium (the session's ``browser``).

Checks what a reader would see: the headline sentences and the figures (images
embedded as data URIs), links that lead to the reports, and no script element,
even with a programme named `<script>alert(1)</script>` in the data. Skipped when
`/usr/bin/chromium` is not installed (`.ci/run` installs it).
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from tests.support.browser import CHROMIUM, visible_text
from tests.support.pages import BENGALI_LETTER, bengali_skeleton
from tests.support.processed import HOSTILE

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def hostile(hostile_site, tmp_path_factory) -> tuple[Path, dict, Path]:
    """The session's ``hostile_site`` (two ministries' reports of the bundled data, one
    with hostile form text injected; the session's ``site`` is the whole bundled
    site): its reports folder, the hostile ministry's manifest entry, a scratch folder."""
    (entry,) = [e for e in hostile_site.entries.values() if e["ministry_code"] == hostile_site.code]
    return hostile_site.out, entry, tmp_path_factory.mktemp("browser")


def _dom_and_shot(browser, page: Path, shot: Path | None = None) -> str:
    """The DOM Chromium built for ``page`` (as ``--dump-dom`` prints it, once loaded) and,
    with ``shot``, a 1200 x 1600 screenshot of it, in the worker's shared browser."""

    def load(chromium) -> str:
        view = chromium.new_page(viewport={"width": 1200, "height": 1600})
        try:
            view.goto(page.as_uri())
            if shot is not None:
                view.screenshot(path=str(shot))
            return view.content()
        finally:
            view.close()

    return browser.run(load)


def test_index_and_report_render_headlines_and_figures_in_chromium(hostile, browser):
    out, entry, base = hostile
    assert entry["sentences"]

    index_dom = _dom_and_shot(browser, out / "index.html")
    index_text = visible_text(index_dom)
    assert "NSSS gender diagnostic reports" in index_text
    assert entry["ministry"] in index_text
    assert " ".join(entry["sentences"][0].split()) in index_text  # the headline, as the reader sees it
    hrefs = re.findall(r'<a[^>]+href="([^"]+)"', index_dom)
    assert hrefs and all((out / href).is_file() for href in hrefs)
    assert "<script" not in index_dom

    report = out / entry["html"]
    shot = base / "report.png"
    report_dom = _dom_and_shot(browser, report, shot)
    report_text = visible_text(report_dom)
    for sentence in entry["sentences"][:2]:
        assert " ".join(sentence.split()) in report_text
    figures = re.findall(r'<svg[^>]+class="nsss-figure"[^>]*>.{200,}?</svg>', report_dom, flags=re.DOTALL)
    assert len(figures) >= 1
    assert HOSTILE in report_text  # the hostile name reads as text ...
    assert "<script" not in report_dom  # ... and is no element
    assert not re.search(r'<img[^>]+onerror', report_dom)
    assert shot.stat().st_size > 10_000  # a page with content, not a blank


# --- narrow screens, downloads and links that survive a copy -----------------------------
def _relative_links(page: Path) -> list[str]:
    hrefs = re.findall(r'<a[^>]+href="([^"]+)"', page.read_text(encoding="utf-8"))
    return [html.unescape(h) for h in hrefs if not re.match(r"^(https?:|mailto:|#|data:)", h)]


def _assert_links_resolve(out: Path) -> int:
    from urllib.parse import unquote

    checked = 0
    for page in out.rglob("*.html"):
        for href in _relative_links(page):
            target = (page.parent / unquote(href)).resolve()
            assert target.is_relative_to(out.resolve()), (page.name, href)
            assert target.is_file(), (page.name, href)
            checked += 1
    return checked


def test_every_relative_link_resolves_inside_reports_also_in_a_moved_copy(hostile, tmp_path):
    out, entry, base = hostile
    report = out / entry["html"]
    links = _relative_links(report)
    assert any(h.endswith("-action-plan.xlsx") for h in links) and any(h.endswith("-data.xlsx") for h in links)
    assert all("/" not in h for h in links)  # bare names beside the page
    assert _assert_links_resolve(out) >= 3
    moved = tmp_path / "sent-by-email" / "reports"
    shutil.copytree(out, moved)
    assert _assert_links_resolve(moved) >= 3


def test_report_and_index_fit_1280_and_412_px(hostile, tmp_path, browser):
    out, entry, base = hostile
    pages = [out / entry["html"], out / "index.html"]

    def check(chromium) -> None:
        for width in (1280, 412):
            view = chromium.new_page(viewport={"width": width, "height": 900})
            try:
                for page in pages:
                    view.goto(page.as_uri())
                    assert view.evaluate("document.documentElement.scrollWidth") <= width, (page.name, width)
                    view.screenshot(path=str(tmp_path / f"{page.stem}-{width}.png"), full_page=False)
            finally:
                view.close()

    browser.run(check)
    assert all(p.stat().st_size > 5_000 for p in tmp_path.glob("*.png"))


# --- the Bangla report ------------------------------------------------------------------
@pytest.fixture(scope="module")
def bangla_page(site, site_pdf) -> Path:
    """The run's Bangla MoWCA report (``site``), a copy of it printed to PDF once per run
    (``site_pdf``, runner/pdf.py): the copy, its PDF beside it."""
    entry = site.report("ministry", "bn", code="MoWCA")
    assert "/bn/" in entry["html"]
    return site_pdf(entry).with_suffix(".html")  # self-contained: images inline, fonts installed


def test_bangla_report_headings_are_set_in_a_bengali_font_with_every_glyph(bangla_page, browser):
    """Chromium's own account of the fonts it drew each heading and the verdict with
    (DevTools CSS.getPlatformFontsForNode): Bangla text in Noto Sans Bengali, and that
    font has a glyph for every Bengali character of the page."""
    from fontTools.ttLib import TTFont

    from nsss_analysis.report.fonts import BENGALI_FONT_FILES, FONT_DIR

    def fonts_drawn(chromium) -> tuple[str, int]:
        view = chromium.new_page()
        try:
            view.goto(bangla_page.as_uri())
            assert view.evaluate("document.documentElement.lang") == "bn"
            text = view.evaluate("document.body.innerText")
            # the headline as the browser laid it out: Bangla words, Bangla digits only
            verdict = view.inner_text(".nsss-verdict")
            assert len(BENGALI_LETTER.findall(verdict)) > 20 and re.search(r"[০-৯]", verdict), verdict
            assert not re.search(r"[0-9A-Za-z]", verdict.replace("MoWCA", "")), verdict
            cdp = view.context.new_cdp_session(view)
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
            nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "h1, h2, .nsss-verdict"})["nodeIds"]
            checked = 0
            for node in nodes:
                shown = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
                if not BENGALI_LETTER.search(shown):
                    continue
                fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
                families = {f["familyName"] for f in fonts}
                assert "Noto Sans Bengali" in families, (shown[:80], fonts)
                assert families <= {"Noto Sans Bengali", "Noto Sans", "DejaVu Sans"}, (shown[:80], fonts)
                checked += 1
            return text, checked
        finally:
            view.close()

    text, checked = browser.run(fonts_drawn)
    assert checked >= 8  # the title, the verdict and the section headings
    cmap = TTFont(FONT_DIR / BENGALI_FONT_FILES[0]).getBestCmap()
    missing = {c for c in text if BENGALI_LETTER.match(c) and ord(c) not in cmap}
    assert not missing


def test_bangla_report_prints_to_a_pdf_with_its_bangla_heading(bangla_page):
    pypdf = pytest.importorskip("pypdf")
    printed = bangla_page.with_suffix(".pdf")
    assert printed.is_file() and printed.read_bytes().startswith(b"%PDF")
    text = "".join(page.extract_text() or "" for page in pypdf.PdfReader(printed).pages)
    assert bengali_skeleton("মহিলা ও শিশু বিষয়ক মন্ত্রণালয়") in bengali_skeleton(text)
    assert BENGALI_LETTER.search(text)
