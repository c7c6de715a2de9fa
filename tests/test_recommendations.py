"""Recommendations (docs/method.md, section 10): gaps become guideline actions, ranked and traceable."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from nsss_analysis.config import REFERENCE_DIR
from nsss_analysis.diagnostics.recommendations import (
    ACTIONS,
    RECOMMENDATION_COLUMNS,
    guideline_questions,
    quick_wins,
    recommendations,
)
from nsss_analysis.diagnostics.scoring import score_programmes
from nsss_analysis.reference.vocab import FOLLOWUPS, ITEMS, load_reference
from tests.support.frames import MOSW, MOWCA, assessments_frame, budget_row, budgets_frame, programme_row

ALL_YES = dict.fromkeys(ITEMS, "yes") | dict.fromkeys(FOLLOWUPS, "not_applicable")
GUIDELINE = REFERENCE_DIR / "guideline-2019.md"


def gaps(ministry: dict, **overrides) -> dict:
    """A programme answering every item yes, except the overridden ones."""
    return programme_row(**(ministry | ALL_YES | overrides))


@pytest.fixture
def ranked() -> pd.DataFrame:
    a = assessments_frame(
        gaps(MOSW, source_row=2, programme="A", graduation="no",
                      graduation_possible="yes", sex_disaggregated_data="no"),
        gaps(MOSW, source_row=3, programme="B", social_capital="no",
                      social_capital_possible="no"),
        gaps(MOSW, source_row=4, programme="C", skills_training="partly",
                      skills_training_possible="yes"),
        gaps(MOWCA, source_row=2, programme="D", gender_indicators="unknown"),
    )
    money = budgets_frame(
        budget_row(programme="A", fiscal_year="2022-23", budget_crore=9999.0),
        budget_row(programme="A", source_row=3, fiscal_year="2023-24", budget_crore=100.0),
        budget_row(programme="B", source_row=4, budget_crore=1000.0),
        budget_row(programme="C", source_row=5, budget_crore=5000.0),
    )
    return recommendations(a, score_programmes(a), money)


def test_ranked_by_followup_yes_then_budget_of_the_latest_year(ranked):
    mosw = ranked[ranked["ministry_code"] == "MoSW"]
    assert list(zip(mosw["programme"], mosw["item"], mosw["rank"], strict=True)) == [
        ("C", "skills_training", 1),  # possible, 5000 crore
        ("A", "graduation", 2),  # possible, 100 crore (its latest year, not 9999 in 2022-23)
        ("B", "social_capital", 3),  # not possible now, 1000 crore
        ("A", "sex_disaggregated_data", 4),  # no follow-up, 100 crore
    ]
    assert mosw.set_index("programme").loc["A", "fiscal_year"].tolist() == ["2023-24", "2023-24"]
    mowca = ranked[ranked["ministry_code"] == "MoWCA"]
    assert mowca["rank"].tolist() == [1]  # ranks restart per ministry


def test_each_row_traces_to_the_item_the_followup_and_the_form_row(ranked):
    assert tuple(ranked.columns) == RECOMMENDATION_COLUMNS
    row = ranked[ranked["item"] == "graduation"].iloc[0]
    assert (row["answer"], row["followup"], row["followup_answer"]) == ("no", "graduation_possible", "yes")
    assert "the ministry says it is possible (graduation_possible = yes)" in row["reason"]
    assert (row["source_file"], row["source_sheet"], row["source_row"]) == ("MoSW.xlsx", "Programmes", 2)
    assert row["level"] == "gender-transformative"  # from the scores, for context
    evidence = ranked[ranked["item"] == "sex_disaggregated_data"].iloc[0]
    assert pd.isna(evidence["followup"]) and pd.isna(evidence["followup_answer"])


def test_sex_disaggregated_data_and_gender_indicators_are_always_listed(ranked):
    flagged = ranked[ranked["always_listed"]]
    assert set(flagged["item"]) == {"sex_disaggregated_data", "gender_indicators"}
    unknown = flagged[flagged["ministry_code"] == "MoWCA"].iloc[0]
    assert unknown["answer"] == "unknown" and "find out first" in unknown["reason"]
    assert "nothing else can be measured without it" in unknown["reason"]


def test_yes_and_not_applicable_are_not_gaps():
    answers = dict.fromkeys(ITEMS[:5], "yes") | dict.fromkeys(ITEMS[5:8], "not_applicable") | {
        ITEMS[8]: "partly", ITEMS[9]: "no"}
    a = assessments_frame(programme_row(**answers))
    recs = recommendations(a)
    assert list(recs["item"]) == [ITEMS[9], ITEMS[8]]  # no before partly on a tie
    assert recs["budget_crore"].isna().all()
    empty = recommendations(assessments_frame(gaps(MOSW)))
    assert empty.empty and tuple(empty.columns) == RECOMMENDATION_COLUMNS


def test_actions_are_in_the_guidelines_own_words():
    questions = guideline_questions()
    instructions = {c.column: c.instruction for c in load_reference().form_columns}
    assert set(ACTIONS) == set(questions) == set(ITEMS)
    for item in ITEMS:
        assert questions[item] == instructions[item]
    section = GUIDELINE.read_text(encoding="utf-8").lower()
    words = set(re.findall(r"[a-z/']+", section))
    for item, action in ACTIONS.items():
        assert set(re.findall(r"[a-z/']+", action.lower())) <= words, item


def test_quick_wins_are_the_top_possible_actions_per_ministry(ranked):
    wins = quick_wins(ranked, n=2)
    assert list(zip(wins["programme"], wins["item"], strict=True)) == [("C", "skills_training"), ("A", "graduation")]
    assert list(quick_wins(ranked, n=1)["programme"]) == ["C"]
    assert quick_wins(ranked[ranked["ministry_code"] == "MoWCA"]).empty
