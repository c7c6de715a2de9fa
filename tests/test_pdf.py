"""PDF: `nsss reports --pdf` prints a ministry's report with the system Chromium
(through Playwright, no browser download); its text holds the verdict and every
programme name; the page count stays bounded. Without Chromium: one line, exit 1."""

from __future__ import annotations

import re
import shutil

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


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize("language", ["en", "bn"])
@pytest.mark.xfail(strict=True, reason="left (issue #22): on the full bundled data (with the MIS coverage) page 24 of "
                   "32 of the English MoSW PDF and page 27 of 35 of the Bangla one are under a third full")
def test_no_printed_page_is_under_a_third_full_but_the_last(site, site_pdf, language):
    """Sections start a new page only when they do not fit: on the MoSW report of the
    session's site, in both languages, every page but the last holds at least a third of
    the text of the fullest page (pypdf's extracted text length as the measure)."""
    pypdf = pytest.importorskip("pypdf")
    path = site_pdf(site.report("ministry", language, code="MoSW"))
    pages = pypdf.PdfReader(path).pages
    lengths = [len("".join(page.extract_text().split())) for page in pages]
    fullest = max(lengths)
    # a page that holds a figure is not empty, though its text is short
    thin = [(i + 1, n) for i, n in enumerate(lengths[:-1]) if n < fullest / 3 and not pages[i].images]
    assert not thin, (path.name, thin, fullest, len(lengths))
