"""Indicator tables (docs/method.md), each on a small hand-checked example."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from nsss_analysis.diagnostics.budgets import (
    ADMINISTRATIVE_TOTALS,
    budget_gender_share,
    budget_plausibility,
    resolve_fiscal_year,
    women_beneficiary_share,
    women_share_by_programme,
)
from nsss_analysis.diagnostics.indicators import (
    NO_STAGE,
    OTHER_GROUP,
    compare_with_national,
    data_quality,
    data_readiness,
    item_yes_shares,
    level_shares,
    lifecycle_matrix,
    mean_score,
    target_groups_reached,
)
from nsss_analysis.diagnostics.intervals import wilson_interval
from nsss_analysis.diagnostics.scoring import score_programmes
from nsss_analysis.diagnostics.summaries import (
    all_indicators,
    ministry_summary,
    national_summary,
)
from nsss_analysis.diagnostics.units import NO_CLUSTER
from nsss_analysis.errors import NsssError
from nsss_analysis.io import Tables, load_tables, write_csv_atomic
from nsss_analysis.reference.i18n import language
from nsss_analysis.reference.vocab import (
    CLUSTERS,
    GUIDELINE_TARGET_GROUPS,
    ITEMS,
    LEVELS,
    LIFECYCLE_STAGES,
    QUARANTINE_COLUMNS,
)
from nsss_analysis.report.phrases import flag_in_words
from tests.support.frames import MOSW, MOWCA, assessments_frame, budget_row, budgets_frame, programme_row


@pytest.fixture
def programmes() -> pd.DataFrame:
    """MoSW: two gender-specific, one gender-blind (no cluster); MoWCA: one transformative."""
    return assessments_frame(
        programme_row(**MOSW, source_row=2, programme="Old Age Allowance", target_groups=["women"]),
        programme_row(**MOSW, source_row=3, programme="Widow Allowance", empowerment_actions="partly",
                      sex_disaggregated_data="yes", gender_reporting="yes", gender_indicators="yes"),
        programme_row(**MOSW, source_row=4, programme="Disability Allowance", cluster=None),
        programme_row(**MOWCA, source_row=2, programme="Mother and Child Benefit Programme",
                      cluster="Human Development and Social Empowerment",
                      empowerment_objective="yes", norms_awareness="yes", skills_training="yes"),
    )


def test_level_shares_list_every_level_with_wilson_intervals(programmes):
    table = level_shares(score_programmes(programmes), "ministry")
    assert list(table.columns[:3]) == ["scope", "unit", "ministry_code"]
    assert len(table) == 2 * len(LEVELS)  # zero counts included
    mosw = table[table["ministry_code"] == "MoSW"].set_index("level")
    assert mosw.loc["gender-specific", ["count", "n"]].tolist() == [2, 3]
    # below 5 programmes: the count is the figure, no share and no interval
    assert mosw[["share", "ci_low", "ci_high"]].isna().all().all()
    assert mosw.loc["gender-transformative", "count"] == 0
    # alphabetical order of ministries, never a ranking
    assert list(table["unit"].unique()) == ["Ministry of Social Welfare", "Ministry of Women and Children Affairs"]


def test_cluster_and_national_scopes(programmes):
    scores = score_programmes(programmes)
    by_cluster = level_shares(scores, "cluster")
    assert by_cluster["ministry_code"].isna().all()
    assert list(by_cluster["unit"].unique()) == [
        "Social Allowance", "Human Development and Social Empowerment", NO_CLUSTER]
    national = level_shares(scores, "national")
    assert set(national["unit"]) == {"Bangladesh"} and set(national["n"]) == {4}
    with pytest.raises(NsssError, match="by='district'"):
        level_shares(scores, "district")


def test_mean_score_method_and_small_n():
    rows = [programme_row(**MOSW, source_row=k, programme=f"P{k}",
                          **dict.fromkeys(ITEMS[: k % 10], "yes")) for k in range(2, 14)]
    rows.append(programme_row(**MOWCA, **dict.fromkeys(ITEMS, "not_applicable")))  # no score
    scores = score_programmes(assessments_frame(*rows))
    table = mean_score(scores, "ministry").set_index("ministry_code")
    assert table.loc["MoSW", "method"] == "t" and table.loc["MoSW", "n"] == 12
    assert table.loc["MoSW", "mean"] == pytest.approx(scores["inclusion_score"].iloc[:12].mean())
    assert table.loc["MoWCA", "n"] == 0 and table.loc["MoWCA", "n_programmes"] == 1
    assert table.loc["MoWCA", "method"] == "none" and table.loc["MoWCA", "small_n"]
    few = mean_score(scores.iloc[:3], "national").iloc[0]
    assert few["method"] == "t" and few["small_n"] and 0 <= few["ci_low"] < few["ci_high"] <= 100
    two = mean_score(scores.iloc[:2], "national").iloc[0]
    assert two["method"] == "none" and math.isnan(two["ci_low"])  # no interval from 2 values
    potential = mean_score(scores, "national", measure="potential_score").iloc[0]
    assert potential["measure"] == "potential_score"


def test_item_yes_share_counts_unknown_but_not_not_applicable():
    df = assessments_frame(*(
        programme_row(**MOSW, source_row=k, programme=f"P{k}", sex_disaggregated_data=answer)
        for k, answer in enumerate(["yes", "yes", "unknown", "not_applicable", "partly"], start=2)
    ))
    row = item_yes_shares(df, "national").set_index("item").loc["sex_disaggregated_data"]
    assert (row["n_programmes"], row["n_not_applicable"], row["n"], row["n_unknown"], row["count_yes"]) == (5, 1, 4, 1, 2)
    assert math.isnan(row["share"])  # 2 of 4: a count, not a share
    five = assessments_frame(*(
        programme_row(**MOSW, source_row=k, programme=f"P{k}", sex_disaggregated_data=answer)
        for k, answer in enumerate(["yes", "yes", "unknown", "no", "partly"], start=2)
    ))
    row = item_yes_shares(five, "national").set_index("item").loc["sex_disaggregated_data"]
    assert row["share"] == pytest.approx(0.4)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(wilson_interval(2, 5))


@pytest.fixture
def money() -> pd.DataFrame:
    return budgets_frame(
        budget_row(source_row=2, programme="Old Age Allowance", fiscal_year="2022-23", budget_crore=100.0),
        budget_row(source_row=3, programme="Old Age Allowance", fiscal_year="2023-24", budget_crore=300.0),
        budget_row(source_row=4, programme="Disability Allowance", fiscal_year="2023-24", budget_crore=700.0),
        budget_row(source_row=5, programme="Not Assessed Scheme", fiscal_year="2023-24", budget_crore=1000.0),
        # the same programme-year again in the national table: counted once
        budget_row(source_file="national.csv", source_sheet="", source_row=9,
                   programme="old age  allowance", fiscal_year="2023-24", budget_crore=300.0),
    )


def test_budget_gender_share_latest_year_whole_budget_in_the_denominator(programmes, money):
    scores = score_programmes(programmes)
    table = budget_gender_share(scores, money, "ministry").set_index("ministry_code")
    mosw = table.loc["MoSW"]
    assert mosw["fiscal_year"] == "2023-24"
    assert mosw["budget_total"] == 2000.0  # 300 + 700 + 1000, the duplicate row once
    assert mosw["budget_gender_specific_or_transformative"] == 300.0
    assert mosw["share"] == pytest.approx(0.15)
    assert (mosw["n_programmes_with_budget"], mosw["n_programmes_not_assessed"]) == (3, 1)
    assert mosw["budget_assessed"] == 1000.0
    mowca = table.loc["MoWCA"]  # assessed, no budget: a row saying so
    assert pd.isna(mowca["fiscal_year"]) and math.isnan(mowca["share"])
    earlier = budget_gender_share(scores, money, "national", fiscal_year="2022-23").iloc[0]
    assert earlier["budget_total"] == 100.0 and earlier["share"] == 1.0


def test_budget_gender_share_counts_a_conflicting_programme_only_if_all_assessments_agree(money):
    df = assessments_frame(
        programme_row(**MOSW, source_row=2, programme="Old Age Allowance", target_groups=["women"]),
        programme_row(**MOSW, source_row=7, programme="Old Age Allowance"),  # gender-blind this time
    )
    row = budget_gender_share(score_programmes(df), money, "national").iloc[0]
    assert row["budget_gender_specific_or_transformative"] == 0.0


def test_resolve_fiscal_year(money):
    # fewer than 5 programmes with a budget: no year qualifies as the budget year
    assert resolve_fiscal_year(money) is None
    assert resolve_fiscal_year(money, "MoSW") is None
    assert resolve_fiscal_year(money, "Social Welfare Ministry", "2023-24") == "2023-24"
    assert resolve_fiscal_year(money, "MoWCA") is None
    assert resolve_fiscal_year(money, "MoSW", "2021-22") == "2021-22"
    assert resolve_fiscal_year(None) is None


@pytest.fixture
def women() -> pd.DataFrame:
    return budgets_frame(
        budget_row(source_row=2, programme="X", fiscal_year="2022-23", beneficiaries=800.0, women_beneficiaries=400.0),
        budget_row(source_row=3, programme="X", fiscal_year="2023-24", beneficiaries=1000.0, women_beneficiaries=600.0),
        budget_row(source_row=4, programme="Y", fiscal_year="2023-24", beneficiaries=500.0, women_beneficiaries=700.0),
        budget_row(source_row=5, programme="Z", fiscal_year="2023-24", beneficiaries=2000.0, budget_crore=5.0),
    )


def test_women_share_by_programme_latest_reporting_year_and_implausible_flag(women):
    table = women_share_by_programme(women).set_index("programme")
    assert set(table.index) == {"X", "Y"}  # Z does not report women
    assert table.loc["X", "fiscal_year"] == "2023-24"
    assert table.loc["X", "women_share"] == pytest.approx(0.6) and table.loc["X", "plausible"]
    assert not table.loc["Y", "plausible"]  # 700 women of 500: shown, not corrected
    assert table.loc["Y", "women_beneficiaries"] == 700.0
    earlier = women_share_by_programme(women, "2022-23").set_index("programme")
    assert earlier.loc["X", "women_share"] == pytest.approx(0.5)


def test_women_beneficiary_share_is_a_ratio_of_totals_without_a_sampling_interval(women):
    row = women_beneficiary_share(women, "ministry").iloc[0]
    assert row["fiscal_year"] == "2023-24"
    assert (row["n_programmes"], row["n_programmes_reporting"], row["n_programmes_implausible"]) == (3, 1, 1)
    assert row["women_share"] == pytest.approx(0.6)
    assert row["interval"] == ADMINISTRATIVE_TOTALS
    assert "ci_low" not in row.index


def test_lifecycle_matrix_counts_distinct_programmes_and_budget_per_stage():
    df = assessments_frame(
        programme_row(**MOSW, source_row=2, programme="P1", lifecycle_stages=["old_age", "disability"]),
        programme_row(**MOSW, source_row=3, programme="P1", lifecycle_stages=["old_age", "disability"]),
        programme_row(**MOSW, source_row=4, programme="P2", cluster="Food Security and Disaster Response"),
        programme_row(**MOWCA, source_row=2, programme="P3", lifecycle_stages=["old_age"]),
    )
    money = budgets_frame(budget_row(programme="P1", budget_crore=50.0),
                          budget_row(programme="P2", source_row=3, budget_crore=20.0))
    table = lifecycle_matrix(df, money)
    assert len(table) == len(CLUSTERS) * (len(LIFECYCLE_STAGES) + 1)
    cell = table.set_index(["cluster", "lifecycle_stage"])
    assert cell.loc[("Social Allowance", "old_age"), ["n_programmes", "n_programmes_with_budget"]].tolist() == [2, 1]
    assert cell.loc[("Social Allowance", "old_age"), "budget_crore"] == 50.0
    assert cell.loc[("Social Allowance", "disability"), "budget_crore"] == 50.0
    assert cell.loc[("Food Security and Disaster Response", NO_STAGE), "n_programmes"] == 1
    assert cell.loc[("Social Insurance", "school_age"), "n_programmes"] == 0
    assert math.isnan(cell.loc[("Social Insurance", "school_age"), "budget_crore"])
    mowca = lifecycle_matrix(df, money, ministry="Women and Children Affairs")
    assert set(mowca["ministry_code"]) == {"MoWCA"} and mowca["n_programmes"].sum() == 1


def test_target_groups_reached_guideline_groups_first():
    df = assessments_frame(
        programme_row(**MOSW, source_row=2, programme="A", target_groups=["women", "tea_garden_workers"]),
        programme_row(**MOSW, source_row=3, programme="A", target_groups=["women", "tea_garden_workers"]),
        programme_row(**MOSW, source_row=4, programme="B", target_groups=["women"],
                      target_groups_other=["fishers"]),
    )
    table = target_groups_reached(df, "national")
    assert list(table["group"][: len(GUIDELINE_TARGET_GROUPS)]) == list(GUIDELINE_TARGET_GROUPS)
    g = table.set_index("group")
    assert g.loc["women", "n_programmes"] == 2 and not g.loc["women", "guideline_group"]
    assert g.loc["tea_garden_workers", "n_programmes"] == 1 and g.loc["tea_garden_workers", "guideline_group"]
    assert not g.loc["dalit", "reached"]
    assert g.loc[OTHER_GROUP, "n_programmes"] == 1


def test_data_readiness_share_of_programmes_ready():
    answers = [("yes", "yes", "yes"), ("yes", "partly", "yes"), ("not_applicable",) * 3, ("no", "yes", "yes")]
    df = assessments_frame(*(
        programme_row(**MOSW, source_row=k, programme=f"P{k}", sex_disaggregated_data=a,
                      gender_reporting=b, gender_indicators=c)
        for k, (a, b, c) in enumerate(answers, start=2)
    ))
    row = data_readiness(score_programmes(df), "ministry").iloc[0]
    # ready only with all three yes: not applicable is not ready and stays in n
    assert (row["n_programmes"], row["n"], row["n_ready"], row["n_not_applicable"], row["n_partly"],
            row["n_no"]) == (4, 4, 1, 1, 1, 1)
    assert math.isnan(row["share"])  # 1 of 4: a count
    more = assessments_frame(*(
        programme_row(**MOSW, source_row=k, programme=f"P{k}", sex_disaggregated_data=a,
                      gender_reporting=b, gender_indicators=c)
        for k, (a, b, c) in enumerate([*answers, ("yes", "yes", "not_applicable")], start=2)
    ))
    row = data_readiness(score_programmes(more), "ministry").iloc[0]
    assert (row["n"], row["n_ready"]) == (5, 1)
    assert row["share"] == pytest.approx(1 / 5)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(wilson_interval(1, 5))


def test_budget_plausibility_flags_the_rangpur_page_and_never_corrects():
    rangpur = dict(programme="Old Age Allowance", beneficiaries=851900.0, monthly_rate_bdt=600.0)
    df = budgets_frame(
        budget_row(source_row=2, budget_crore=6133.0, **rangpur),
        budget_row(source_row=3, budget_crore=613.4, **rangpur),
        budget_row(source_row=4, budget_crore=61.3, **rangpur),
        budget_row(source_row=5, budget_crore=61330.0, **rangpur),
        budget_row(source_row=6, budget_crore=1500.0, **rangpur),
        budget_row(source_row=7, budget_crore=500.0, beneficiaries=1000.0),  # no rate: not checked
    )
    table = budget_plausibility(df).set_index("source_row")
    assert list(table.index) == [2, 3, 4, 5, 6]
    assert table.loc[2, "implied_crore"] == pytest.approx(613.368)  # 851900 x 600 x 12 / 1e7
    assert table.loc[2, "ratio"] == pytest.approx(10.0, rel=1e-3)
    assert table.loc[2, "flag"] == "scale:1" and not table.loc[2, "plausible"]  # a code: the report words it
    assert table.loc[2, "budget_crore"] == 6133.0  # flagged, never corrected
    assert table.loc[3, "flag"] == "" and table.loc[3, "plausible"]
    assert table.loc[4, "flag"] == "scale:-1"
    assert table.loc[5, "flag"] == "scale:2"
    assert table.loc[6, "flag"] == f"ratio:{float(table.loc[6, 'ratio'])!r}"  # the number itself, not its text
    with language("en"):
        assert [flag_in_words(table.loc[k, "flag"]) for k in (2, 4, 5, 6)] == [
            "about 10x", "about 1/10x", "about 100x", "ratio 2.45: check"]
    with language("bn"):
        assert flag_in_words(table.loc[6, "flag"]) == "অনুপাত ২.৪৫: যাচাই প্রয়োজন"


def test_data_quality_unknowns_quarantine_and_conflicts(programmes):
    df = assessments_frame(
        *(programmes.to_dict("records")),
        programme_row(**MOSW, source_row=9, programme="Old  age allowance",
                      **dict.fromkeys(ITEMS[:6], "unknown")),
    )
    quarantine = pd.DataFrame({
        "source_file": ["MoSW.xlsx", "MoSW.xlsx", "junk.csv"], "source_sheet": ["Programmes", "Budget", ""],
        "source_row": ["5", "7", "1"], "column": ["", "budget_crore", ""],
        "value": ["Total", "abc", ""], "reason": ["totals row", "not a number", "not a form"],
    })
    conflicts = pd.DataFrame({  # as clean.py writes conflicts.csv and load_processed reads it
        "conflict": ["1", "1"], "ministry": ["Ministry of Social Welfare"] * 2, "ministry_code": ["MoSW"] * 2,
        "programme": ["Old Age Allowance", "Old  age allowance"],
        "source_file": ["MoSW.xlsx"] * 2, "source_sheet": ["Programmes"] * 2,
        "source_row": pd.array([2, 9], dtype="Int64"), "assessment_round": ["", ""],
        "differing_columns": ["graduation"] * 2, "values": ["graduation=no", "graduation=unknown"],
    })
    table = data_quality(df, quarantine, conflicts, "ministry").set_index("ministry_code")
    mosw = table.loc["MoSW"]
    assert (mosw["n_programmes"], mosw["n_answers"], mosw["n_unknown"]) == (4, 40, 6)
    assert mosw["n_programmes_insufficient"] == 1
    assert mosw["n_quarantined"] == 2
    assert (mosw["n_conflict_rows"], mosw["n_conflicting_programmes"]) == (2, 1)
    assert table.loc["MoWCA", "n_quarantined"] == 0 and table.loc["MoWCA", "n_conflict_rows"] == 0
    national = data_quality(df, quarantine, conflicts, "national").iloc[0]
    assert national["n_quarantined"] == 3
    clusters = data_quality(df, quarantine, conflicts, "cluster").set_index("unit")
    assert clusters["n_quarantined"].isna().all()  # a quarantined row has no cluster
    assert clusters.loc["Social Allowance", "n_conflict_rows"] == 2
    none = data_quality(df, None, None, "national").iloc[0]
    assert none["n_quarantined"] == 0 and none["n_conflict_rows"] == 0


def test_compare_with_national_sets_figures_side_by_side_without_ranking():
    table = pd.DataFrame({
        "scope": ["ministry", "ministry", "ministry", "national"],
        "unit": ["A", "B", "C", "Bangladesh"], "ministry_code": ["A", "B", "C", None],
        "share": [0.9, 0.35, 0.1, 0.3], "ci_low": [0.8, 0.2, np.nan, 0.25], "ci_high": [0.95, 0.5, np.nan, 0.35],
        "n": [20, 20, 20, 60],
    })
    out = compare_with_national(table, "share").set_index("unit")
    assert list(out.index) == ["A", "B", "C"]  # the table's order, no rank column
    assert not any("rank" in c for c in out.columns)
    assert out.loc["A", "national_share"] == 0.3 and out.loc["A", "national_ci_low"] == 0.25
    assert out.loc["A", "comparison"] == "above"
    assert out.loc["B", "intervals_overlap"] and out.loc["B", "comparison"] == "overlap"
    assert out.loc["C", "comparison"] == "no_interval"
    few = compare_with_national(table.assign(n=[4, 20, 20, 60]), "share").set_index("unit")
    assert few.loc["A", "comparison"] == "too_few" and not few.loc["A", "difference"]
    with pytest.raises(NsssError, match="no national rows"):
        compare_with_national(table[table["scope"] != "national"], "share")


def test_compare_with_national_matches_rows_on_their_keys(programmes):
    scores = score_programmes(programmes)
    stacked = pd.concat([level_shares(scores, "ministry"), level_shares(scores, "national")])
    out = compare_with_national(stacked, "share")
    row = out[(out["ministry_code"] == "MoSW") & (out["level"] == "gender-specific")].iloc[0]
    assert row["n"] == 3 and row["national_n"] == 4  # matched; too few to compare
    assert row["comparison"] == "too_few"


def test_load_tables_and_ministry_summary(tmp_path, programmes, money):
    with pytest.raises(NsssError, match="run `nsss clean` first"):
        load_tables(tmp_path)
    programmes.to_parquet(tmp_path / "assessments.parquet", index=False)
    with pytest.raises(NsssError, match="run `nsss score` first"):
        load_tables(tmp_path)
    score_programmes(programmes).to_parquet(tmp_path / "scores.parquet", index=False)
    tables = load_tables(tmp_path)
    assert tables.budgets is None and tables.quarantine is None and tables.recommendations is None
    assert len(tables.scores) == 4
    assert tables.assessments["target_groups"].iloc[0] == ["women"]  # lists back as lists
    money.to_parquet(tmp_path / "budgets.parquet", index=False)
    write_csv_atomic(pd.DataFrame(columns=list(QUARANTINE_COLUMNS)), tmp_path / "quarantine.csv")
    tables = load_tables(tmp_path)
    assert tables.quarantine is not None and len(tables.quarantine) == 0

    summary = ministry_summary(tables, "Social Welfare Ministry", "2023-24")
    assert summary["about"].iloc[0].to_dict() == {
        "ministry": "Ministry of Social Welfare", "ministry_code": "MoSW", "fiscal_year": "2023-24",
        "n_programmes": 3}
    for name in ("level_shares", "mean_score", "item_yes_shares", "budget_gender_share",
                 "women_beneficiary_share", "data_readiness"):
        assert set(summary[name]["scope"]) <= {"ministry", "national"}, name
        assert set(summary[name]["ministry_code"].dropna()) == {"MoSW"}, name
    for name in ("programmes", "assessments", "recommendations", "data_quality", "target_groups_reached",
                 "lifecycle_matrix", "budget_plausibility", "women_share_by_programme"):
        assert set(summary[name]["ministry_code"]) <= {"MoSW"}, name
    assert len(summary["programmes"]) == 3
    assert (summary["level_comparison"]["national_n"] == 4).all()
    assert all(isinstance(v, pd.DataFrame) for k, v in summary.items() if k not in ("trend", "synthetic"))
    assert summary["synthetic"] is False and not summary["trend"].ok
    assert ministry_summary(tables, "mosw", "2023-24")["about"].equals(summary["about"])
    with pytest.raises(NsssError, match="not in the register"):
        ministry_summary(tables, "Ministry of Magic")
    with pytest.raises(NsssError, match="no assessed programmes"):
        ministry_summary(tables, "MoFood")


def test_national_summary_gathers_tables_models_and_trend(programmes, money):
    tables = Tables(assessments=programmes, budgets=money)
    summary = national_summary(tables)
    assert {"ministry", "cluster", "national"} == set(summary["level_shares"]["scope"])
    assert not summary["gender_specific_model"].ok
    assert summary["gender_specific_model"].code == "too_few"
    assert not summary["trend"].ok
    assert summary["about"].iloc[0]["n_programmes"] == 4
    everything = all_indicators(tables)
    no_data_here = {"women_share_by_programme", "budget_plausibility"}  # no women counts, no rates
    assert all(len(t) for name, t in everything.items() if name not in no_data_here)
    assert all(list(t.columns[:3]) == ["scope", "unit", "ministry_code"]
               for name, t in everything.items() if name not in no_data_here)
