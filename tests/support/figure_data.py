"""Small synthetic inputs for every report figure (made up for the tests): the tables
each figure function takes, with a few rows of plausible values."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nsss_analysis.mis.coverage import (
    amount_by_sex,
    coverage_by_age_band,
    coverage_by_district,
    payment_channel_by_sex,
    women_share_by_programme,
)
from nsss_analysis.reference.vocab import (
    CLUSTERS,
    GUIDELINE_TARGET_GROUPS,
    ITEMS,
    LEVELS,
    LIFECYCLE_STAGES,
)

MINISTRY = "Ministry of Women and Children Affairs"


def assessments() -> pd.DataFrame:
    answers = ["yes", "partly", "no", "not_applicable", "unknown"]
    df = pd.DataFrame(
        {
            "programme": ["Mother and Child Benefit Programme", "<script>alert(1)</script>", "VWB", "VWB"],
            "source_row": [2, 3, 4, 9],
        }
    )
    for k, item in enumerate(ITEMS):
        df[item] = [answers[(k + i) % 5] for i in range(len(df))]
    return df


def level_shares(units=((MINISTRY, 4), ("Bangladesh", 40))) -> pd.DataFrame:
    rows = []
    for unit, n in units:
        counts = np.array([0, 1, 1, 1, 1]) * n // 4
        for level, count in zip(LEVELS, counts, strict=True):
            rows.append(dict(unit=unit, level=level, count=int(count), n=n, share=count / n,
                             ci_low=max(0.0, count / n - 0.2), ci_high=min(1.0, count / n + 0.2)))
    return pd.DataFrame(rows)


def item_shares() -> pd.DataFrame:
    return pd.DataFrame(
        [dict(unit=u, item=i, count_yes=1, n=4, share=0.25, ci_low=0.05, ci_high=0.7)
         for u in (MINISTRY, "Bangladesh") for i in ITEMS]
    )


def matrix() -> pd.DataFrame:
    return pd.DataFrame(
        [dict(cluster=c, lifecycle_stage=s, n_programmes=(i + j) % 3, budget_crore=100.0 * (i + 1))
         for i, c in enumerate(CLUSTERS) for j, s in enumerate((*LIFECYCLE_STAGES, "none"))]
    )


def budget_women() -> tuple[pd.DataFrame, pd.DataFrame]:
    budgets = pd.DataFrame({"ministry_code": ["MoSW", "MoSW", "MoWCA"],
                            "programme": ["Old Age Allowance", "Hijra livelihood", "Other ministry"],
                            "budget_crore": [4351.0, 12.0, 99.0]})
    women = pd.DataFrame({"ministry_code": ["MoSW", "MoSW"], "programme": ["old age  allowance", "MCBP"],
                          "women_share": [0.45, 1.0], "fiscal_year": ["2024-25", "2022-23"]})
    return budgets, women


def coverage() -> pd.DataFrame:
    """A small coverage_by_sex table (two programmes, one fiscal year) per the contract."""
    rows = []
    for programme, women, men in (("Old Age Allowance", 45, 55), ("Widow Allowance", 60, 1)):
        for sex, count in (("female", women), ("male", men)):
            for district, division in (("Dhaka", "Dhaka"), ("Bhola", "Barishal")):
                for band, channel in (("60+", "mobile"), ("36-59", "bank")):
                    rows.append(dict(programme=programme, ministry="Ministry of Social Welfare", ministry_code="MoSW",
                                     fiscal_year="2023-24", sex=sex, age_band=band, district=district,
                                     division=division, payment_channel=channel, beneficiaries=count,
                                     amount_bdt=count * 7200.0))
    return pd.DataFrame(rows)


def women_points() -> pd.DataFrame:
    return women_share_by_programme(coverage(), "MoSW")


def age() -> pd.DataFrame:
    return coverage_by_age_band(coverage(), "MoSW")


def district() -> pd.DataFrame:
    return coverage_by_district(coverage(), "MoSW")


def amount() -> pd.DataFrame:
    return amount_by_sex(coverage(), "MoSW")


def channel() -> pd.DataFrame:
    return payment_channel_by_sex(coverage(), "MoSW")


def units_levels() -> pd.DataFrame:
    return level_shares(((MINISTRY, 4), ("Ministry of Social Welfare", 8))).assign(scope="ministry")


def mean_scores() -> pd.DataFrame:
    return pd.DataFrame({"scope": ["ministry", "ministry", "national"], "measure": "inclusion_score",
                         "unit": ["Ministry of Social Welfare", MINISTRY, "Bangladesh"], "n": [12, 4, 16],
                         "mean": [40.0, 55.0, 47.0], "ci_low": [33.0, 40.0, 44.0],
                         "ci_high": [47.0, 70.0, 50.0], "small_n": [False, True, False]})


def shares() -> pd.DataFrame:
    return pd.DataFrame({"scope": ["ministry", "ministry", "national"],
                         "unit": [MINISTRY, "Ministry of Social Welfare", "Bangladesh"],
                         "share": [0.8, np.nan, 0.5], "n": [4, 0, 4]})


def gaps():
    groups = pd.DataFrame({"scope": "national", "group": [*GUIDELINE_TARGET_GROUPS, "women"],
                           "guideline_group": [True] * len(GUIDELINE_TARGET_GROUPS) + [False],
                           "n_programmes": [0] * 8 + [1, 5]})
    return matrix(), groups


def coefficients() -> pd.DataFrame:
    return pd.DataFrame({"term": ["Intercept", "log_budget"], "estimate": [0.1, 0.5],
                         "ci_low": [-1.0, 0.1], "ci_high": [1.0, 0.9]})


def trend() -> pd.DataFrame:
    return pd.DataFrame({"unit": "Bangladesh", "assessment_round": ["2019-20", "2023-24"],
                         "share_gender_specific": [0.2, 0.4], "share_ci_low": [0.1, 0.3],
                         "share_ci_high": [0.3, 0.5], "mean_inclusion_score": [30.0, 40.0],
                         "mean_ci_low": [25.0, 35.0], "mean_ci_high": [35.0, 45.0]})


# (name, call with data, call with empty input)
