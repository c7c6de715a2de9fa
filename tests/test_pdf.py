"""PDF: `nsss reports --pdf` prints a ministry's report with the system Chromium
(through Playwright, no browser download); its text holds the verdict and every
programme name; the page count stays bounded; no page but the last is under a third
full (the full MoSW report of the session's site in English and Bangla, and a generated
variant's largest ministry). Without Chromium: one line, exit 1."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from nsss_analysis import config
from nsss_analysis.errors import NsssError
from nsss_analysis.runner import pdf
from nsss_analysis.runner.manifest import read_manifest
from nsss_analysis.runner.run import run_reports
from tests.support.processed import report_args
from tests.support.site import copy_site, site_key

CHROMIUM = pdf.find_chromium()
#: A one- or two-programme ministry's report: cards, action plan, method note.
MAX_PAGES = 25


def test_without_chromium_one_line_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(NsssError, match="PDF needs Chromium: apt-get install chromium") as err:
        pdf.print_pdfs([tmp_path / "x.html"])
    assert err.value.exit_code == 1 and "\n" not in str(err.value)


def test_without_chromium_the_run_stops_before_rendering(monkeypatch, tmp_path, bundled):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    processed = bundled
    with pytest.raises(NsssError, match="PDF needs Chromium"):
        run_reports(report_args(processed, tmp_path / "out", config.NOTEBOOKS_DIR, ministry=["FD"], pdf=True))
    assert not list((tmp_path / "out").rglob("*.html"))


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_reports_pdf_prints_the_verdict_and_every_programme(tmp_path, site):
    """``nsss reports --pdf`` over a copy of the session's site: the page is there (not
    rendered again when its inputs are unchanged) and lacks its PDF, which the run prints."""
    pypdf = pytest.importorskip("pypdf")
    processed = site.processed
    out = copy_site(site, tmp_path / "reports")
    assert run_reports(report_args(processed, out, config.NOTEBOOKS_DIR, ministry=["MoFood"], workers=1,
                                   pdf=True)) == 0
    entry = read_manifest(out)["reports"][site_key(site, "MoFood", "en")]
    page = out / entry["html"]
    printed = page.with_suffix(".pdf")
    assert printed.is_file()
    reader = pypdf.PdfReader(printed)
    assert 1 <= len(reader.pages) <= MAX_PAGES
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    text = text.replace("ﬁ", "fi").replace("ﬀ", "ff")
    assert "None of its 2 assessed programmes acts on women's and girls' needs yet" in text
    programmes = pd.read_parquet(processed / "assessments.parquet")
    for name in programmes.loc[programmes["ministry_code"] == "MoFood", "programme"]:
        assert " ".join(name.split()) in text
    assert re.search(r"Page 1 of \d+", text)


#: A page's printable area below its top margin and above its footer (the margins the
#: PDF is printed with: runner/pdf.py).
TOP_MM, BOTTOM_MM = (float(pdf.MARGINS[side].removesuffix("mm")) for side in ("top", "bottom"))
MM = 72 / 25.4


def page_measures(path: Path) -> list[tuple[int, float]]:
    """Per printed page: its text length (pypdf's extracted text, no white space) and
    how far down its printable area its content runs (0 to 1: the lowest line of text,
    a figure's labels and reading included, above the footer). Pages flow from the top
    (no forced breaks), so the second is how full the page is; the first is the
    measure a page of figures (drawings, few letters) falls short on."""
    import pypdf

    measured = []
    for page in pypdf.PdfReader(path).pages:
        height = float(page.mediabox.height)
        bottom, top = BOTTOM_MM * MM, height - TOP_MM * MM
        lows: list[float] = []

        def visit(text, cm, tm, font, size, lows=lows, bottom=bottom):
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]  # the text's baseline on the page
            if text.strip() and y > bottom:  # the footer's page number sits in the bottom margin
                lows.append(y)

        n = len("".join(page.extract_text(visitor_text=visit).split()))
        measured.append((n, (top - min(lows)) / (top - bottom) if lows else 0.0))
    return measured


def under_a_third_full(path: Path) -> list[tuple[int, int, float]]:
    """The pages but the last that are under a third full: less than a third of the
    fullest page's text, unless the page is at least half full by height (figures are
    drawings, not letters); and any page whose content ends in the top third."""
    measured = page_measures(path)
    fullest = max(n for n, _ in measured)
    return [(i + 1, n, round(fill, 2)) for i, (n, fill) in enumerate(measured[:-1])
            if fill < 1 / 3 or (n < fullest / 3 and fill < 1 / 2)]


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_no_printed_page_of_the_mosw_report_is_under_a_third_full_but_the_last(tmp_path, site):
    """Sections start a new page only when they do not fit: the full MoSW report of the
    session's site (every section, the MIS coverage included), printed in English and
    Bangla, has no page under a third full but the last."""
    pytest.importorskip("pypdf")
    pages = []
    for language in ("en", "bn"):
        page = site.out / site.report("ministry", language, code="MoSW")["html"]
        copy = tmp_path / language / page.name  # the site is read only: printed beside a copy
        copy.parent.mkdir()
        shutil.copy(page, copy)
        pages.append(copy)
    printed = pdf.print_pdfs(pages)
    assert len(printed) == 2
    for path in printed:
        measured = page_measures(path)
        assert len(measured) > 20, (path, len(measured))  # the whole report, not a reduced one
        assert not under_a_third_full(path), (path.parent.name, under_a_third_full(path), measured)


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_no_printed_page_of_a_generated_variant_is_under_a_third_full_but_the_last(seed7, tmp_path):
    """Data the bundled tables do not show (the generator's seed 7): its largest
    ministry's report, printed in English and Bangla."""
    pytest.importorskip("pypdf")
    processed = shutil.copytree(seed7, tmp_path / "processed")  # a render locks it
    codes = pd.read_parquet(processed / "assessments.parquet")["ministry_code"]
    largest = str(codes.value_counts().index[0])
    out = tmp_path / "reports"
    assert run_reports(report_args(processed, out, config.NOTEBOOKS_DIR, ministry=[largest], workers=1,
                                   pdf=True, languages=("all",))) == 0
    printed = sorted(out.rglob("*.pdf"))
    assert len(printed) == 2, printed  # English and Bangla
    for path in printed:
        assert len(page_measures(path)) > 5, path
        assert not under_a_third_full(path), (largest, path.parent.name, under_a_third_full(path))
