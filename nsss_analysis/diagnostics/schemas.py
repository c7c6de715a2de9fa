"""Schemas of the tables ``nsss score`` writes: ``scores``, ``recommendations`` and
every ``indicator_<name>`` table, checked before anything is written.

Each table's columns and dtypes are stated here (the contract readers rely on;
docs/data-contract.md, section 3), with the value checks that make a table wrong
rather than unusual: shares and interval bounds within 0-1, scores and their
intervals within 0-100, counts not negative, vocabularies closed, and no interval
without a share (docs/method.md, section 4).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from nsss_analysis.diagnostics.units import BY
from nsss_analysis.errors import NsssError
from nsss_analysis.reference.vocab import LEVELS

#: The first columns of a table with a row per programme row: lineage, then who runs it.
ROW_OF_A_PROGRAMME: dict[str, str] = {
    "source_file": "str", "source_sheet": "str", "source_row": "int64",
    "ministry": "str", "ministry_code": "str", "programme": "str",
}
#: Columns and dtypes of each table (``str`` is pandas' string dtype).
COLUMNS: dict[str, dict[str, str]] = {
    "indicator_budget_gender_share": {
        "scope": "str",
        "unit": "str",
        "ministry_code": "str",
        "fiscal_year": "str",
        "budget_total": "float64",
        "budget_assessed": "float64",
        "budget_gender_specific_or_transformative": "float64",
        "share": "float64",
        "n_programmes_with_budget": "int64",
        "n_programmes_not_assessed": "int64",
        "n_allocations_flagged": "int64",
        "flags_left_out": "str",
    },
    "indicator_budget_plausibility": {
        **ROW_OF_A_PROGRAMME,
        "fiscal_year": "str",
        "beneficiaries": "float64",
        "monthly_rate_bdt": "float64",
        "budget_crore": "float64",
        "implied_crore": "float64",
        "ratio": "float64",
        "flag": "str",
        "plausible": "bool",
    },
    "indicator_data_quality": {
        "scope": "str",
        "unit": "str",
        "ministry_code": "str",
        "n_programmes": "int64",
        "n_answers": "int64",
        "n_unknown": "int64",
        "share_unknown": "float64",
        "n_programmes_insufficient": "int64",
        "n_quarantined": "Int64",
        "n_quarantined_shared_unnamed": "Int64",
        "n_conflict_rows": "int64",
        "n_conflicting_programmes": "int64",
        "quarantine_lines": "str",
        "quarantine_shared_lines": "str",
    },
    "indicator_data_readiness": {
        "scope": "str",
        "unit": "str",
        "ministry_code": "str",
        "n_programmes": "int64",
        "n": "int64",
        "n_ready": "int64",
        "n_not_applicable": "int64",
        "n_partly": "int64",
        "n_unknown": "int64",
        "n_no": "int64",
        "share": "float64",
        "ci_low": "float64",
        "ci_high": "float64",
    },
    "indicator_item_yes_shares": {
        "scope": "str",
        "unit": "str",
        "ministry_code": "str",
        "domain": "str",
        "item": "str",
        "n_programmes": "int64",
        "n_not_applicable": "int64",
        "n": "int64",
        "n_unknown": "int64",
        "count_yes": "int64",
        "share": "float64",
        "ci_low": "float64",
        "ci_high": "float64",
    },
    "indicator_level_shares": {
        "scope": "str",
        "unit": "str",
        "ministry_code": "str",
        "level": "str",
        "count": "int64",
        "n": "int64",
        "share": "float64",
        "ci_low": "float64",
        "ci_high": "float64",
    },
    "indicator_lifecycle_matrix": {
        "scope": "str",
        "unit": "str",
        "ministry_code": "str",
        "fiscal_year": "str",
        "cluster": "str",
        "lifecycle_stage": "str",
        "n_programmes": "int64",
        "n_programmes_with_budget": "int64",
        "budget_crore": "float64",
    },
    "indicator_mean_score": {
        "scope": "str",
        "unit": "str",
        "ministry_code": "str",
        "measure": "str",
        "n_programmes": "int64",
        "n": "int64",
        "mean": "float64",
        "ci_low": "float64",
        "ci_high": "float64",
        "method": "str",
        "small_n": "bool",
    },
    "indicator_target_groups_reached": {
        "scope": "str",
        "unit": "str",
        "ministry_code": "str",
        "group": "str",
        "guideline_group": "bool",
        "n_programmes": "int64",
        "reached": "bool",
    },
    "indicator_women_beneficiary_share": {
        "scope": "str",
        "unit": "str",
        "ministry_code": "str",
        "fiscal_year": "str",
        "n_programmes": "int64",
        "n_programmes_reporting": "int64",
        "n_programmes_implausible": "int64",
        "beneficiaries": "float64",
        "women_beneficiaries": "float64",
        "women_share": "float64",
        "min_programme_share": "float64",
        "max_programme_share": "float64",
        "interval": "str",
    },
    "indicator_women_share_by_programme": {
        **ROW_OF_A_PROGRAMME,
        "cluster": "str",
        "fiscal_year": "str",
        "beneficiaries": "float64",
        "women_beneficiaries": "float64",
        "women_share": "float64",
        "plausible": "bool",
    },
    "recommendations": {
        "action_id": "str",
        "ministry": "str",
        "ministry_code": "str",
        "programme": "str",
        "item": "str",
        "answer": "str",
        "followup": "str",
        "followup_answer": "str",
        "action": "str",
        "reason": "str",
        "guideline_question": "str",
        "fiscal_year": "str",
        "budget_crore": "float64",
        "level": "str",
        "rank": "int64",
        "always_listed": "bool",
        "source_file": "str",
        "source_sheet": "str",
        "source_row": "int64",
    },
    "scores": {
        **ROW_OF_A_PROGRAMME,
        "cluster": "str",
        "intent_score": "float64",
        "transformative_score": "float64",
        "evidence_score": "float64",
        "inclusion_score": "float64",
        "potential_score": "float64",
        "completeness": "float64",
        "level": "str",
        "level_rule": "str",
        "gender_marker": "int64",
        "women_targeted": "bool",
        "marker_unsubstantiated": "bool",
        "data_readiness": "str",
    },
}
#: Columns whose values are shares (0-1), scores (0-100), or counts (never negative).
SHARE_COLUMNS = ("share", "ci_low", "ci_high", "women_share", "share_unknown", "min_programme_share",
                 "max_programme_share", "completeness", "intent_score", "transformative_score", "evidence_score")
SCORE_COLUMNS = ("inclusion_score", "potential_score")
COUNT_PREFIXES = ("n_", "n", "count", "count_yes", "rank", "budget", "beneficiaries", "women_beneficiaries")


def _checks(table: str, column: str) -> list[pa.Check]:
    checks = []
    bounded = table == "indicator_mean_score" and column in ("mean", "ci_low", "ci_high")
    if column in SCORE_COLUMNS or bounded:
        checks.append(pa.Check.in_range(0, 100))
    elif column in SHARE_COLUMNS:
        checks.append(pa.Check.in_range(0, 1))
    elif column == "n" or column.startswith(COUNT_PREFIXES) and COLUMNS[table][column] in ("int64", "Int64", "float64"):
        checks.append(pa.Check.ge(0))
    if column == "scope":
        checks.append(pa.Check.isin(BY))
    if column == "level" and table != "recommendations":
        checks.append(pa.Check.isin(LEVELS))
    return checks


def _schema(table: str) -> pa.DataFrameSchema:
    columns = {
        column: pa.Column(dtype, _checks(table, column), nullable=True)
        for column, dtype in COLUMNS[table].items()
    }
    checks = []
    if {"ci_low", "ci_high"} <= set(COLUMNS[table]):
        value = "mean" if "mean" in COLUMNS[table] else "share" if "share" in COLUMNS[table] else None
        if value:
            # an interval belongs to a figure: no bounds without the figure, never reversed
            checks.append(pa.Check(lambda df, v=value: df["ci_low"].isna() | (df[v].notna() & (df["ci_low"] <= df["ci_high"])),
                                   error="an interval without its figure, or reversed"))
    return pa.DataFrameSchema(columns, checks=checks, strict=True, ordered=True, name=table)


SCHEMAS: dict[str, pa.DataFrameSchema] = {table: _schema(table) for table in COLUMNS}


def validate_output(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Validate one table of ``nsss score`` lazily; every failure summarised in one line
    (an internal error: the diagnostics should never produce an invalid table)."""
    schema = SCHEMAS[table]
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        parts = [f"{c}: {k} ({len(g)} rows)" for (c, k), g in cases.groupby(["column", "check"], dropna=False, sort=False)]
        raise NsssError(f"the {table} table failed its schema check: " + "; ".join(parts[:5])) from None
