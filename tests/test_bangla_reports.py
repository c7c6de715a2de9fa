"""Reports in Bangla: `nsss reports --language ...` plans one report per language,
Bangla pages go to ``<fy>/bn/<slug>.html`` beside their downloads, each page links
the other language's page, the index lists both, and the ministry report's first
screen and headings read in Bangla with Bangla digits (a real papermill run of the
ministry notebook over the bundled data)."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from nsss_analysis import cli
from nsss_analysis.errors import UsageError
from nsss_analysis.reference.i18n import forget_language, set_language
from nsss_analysis.runner.html import language_links
from nsss_analysis.runner.index import english_key
from nsss_analysis.runner.manifest import read_manifest
from nsss_analysis.runner.plan import in_languages, report_title
from nsss_analysis.runner.request import ReportRequest
from tests.support.processed import site_request

BANGLA_DIGIT = re.compile(r"[০-৯]")
LATIN_DIGIT = re.compile(r"[0-9]")


# --- plumbing (fast) --------------------------------------------------------------------
def test_language_option_default_environment_and_all(monkeypatch, tmp_path):
    monkeypatch.delenv("NSSS_LANGUAGE", raising=False)
    assert ReportRequest(out=tmp_path).languages == ("en",)
    assert ReportRequest(out=tmp_path, languages=("all",)).languages == ("en", "bn")
    assert ReportRequest(out=tmp_path, languages=("bn",)).languages == ("bn",)
    monkeypatch.setenv("NSSS_LANGUAGE", "bn")
    assert ReportRequest(out=tmp_path).languages == ("bn",)
    monkeypatch.setenv("NSSS_LANGUAGE", "all")
    assert ReportRequest(out=tmp_path).languages == ("en", "bn")
    with pytest.raises(UsageError):
        ReportRequest(out=tmp_path, languages=("fr",))
    args = cli.build_parser().parse_args(["reports", "--language", "all", "--out", str(tmp_path)])
    assert cli.report_request(args).languages == ("en", "bn")


def test_english_requests_keep_their_identity(monkeypatch, tmp_path):
    """The run fingerprint of an English-only run is what it was before languages existed."""
    monkeypatch.delenv("NSSS_LANGUAGE", raising=False)
    assert "languages" not in ReportRequest(out=tmp_path).identity()
    assert ReportRequest(out=tmp_path, languages=("all",)).identity()["languages"] == ["en", "bn"]


def test_plan_one_report_per_language_with_unique_keys_and_relative_links():
    from nsss_analysis.runner.plan import PlannedReport

    english = PlannedReport(key="2024-25/mowca-x", kind="ministry", name="Ministry of Women and Children Affairs",
                            code="MoWCA", fiscal_year="2024-25", notebook=Path("m.ipynb"),
                            parameters={"ministry": "MoWCA"}, title="t")
    plan = in_languages([english], ("en", "bn"))
    assert [r.key for r in plan] == ["2024-25/mowca-x", "2024-25/bn/mowca-x"]
    en, bn = plan
    assert en.alternates == {"bn": "bn/mowca-x.html"} and bn.alternates == {"en": "../mowca-x.html"}
    assert "language" not in en.parameters and bn.parameters["language"] == "bn"
    assert en.title == "Ministry of Women and Children Affairs: gender diagnostic report, FY 2024-25"
    assert bn.title == "মহিলা ও শিশু বিষয়ক মন্ত্রণালয়: জেন্ডার পর্যালোচনা প্রতিবেদন, অর্থবছর ২০২৪-২৫"
    assert in_languages([english], ("en",)) == [english]
    assert english_key(bn.key, {"language": "bn"}) == en.key


def test_titles_and_language_links():
    assert report_title("national", "", None, "bn").startswith("জাতীয় সারসংক্ষেপ")
    assert 'href="../x.html"' in language_links({"en": "../x.html"})
    assert language_links({}) == ""


def test_first_screen_in_bangla_and_english_unchanged():
    import pandas as pd

    from nsss_analysis.report import page_top

    scores = pd.DataFrame({"level": ["gender-specific", "gender-blind", "gender-specific"]})
    try:
        set_language("en")
        english = page_top.verdict(scores, "MoWCA")
        set_language("bn")
        bangla = page_top.verdict(scores, "মহিলা ও শিশু বিষয়ক মন্ত্রণালয়")
    finally:
        forget_language()
    assert english == "2 of its 3 assessed programmes act on women's and girls' needs; 1 does not yet."
    assert bangla.startswith("মূল্যায়িত ৩টি কর্মসূচির মধ্যে ২টি") and bangla.endswith("।")
    assert not LATIN_DIGIT.search(bangla)


# --- a real Bangla report ---------------------------------------------------------------
@pytest.fixture(scope="module")
def rendered(site) -> Path:
    """`nsss reports --all --language all` over the bundled data (the run's ``site``)."""
    return site.out


def _mowca(rendered: Path) -> dict:
    """The manifest entries of MoWCA's report, every language."""
    return {k: e for k, e in read_manifest(rendered)["reports"].items()
            if e["kind"] == "ministry" and e["ministry_code"] == "MoWCA"}


@pytest.mark.slow
def test_bangla_page_and_its_files_at_the_documented_paths(rendered):
    entries = _mowca(rendered)
    bangla = [k for k, e in entries.items() if e["language"] == "bn"]
    english = [k for k, e in entries.items() if e["language"] == "en"]
    assert len(bangla) == 1 and len(english) == 1 and len(entries) == 2
    year, slug = english[0].split("/")
    assert bangla[0] == f"{year}/bn/{slug}"
    folder = rendered / year / "bn"
    for name in (f"{slug}.html", f"{slug}.ipynb", f"{slug}-action-plan.xlsx", f"{slug}-data.xlsx"):
        assert (folder / name).is_file(), name
    assert (rendered / year / f"{slug}.html").is_file()


@pytest.mark.slow
def test_bangla_first_screen_headings_and_links(rendered):
    entries = _mowca(rendered)
    (bn_key,) = [k for k, e in entries.items() if e["language"] == "bn"]
    (en_key,) = [k for k, e in entries.items() if e["language"] == "en"]
    bn_page = rendered / f"{bn_key}.html"
    en_page = rendered / f"{en_key}.html"
    soup = BeautifulSoup(bn_page.read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == "bn"
    assert "Noto Sans Bengali" in soup.find("style").get_text() or "Noto Sans Bengali" in str(soup.head)
    assert soup.find("h1").get_text(strip=True) == "মহিলা ও শিশু বিষয়ক মন্ত্রণালয়"
    first = soup.find(class_="nsss-first-screen")
    verdict = first.find(class_="nsss-verdict").get_text(" ", strip=True)
    assert "কর্মসূচি" in verdict and BANGLA_DIGIT.search(verdict) and not LATIN_DIGIT.search(verdict)
    assert "আপনাদের প্রতি আমাদের অনুরোধ" in first.get_text()
    assert "নথিভুক্ত ফরম" in soup.get_text()  # the forms on record, below the first screen
    headings = [h.get_text(strip=True) for h in soup.find_all("h2")]
    assert "কর্মসূচি কার্ড" in headings and "তথ্যের মান" in headings
    # the pages link each other, relatively, and the links resolve
    to_english = soup.find("nav", class_="nsss-languages").find("a", hreflang="en")["href"]
    assert (bn_page.parent / to_english).resolve() == en_page.resolve()
    en_soup = BeautifulSoup(en_page.read_text(encoding="utf-8"), "html.parser")
    assert en_soup.html["lang"] == "en"
    to_bangla = en_soup.find("nav", class_="nsss-languages").find("a", hreflang="bn")["href"]
    assert (en_page.parent / to_bangla).resolve() == bn_page.resolve()
    # the English page still reads in English
    assert "What we ask of you" in en_soup.find(class_="nsss-first-screen").get_text()
    # the index lists the English report with its Bangla page beside it
    index = (rendered / "index.html").read_text(encoding="utf-8")
    assert f'href="{en_key}.html"' in index and f'href="{bn_key}.html"' in index and "বাংলা" in index


@pytest.mark.slow
def test_nothing_changed_run_of_both_languages_is_fast(site, tmp_path):
    """The same run again (the request its manifest records: the session's, or that of
    ``make reports`` when the site was taken from reports/), over a copy of its reports
    (the run's pages stay as they are)."""
    from nsss_analysis.runner.run import run_reports

    copy = shutil.copytree(site.out, tmp_path / "reports")
    last = read_manifest(copy)["last_run"]["request"]
    request = site_request(Path(last["processed"]), copy, all=last["all"])

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert run_reports(request) == 0
    assert "nothing changed" in out.getvalue()


def test_card_words_and_numbers_in_bangla_and_english_unchanged():
    from nsss_analysis.report import card_parts, cards

    try:
        set_language("bn")
        bangla = (cards.item_in_words("graduation", "partly", "yes"), card_parts.card_number(641000),
                  card_parts.women_share_cell(3, 4), cards.duration_words({"start_fy": "2015-16", "end_fy": "2019-20"}))
        set_language("en")
        english = (cards.item_in_words("graduation", "partly", "yes"), card_parts.card_number(641000),
                   card_parts.women_share_cell(3, 4), cards.duration_words({"start_fy": "2015-16", "end_fy": "2019-20"}))
    finally:
        forget_language()
    assert bangla == ("উত্তরণের পরিকল্পনা: আংশিকভাবে পরিকল্পিত; মন্ত্রণালয়ের মতে সম্ভব", "৬,৪১,০০০",
                      "৪ জনের মধ্যে ৩ জন", "২০১৫-১৬ থেকে ২০১৯-২০")
    assert english == ("Graduation planned: partly planned; the ministry says it could be", "641,000",
                       "3 of 4", "2015-16 to 2019-20")
