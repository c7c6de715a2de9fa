"""Schemas of the MIS coverage tables ``nsss beneficiaries`` writes, checked before
they are written: columns and dtypes, closed vocabularies (sex, age band), counts
never negative, women's share and its interval within 0-1, and every row read
accounted for (rows read = counted + invalid + duplicates; docs/method.md, section 8).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from nsss_analysis.errors import NsssError
from nsss_analysis.mis.lookups import UNKNOWN, _codes

COLUMNS: dict[str, dict[str, str]] = {
    "coverage_by_sex": {
        "programme": "str",
        "ministry": "str",
        "ministry_code": "str",
        "fiscal_year": "str",
        "sex": "str",
        "age_band": "str",
        "district": "str",
        "division": "str",
        "payment_channel": "str",
        "beneficiaries": "int64",
        "amount_bdt": "float64",
    },
    "coverage_quality": {
        "source_file": "str",
        "programme": "str",
        "ministry": "str",
        "ministry_code": "str",
        "fiscal_year": "str",
        "rows_read": "int64",
        "rows_counted": "int64",
        "invalid_missing_id": "int64",
        "invalid_unknown_sex": "int64",
        "invalid_age": "int64",
        "invalid_district": "int64",
        "duplicate_id": "int64",
        "amount_unreadable": "int64",
    },
    "coverage_women_share": {
        "ministry": "str",
        "ministry_code": "str",
        "programme": "str",
        "fiscal_year": "str",
        "women": "int64",
        "total": "int64",
        "share": "float64",
        "ci_low": "float64",
        "ci_high": "float64",
    },
}


def _schema(table: str) -> pa.DataFrameSchema:
    codes = _codes()
    columns = {}
    for column, dtype in COLUMNS[table].items():
        checks = []
        if dtype == "int64":
            checks.append(pa.Check.ge(0))
        if column in ("share", "ci_low", "ci_high"):
            checks.append(pa.Check.in_range(0, 1))
        if column == "sex":
            checks.append(pa.Check.isin(list(codes.sexes)))
        if column == "age_band":
            checks.append(pa.Check.isin([*codes.band_labels, UNKNOWN]))
        columns[column] = pa.Column(dtype, checks, nullable=dtype != "int64")
    checks = []
    if table == "coverage_quality":
        checks.append(pa.Check(
            lambda df: df["rows_read"] >= df["rows_counted"] + df["invalid_missing_id"] + df["invalid_unknown_sex"]
            + df["duplicate_id"],
            error="rows read must cover the rows counted, invalid and duplicated"))
    return pa.DataFrameSchema(columns, checks=checks, strict=True, ordered=True, name=table)


SCHEMAS: dict[str, pa.DataFrameSchema] = {table: _schema(table) for table in COLUMNS}


def validate_coverage(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Validate one coverage table lazily, every failure in one line."""
    try:
        return SCHEMAS[table].validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        parts = [f"{c}: {k} ({len(g)} rows)" for (c, k), g in cases.groupby(["column", "check"], dropna=False, sort=False)]
        raise NsssError(f"the {table} table failed its schema check: " + "; ".join(parts[:5])) from None
