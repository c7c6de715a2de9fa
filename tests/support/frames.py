"""Contract-shaped tables built in memory: assessment rows, budget rows, and the
programmes of one ministry for the models. Synthetic: made up for the tests.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nsss_analysis.reference.vocab import (
    ASSESSMENT_COLUMNS,
    BUDGET_COLUMNS,
    CLUSTERS,
    FOLLOWUPS,
    ITEMS,
    LIST_COLUMNS,
)


def programme_row(**overrides) -> dict:
    """One assessments.parquet row per the contract: every item `no`, every follow-up
    `no`, no lists, unless overridden."""
    row = {
        "source_file": "MoSW_assessment.xlsx",
        "source_sheet": "Programmes",
        "source_row": 2,
        "ministry": "Ministry of Social Welfare",
        "ministry_code": "MoSW",
        "programme": "Old Age Allowance",
        "start_fy": "1997-98",
        "end_fy": None,
        "ongoing": True,
        "cluster": "Social Allowance",
        "lifecycle_stages": [],
        "target_groups": [],
        "target_groups_other": [],
        **dict.fromkeys(ITEMS, "no"),
        **dict.fromkeys(FOLLOWUPS, "no"),
        "partner_agencies": [],
        "remarks": None,
        "assessment_round": None,
    }
    unknown = set(overrides) - set(row)
    assert not unknown, f"not a contract column: {unknown}"
    return row | overrides


def assessments_frame(*rows: dict) -> pd.DataFrame:
    """Rows as assessments.parquet would load: contract columns and dtypes."""
    df = pd.DataFrame(list(rows), columns=[*ASSESSMENT_COLUMNS, "assessment_round"])
    text = [c for c in df.columns if c not in (*LIST_COLUMNS, "source_row", "ongoing")]
    return df.astype({c: "str" for c in text} | {"source_row": "int64", "ongoing": "boolean"})


#: The ministry columns of a row of the Ministry of Social Welfare or of Women and Children Affairs.
MOSW = {"ministry": "Ministry of Social Welfare", "ministry_code": "MoSW", "source_file": "MoSW.xlsx"}
MOWCA = {"ministry": "Ministry of Women and Children Affairs", "ministry_code": "MoWCA",
         "source_file": "MoWCA.xlsx"}


def budget_row(**overrides) -> dict:
    """One budgets.parquet row per the contract: MoSW's Old Age Allowance, 2023-24, no figures."""
    row = {"source_file": "MoSW.xlsx", "source_sheet": "Budget", "source_row": 2,
           "ministry": "Ministry of Social Welfare", "ministry_code": "MoSW",
           "programme": "Old Age Allowance", "cluster": "Social Allowance", "fiscal_year": "2023-24",
           "budget_crore": np.nan, "beneficiaries": np.nan, "women_beneficiaries": np.nan,
           "monthly_rate_bdt": np.nan}
    assert set(overrides) <= set(row)
    return row | overrides


def budgets_frame(*rows: dict) -> pd.DataFrame:
    """Rows as budgets.parquet would load: contract columns and dtypes."""
    numbers = ("budget_crore", "beneficiaries", "women_beneficiaries", "monthly_rate_bdt")
    df = pd.DataFrame(list(rows), columns=list(BUDGET_COLUMNS))
    return df.astype({c: "float64" for c in numbers} | {"source_row": "int64"} | {
        c: "str" for c in BUDGET_COLUMNS if c not in (*numbers, "source_row")})


#: Every NSSS cluster, and the three the models' examples use.
CLUSTERS_ALL = CLUSTERS
MODEL_CLUSTERS = CLUSTERS[:3]


def programmes(levels, clusters, budgets, scores=None):
    """A scores frame and a budgets frame for programmes P0..Pn of one ministry."""
    n = len(levels)
    names = [f"P{k}" for k in range(n)]
    scores_df = pd.DataFrame({
        "source_file": "MoSW.xlsx", "source_sheet": "Programmes", "source_row": range(2, n + 2),
        "ministry": "Ministry of Social Welfare", "ministry_code": "MoSW", "programme": names,
        "cluster": list(clusters), "level": list(levels),
        "inclusion_score": list(scores) if scores is not None else [50.0] * n,
    })
    budgets_df = pd.DataFrame({
        "source_file": "MoSW.xlsx", "source_sheet": "Budget", "source_row": range(2, n + 2),
        "ministry": "Ministry of Social Welfare", "ministry_code": "MoSW", "programme": names,
        "cluster": list(clusters), "fiscal_year": "2023-24", "budget_crore": list(budgets),
        "beneficiaries": np.nan, "women_beneficiaries": np.nan, "monthly_rate_bdt": np.nan,
    })
    return scores_df, budgets_df


def logistic_programmes(n=150, seed=3):
    """``n`` programmes whose level and score depend on budget and cluster (seeded)."""
    rng = np.random.default_rng(seed)
    clusters = rng.choice(MODEL_CLUSTERS, size=n, p=[0.5, 0.3, 0.2])
    log_budget = rng.uniform(0, 4, size=n)
    logit = -1.5 + 0.8 * log_budget + np.where(clusters == MODEL_CLUSTERS[1], 0.7, 0.0)
    specific = rng.random(n) < 1 / (1 + np.exp(-logit))
    levels = np.where(specific, "gender-specific", "gender-sensitive")
    scores = 20 + 10 * log_budget + np.where(clusters == MODEL_CLUSTERS[2], -8.0, 0.0) + rng.normal(0, 5, n)
    return programmes(levels, clusters, 10**log_budget, scores)
