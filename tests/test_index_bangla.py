"""The index in both languages: ``reports/index.html`` in English links
``reports/index.bn.html``, which lists the same reports in Bangla (its own words,
headline figures in Bangla digits, the Bangla pages first with the English page beside
each, the submission tracker in Bangla); an English-only run writes the English index
as before."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup

from nsss_analysis.reference.i18n import current, english_runs
from nsss_analysis.reference.vocab import load_reference
from nsss_analysis.runner.index import index_figures, write_index

HEADLINE = {"n_programmes": 6, "n_gender_specific_or_transformative": 3, "share": 0.5, "ci_low": 0.19,
            "ci_high": 0.81, "budget_share": 0.42, "fiscal_year": "2024-25", "mean_inclusion_score": 61.2,
            "mean_ci_low": 40.0, "mean_ci_high": 80.0, "national_mean_inclusion_score": 55.0}
TRACKER = {
    "sentences": ["1 ministries and divisions sent 1 assessment file(s): 6 programme rows accepted, "
                  "0 rows of those files quarantined."],
    "rows": [
        {"ministry": "Ministry of Social Welfare", "ministry_code": "MoSW", "status": "submitted",
         "source_file": "MoSW_gender_assessment_2024-25.xlsx", "assessment_round": "2024-25",
         "received_date": "2025-01-15", "programmes": 6, "budget_rows": 6, "rows_quarantined": 0,
         "cells_quarantined": 1, "files_from_unit": 1, "resubmission": "", "programmes_on_record": 6},
        {"ministry": "Finance Division", "ministry_code": "FD", "status": "not submitted", "source_file": "",
         "assessment_round": "", "received_date": "", "programmes": 0, "budget_rows": 0, "rows_quarantined": 0,
         "cells_quarantined": 0, "files_from_unit": 0, "resubmission": "", "programmes_on_record": 1},
    ],
}


def _site(out, languages=("en", "bn")):
    reports = {}
    for language in languages:
        prefix = "" if language == "en" else f"{language}/"
        for kind, slug, name, code in (("ministry", "mosw", "Ministry of Social Welfare", "MoSW"),
                                       ("national", "national-overview", None, None),
                                       ("cluster", "cluster-social-allowance", "Social Allowance", None)):
            key = f"2024-25/{prefix}{slug}"
            (out / f"{key}.html").parent.mkdir(parents=True, exist_ok=True)
            (out / f"{key}.html").write_text("<html></html>", encoding="utf-8")
            sentence = ("Ministry of Social Welfare: 3 of 6 programmes." if language == "en"
                        else "সমাজকল্যাণ মন্ত্রণালয়: ৬টির মধ্যে ৩টি কর্মসূচি।")
            reports[key] = {"kind": kind, "ministry": name, "ministry_code": code, "html": f"{key}.html",
                            "title": "National overview" if kind == "national" and language == "en"
                            else ("জাতীয় সারসংক্ষেপ" if kind == "national" else name),
                            "status": "ok", "language": language, "sentences": [sentence],
                            "headline": HEADLINE | {"synthetic": True}}
    (out / "submissions.json").write_text(json.dumps(TRACKER), encoding="utf-8")
    return {"reports": reports}


@pytest.fixture
def both(tmp_path):
    manifest = _site(tmp_path)
    language = current().language
    write_index(tmp_path, manifest)
    assert current().language == language  # the run's language is left as it was
    return tmp_path


def test_english_index_keeps_its_words_and_links_the_bangla_index(both):
    soup = BeautifulSoup((both / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == "en" and soup.h1.get_text() == "NSSS gender diagnostic reports"
    to_bangla = soup.find("nav", class_="languages").find("a", hreflang="bn")
    assert to_bangla["href"] == "index.bn.html" and to_bangla.get_text() == "বাংলা"
    text = " ".join(soup.get_text(" ").split())
    for words in ("Reports are listed by name: a diagnosis for each ministry, not a ranking.",
                  "Programmes assessed", "3 of 6 (50%, 19%–81%)", "42% (FY 2024-25)", "61 (40–80); national 55",
                  "Fiscal year 2024-25", "Cluster reports", "Submissions", "not recorded",
                  "1 ministries and divisions sent 1 assessment file(s)", "These figures are synthetic"):
        assert words in text, words
    row = soup.find("table").find("tbody").find("tr")
    links = [(a.get_text(), a["href"]) for a in row.find_all("a")]
    assert ("open", "2024-25/mosw.html") in links and ("বাংলা", "2024-25/bn/mosw.html") in links


def test_bangla_index_lists_the_bangla_pages_in_bangla(both):
    html = (both / "index.bn.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "bn" and soup.title.get_text() == "জাতীয় সামাজিক নিরাপত্তা কৌশল (এনএসএসএস): জেন্ডার পর্যালোচনা প্রতিবেদন"
    assert soup.find("nav", class_="languages").find("a", hreflang="en")["href"] == "index.html"
    row = soup.find("table").find("tbody").find("tr")
    links = [(a.get_text(), a["href"]) for a in row.find_all("a")]
    assert ("খুলুন", "2024-25/bn/mosw.html") in links and ("ইংরেজি", "2024-25/mosw.html") in links  # a Bangla word; the top switch says English
    assert "সমাজকল্যাণ মন্ত্রণালয়" in row.get_text()
    cells = [td.get_text() for td in row.find_all("td", class_="num")]
    assert cells == ["৬", "৬টির মধ্যে ৩টি (৫০%, ১৯%–৮১%)", "৪২% (অর্থবছর ২০২৪-২৫)", "৬১ (৪০–৮০); জাতীয় ৫৫"]
    assert [h.get_text() for h in soup.find_all("h2")] == ["অর্থবছর ২০২৪-২৫", "জমাকৃত ফরম"]
    assert "সামাজিক ভাতা" in soup.get_text()  # the cluster report, by its Bangla name
    tracker = soup.find_all("table")[-1].get_text(" ")
    assert "জমা দিয়েছে" in tracker and "জমা দেয়নি" in tracker and "লিপিবদ্ধ নেই" in tracker
    assert "১৫-০১-২০২৫" in tracker and "২০২৫-০১-১৫" not in tracker  # dates DD-MM-YYYY, as on the pages
    assert "(MoSW)" not in soup.find("table").get_text()  # no Latin code beside the Bangla name
    # no English phrase but file names, the language link and the program's name
    allowed = ["MoSW_gender_assessment_2024-25.xlsx", "English", "nsss reports", "MoSW", "FD",
               "NSSS", "SYNTHETIC", *[m.name for m in load_reference().ministries]]
    visible = " ".join(soup.body.get_text(" ").split())
    assert english_runs(visible, allowed) == [], english_runs(visible, allowed)
    assert not re.search(r"\b(?:of|programmes|open|Fiscal)\b", visible)


def test_an_english_only_run_writes_one_index_without_a_language_link(tmp_path):
    write_index(tmp_path, _site(tmp_path, ("en",)))
    assert not (tmp_path / "index.bn.html").exists()
    soup = BeautifulSoup((tmp_path / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.find("nav", class_="languages") is None


def test_index_figures_in_english_are_unchanged_and_in_bangla_have_bangla_digits():
    assert index_figures(HEADLINE) == {"programmes": "6", "gsot": "3 of 6 (50%, 19%–81%)",
                                       "budget": "42% (FY 2024-25)", "score": "61 (40–80); national 55"}
    small = HEADLINE | {"n_programmes": 4}
    assert index_figures(small, "bn") == {"programmes": "৪", "gsot": "৪টির মধ্যে ৩টি",
                                          "budget": "৪২% (অর্থবছর ২০২৪-২৫)", "score": "–"}
    assert index_figures(None, "bn")["gsot"] == "–"


def test_the_bangla_index_says_when_in_dhaka_time_and_bangla_digits(tmp_path, monkeypatch):
    from nsss_analysis import __version__
    from nsss_analysis.runner import index

    monkeypatch.setattr(index, "now", lambda: "2026-12-07 16:01:32 UTC")
    write_index(tmp_path, _site(tmp_path))
    notes = {}
    for name in ("index.html", "index.bn.html"):
        soup = BeautifulSoup((tmp_path / name).read_text(encoding="utf-8"), "html.parser")
        notes[name] = " ".join(soup.find_all("p", class_="note")[-1].get_text().split())
    assert "2026-12-07 16:01:32 UTC" in notes["index.html"] and f"nsss reports {__version__}" in notes["index.html"]
    bangla = notes["index.bn.html"]
    assert "০৭-১২-২০২৬, ২২:০১ (বাংলাদেশ সময়)" in bangla
    assert "nsss reports " + numbers_version(__version__) in bangla
    assert "UTC" not in bangla and not re.search(r"[0-9]", bangla.replace(".ipynb", ""))
    assert "-এ " not in bangla and "-এর" not in bangla


def numbers_version(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯"))
