"""What each report depends on, hashed: its ministry's rows of every table, the
national figures it compares with, its notebook, the package and its parameters.
A report whose input hash matches the manifest's (and whose files exist) is skipped.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import TYPE_CHECKING

from nsss_analysis import __version__
from nsss_analysis.reference.vocab import normalise_key
from nsss_analysis.runner.plan import PlannedReport, ReportKind

if TYPE_CHECKING:  # pandas is loaded with the tables, not by `nsss reports` with nothing to do
    import pandas as pd

#: Tables whose rows belong to one ministry; a ministry report's hash covers its rows of each.
MINISTRY_TABLES = (
    "assessments", "budgets", "scores", "recommendations", "quarantine", "conflicts",
    "coverage_by_sex", "coverage_quality",
)


#: What a ministry report compares with nationally (level distribution, mean score,
#: budget shares): every ministry's scores and budgets, without lineage and programme
#: names. A new score anywhere re-renders every ministry report; a corrected remark,
#: spelling or quarantine line re-renders only its own ministry.
NATIONAL_COMPARISON_TABLES = ("scores", "budgets")


NATIONAL_COMPARISON_DROP = ("source_file", "source_sheet", "source_row", "programme", "remarks")


def frame_digest(df) -> str:
    """A deterministic hash of a table's columns, types and rows ("absent" for None).

    List cells (``lifecycle_stages`` ...) are hashed as their JSON text.
    """
    import pandas as pd

    if df is None:
        return "absent"
    df = df.reset_index(drop=True)
    h = hashlib.sha256()
    h.update(json.dumps([[str(c), str(t)] for c, t in df.dtypes.items()]).encode())
    if len(df):
        prepared = {}
        for col in df.columns:
            s = df[col]
            if s.dtype == object:
                s = s.map(_stable_text).astype("str")
            prepared[str(col)] = s
        hashed = pd.util.hash_pandas_object(pd.DataFrame(prepared), index=False)
        h.update(hashed.to_numpy().tobytes())
    return h.hexdigest()


def _stable_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "\x00NA"
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, default=str, sort_keys=True)
    return str(value)


def ministry_rows(tables, name: str, code: str | None) -> dict[str, pd.DataFrame | None]:
    """Each ministry table cut to one ministry's rows (by code, name, source file or programme)."""

    assessments = tables.assessments
    own = assessments[assessments["ministry_code"] == code]
    files = set(own["source_file"].dropna().tolist())
    if tables.budgets is not None and "ministry_code" in tables.budgets.columns:
        files |= set(tables.budgets.loc[tables.budgets["ministry_code"] == code, "source_file"].dropna().tolist())
    programmes = {normalise_key(p) for p in own["programme"].dropna().tolist()}
    rows: dict[str, pd.DataFrame | None] = {}
    for table in MINISTRY_TABLES:
        df = getattr(tables, table, None)
        if df is None:
            rows[table] = None
        elif "ministry_code" in df.columns:
            rows[table] = df[df["ministry_code"] == code]
        elif "ministry" in df.columns:
            rows[table] = df[df["ministry"].isin([name, code])]
        elif table == "quarantine" and "source_file" in df.columns:
            rows[table] = df[df["source_file"].isin(files)]
        elif "programme" in df.columns:
            rows[table] = df[df["programme"].map(normalise_key).isin(programmes)]
        else:
            rows[table] = df
    return rows


def national_digest(tables) -> dict:
    out = {}
    for table in NATIONAL_COMPARISON_TABLES:
        df = getattr(tables, table, None)
        if df is not None:
            df = df.drop(columns=[c for c in NATIONAL_COMPARISON_DROP if c in df.columns])
        out[table] = frame_digest(df)
    return out


def report_hash(report: PlannedReport, tables, package: str, notebook: str, national: dict) -> str:
    """The hash a report is skipped on: notebook, package, parameters and its data."""
    data: dict[str, object]
    if report.kind in (ReportKind.NATIONAL, ReportKind.CLUSTER):  # a cluster spans ministries
        data = {t: frame_digest(getattr(tables, t, None)) for t in MINISTRY_TABLES}
    else:
        data = {t: frame_digest(df) for t, df in ministry_rows(tables, report.name, report.code).items()}
        data["national"] = national
    payload = {
        "package_version": __version__,
        "package": package,
        "notebook": notebook,
        "parameters": report.parameters,
        "data": data,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
