"""Sentences generated from data: they state the right numbers, in good English."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from nsss_analysis.diagnostics.summaries import (
    headline_figures,
    ministry_summary,
    national_summary,
)
from nsss_analysis.io import Tables
from nsss_analysis.report.display import bullets_html
from nsss_analysis.report.headline_text import headline_sentences
from nsss_analysis.report.labels import label_in_sentence
from nsss_analysis.report.model_text import model_reading
from nsss_analysis.report.quality_text import data_quality_sentences
from nsss_analysis.report.readings import (
    budget_share_reading,
    gaps_reading,
    item_heatmap_reading,
    level_reading,
    levels_by_unit_reading,
    lifecycle_reading,
    recommendations_reading,
    women_share_reading,
)
from nsss_analysis.report.wording import crore, join_words, percent, plural
from tests.support.narrative_tables import MOWCA
from tests.support.narrative_tables import answer_row as _row
from tests.support.narrative_tables import budget_entry as _budget
from tests.support.narrative_tables import scored_tables as _tables

#: The fiscal year the hand-built examples name: with so few programmes the budget-year rule
#: (test_section6) finds none, and these tests are about the sentences of a named year.
FY = "2023-24"


@pytest.fixture(scope="module")
def example() -> Tables:
    """MoWCA: 3 programmes, 2 gender-specific or transformative carrying 1,200 of
    1,500 crore in 2023-24; MoSW: 1 gender-blind programme of 4,000 crore."""
    rows = [
        _row("Mother and Child Benefit Programme", groups=["women"], stages=["women_working_age"],
             yes=["empowerment_objective", "sex_disaggregated_data"], possible=["skills_training_possible"]),
        _row("Vulnerable Women Benefit", source_row=3,
             yes=["empowerment_objective", "norms_awareness", "skills_training"]),
        _row("Hostel for <b>working</b> women", source_row=4, possible=["graduation_possible"],
             graduation="unknown"),
        _row("Old Age Allowance", code="MoSW", stages=["old_age"], possible=["norms_awareness_possible"]),
    ]
    budgets = [
        _budget("Mother and Child Benefit Programme", "2023-24", 1200.0, beneficiaries=1e6, women=1e6),
        _budget("Hostel for <b>working</b> women", "2023-24", 300.0, beneficiaries=1000, rate=500),
        _budget("Mother and Child Benefit Programme", "2022-23", 900.0),
        _budget("Old Age Allowance", "2023-24", 4000.0, code="MoSW"),
    ]
    return _tables(rows, budgets)


def test_headline_figures_for_a_hand_built_ministry(example):
    h = headline_figures(example, "MoWCA", fiscal_year=FY)
    assert (h["unit"], h["ministry_code"], h["n_programmes"]) == (MOWCA, "MoWCA", 3)
    assert (h["n_gender_specific_or_transformative"], h["n_gender_transformative"]) == (2, 1)
    assert math.isnan(h["share"])  # 2 of 3: a count, not a share
    assert h["fiscal_year"] == "2023-24"  # named: too few programmes for the budget-year rule
    # the hostel's 300 crore fails the plausibility check (500x the arithmetic): left out
    assert h["budget_total_crore"] == 1200.0 and h["budget_gender_crore"] == 1200.0
    assert h["n_allocations_flagged"] == 1 and h["flags_left_out"].startswith("ratio:")
    assert h["budget_share"] == pytest.approx(1.0)
    assert [p for p, _ in h["programme_scores"]] == ["Mother and Child Benefit Programme",
                                                     "Vulnerable Women Benefit", "Hostel for <b>working</b> women"]
    assert [w["programme"] for w in h["quick_wins"]] == ["Mother and Child Benefit Programme",
                                                         "Hostel for <b>working</b> women"]
    assert h["small_n"] is True


def test_headline_sentences_state_the_numbers(example):
    text = "\n".join(headline_sentences(headline_figures(example, "MoWCA", fiscal_year=FY)))
    assert (f"{MOWCA} has 3 assessed programmes; 2 of 3 are "
            "gender-specific or gender-transformative (1 transformative).") in text
    assert "%, 95% interval" not in text.split("\n")[0]  # no share of 3
    assert "With fewer than 5 programmes there is no mean to estimate" in text
    assert "Mother and Child Benefit Programme), 33 (Vulnerable Women Benefit) and 0 (Hostel" in text
    assert ("In FY 2023-24, these programmes carry 100% of the ministry's social-security budget on record "
            "(Tk 1,200 crore of Tk 1,200 crore, 1 programme with a budget; excluding 1 allocation flagged "
            "by the check beneficiaries x rate x 12).") in text
    # named for what they are; the amount is the programme's budget, said to be one
    assert "quick win" not in text
    assert "Changes the ministry says are possible, where its budgets are largest: " in text
    assert "Mother and Child Benefit Programme (budget Tk 1,200 crore): strengthen skills training" in text
    assert "Hostel for <b>working</b> women: plan graduation." in text  # its flagged budget is not used


def test_headline_for_a_fiscal_year_asked_for(example):
    h = headline_figures(example, "MoWCA", fiscal_year="2022-23")
    assert h["fiscal_year"] == "2022-23" and h["budget_total_crore"] == 900.0
    assert h["n_allocations_flagged"] == 0
    assert headline_sentences(h)[1].startswith("In FY 2022-23, these programmes carry 100% ")


def test_singular_sentences(example):
    h = headline_figures(example, "Ministry of Social Welfare", fiscal_year=FY)
    sentences = headline_sentences(h)
    assert sentences[0].startswith("Ministry of Social Welfare has 1 assessed programme, and it is not "
                                   "gender-specific or gender-transformative.")
    assert sentences[1] == ("In FY 2023-24, none of the ministry's social-security budget on record "
                            "(Tk 4,000 crore, 1 programme) is in gender-specific or gender-transformative "
                            "programmes.")
    assert sentences[2].startswith("A change the ministry says is possible, where its budgets are largest: "
                                   "Old Age Allowance")
    one_of_few = dict(headline_figures(example, "MoWCA", fiscal_year=FY), n_gender_specific_or_transformative=1,
                      n_gender_transformative=0)
    assert "; 1 of 3 is gender-specific" in headline_sentences(one_of_few)[0]
    one_of_many = dict(one_of_few, n_programmes=6, share=1 / 6, ci_low=0.03, ci_high=0.56)
    assert "; 1 of them (17%, 95% interval 3%–56%) is gender-specific" in headline_sentences(one_of_many)[0]


def test_a_ministry_with_no_programme_gets_one_sentence(example):
    h = headline_figures(example, "MoLWA")  # in the register, nothing assessed
    assert h["n_programmes"] == 0 and h["quick_wins"] == []
    assert headline_sentences(h) == [
        "No programme of Ministry of Liberation War Affairs has been assessed yet, so this report has no findings."
    ]


def test_national_headline(example):
    h = headline_figures(example, fiscal_year=FY)
    assert (h["unit"], h["ministry_code"], h["n_programmes"]) == ("Bangladesh", None, 4)
    assert h["budget_total_crore"] == 5200.0  # the flagged 300 crore left out
    text = " ".join(headline_sentences(h))
    assert "the government's social-security budget" in text and "the national mean" not in text


def test_headline_sentences_are_text_and_escaped_when_rendered(example):
    sentences = headline_sentences(headline_figures(example, "MoWCA", fiscal_year=FY))
    html = bullets_html(sentences)
    assert "Hostel for &lt;b&gt;working&lt;/b&gt; women" in html and "<b>working" not in html


@pytest.mark.parametrize("n,word,expected", [(0, "programme", "0 programmes"), (1, "programme", "1 programme"),
                                             (2, "programme", "2 programmes"), (1200, "line", "1,200 lines")])
def test_plural(n, word, expected):
    assert plural(n, word) == expected


def test_number_words():
    assert percent(0.583) == "58%" and percent(None) == "n/a"
    assert crore(1258.6) == "Tk 1,259 crore"
    assert crore(63.7) == "Tk 63.7 crore"
    assert join_words(["a", "b", "c"]) == "a, b and c"
    assert join_words(["a", "b"], "or") == "a or b"
    assert label_in_sentence("hiv_affected") == "HIV affected"
    assert label_in_sentence("old_age") == "old age"


def test_readings_of_the_ministry_figures(example):
    s = ministry_summary(example, "MoWCA", FY)
    assert item_heatmap_reading(s["assessments"]).startswith(
        "Across 3 programmes and the ten items, the answers are 5 yes, 24 no and 1 unknown.")
    assert "No programme answers yes to empowerment actions, graduation planned" in \
        item_heatmap_reading(s["assessments"])
    reading = level_reading(s["level_shares"])
    assert reading.startswith("2 of 3 programmes are gender-specific or "
                              "gender-transformative, against 2 of 4 nationally")
    assert "%" not in reading and "fewer than 5 programmes" in reading and "above" not in reading
    assert lifecycle_reading(s["lifecycle_matrix"]) == (
        "The programmes cover 1 of 6 life-cycle stages; none covers early childhood, school age, working age, "
        "old age or disability. 2 programmes name no stage (covariate risk).")
    assert women_share_reading(s["women_beneficiary_share"]).startswith(
        "In FY 2023-24, 1 of 2 programmes report women beneficiaries; women are 100% of those programmes' "
        "1,000,000 beneficiaries")
    quality = data_quality_sentences(s["data_quality"], s["budget_plausibility"])
    assert quality[0].startswith("1 of 30 answers (3%) are unknown")
    assert "No programme is assessed twice in one round with different answers." in quality
    assert any(q.startswith("1 of 1 budget row with a monthly rate fails the check") for q in quality)


def test_readings_of_the_national_figures(example):
    n = national_summary(example, FY)
    assert levels_by_unit_reading(n["level_shares"], "ministry") == (
        "Across government 2 of 4 programmes are gender-specific or "
        "gender-transformative; in 1 of 2 ministries and divisions none is.")
    assert budget_share_reading(n["budget_gender_share"]).startswith(
        "In FY 2023-24, 23% of the social-security budget on record (Tk 1,200 crore of Tk 5,200 crore, "
        "2 programmes; excluding 1 allocation flagged by the check beneficiaries x rate x 12)")
    gaps = gaps_reading(n["lifecycle_matrix"], n["target_groups_reached"])
    assert gaps.startswith("No programme covers early childhood, school age, working age or disability; ")
    assert "HIV affected among its target groups" in gaps
    model = model_reading(n["gender_specific_model"])
    assert model.startswith("Only 2 programmes: too few for a model")  # the flagged budget is not used


def test_empty_inputs_give_a_sentence_not_an_error():
    assert item_heatmap_reading(pd.DataFrame()).startswith("No programme")
    assert level_reading(None) == "No programme has been scored."
    assert recommendations_reading(None).startswith("No gap found")
    assert women_share_reading(None).startswith("No programme reports")
    assert data_quality_sentences(None) == ["No data-quality figures: no programme assessed."]


def test_unit_readings_say_counts_in_grammatical_english():
    """Never "in 0 of 5 clusters none is", "1 lie above it" or "1 clusters have too few"."""
    import pandas as pd

    from nsss_analysis.report import readings

    mean = pd.DataFrame({
        "scope": ["national", "cluster", "cluster", "cluster"], "unit": ["Bangladesh", "A", "B", "C"],
        "measure": "inclusion_score", "n": [40, 12, 9, 2], "mean": [33.0, 60.0, 30.0, 20.0],
        "ci_low": [30.0, 50.0, 25.0, 5.0], "ci_high": [36.0, 70.0, 35.0, 40.0]})
    text = readings.mean_score_reading(mean, "cluster")
    assert "1 lies above it and 0 below it" in text and "1 cluster has too few programmes" in text
