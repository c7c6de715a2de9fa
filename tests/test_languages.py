"""One path for every language: a language is reference data (``reference/languages.csv``),
a catalogue and a font; no code outside the reference layer asks which language it is;
and the pseudo-locale ``en-XA`` proves it: a page rendered in it has no word that
bypassed the catalogue."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from nsss_analysis.config import PACKAGE_DIR
from nsss_analysis.reference.i18n import (
    DOMAIN,
    LOCALE_DIR,
    SOURCE_LANGUAGE,
    SUPPORTED,
    about_language,
    languages,
    resolve_language,
    translator,
    untranslated,
)
from nsss_analysis.reference.languages import all_languages
from tests.support.browser import CHROMIUM
from tests.support.once import built_once
from tests.support.processed import site_request
from tests.support.pseudo import data_words, outside_brackets, unbracketed
from tools.pseudo_catalogue import FOLDER, pseudo

#: A comparison of a language code with a literal one: ``language == "bn"``, ``"en" != code``.
_CODE = r"""["'](?:en|bn|en[-_]XA)["']"""
_COMPARISON = re.compile(rf"""(?:[!=]=\s*{_CODE})|(?:{_CODE}\s*[!=]=)|(?:\bin\s*\(\s*{_CODE}\s*,)""")
#: The same check in disguise: a comparison with the source language's code
#: (``language != SOURCE_LANGUAGE``, ``chosen == (SOURCE_LANGUAGE,)``, ``- {SOURCE_LANGUAGE}``).
_SOURCE = r"SOURCE_LANGUAGE\b"
_SOURCE_COMPARISON = re.compile(
    rf"""(?:[!=]=\s*\(?\s*{_SOURCE})|(?:{_SOURCE}\s*,?\s*\)?\s*[!=]=)|(?:\bin\s*[({{\[]\s*{_SOURCE})"""
    rf"""|(?:-\s*{{[^}}]*{_SOURCE})""")
_BENGALI = re.compile(r"[\u0980-\u09FF]+(?:[\s,;:()]+[\u0980-\u09FF]+)*")


def _package_files() -> list[Path]:
    return sorted(p for p in PACKAGE_DIR.rglob("*") if p.suffix in {".py", ".j2"} and p.is_file())


def test_no_code_outside_the_reference_layer_compares_language_codes():
    """Which digits, which font, whether names come from the ``name_bn`` column: each is
    a column of ``reference/languages.csv``; code asks the :class:`Language` record."""
    found = []
    for path in _package_files():
        if path.is_relative_to(PACKAGE_DIR / "reference"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if _COMPARISON.search(line) or _SOURCE_COMPARISON.search(line):
                found.append(f"{path.relative_to(PACKAGE_DIR)}:{number}: {line.strip()}")
    assert not found, "language codes compared outside nsss_analysis/reference/:\n" + "\n".join(found)


def test_the_comparison_scan_finds_what_it_looks_for():
    assert _COMPARISON.search('if language == "en":') and _COMPARISON.search("'bn' != lang")
    assert not _COMPARISON.search('about_language("bn").sentence_end')
    for disguised in ("if language != SOURCE_LANGUAGE:", "english = t.language == SOURCE_LANGUAGE",
                      "if tuple(chosen) == (SOURCE_LANGUAGE,):", "if SOURCE_LANGUAGE == code:",
                      "if code in (SOURCE_LANGUAGE, 'x'):", "codes - {None, SOURCE_LANGUAGE}"):
        assert _SOURCE_COMPARISON.search(disguised), disguised
    for fine in ("def f(language: str = SOURCE_LANGUAGE):", "pages.get(SOURCE_LANGUAGE)",
                 "entry.get('language') or SOURCE_LANGUAGE", "if t.about.is_source:"):
        assert not _SOURCE_COMPARISON.search(fine), fine


def test_the_pseudo_locale_is_only_catalogue_and_reference_data():
    """Adding ``en-XA`` touched the catalogue (``locale/en_XA``) and ``languages.csv``:
    no module of the package names it."""
    named = [str(p.relative_to(PACKAGE_DIR)) for p in _package_files()
             if re.search(r"en[-_]XA", p.read_text(encoding="utf-8"), re.IGNORECASE)
             and not p.is_relative_to(PACKAGE_DIR / "reference")]
    assert not named
    assert "en-XA" in SUPPORTED and about_language("en-XA").pseudo


def test_a_pseudo_locale_is_not_in_the_all_set():
    assert "en-XA" not in languages("all") and set(languages("all")) == {
        lang.code for lang in all_languages() if lang.in_all}
    assert resolve_language("en_xa") == "en-XA" and languages("en-XA") == ("en-XA",)


def test_the_pseudo_catalogue_is_generated_from_the_template():
    """Every message of ``nsss.pot`` is in the ``en_XA`` catalogue as
    ``tools/pseudo_catalogue.py`` writes it (``make i18n``), and compiled."""
    with open(LOCALE_DIR / f"{DOMAIN}.pot", "rb") as f:
        template = {m.id: m for m in read_po(f) if m.id}
    with open(LOCALE_DIR / FOLDER / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as f:
        pseudo_catalogue = {m.id: m for m in read_po(f) if m.id}
    assert set(template) == set(pseudo_catalogue), "run make i18n"
    for key, message in pseudo_catalogue.items():
        ids = key if isinstance(key, tuple) else (key,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert list(strings) == [pseudo(i) for i in ids], key
    assert untranslated(FOLDER) == []
    t = translator("en-XA")
    assert t("Programme") == pseudo("Programme") and t.ngettext("{n} programme", "{n} programmes", 2) == pseudo(
        "{n} programmes")


@pytest.mark.parametrize("text", ["Programme", "{n} of {total} programmes ({share})", "<b>Note</b> see https://x.org/a"])
def test_a_pseudo_message_is_bracketed_accented_longer_and_keeps_its_placeholders(text):
    kept = re.compile(r"\{[^{}]*\}|<[^<>]+>|https?://[^\s\]]+")
    out = pseudo(text)
    assert out.startswith("[") and out.endswith("]")
    assert len(kept.sub("", out)) >= 1.4 * len(kept.sub("", text))  # the words, without placeholders
    assert kept.findall(out) == kept.findall(text)
    assert not re.search(r"[A-Za-z]{2}", kept.sub("", out))  # every letter accented


def test_the_language_record_answers_what_code_used_to_compare():
    en, bn, xa = about_language("en"), about_language("bn"), about_language("en-XA")
    # the source language shows stored words as stored; every catalogue language (a
    # pseudo-locale too) says them in its own words, and has its own index file
    assert [lang.code for lang in all_languages() if lang.is_source] == [SOURCE_LANGUAGE]
    assert not bn.is_source and not xa.is_source and translator("bn").about == bn
    assert (en.index_file, bn.index_file, xa.index_file) == ("index.html", "index.bn.html", "index.en-XA.html")
    assert (en.localise("2024-25"), bn.localise("2024-25")) == ("2024-25", "২০২৪-২৫")
    assert bn.carries_fonts and not en.carries_fonts and en.has_case and not bn.has_case
    assert (en.sentence_end, bn.sentence_end) == (". ", "। ")


# --- a ministry page, a cluster page and the index, rendered in en-XA ----------------


@pytest.fixture(scope="session")
def pseudo_site(tmp_path_factory, bundled_mis) -> Path:
    """The MoSW page, one cluster page and their index, in en-XA (the runner, real
    notebooks), rendered once per run (shared by the pytest-xdist workers)."""
    from nsss_analysis.runner import render
    from nsss_analysis.runner.plan import ReportKind
    from nsss_analysis.runner.run import run_reports

    real = render.plan_reports

    def two_pages(request, tables):
        plan = real(request, tables)
        ministry = [r for r in plan if r.kind == ReportKind.MINISTRY and r.code == "MoSW"]
        cluster = [r for r in plan if r.kind == ReportKind.CLUSTER][:1]
        return ministry + cluster

    def build(out: Path) -> None:
        with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(io.StringIO()):
            mp.setattr(render, "plan_reports", two_pages)
            assert run_reports(site_request(bundled_mis, out, languages=("en-XA",), force=True)) == 0

    return built_once(tmp_path_factory, "en-xa", build)


@pytest.mark.slow
def test_pages_in_the_pseudo_locale_have_no_word_outside_its_brackets(pseudo_site, bundled_mis):
    """Every word of an en-XA page came through the catalogue (in brackets), unless it is
    the data's (a name, a file, the forms' text), a code or a number."""
    pages = sorted(pseudo_site.rglob("en-XA/*.html"))
    assert len(pages) == 2 and any("cluster-" in p.name for p in pages)
    pages.append(pseudo_site / "index.en-XA.html")
    allowed = data_words(bundled_mis) | {lang.name for lang in all_languages()}
    for page in pages:
        assert unbracketed(page, allowed) == [], page.name
        text = outside_brackets(" ".join(unbracketed_text(page)))
        bangla = [run for run in _BENGALI.findall(text) if run not in allowed]
        assert bangla == [], page.name


def unbracketed_text(page: Path) -> list[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["style", "script", "head", "code"]):
        tag.decompose()
    return [outside_brackets(str(s)) for s in soup.find_all(string=True)]


#: In the browser, on one page: every element that clips its text (overflow hidden or
#: clip, or an ellipsis) and holds more than it shows; and, in each figure, every pair of
#: text boxes that intersect (by more than half a pixel each way: glyphs that touch are
#: not an overlap).
_LAYOUT = """() => {
  const clipped = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg')) continue;
    const s = getComputedStyle(el);
    const clips = ['hidden', 'clip'].includes(s.overflowX) || s.textOverflow === 'ellipsis';
    if (clips && el.textContent.trim() && el.scrollWidth > el.clientWidth + 1)
      clipped.push(`${el.tagName.toLowerCase()}.${el.className}: ${el.textContent.trim().slice(0, 60)}`);
  }
  const overlaps = [];
  document.querySelectorAll('svg.nsss-figure').forEach((svg, f) => {
    const boxes = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
      .map(t => ({text: t.textContent.trim(), r: t.getBoundingClientRect(), group: t.parentElement}))
      .filter(b => b.r.width > 0 && b.r.height > 0);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        if (boxes[i].group === boxes[j].group) continue;  // the lines of one wrapped label
        const a = boxes[i].r, b = boxes[j].r;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 0.5 && h > 0.5) overlaps.push(`figure ${f}: ${boxes[i].text.slice(0, 40)} / ${boxes[j].text.slice(0, 40)}`);
      }
  });
  return {clipped, overlaps};
}"""


def _layout_faults(browser, pages: list[Path]) -> list[tuple[str, str]]:
    """(page, fault) for every clipped text and overlapping pair of figure labels of
    ``pages`` at a phone's width (412 px) and a desktop's (1280 px), in the worker's
    shared Chromium (the session's ``browser``)."""

    def layout(chromium) -> list[tuple[str, str]]:
        found = []
        for width in (412, 1280):
            tab = chromium.new_page(viewport={"width": width, "height": 900})
            try:
                for page in pages:
                    tab.goto(page.as_uri())
                    tab.wait_for_load_state("load")
                    seen = tab.evaluate(_LAYOUT)
                    found += [(page.name, f"at {width} px: clipped {c}") for c in seen["clipped"]]
                    found += [(page.name, f"at {width} px: overlap {o}") for o in seen["overlaps"]]
            finally:
                tab.close()
        return found

    return browser.run(layout)


@pytest.fixture(scope="module")
def pseudo_layout(pseudo_site, browser) -> list[tuple[str, str]]:
    pages = sorted(pseudo_site.rglob("en-XA/*.html")) + [pseudo_site / "index.en-XA.html"]
    assert len(pages) == 3
    return _layout_faults(browser, pages)


_SLOW_BROWSER = [pytest.mark.slow,
                 pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")]


@_SLOW_BROWSER[0]
@_SLOW_BROWSER[1]
def test_pseudo_locale_pages_clip_no_text_and_their_labels_stand_apart(pseudo_layout):
    """The pseudo-locale's words are 40% longer than English: at 412 px and 1280 px no
    text of the ministry page, the cluster page or the index is cut off by its box, and
    the cluster page and the index have no two figure labels drawn over each other."""
    faults = [f"{page} {fault}" for page, fault in pseudo_layout
              if "clipped" in fault or not page.startswith("mosw-")]
    assert not faults, "\n".join(faults)


@_SLOW_BROWSER[0]
@_SLOW_BROWSER[1]
@pytest.mark.xfail(strict=True, reason="left: on the MoSW page in en-XA, the synthetic mark under four figures "
                   "meets their legend (an 'outside lower' legend lands at the saved image's bottom), the "
                   "district funnel's note meets its axis label and its y label its two-line title, and "
                   "two programme names of one chart meet; the figures' own layout must make room")
def test_pseudo_locale_ministry_page_has_no_overlapping_figure_labels(pseudo_layout):
    faults = [f"{page} {fault}" for page, fault in pseudo_layout if "overlap" in fault]
    assert not faults, "\n".join(faults)
