"""The analyst's sections and tables in the report's language: Bangla column headers,
captions, cell words and digits; English tables as they were."""

from __future__ import annotations

import re
from html import unescape

import numpy as np
import pandas as pd
import pytest

from nsss_analysis.diagnostics.trends import AnswerChange
from nsss_analysis.reference.i18n import english_runs, forget_language, set_language
from nsss_analysis.report import figures, sections
from nsss_analysis.report.display import table_html
from nsss_analysis.report.method_note import TECHNICAL_NAMES


@pytest.fixture
def language():
    """Set the report language for one test, and forget it afterwards."""
    yield set_language
    forget_language()


def _programmes() -> pd.DataFrame:
    return pd.DataFrame({
        "programme": ["Old Age Allowance", "Widow Allowance"],
        "cluster": ["Social Allowance", "Social Allowance"],
        "level": ["gender-sensitive", "gender-specific"],
        "inclusion_score": [41.2, 66.7],
        "potential_score": [55.0, 80.25],
        "completeness": [0.9, 1.0],
        "gender_marker": [0, 2],
        "data_readiness": ["not_applicable", "yes"],
        "level_rule": ["sex-disaggregated data yes", "women a target group"],
    })


def _recommendations(n: int = 20) -> pd.DataFrame:
    return pd.DataFrame({
        "rank": range(1, n + 1),
        "programme": [f"Programme {i}" for i in range(n)],
        "item": ["gender_analysis"] * n,
        "answer": ["no", "not_applicable"] + ["no"] * (n - 2),
        "followup_answer": ["yes", "no", "unknown", None] * (n // 4),
        "action": ["Use gender analysis."] * n,
        "budget_crore": [1234.4] * n,
        "always_listed": [False] * n,
    })


def _html(obj) -> str:
    return obj.data


def _headers(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'<th[^>]*class="col_heading[^"]*"[^>]*>([^<]*)</th>', html)]


def test_programme_table_in_bangla_headers_words_and_digits(language):
    language("bn")
    html = _html(sections.programme_table(_programmes()))
    assert _headers(html) == ["কর্মসূচি", "এনএসএসএস ক্লাস্টার", "স্তর (WHO GRAS)", "অন্তর্ভুক্তি স্কোর (০-১০০)",
                              "সম্ভাব্য স্কোর (০-১০০)", "সম্পূর্ণতা", "জেন্ডার মার্কার (০-২)",
                              "তথ্যের প্রস্তুতি (দুর্বলতম অংশ)", "কেন এই স্তর"]
    assert "জেন্ডার-নির্দিষ্ট" in html and "জেন্ডার-সচেতন" in html  # levels
    assert ">৬৭<" in html and ">০.৯০<" in html and ">প্রযোজ্য নয়<" in html and ">হ্যাঁ<" in html
    assert "বয়স্ক ভাতা" in html and "Old Age Allowance" not in html  # the catalogue's Bangla name
    assert "Widow Allowance" not in html  # an alias of a catalogued programme, shown by its Bangla name


def test_programme_table_in_english_takes_the_same_words_path(language):
    """English answers are words of the catalogue too (``n.a.``), not the data's codes."""
    language("en")
    html = _html(sections.programme_table(_programmes()))
    assert _headers(html) == list(sections.PROGRAMME_COLUMNS.values())
    assert ">67<" in html and ">0.90<" in html and ">n.a.<" in html and ">gender-specific<" in html
    assert "not_applicable" not in html


def test_recommendations_table_caption_and_words_in_bangla(language):
    language("bn")
    html = _html(sections.recommendations_table(_recommendations()))
    assert "২০টি করণীয়ের মধ্যে প্রথম ১৫টি" in html
    assert _headers(html) == ["ক্রম", "কর্মসূচি", "বিষয়", "উত্তর", "ফরমের মতে সম্ভব", "করণীয় (নির্দেশিকার ভাষায়)",
                              "বাজেট (কোটি টাকা)"]
    assert ">না<" in html and ">জানা নেই<" in html and ">১,২৩৪<" in html
    assert ">১৫<" in html  # the rank, in Bangla digits


def test_recommendations_table_in_english_unchanged(language):
    language("en")
    html = _html(sections.recommendations_table(_recommendations()))
    assert "The first 15 of 20 actions, and every action on missing sex-disaggregated data" in html
    assert ">not known<" in html and ">n.a.<" in html and ">1,234<" in html
    assert _headers(html) == list(sections.RECOMMENDATION_COLUMNS.values())


def test_small_ministry_sentence_in_bangla_and_english(language):
    headline = {"n_programmes": 1}
    language("bn")
    (bn,) = sections.ministry_details(None, {}, headline)
    assert _html(bn) == ("<p>১টি কর্মসূচি থাকায় (৫টির কম), এই প্রতিবেদন হলো উপরের কর্মসূচি কার্ড ও কর্মপরিকল্পনা: "
                         "প্রতিটি কার্ডে কর্মসূচির উত্তর, স্তর, অর্থ, উপকারভোগী, লিঙ্গভিত্তিক আওতা ও করণীয় দেওয়া আছে।</p>")
    language("en")
    (one,) = sections.ministry_details(None, {}, headline)
    (two,) = sections.ministry_details(None, {}, {"n_programmes": 2})
    assert _html(one).startswith("<p>With 1 programme (fewer than 5), this report is the programme cards")
    assert _html(two).startswith("<p>With 2 programmes (fewer than 5)")


