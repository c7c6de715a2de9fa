"""Programme scores, levels and markers: a hand computation for every rule of
docs/method.md sections 1-2, properties (hypothesis), and `nsss score` end to end.

`programme_row` / `assessments_frame` (tests/support/frames.py) build contract-shaped
rows in memory.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nsss_analysis.cli import main
from nsss_analysis.commands import run_score
from nsss_analysis.diagnostics.scoring import (
    SCORE_COLUMNS,
    score_answers,
    score_programmes,
)
from nsss_analysis.errors import NsssError
from nsss_analysis.reference.vocab import (
    ANSWERS,
    DOMAINS,
    FOLLOWUP_ANSWERS,
    FOLLOWUPS,
    ITEMS,
    LIFECYCLE_STAGES,
    TARGET_GROUPS,
)
from nsss_analysis.report.method_note import method_note
from tests.support.frames import assessments_frame, programme_row


def score(**overrides) -> dict:
    """Score one programme built by `programme_row`, through `score_programmes`."""
    return score_programmes(assessments_frame(programme_row(**overrides))).iloc[0].to_dict()


def _nan(x) -> bool:
    return isinstance(x, float) and math.isnan(x)


# --- hand computations, one per rule -----------------------------------------------


def test_output_has_the_contract_columns_and_dtypes():
    scores = score_programmes(assessments_frame(programme_row(), programme_row(source_row=3)))
    assert tuple(scores.columns) == SCORE_COLUMNS
    assert scores["gender_marker"].dtype == "int64"
    assert scores["women_targeted"].dtype == bool
    assert scores["inclusion_score"].dtype == "float64"
    assert list(scores["source_row"]) == [2, 3]


def test_rule1_insufficient_data_below_half_answered_even_with_a_score():
    s = score(**dict.fromkeys(ITEMS[3:9], "unknown"),
              empowerment_objective="yes", empowerment_actions="yes", graduation="yes",
              gender_indicators="yes")
    # unknown: the transformative items and three evidence items; 4 answered -> 0.4
    assert s["completeness"] == pytest.approx(0.4)
    assert s["level"] == "insufficient data"
    assert s["level_rule"] == "completeness 0.40 < 0.5"
    # intent 1, transformative none answered, evidence (gender_indicators) 1 -> 100
    assert _nan(s["transformative_score"])
    assert s["inclusion_score"] == pytest.approx(100.0)


def test_rule1_exactly_half_answered_is_enough():
    s = score(**dict.fromkeys(ITEMS[:5], "unknown"))
    assert s["completeness"] == pytest.approx(0.5)
    assert s["level"] == "gender-blind"


def test_rule2_transformative_hand_computed():
    s = score(empowerment_objective="yes", norms_awareness="yes", skills_training="yes")
    assert s["level"] == "gender-transformative"
    assert s["level_rule"] == "empowerment objective yes + norms awareness yes + skills training yes"
    assert s["intent_score"] == pytest.approx(1 / 3)
    assert s["transformative_score"] == pytest.approx(2 / 3)
    assert s["evidence_score"] == 0.0
    assert s["inclusion_score"] == pytest.approx(100 * (1 / 3 + 2 / 3 + 0) / 3)  # 33.33
    assert s["completeness"] == 1.0


def test_rule2_needs_every_part_at_yes():
    # objective only partly: falls through to gender-specific
    s = score(empowerment_objective="partly", norms_awareness="yes", social_capital="yes")
    assert s["level"] == "gender-specific"
    assert s["level_rule"] == "empowerment objective partly"
    # neither social capital nor skills training yes: not transformative
    s = score(empowerment_objective="yes", norms_awareness="yes", social_capital="partly")
    assert s["level"] == "gender-specific"


@pytest.mark.parametrize(
    ("overrides", "rule"),
    [
        ({"target_groups": ["women", "elderly"]}, "women a target group"),
        ({"lifecycle_stages": ["women_working_age"]}, "women_working_age a life-cycle stage"),
        ({"empowerment_actions": "partly"}, "empowerment actions partly"),
        ({"empowerment_objective": "yes"}, "empowerment objective yes"),
    ],
)
def test_rule3_each_way_to_gender_specific(overrides, rule):
    s = score(**overrides)
    assert s["level"] == "gender-specific"
    assert s["level_rule"] == rule


def test_rule4_gender_sensitive_hand_computed():
    s = score(gender_reporting="partly")
    assert s["level"] == "gender-sensitive"
    assert s["level_rule"] == "gender reporting partly"
    # intent 0, transformative 0, evidence 0.5 / 4 -> 100 * 0.125 / 3
    assert s["inclusion_score"] == pytest.approx(100 * 0.125 / 3)
    s = score(social_capital="yes")
    assert (s["level"], s["level_rule"]) == ("gender-sensitive", "social capital yes")


def test_rule5_gender_blind_everything_no():
    s = score()
    assert s["level"] == "gender-blind"
    assert s["inclusion_score"] == 0.0 and s["potential_score"] == 0.0
    assert s["gender_marker"] == 0


def test_edge_everything_unknown():
    s = score(**dict.fromkeys(ITEMS, "unknown"), **dict.fromkeys(FOLLOWUPS, "unknown"))
    assert s["completeness"] == 0.0
    assert s["level"] == "insufficient data"
    assert s["level_rule"] == "completeness 0.00 < 0.5"
    assert _nan(s["inclusion_score"]) and _nan(s["potential_score"])
    assert s["data_readiness"] == "unknown"


def test_edge_everything_not_applicable():
    s = score(**dict.fromkeys(ITEMS, "not_applicable"),
              **dict.fromkeys(FOLLOWUPS, "not_applicable"))
    assert s["completeness"] == 1.0  # not applicable counts as answered
    assert _nan(s["intent_score"]) and _nan(s["inclusion_score"]) and _nan(s["potential_score"])
    assert s["level"] == "gender-blind"  # no rule above it holds
    assert s["data_readiness"] == "not_applicable"


def test_edge_a_single_answered_domain_leaves_the_score_missing():
    s = score(**dict.fromkeys(DOMAINS["intent"] + DOMAINS["transformative"], "not_applicable"),
              **dict.fromkeys(DOMAINS["evidence"], "yes"))
    assert s["evidence_score"] == 1.0
    assert _nan(s["inclusion_score"])
    assert s["level"] == "gender-sensitive"
    # a second domain makes it a score: (1 + 0.5) / 2
    s = score(**dict.fromkeys(DOMAINS["intent"], "not_applicable"),
              social_capital="partly", norms_awareness="partly", skills_training="partly",
              **dict.fromkeys(DOMAINS["evidence"], "yes"))
    assert s["inclusion_score"] == pytest.approx(75.0)


def test_followup_yes_lifts_the_potential_only():
    s = score(graduation_possible="yes", empowerment_possible="yes")
    assert s["inclusion_score"] == 0.0
    # intent: graduation, objective and actions all count yes -> 1; others 0
    assert s["potential_score"] == pytest.approx(100 / 3)
    assert s["level"] == "gender-blind"  # the level uses the answers as given
    # a partly answer is lifted too; a follow-up `no` lifts nothing
    s = score(skills_training="partly", skills_training_possible="yes", social_capital_possible="no")
    assert s["inclusion_score"] == pytest.approx(100 * (0.5 / 3) / 3)
    assert s["potential_score"] == pytest.approx(100 * (1 / 3) / 3)


def test_followup_yes_counts_an_unknown_item_as_yes_without_changing_completeness():
    s = score(norms_awareness="unknown", norms_awareness_possible="yes")
    assert s["completeness"] == pytest.approx(0.9)
    assert s["transformative_score"] == 0.0
    assert s["potential_score"] == pytest.approx(100 * (1 / 3) / 3)


@pytest.mark.parametrize(
    ("overrides", "marker"),
    [
        ({}, 0),
        ({"empowerment_objective": "partly", "target_groups": ["women"]}, 1),
        ({"empowerment_objective": "yes"}, 1),
        ({"empowerment_objective": "yes", "target_groups": ["women"]}, 2),
        ({"empowerment_objective": "yes", "lifecycle_stages": ["women_working_age"]}, 2),
        ({"empowerment_actions": "yes", "target_groups": ["women"]}, 0),
    ],
)
def test_gender_marker(overrides, marker):
    assert score(**overrides)["gender_marker"] == marker


def test_women_targeted_is_a_flag_beside_the_level():
    assert score(target_groups=["women"])["women_targeted"]
    assert score(lifecycle_stages=["women_working_age"])["women_targeted"]
    assert not score(lifecycle_stages=["working_age"], target_groups=["elderly"])["women_targeted"]


@pytest.mark.parametrize(
    ("overrides", "flag"),
    [
        ({"empowerment_objective": "yes", "gender_analysis": "no", "gender_indicators": "yes"}, True),
        ({"empowerment_objective": "yes", "gender_analysis": "yes", "gender_indicators": "no"}, True),
        ({"empowerment_objective": "partly", "gender_analysis": "yes", "gender_indicators": "no"}, True),
        ({"empowerment_objective": "yes", "gender_analysis": "unknown", "gender_indicators": "yes"}, False),
        ({"empowerment_objective": "no", "gender_analysis": "no"}, False),
    ],
)
def test_marker_unsubstantiated(overrides, flag):
    assert score(**overrides)["marker_unsubstantiated"] is flag


@pytest.mark.parametrize(
    ("sdd", "reporting", "indicators", "readiness"),
    [
        ("yes", "yes", "yes", "yes"),
        ("yes", "partly", "not_applicable", "not_applicable"),  # not applicable is not ready
        ("yes", "yes", "not_applicable", "not_applicable"),
        ("yes", "unknown", "partly", "unknown"),
        ("no", "unknown", "yes", "no"),
        ("not_applicable", "not_applicable", "not_applicable", "not_applicable"),
    ],
)
def test_data_readiness_is_the_weakest_link(sdd, reporting, indicators, readiness):
    s = score(sex_disaggregated_data=sdd, gender_reporting=reporting, gender_indicators=indicators)
    assert s["data_readiness"] == readiness


def test_a_null_answer_is_unknown_and_a_bad_one_names_the_cell():
    s = score(graduation=None, gender_analysis=None)
    assert s["completeness"] == pytest.approx(0.8)
    with pytest.raises(NsssError, match=r"MoSW_assessment.xlsx: Programmes row 2, column graduation: 'maybe'"):
        score(graduation="maybe")
    with pytest.raises(NsssError, match="missing column"):
        score_programmes(assessments_frame(programme_row()).drop(columns=["gender_indicators"]))


def test_list_cells_as_numpy_arrays_score_like_lists():
    import numpy as np

    df = assessments_frame(programme_row(empowerment_objective="yes"))
    df["target_groups"] = [np.array(["women"])]
    assert score_programmes(df).iloc[0]["gender_marker"] == 2


# --- properties --------------------------------------------------------------------

ANSWERS = st.fixed_dictionaries(
    {i: st.sampled_from(ANSWERS) for i in ITEMS}
    | {f: st.sampled_from(FOLLOWUP_ANSWERS) for f in FOLLOWUPS}
)
STAGES = st.lists(st.sampled_from(LIFECYCLE_STAGES), unique=True, max_size=3)
GROUPS = st.lists(st.sampled_from(TARGET_GROUPS), unique=True, max_size=3)


def _not_lower(after: float, before: float) -> bool:
    if math.isnan(before):
        return True
    return not math.isnan(after) and after >= before - 1e-9


@settings(max_examples=150, deadline=None)
@given(ANSWERS, STAGES, GROUPS, st.sampled_from(ITEMS))
def test_no_to_yes_never_lowers_the_score_or_the_potential(answers, stages, groups, item):
    answers = answers | {item: "no"}
    before = score_answers(answers, stages, groups)
    after = score_answers(answers | {item: "yes"}, stages, groups)
    assert _not_lower(after["inclusion_score"], before["inclusion_score"])
    assert _not_lower(after["potential_score"], before["potential_score"])


@settings(max_examples=150, deadline=None)
@given(ANSWERS, STAGES, GROUPS)
def test_potential_never_below_the_score_and_completeness_is_the_share_answered(answers, stages, groups):
    s = score_answers(answers, stages, groups)
    if not math.isnan(s["inclusion_score"]):
        assert s["potential_score"] >= s["inclusion_score"] - 1e-9
    answered = sum(answers[i] != "unknown" for i in ITEMS)
    assert s["completeness"] == pytest.approx(answered / 10)
    assert 0 <= s["gender_marker"] <= 2
    if not math.isnan(s["inclusion_score"]):
        assert 0 <= s["inclusion_score"] <= 100


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(ANSWERS, STAGES, GROUPS), min_size=2, max_size=6), st.randoms())
def test_level_and_marker_depend_only_on_answers_and_lists(programmes, random):
    rows = [
        programme_row(source_row=k + 2, programme=f"Programme {k}", **answers,
                      lifecycle_stages=stages, target_groups=groups)
        for k, (answers, stages, groups) in enumerate(programmes)
    ]
    expected = score_programmes(assessments_frame(*rows))
    renamed = [
        r | {"programme": f"Renamed {random.random()}", "ministry": "Ministry of Food",
             "ministry_code": "MoFood", "source_file": "other.csv", "source_sheet": "",
             "source_row": 1000 + k, "cluster": None, "remarks": "=1+1"}
        for k, r in enumerate(rows)
    ]
    order = list(range(len(rows)))
    random.shuffle(order)
    shuffled = score_programmes(assessments_frame(*(renamed[i] for i in order)))
    cols = ["level", "level_rule", "gender_marker", "inclusion_score", "potential_score",
            "completeness", "women_targeted", "marker_unsubstantiated", "data_readiness"]
    back = shuffled.iloc[[order.index(k) for k in range(len(rows))]].reset_index(drop=True)
    pd.testing.assert_frame_equal(back[cols], expected[cols])


# --- the method note and `nsss score` -----------------------------------------------


def test_method_note_states_the_rules_and_a_worked_example_that_matches_the_code():
    note = method_note()
    for text in ("`yes` = 1", "`partly` = 0.5", "completeness below 0.5", "Wilson",
                 "bootstrap", "small n", "30 programmes", "separation", "always listed"):
        assert text in note, text
    # the worked example: intent 0.5, transformative 0.5, evidence 0.5 -> 50.0;
    # potential (0.833 + 1 + 0.5) / 3 -> 77.8
    assert "**50.0**" in note and "**77.8**" in note and "**gender-specific**" in note


def _write_processed(folder, assessments, budgets=None):
    assessments.to_parquet(folder / "assessments.parquet", index=False)
    if budgets is not None:
        budgets.to_parquet(folder / "budgets.parquet", index=False)


def test_run_score_writes_every_table(tmp_path, capsys):
    rows = [
        programme_row(source_row=2, empowerment_objective="yes", target_groups=["women"]),
        programme_row(source_row=3, programme="Widow Allowance",
                      **dict.fromkeys(ITEMS, "unknown")),
        programme_row(source_row=2, source_file="MoWCA.xlsx", ministry="Ministry of Women and Children Affairs",
                      ministry_code="MoWCA", programme="Mother and Child Benefit Programme",
                      lifecycle_stages=["early_childhood", "women_working_age"]),
    ]
    budgets = pd.DataFrame({
        "source_file": ["MoSW_assessment.xlsx"], "source_sheet": ["Budget"], "source_row": [2],
        "ministry": ["Ministry of Social Welfare"], "ministry_code": ["MoSW"],
        "programme": ["Old Age Allowance"], "cluster": ["Social Allowance"], "fiscal_year": ["2023-24"],
        "budget_crore": [4206.0], "beneficiaries": [5801000.0], "women_beneficiaries": [None],
        "monthly_rate_bdt": [600.0],
    })
    _write_processed(tmp_path, assessments_frame(*rows), budgets)
    assert run_score(tmp_path) == 0
    written = {p.name for p in tmp_path.iterdir()}
    expected = {"scores.parquet", "recommendations.parquet"} | {
        f"indicator_{name}.parquet" for name in (
            "level_shares", "mean_score", "item_yes_shares", "budget_gender_share",
            "women_share_by_programme", "women_beneficiary_share", "lifecycle_matrix",
            "target_groups_reached", "data_readiness", "budget_plausibility", "data_quality")
    }
    assert expected <= written
    assert not [n for n in written if n.endswith(".tmp")]
    scores = pd.read_parquet(tmp_path / "scores.parquet")
    assert tuple(scores.columns) == SCORE_COLUMNS
    assert list(scores["level"]) == ["gender-specific", "insufficient data", "gender-specific"]
    out = capsys.readouterr().out
    assert "scored 3 programmes" in out and "gender-specific 2" in out and "insufficient data 1" in out


def test_run_score_without_assessments_is_one_line_and_exit_1(tmp_path, capsys):
    with pytest.raises(NsssError, match="assessments.parquet: not found; run `nsss clean` first"):
        run_score(tmp_path)
    assert main(["score", "--processed", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
