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
    import numpy as np
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
    if df is None:
        return "absent"
    header, rows = row_hashes(df)
    return _digest(header, rows)


def row_hashes(df) -> tuple[bytes, np.ndarray]:
    """A table's columns and types (as bytes) and one 64-bit hash per row.

    A row's hash depends on that row's cells only, so the digest of any subset of
    rows is the header and the subset's row hashes: a table is hashed once per run,
    and each ministry's share of it is cut from the row hashes (:class:`TableDigests`).
    """
    import numpy as np
    import pandas as pd

    df = df.reset_index(drop=True)
    header = json.dumps([[str(c), str(t)] for c, t in df.dtypes.items()]).encode()
    if not len(df):
        return header, np.zeros(0, dtype="uint64")
    prepared = {}
    for col in df.columns:
        s = df[col]
        if s.dtype == object:
            s = s.map(_stable_text).astype("str")
        prepared[str(col)] = s
    hashed = pd.util.hash_pandas_object(pd.DataFrame(prepared), index=False)
    return header, hashed.to_numpy()


def _digest(header: bytes, rows) -> str:
    h = hashlib.sha256()
    h.update(header)
    if len(rows):
        h.update(rows.tobytes())
    return h.hexdigest()


class TableDigests:
    """The digests a run's reports need, each table's rows hashed once.

    ``digest(table)`` is :func:`frame_digest` of the whole table and
    ``digest(table, mask)`` of the rows where ``mask`` is true, equal to
    ``frame_digest(df[mask])`` without hashing the rows again.
    """

    def __init__(self, tables) -> None:
        self.tables = tables
        self._rows: dict[str, tuple[bytes, np.ndarray] | None] = {}
        self._whole: dict[str, str] = {}

    def digest(self, table: str, mask=None) -> str:
        if table not in self._rows:
            df = getattr(self.tables, table, None)
            self._rows[table] = None if df is None else row_hashes(df)
        found = self._rows[table]
        if found is None:
            return "absent"
        header, rows = found
        if mask is None:
            if table not in self._whole:
                self._whole[table] = _digest(header, rows)
            return self._whole[table]
        import numpy as np

        return _digest(header, rows[np.asarray(mask, dtype=bool)])


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
    out: dict[str, pd.DataFrame | None] = {}
    for table, mask in ministry_masks(tables, name, code).items():
        df = getattr(tables, table, None)
        out[table] = None if df is None else (df if mask is None else df[mask])
    return out


def ministry_masks(tables, name: str, code: str | None) -> dict[str, np.ndarray | None]:
    """Which rows of each ministry table are one ministry's (``None``: the whole table,
    or no table): by code, name, source file or programme."""

    assessments = tables.assessments
    own = assessments[assessments["ministry_code"] == code]
    files = set(own["source_file"].dropna().tolist())
    if tables.budgets is not None and "ministry_code" in tables.budgets.columns:
        files |= set(tables.budgets.loc[tables.budgets["ministry_code"] == code, "source_file"].dropna().tolist())
    programmes = {normalise_key(p) for p in own["programme"].dropna().tolist()}
    masks: dict[str, np.ndarray | None] = {}
    for table in MINISTRY_TABLES:
        df = getattr(tables, table, None)
        if df is None:
            masks[table] = None
        elif "ministry_code" in df.columns:
            masks[table] = (df["ministry_code"] == code).to_numpy(dtype=bool, na_value=False)
        elif "ministry" in df.columns:
            masks[table] = df["ministry"].isin([name, code]).to_numpy(dtype=bool, na_value=False)
        elif table == "quarantine" and "source_file" in df.columns:
            masks[table] = df["source_file"].isin(files).to_numpy(dtype=bool, na_value=False)
        elif "programme" in df.columns:
            masks[table] = df["programme"].map(normalise_key).isin(programmes).to_numpy(dtype=bool, na_value=False)
        else:
            masks[table] = None
    return masks


def national_digest(tables) -> dict:
    out = {}
    for table in NATIONAL_COMPARISON_TABLES:
        df = getattr(tables, table, None)
        if df is not None:
            df = df.drop(columns=[c for c in NATIONAL_COMPARISON_DROP if c in df.columns])
        out[table] = frame_digest(df)
    return out


def report_hash(report: PlannedReport, tables, package: str, notebook: str, national: dict,
                digests: TableDigests | None = None) -> str:
    """The hash a report is skipped on: notebook, package, parameters and its data.

    ``digests`` (one per run) hashes each table once for all the run's reports."""
    digests = digests or TableDigests(tables)
    data: dict[str, object]
    if report.kind in (ReportKind.NATIONAL, ReportKind.CLUSTER):  # a cluster spans ministries
        data = {t: digests.digest(t) for t in MINISTRY_TABLES}
    else:
        data = {t: digests.digest(t, mask) for t, mask in ministry_masks(tables, report.name, report.code).items()}
        data["national"] = national
    payload = {
        "package_version": __version__,
        "package": package,
        "notebook": notebook,
        "parameters": report.parameters,
        "data": data,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