def test_every_table_header_of_the_sections_has_bangla_words(language):
    language("bn")
    for columns in (sections.PROGRAMME_COLUMNS, sections.RECOMMENDATION_COLUMNS, sections.PAIR_COLUMNS,
                    sections.BUDGET_TREND_COLUMNS, sections.COUNTING_COLUMNS, sections.MODEL_COLUMNS):
        shown = sections.headers(columns)
        assert set(shown) == set(columns)
        for english, bangla in zip(columns.values(), shown.values(), strict=True):
            if english != "p":  # a p-value is p in every language
                assert bangla != english and re.search("[\u0980-\u09ff]", bangla), english
            assert english_runs(bangla, TECHNICAL_NAMES) == []


def test_table_cells_in_bangla_yes_no_digits_and_row_note(language):
    df = pd.DataFrame({"name": ["A<b>", "B"], "n": np.array([1234567, 2]), "x": [0.125, np.nan],
                       "ok": [True, False]})
    language("en")
    en = table_html(df, {"name": "Name", "n": "N", "x": "Share", "ok": "OK"}, digits={"x": 2}, max_rows=1)
    # one rounding in both languages (half away from zero): 0.125 is 0.13 on both pages
    assert ">1234567<" in en and ">0.13<" in en and ">yes<" in en and "First 1 of 2 rows shown." in en
    language("bn")
    bn = table_html(df, {"name": "Name", "n": "N", "x": "Share", "ok": "OK"}, digits={"x": 2}, max_rows=1)
    assert ">১২৩৪৫৬৭<" in bn and ">০.১৩<" in bn and ">হ্যাঁ<" in bn and "২টি সারির মধ্যে প্রথম ১টি দেখানো হলো।" in bn
    assert "A&lt;b&gt;" in bn  # still escaped


def test_trend_table_changed_answers_in_bangla(language):
    changed = (AnswerChange("graduation", "no", "partly"), AnswerChange("gender_reporting", "not_applicable", "yes"))
    language("bn")
    assert sections._changes_in_words(changed) == (
        "উত্তরণের পরিকল্পনা: না → আংশিক; জেন্ডার-সমন্বিত প্রতিবেদন: প্রযোজ্য নয় → হ্যাঁ")
    assert sections._changes_in_words(()) == ""
    language("en")
    assert sections._changes_in_words(changed[:1]) == "Graduation planned: no → partly"


def test_budget_trend_table_in_bangla_and_english(language):
    table = pd.DataFrame({"fiscal_year": ["2023-24", "2024-25"], "n_programmes": [3, 3],
                          "budget_crore": [1200.4, 1300.6], "n_programmes_women": [2, 2],
                          "beneficiaries": [1000.0, 1100.0], "women_beneficiaries": [500.0, 572.0],
                          "women_share": [0.5, 0.52]})
    language("bn")
    html = _html(sections.budget_trend_section(table)[-1])
    assert _headers(html) == ["অর্থবছর", "প্রতি বছর বাজেটসহ কর্মসূচি", "বাজেট (কোটি টাকা)",
                              "প্রতি বছর নারীর সংখ্যা জানানো কর্মসূচি", "তাদের উপকারভোগীদের মধ্যে নারীর অংশ"]
    assert ">২০২৩-২৪<" in html and ">১,৩০১<" in html and ">৩<" in html
    language("en")
    html = _html(sections.budget_trend_section(table)[-1])
    assert _headers(html) == list(sections.BUDGET_TREND_COLUMNS.values())
    assert ">2023-24<" in html and ">1,301<" in html and ">52%<" in html


def test_a_fitted_models_section_in_bangla_names_its_model_terms_and_caption(language):
    """A model the bundled data cannot fit still reads in Bangla when held-back data fits
    one: the title, the figure's caption and the coefficient table's terms."""
    from nsss_analysis.diagnostics.models import gender_specific_model
    from tests.support.frames import logistic_programmes

    result = gender_specific_model(*logistic_programmes())
    assert result.ok
    language("en")
    english = sections.model_section(result)
    language("bn")
    figures.set_theme(language="bn")  # as the notebook does: figures drawn in the page's fonts
    try:
        bangla = sections.model_section(result)
    finally:
        figures.set_theme(language="en")
    assert "<figcaption" in english[1].data and english[1].data.endswith("Fitted on 150 programmes.</figcaption></figure>")
    html = "".join(getattr(item, "data", "") for item in bangla)
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<(style|img)[^>]*>.*?(</style>|>)", " ", html, flags=re.DOTALL))
    assert "১৫০টি কর্মসূচির ওপর প্রাক্কলিত।" in text and "ধ্রুবক পদ" in text and "ক্লাস্টার:" in text
    assert english_runs(text, TECHNICAL_NAMES) == [] and not re.search(r"[0-9]", text)
