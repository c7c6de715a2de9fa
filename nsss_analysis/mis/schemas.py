"""Schemas of the MIS coverage tables ``nsss beneficiaries`` writes, checked before
they are written: columns and dtypes, closed vocabularies (sex, age band), counts
never negative, women's share and its interval within 0-1, and every row read
accounted for (rows read = counted + invalid + duplicates; docs/method.md, section 8).

The rules are stated once (:func:`_rules`) and checked by two engines: pandera on a
DataFrame (:func:`validate_coverage`, :data:`SCHEMAS`), and plain Python on the rows
``nsss beneficiaries`` writes (:func:`check_rows`), which never imports pandas: the
tables are small (one row per programme, year, sex, age band, district and channel),
and pandas with pandera would take longer to import than DuckDB takes to count a
million rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from nsss_analysis.errors import NsssError
from nsss_analysis.mis.lookups import UNKNOWN, code_lists

if TYPE_CHECKING:
    import pandas as pd
    import pandera.pandas as pa

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


#: The parts of a quality row that together cannot exceed the rows read.
ACCOUNTED = ("rows_counted", "invalid_missing_id", "invalid_unknown_sex", "duplicate_id")


ACCOUNTING_ERROR = "rows read must cover the rows counted, invalid and duplicated"


def _rules(column: str, dtype: str) -> dict[str, Any]:
    """One column's rules: ``ge`` (a lower bound), ``range`` (inclusive bounds),
    ``isin`` (a closed vocabulary); a column may be null unless it holds counts."""
    codes, rules = code_lists(), dict[str, object]()
    if dtype == "int64":
        rules["ge"] = 0
    if column in ("share", "ci_low", "ci_high"):
        rules["range"] = (0, 1)
    if column == "sex":
        rules["isin"] = list(codes.sexes)
    if column == "age_band":
        rules["isin"] = [*codes.band_labels, UNKNOWN]
    return rules


def _schema(table: str) -> pa.DataFrameSchema:
    import pandera.pandas as pa

    columns = {}
    for column, dtype in COLUMNS[table].items():
        rules, checks = _rules(column, dtype), []
        if "ge" in rules:
            checks.append(pa.Check.ge(rules["ge"]))
        if "range" in rules:
            checks.append(pa.Check.in_range(*rules["range"]))
        if "isin" in rules:
            checks.append(pa.Check.isin(rules["isin"]))
        columns[column] = pa.Column(dtype, checks, nullable=dtype != "int64")
    checks = []
    if table == "coverage_quality":
        checks.append(pa.Check(lambda df: df["rows_read"] >= sum(df[c] for c in ACCOUNTED), error=ACCOUNTING_ERROR))
    return pa.DataFrameSchema(columns, checks=checks, strict=True, ordered=True, name=table)


_SCHEMAS: dict[str, pa.DataFrameSchema] = {}


def __getattr__(name: str) -> Any:
    """``SCHEMAS``: the pandera schemas, built (and pandera imported) on first use."""
    if name == "SCHEMAS":
        if not _SCHEMAS:
            _SCHEMAS.update({table: _schema(table) for table in COLUMNS})
        return _SCHEMAS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_rows(table: str, rows: Sequence[tuple]) -> None:
    """The schema's rules on a coverage table given as rows (tuples in ``COLUMNS``
    order; ``None`` for a missing value): raise :class:`NsssError` naming every failed
    check in one line, as :func:`validate_coverage` does for a DataFrame."""
    columns = list(COLUMNS[table])
    specs = [(column, dtype, _rules(column, dtype)) for column, dtype in COLUMNS[table].items()]
    failed: dict[tuple[str, str], int] = {}
    for row in rows:
        if len(row) != len(columns):
            raise NsssError(f"the {table} table failed its schema check: a row of {len(row)} values, "
                            f"not {len(columns)}")
        for (column, dtype, rules), value in zip(specs, row):
            if value is None or (isinstance(value, float) and math.isnan(value)):
                problem = "not_nullable" if dtype == "int64" else None
            elif dtype == "str":
                problem = None if isinstance(value, str) else "dtype('str')"
            elif dtype == "int64":
                problem = None if _is_int(value) else "dtype('int64')"
            else:
                problem = None if isinstance(value, float) else "dtype('float64')"
            if problem is None and value is not None:
                if "ge" in rules and value < rules["ge"]:
                    problem = f"greater_than_or_equal_to({rules['ge']})"
                elif "range" in rules and not rules["range"][0] <= value <= rules["range"][1]:
                    problem = f"in_range({rules['range'][0]}, {rules['range'][1]})"
                elif "isin" in rules and value not in rules["isin"]:
                    problem = f"isin({rules['isin']})"
            if problem is not None:
                failed[column, problem] = failed.get((column, problem), 0) + 1
        if table == "coverage_quality":
            at = {c: row[columns.index(c)] for c in ("rows_read", *ACCOUNTED)}
            if all(_is_int(v) for v in at.values()) and at["rows_read"] < sum(at[c] for c in ACCOUNTED):
                failed[table, ACCOUNTING_ERROR] = failed.get((table, ACCOUNTING_ERROR), 0) + 1
    if failed:
        parts = [f"{c}: {k} ({n} rows)" for (c, k), n in failed.items()]
        raise NsssError(f"the {table} table failed its schema check: " + "; ".join(parts[:5]))


def validate_coverage(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Validate one coverage table lazily, every failure in one line."""
    import pandera.pandas as pa

    try:
        return __getattr__("SCHEMAS")[table].validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        parts = [f"{c}: {k} ({len(g)} rows)" for (c, k), g in cases.groupby(["column", "check"], dropna=False, sort=False)]
        raise NsssError(f"the {table} table failed its schema check: " + "; ".join(parts[:5])) from None
