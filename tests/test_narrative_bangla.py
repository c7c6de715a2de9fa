"""The report's sentences (report/phrases.py and the sentence modules it lists) in
Bangla: every public sentence function, with the language set to ``bn``, writes Bangla words and Bangla digits, and leaves no
English phrase but the names it is given (programmes, districts: text from forms and
MIS extracts); English stays word for word what it was (tests/test_narrative.py and
tests/test_honest_statements.py check the English words)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from nsss_analysis.diagnostics.counting import REPEATED
from nsss_analysis.diagnostics.models import MODEL_CODES, gender_specific_model, inclusion_score_model
from nsss_analysis.diagnostics.summaries import headline_figures, ministry_summary, national_summary
from nsss_analysis.diagnostics.trends import TrendResult, _empty_pairs
from nsss_analysis.reference.i18n import english_runs, forget_language, language, set_language
from nsss_analysis.reference.vocab import load_reference
from nsss_analysis.report import (
    coverage_text,
    headline_text,
    model_text,
    notices,
    phrases,
    quality_text,
    readings,
    trend_text,
)
from tests.support.frames import CLUSTERS_ALL, logistic_programmes, programmes
from tests.support.frames import MODEL_CLUSTERS as CLUSTERS
from tests.support.narrative_tables import answer_row as _row
from tests.support.narrative_tables import budget_entry as _budget
from tests.support.narrative_tables import scored_tables as _tables

FY = "2023-24"
BANGLA_DIGIT = re.compile(r"[০-৯]")
LATIN_DIGIT = re.compile(r"[0-9]")
PROGRAMMES = ["Mother and Child Benefit Programme", "Vulnerable Women Benefit", "Hostel for <b>working</b> women",
              "Old Age Allowance"]
DISTRICTS = ["Bagerhat", "Feni", "Kurigram", "Dhaka"]
ALLOWED = PROGRAMMES + DISTRICTS + [m.name for m in load_reference().ministries]


@pytest.fixture
def bangla():
    set_language("bn")
    yield
    forget_language()


@pytest.fixture(scope="module")
def example():
    rows = [
        _row(PROGRAMMES[0], groups=["women"], stages=["women_working_age"],
             yes=["empowerment_objective", "sex_disaggregated_data"], possible=["skills_training_possible"]),
        _row(PROGRAMMES[1], source_row=3, yes=["empowerment_objective", "norms_awareness", "skills_training"]),
        _row(PROGRAMMES[2], source_row=4, possible=["graduation_possible"], graduation="unknown"),
        _row(PROGRAMMES[3], code="MoSW", stages=["old_age"], possible=["norms_awareness_possible"]),
    ]
    budgets = [
        _budget(PROGRAMMES[0], "2023-24", 1200.0, beneficiaries=1e6, women=1e6),
        _budget(PROGRAMMES[2], "2023-24", 300.0, beneficiaries=1000, rate=500),
        _budget(PROGRAMMES[0], "2022-23", 900.0),
        _budget(PROGRAMMES[3], "2023-24", 4000.0, code="MoSW"),
    ]
    return _tables(rows, budgets)


def _mis_frames() -> dict[str, pd.DataFrame]:
    """Small MIS tables for one programme, as the coverage functions return them."""
    oaa = PROGRAMMES[3]
    by_district = pd.DataFrame({"programme": oaa, "fiscal_year": "2023-24", "district": DISTRICTS,
                                "female": [3, 1_200, 1_350, 30_000], "total": [3, 3_000, 3_000, 60_000]})
    return {
        "shares": pd.DataFrame({"programme": [oaa], "share": [0.4812], "total": [66_003],
                                "ci_low": [0.478], "ci_high": [0.485]}),
        "by_age": pd.DataFrame({"programme": oaa, "age_band": ["36-59", "60+", "unknown"],
                                "total": [40, 65_000, 963], "women_share": [0.30, 0.49, 0.55]}),
        "by_district": by_district.assign(women_share=by_district["female"] / by_district["total"]),
        "amounts": pd.DataFrame({"programme": oaa, "sex": ["female", "male"], "mean_bdt": [6_000.0, 6_250.0],
                                 "beneficiaries": [31_000, 35_003]}),
        "channels": pd.DataFrame({"programme": oaa, "sex": ["female", "female", "male", "male"],
                                  "payment_channel": ["mobile", "cash", "mobile", "cash"],
                                  "beneficiaries": [700, 300, 800, 200]}),
        "disagreements": pd.DataFrame({
            "programme": [oaa] * 3, "sex_disaggregated_data": ["no", "yes", "partly"],
            "kind": ["form_no_mis_has_sex", "form_yes_mis_unknown_sex", "form_yes_mis_empty"],
            "mis_counted": [66_003, 10, 0], "unknown_sex_share": [0.0, 0.62, float("nan")],
            "message": ["", "", ""]}),
    }


def _sentences(tables) -> dict[str, list[str]]:
    """Every public sentence function of the sentence modules, on the example's tables, in the
    current language."""
    # the example has too few programmes for the budget-year rule: the page's year is named
    s, n = ministry_summary(tables, "MoWCA", fiscal_year=FY), national_summary(tables, fiscal_year=FY)
    mis = _mis_frames()
    no_rounds = TrendResult(False, 1, 0, "one_round", _empty_pairs(), rounds=("2023-24",))
    return {
        "headline_sentences (ministry)": headline_text.headline_sentences(headline_figures(tables, "MoWCA")),
        "headline_sentences (one programme)": headline_text.headline_sentences(headline_figures(tables, "MoSW")),
        "headline_sentences (national)": headline_text.headline_sentences(headline_figures(tables)),
        "headline_sentences (none)": headline_text.headline_sentences(headline_figures(tables, "MoLWA")),
        "item_heatmap_reading": [readings.item_heatmap_reading(s["assessments"])],
        "level_reading": [readings.level_reading(s["level_shares"])],
        "item_yes_reading": [readings.item_yes_reading(s["item_yes_shares"])],
        "lifecycle_reading": [readings.lifecycle_reading(s["lifecycle_matrix"])],
        "women_share_reading": [readings.women_share_reading(s["women_beneficiary_share"])],
        "recommendations_reading": [readings.recommendations_reading(s["recommendations"])],
        "readiness_reading": [readings.readiness_reading(s["data_readiness"])],
        "data_quality_sentences": quality_text.data_quality_sentences(s["data_quality"], s["budget_plausibility"]),
        "levels_by_unit_reading": [readings.levels_by_unit_reading(n["level_shares"], scope)
                                   for scope in ("ministry", "cluster")],
        "mean_score_reading": [readings.mean_score_reading(n["mean_score"], scope)
                               for scope in ("ministry", "cluster")],
        "budget_share_reading": [readings.budget_share_reading(n["budget_gender_share"])],
        "gaps_reading": [readings.gaps_reading(n["lifecycle_matrix"], n["target_groups_reached"])],
        "trend_reading": [trend_text.trend_reading(no_rounds)],
        "budget_trend_reading": [trend_text.budget_trend_reading(s["budget_trend"])],
        "counting_reading": [quality_text.counting_reading(pd.DataFrame(
            {"resolution": ["rows disagree: the latest received counts", "repeated cell for cell"],
             "resolution_id": ["rows disagree: the latest received counts", REPEATED]}))],
        "fiscal_year_phrase": [notices.fiscal_year_phrase(headline_figures(tables, "MoWCA", fiscal_year=FY))],
        "data_notice": [notices.data_notice(True)],
        "no_coverage": [notices.no_coverage()],
        "coverage_reading": [coverage_text.coverage_reading(mis["shares"])],
        "age_band_reading": [coverage_text.age_band_reading(mis["by_age"])],
        "district_reading": [coverage_text.district_reading(mis["by_district"])],
        "amount_reading": [coverage_text.amount_reading(mis["amounts"])],
        "channel_reading": [coverage_text.channel_reading(mis["channels"])],
        "disagreement_sentences": coverage_text.disagreement_sentences(mis["disagreements"]),
    }


#: Functions whose words are all the sentence modules' own (no percentage, interval, amount in
#: crore, list or label from report/wording.py or report/labels.py).
OWN_WORDS_ONLY = {"headline_sentences (none)", "trend_reading", "counting_reading", "fiscal_year_phrase",
                  "data_notice", "no_coverage", "recommendations_reading"}


def _english_left(text: str) -> tuple[list[str], list[str]]:
    """English phrases and Latin digits in ``text`` once the given names are taken out."""
    bare = text
    for name in sorted(ALLOWED, key=len, reverse=True):
        bare = bare.replace(name, " ")
    return english_runs(text, ALLOWED), LATIN_DIGIT.findall(bare.replace("SYNTHETIC", ""))


@pytest.fixture(scope="module")
def bangla_sentences(example) -> dict[str, list[str]]:
    """:func:`_sentences` of the example in Bangla, written once for the tests that read them."""
    set_language("bn")
    try:
        return _sentences(example)
    finally:
        forget_language()


@pytest.mark.parametrize("name", sorted(OWN_WORDS_ONLY))
def test_own_sentences_are_bangla_with_bangla_digits(bangla_sentences, name):
    texts = bangla_sentences[name]
    assert texts and all(texts)
    for text in texts:
        runs, digits = _english_left(text)
        assert runs == [] and digits == [], (name, text, runs, digits)
    if name not in ("data_notice", "no_coverage", "headline_sentences (none)"):
        assert any(BANGLA_DIGIT.search(t) for t in texts), (name, texts)


def test_every_sentence_function_is_bangla_with_bangla_digits(bangla_sentences):
    failures = {}
    for name, texts in bangla_sentences.items():
        for text in texts:
            runs, digits = _english_left(text)
            if runs or digits:
                failures.setdefault(name, []).append((text, runs, digits))
    assert failures == {}


def test_every_sentence_function_has_bangla_words_and_digits_of_its_own(bangla_sentences):
    """Whatever report/wording.py writes, each sentence's frame is Bangla: Bangla letters
    and (where the sentence has a count of its own) Bangla digits."""
    sentences = bangla_sentences
    for name, texts in sentences.items():
        for text in texts:
            assert re.search(r"[\u0980-\u09FF]{3}", text), (name, text)
    for name in ("headline_sentences (ministry)", "item_heatmap_reading", "data_quality_sentences",
                 "lifecycle_reading", "women_share_reading", "mean_score_reading", "age_band_reading",
                 "district_reading", "amount_reading", "disagreement_sentences"):
        assert any(BANGLA_DIGIT.search(t) for t in sentences[name]), name


def test_exact_bangla_sentences(example, bangla):
    assert headline_text.headline_sentences(headline_figures(example, "MoLWA")) == [
        "মুক্তিযুদ্ধ বিষয়ক মন্ত্রণালয়: এখনো কোনো কর্মসূচি মূল্যায়িত হয়নি, তাই এই প্রতিবেদনে কোনো ফলাফল নেই।"]
    one = headline_text.headline_sentences(headline_figures(example, "MoSW"))
    assert one[0] == ("সমাজকল্যাণ মন্ত্রণালয়: মূল্যায়িত কর্মসূচি ১টি, এবং এটি জেন্ডার-নির্দিষ্ট বা "
                      "জেন্ডার-রূপান্তরমূলক নয়।")
    mowca = headline_text.headline_sentences(headline_figures(example, "MoWCA"))
    assert mowca[0] == ("মহিলা ও শিশু বিষয়ক মন্ত্রণালয়: মূল্যায়িত কর্মসূচি ৩টি; ৩টির মধ্যে ২টি "
                        "জেন্ডার-নির্দিষ্ট বা জেন্ডার-রূপান্তরমূলক (১টি রূপান্তরমূলক)।")
    assert headline_text.headline_sentences(headline_figures(example))[0].startswith("বাংলাদেশ: মূল্যায়িত কর্মসূচি ৪টি;")
    # the small-n scores name each programme by its Bangla name where one is known
    scores = next(s for s in mowca if "গড় নির্ণয় করা হয়নি" in s)
    assert "(মা ও শিশু সহায়তা কর্মসূচি)" in scores and "Mother and Child Benefit Programme" not in scores
    assert "(Hostel for <b>working</b> women)" in scores  # no Bangla name on record: as the form wrote it
    s = ministry_summary(example, "MoWCA")
    assert readings.recommendations_reading(s["recommendations"]) == (
        "৩টি কর্মসূচি মিলিয়ে ২৫টি করণীয়: এর মধ্যে ২টি ফরম অনুযায়ী সম্ভব (সেগুলো আগে, তারপর বাজেট "
        "অনুযায়ী সাজানো); ৫টি লিঙ্গ-বিভাজিত তথ্য বা জেন্ডার সূচকের অভাব সম্পর্কিত, যা সবসময় তালিকাভুক্ত হয়।")
    quality = quality_text.data_quality_sentences(s["data_quality"], s["budget_plausibility"])
    assert "কোনো কর্মসূচি একই পর্বে ভিন্ন উত্তরসহ দুবার মূল্যায়িত হয়নি।" in quality
    assert any(q.startswith("মাসিক হারসহ ১টি বাজেট সারির মধ্যে ১টি উপকারভোগী × হার × ১২ যাচাইয়ে উত্তীর্ণ হয়নি: "
                            "Hostel for <b>working</b> women, অর্থবছর ২০২৩-২৪ (অনুপাত ৫০০: যাচাই প্রয়োজন)")
               for q in quality)
    assert trend_text.trend_reading(TrendResult(False, 1, 0, "one_round", _empty_pairs(), rounds=("2023-24",))) == (
        "একটি মূল্যায়ন পর্ব (২০২৩-২৪): প্রবণতার জন্য একই কর্মসূচির দুটি মূল্যায়ন পর্ব প্রয়োজন।")
    assert quality_text.counting_reading(pd.DataFrame({"resolution": ["repeated"], "resolution_id": [REPEATED]})) == (
        "১টি কর্মসূচি একাধিক ফাইলে ঘরে ঘরে হুবহু পুনরাবৃত্ত, এবং একবার গণনা করা হয়েছে।")
    assert phrases.compare_units((5, 0.8, 0.99), (40, 0.1, 0.3)) == (
        "জাতীয় হারের চেয়ে বেশি: দুটির ৯৫% আস্থা-ব্যবধান পরস্পরকে ছোঁয় না")


def test_plural_and_unit_branches_are_separate_sentences(example, bangla):
    """The ministry's and the government's budget are two sentences, not a fragment."""
    # the example has too few programmes for the budget-year rule: the page's year is named
    ministry = headline_text.headline_sentences(headline_figures(example, "MoSW", fiscal_year="2023-24"))[1]
    national = headline_text.headline_sentences(headline_figures(example, fiscal_year="2023-24"))[1]
    assert "মন্ত্রণালয়ের নথিভুক্ত সামাজিক নিরাপত্তা বাজেটের" in ministry
    assert "সরকারের নথিভুক্ত সামাজিক নিরাপত্তা বাজেটের" in national


def test_english_is_the_same_with_the_language_set_or_not(example):
    forget_language()
    default = _sentences(example)
    set_language("en")
    try:
        assert _sentences(example) == default
    finally:
        forget_language()
    assert default["trend_reading"] == [
        "One assessment round (2023-24): a trend needs two rounds of the same programmes."]
    assert default["disagreement_sentences"][0] == (
        "Old Age Allowance: the form says no to collecting sex-disaggregated data, but the MIS records the sex "
        "of 66,003 beneficiaries.")
    assert default["disagreement_sentences"][1].endswith("but 62% of the MIS rows have no readable sex.")
    assert default["amount_reading"] == ["Mean benefit paid per beneficiary in the period: Old Age Allowance: "
                                         "Tk 6,000 to women (n = 31,000) and Tk 6,250 to men (n = 35,003) (0.96 to 1)."]
    assert default["channel_reading"] == [
        "Old Age Allowance: 700 of 1,000 (70%) women and 800 of 1,000 (80%) men are paid by mobile."]


def _models() -> dict[str, object]:
    """Fitted models and each kind of refusal, on the data of tests/test_models.py."""
    scores, budgets = logistic_programmes()
    rare = scores.index[:3]
    merged_scores = scores.assign(cluster=scores["cluster"].where(~scores.index.isin(rare), CLUSTERS_ALL[4]))
    few, few_budgets = logistic_programmes(n=40)
    n = 40
    levels = ["gender-specific" if k % 10 in (0, 3, 7) else "gender-sensitive" for k in range(n)]
    sparse, sparse_budgets = programmes(levels, [CLUSTERS[k % 3] for k in range(n)],
                                        np.random.default_rng(1).uniform(10, 1000, n))
    separated = ["gender-specific" if (c == CLUSTERS[0] or k % 2) else "gender-sensitive"
                 for k, c in enumerate([CLUSTERS[k % 3] for k in range(60)])]
    sep_scores, sep_budgets = programmes(separated, [CLUSTERS[k % 3] for k in range(60)], np.linspace(10, 1000, 60))
    flat, flat_budgets = programmes(["gender-blind"] * 35, [CLUSTERS[0]] * 35, np.linspace(1, 100, 35))
    return {
        "logistic": gender_specific_model(scores, budgets),
        "ols": inclusion_score_model(scores, budgets),
        "ols with a small cluster left out": inclusion_score_model(merged_scores, budgets),
        "too few": gender_specific_model(*logistic_programmes(n=29)),
        "too few, some left out": gender_specific_model(few, few_budgets.assign(
            budget_crore=few_budgets["budget_crore"].where(few_budgets.index >= 15))),
        "too few events per parameter": gender_specific_model(sparse, sparse_budgets),
        "separation": gender_specific_model(sep_scores, sep_budgets),
        "nothing to model": gender_specific_model(flat, flat_budgets),
    }


@pytest.fixture(scope="module")
def models():
    return _models()


def test_a_model_reading_is_its_words_in_every_language(models):
    """The diagnostics give a code and words (message ids and numbers), no sentence of their
    own; the English reading is the words through the same calls as any language's."""
    forget_language()
    for name, result in models.items():
        assert result.words and result.code in MODEL_CODES and (result.code == "fitted") == result.ok, name
        assert not hasattr(result, "message") and not hasattr(result, "reading"), name
        rebuilt = " ".join(model_text.model_words(w) for w in result.words)
        assert model_text.model_reading(result) == rebuilt and "{" not in rebuilt, name
        assert not rebuilt[:1].islower() and rebuilt.endswith("."), (name, rebuilt)


def test_model_readings_in_bangla_keep_the_numbers(models, bangla):
    bangla_to_latin = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")
    for name, result in models.items():
        text = model_text.model_reading(result)
        assert english_runs(text, ["R²", "CI"]) == [] and not LATIN_DIGIT.search(text), (name, text)
        assert BANGLA_DIGIT.search(text), (name, text)
        with language("en"):
            english = model_text.model_reading(result)
        numbers = sorted(re.findall(r"\d+(?:\.\d+)?", english))
        assert sorted(re.findall(r"\d+(?:\.\d+)?", text.translate(bangla_to_latin))) == numbers, name
