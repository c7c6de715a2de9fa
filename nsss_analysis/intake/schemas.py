"""Schemas of the processed tables (docs/data-contract.md, section 3), checked before anything is written.

The pandera schemas say what every consumer may rely on: column order and dtypes,
vocabularies, fiscal years as ``YYYY-YY`` with consecutive years, non-negative
amounts, lineage on every row. :func:`validate` runs one lazily (every failure
collected) and turns failures into one line. The Arrow schemas fix the Parquet
types, so that a list column with only empty lists is still ``list<string>``.
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow

from nsss_analysis.errors import NsssError
from nsss_analysis.reference.vocab import (
    ANSWERS,
    ASSESSMENT_COLUMNS,
    BUDGET_COLUMNS,
    CLUSTERS,
    FOLLOWUP_ANSWERS,
    FOLLOWUPS,
    ITEMS,
    LIST_COLUMNS,
    QUARANTINE_COLUMNS,
    load_reference,
)

FY_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
#: Extra columns of assessments.parquet after the form's columns: the assessment round
#: (a fiscal year), the date the submission was received (ISO ``YYYY-MM-DD``, from the
#: workbook's own ``modified`` property or a date in the file or sheet name; never the
#: file system's time), and whether the raw folder is marked synthetic
#: (``data/raw/SYNTHETIC``).
#: ``submission_key`` names the server submission a row came from (KoboToolbox
#: ``meta/rootUuid`` else ``_uuid``, ODK Central ``KEY``); empty for a workbook.
ASSESSMENT_EXTRA_COLUMNS = ("assessment_round", "received_date", "synthetic", "submission_key")
#: Columns of budgets.parquet: the contract's, then the submission key.
BUDGET_TABLE_COLUMNS = (*BUDGET_COLUMNS, "submission_key")
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
ASSESSMENT_TABLE_COLUMNS = (*ASSESSMENT_COLUMNS, *ASSESSMENT_EXTRA_COLUMNS)
CONFLICT_COLUMNS = (
    "conflict",
    "ministry",
    "ministry_code",
    "programme",
    "source_file",
    "source_sheet",
    "source_row",
    "assessment_round",
    "received_date",
    "differing_columns",
    "values",
)


def is_fiscal_year(value: object) -> bool:
    """``YYYY-YY`` with consecutive years (``2020-21``)."""
    m = FY_PATTERN.match(str(value))
    return m is not None and (int(m.group(1)) + 1) % 100 == int(m.group(2))


def _is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


def _fy_column(nullable: bool = True) -> pa.Column:
    return pa.Column(
        str,
        pa.Check(is_fiscal_year, element_wise=True, error="YYYY-YY, consecutive years"),
        nullable=nullable,
    )


def _lineage() -> dict[str, pa.Column]:
    return {
        "source_file": pa.Column(str, pa.Check.str_length(min_value=1)),
        "source_sheet": pa.Column(str),
        "source_row": pa.Column("int64", pa.Check.ge(0)),
    }


def _ministry_columns() -> dict[str, pa.Column]:
    ref = load_reference()
    return {
        "ministry": pa.Column(str, pa.Check.isin([m.name for m in ref.ministries])),
        "ministry_code": pa.Column(str, pa.Check.isin([m.code for m in ref.ministries])),
        "programme": pa.Column(str, pa.Check.str_length(min_value=1)),
    }


def _assessment_schema() -> pa.DataFrameSchema:
    columns: dict[str, pa.Column] = {**_lineage(), **_ministry_columns()}
    columns["source_row"] = pa.Column("int64", pa.Check.ge(1))
    columns["start_fy"] = _fy_column()
    columns["end_fy"] = _fy_column()
    columns["ongoing"] = pa.Column("boolean", nullable=True)
    columns["cluster"] = pa.Column(str, pa.Check.isin(CLUSTERS), nullable=True)
    stages, groups = set(load_reference().lifecycle_stages), set(load_reference().target_groups)
    for name in LIST_COLUMNS:
        checks = [pa.Check(_is_str_list, element_wise=True, error="a list of non-empty texts")]
        if name == "lifecycle_stages":
            checks.append(pa.Check(lambda v: set(v) <= stages, element_wise=True, error="known stages"))
        if name == "target_groups":
            checks.append(pa.Check(lambda v: set(v) <= groups, element_wise=True, error="known groups"))
        columns[name] = pa.Column(object, checks)
    for item in ITEMS:
        columns[item] = pa.Column(str, pa.Check.isin(ANSWERS))
    for followup in FOLLOWUPS:
        columns[followup] = pa.Column(str, pa.Check.isin(FOLLOWUP_ANSWERS))
    columns["remarks"] = pa.Column(str, nullable=True)
    columns["assessment_round"] = _fy_column()
    columns["received_date"] = pa.Column(str, pa.Check.str_matches(DATE_PATTERN), nullable=True)
    columns["synthetic"] = pa.Column(bool)
    columns["submission_key"] = pa.Column(str, nullable=True)
    ordered = {name: columns[name] for name in ASSESSMENT_TABLE_COLUMNS}
    return pa.DataFrameSchema(ordered, strict=True, ordered=True, name="assessments")


def _budget_schema() -> pa.DataFrameSchema:
    amount = pa.Check.ge(0)
    columns = {
        **_lineage(),
        **_ministry_columns(),
        "cluster": pa.Column(str, pa.Check.isin(CLUSTERS), nullable=True),
        "fiscal_year": _fy_column(nullable=False),
        "budget_crore": pa.Column("float64", amount, nullable=True),
        "beneficiaries": pa.Column("float64", amount, nullable=True),
        "women_beneficiaries": pa.Column("float64", amount, nullable=True),
        "monthly_rate_bdt": pa.Column("float64", amount, nullable=True),
    }
    columns["source_row"] = pa.Column("int64", pa.Check.ge(1))
    columns["submission_key"] = pa.Column(str, nullable=True)
    return pa.DataFrameSchema(
        {c: columns[c] for c in BUDGET_TABLE_COLUMNS}, strict=True, ordered=True, name="budgets"
    )


def _quarantine_schema() -> pa.DataFrameSchema:
    columns = {
        **_lineage(),  # source_row 0: the whole file could not be read
        "column": pa.Column(str),
        "value": pa.Column(str),
        "reason": pa.Column(str, pa.Check.str_length(min_value=1)),
        "reason_id": pa.Column(str),  # "" where the reason has no message id
        "reason_values": pa.Column(str),  # JSON object of the template's values; "" without an id
    }
    return pa.DataFrameSchema(
        {c: columns[c] for c in QUARANTINE_COLUMNS}, strict=True, ordered=True, name="quarantine"
    )


def _conflict_schema() -> pa.DataFrameSchema:
    columns = {c: pa.Column(str, nullable=True) for c in CONFLICT_COLUMNS}
    columns["conflict"] = pa.Column("int64", pa.Check.ge(1))
    columns["source_row"] = pa.Column("int64", pa.Check.ge(1))
    columns["ministry_code"] = pa.Column(str, pa.Check.isin([m.code for m in load_reference().ministries]))
    columns["differing_columns"] = pa.Column(str, pa.Check.str_length(min_value=1))
    return pa.DataFrameSchema(columns, strict=True, ordered=True, name="conflicts")


AssessmentSchema = _assessment_schema()
ConflictSchema = _conflict_schema()
BudgetSchema = _budget_schema()
QuarantineSchema = _quarantine_schema()


def validate(df: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Validate lazily; every failure summarised in one line (an internal error:
    cleaning should never produce an invalid table)."""
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        parts = []
        for (column, check), group in cases.groupby(["column", "check"], dropna=False, sort=False):
            example = group["failure_case"].iloc[0]
            parts.append(f"{column}: {check} ({len(group)} rows, e.g. {example!r})")
        raise NsssError(f"the {schema.name} table failed its schema check: " + "; ".join(parts[:5])) from None


# --- Parquet types ----------------------------------------------------------------

_STR = pa_arrow.string()
_LIST = pa_arrow.list_(pa_arrow.string())


def _arrow(columns: tuple[str, ...], types: dict[str, pa_arrow.DataType]) -> pa_arrow.Schema:
    return pa_arrow.schema([(c, types.get(c, _STR)) for c in columns])


ASSESSMENT_ARROW_SCHEMA = _arrow(
    ASSESSMENT_TABLE_COLUMNS,
    {"source_row": pa_arrow.int64(), "ongoing": pa_arrow.bool_(), "synthetic": pa_arrow.bool_(),
     **dict.fromkeys(LIST_COLUMNS, _LIST)},
)
BUDGET_ARROW_SCHEMA = _arrow(
    BUDGET_TABLE_COLUMNS,
    {
        "source_row": pa_arrow.int64(),
        **dict.fromkeys(
            ("budget_crore", "beneficiaries", "women_beneficiaries", "monthly_rate_bdt"), pa_arrow.float64()
        ),
    },
)
