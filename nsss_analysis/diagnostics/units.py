"""Units of analysis (a ministry, a cluster, the nation) and the table helpers every
indicator shares: which units a table holds, one unit's rows, typed frames and
Wilson columns.

Every indicator table starts with ``scope`` (``ministry``, ``cluster`` or
``national``), ``unit`` (the ministry's register name, the cluster, or
``"Bangladesh"``) and ``ministry_code`` (null outside ministry rows), so tables of
different scopes stack and compare."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from nsss_analysis.diagnostics.intervals import wilson_interval
from nsss_analysis.diagnostics.rubric import SHARE_MIN_N
from nsss_analysis.errors import UsageError
from nsss_analysis.reference.vocab import CLUSTERS, LINEAGE_COLUMNS, normalise_key

BY: tuple[str, ...] = ("ministry", "cluster", "national")


NATIONAL_UNIT = "Bangladesh"


#: The unit for programmes whose cluster the form left empty or unreadable.
NO_CLUSTER = "cluster not given"


HEAD = ("scope", "unit", "ministry_code")


LINEAGE = LINEAGE_COLUMNS


def _check_by(by: str) -> None:
    if by not in BY:
        raise UsageError(f"by={by!r}: choose one of {', '.join(BY)}")


def programme_key(df: pd.DataFrame) -> pd.Series:
    """The programme's matching key: ``normalise_key(programme)``."""
    return df["programme"].map(normalise_key).astype("str")


def cluster_column(df: pd.DataFrame) -> pd.Series:
    return df["cluster"].fillna(NO_CLUSTER).astype("str")


def units_of(by: str, *given: pd.DataFrame | None) -> list[tuple[str, str | None]]:
    """The units present in the frames ``given``, in a fixed, non-ranking order."""
    _check_by(by)
    frames: tuple[pd.DataFrame, ...] = tuple(f for f in given if f is not None and len(f))
    if by == "national":
        return [(NATIONAL_UNIT, None)]
    if by == "cluster":
        present = set().union(*(set(cluster_column(f)) for f in frames)) if frames else set()
        order = [*CLUSTERS, NO_CLUSTER]
        return [(c, None) for c in order if c in present] + [
            (c, None) for c in sorted(present - set(order))
        ]
    names: dict[str, str] = {}
    for f in frames:
        for code, name in zip(f["ministry_code"], f["ministry"], strict=True):
            if isinstance(code, str) and code not in names:
                names[code] = name if isinstance(name, str) else code
    return sorted(((name, code) for code, name in names.items()), key=lambda u: u[0].lower())


def select_unit(df: pd.DataFrame, by: str, unit: str, code: str | None) -> pd.DataFrame:
    if by == "national":
        return df
    if by == "cluster":
        return df[cluster_column(df) == unit]
    return df[df["ministry_code"] == code]


def unit_head(by: str, unit: str, code: str | None) -> dict[str, object]:
    return {"scope": by, "unit": unit, "ministry_code": code}


def typed_frame(
    records: list[dict],
    columns: Sequence[str],
    ints: Iterable[str] = (),
    floats: Iterable[str] = (),
    bools: Iterable[str] = (),
    nullable_ints: Iterable[str] = (),
) -> pd.DataFrame:
    """Records as a DataFrame with explicit dtypes (text columns are ``str``)."""
    df = pd.DataFrame(records, columns=list(columns))
    typed = (
        {c: "int64" for c in ints}
        | {c: "float64" for c in floats}
        | {c: "bool" for c in bools}
        | {c: "Int64" for c in nullable_ints}
    )
    typed |= {c: "str" for c in df.columns if c not in typed and c != "source_row"}
    if "source_row" in df.columns:
        typed["source_row"] = "int64"
    return df.astype(typed)


def add_wilson(df: pd.DataFrame, count: str = "count", n: str = "n") -> pd.DataFrame:
    """Add ``share``, ``ci_low``, ``ci_high`` (95% Wilson) from a count and its n.

    Below ``SHARE_MIN_N`` (5) the share and its interval are null: the count and its
    n are the figure ("1 of 2"), a percentage of so few would mislead."""
    counts = df[count].to_numpy(dtype=float)
    ns = df[n].to_numpy(dtype=float)
    low, high = wilson_interval(counts, ns)
    enough = ns >= SHARE_MIN_N
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(enough, counts / np.where(ns > 0, ns, 1), np.nan)
    return df.assign(share=share, ci_low=np.where(enough, low, np.nan),
                     ci_high=np.where(enough, high, np.nan))


def is_missing(value: object) -> bool:
    """True for None, NaN and pandas' missing markers (a number or text otherwise)."""
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]  # anything float() takes
    except (TypeError, ValueError):
        return value is not None and str(value) in {"<NA>", "nan", "NaT"}


def as_float(value: object) -> float:
    return math.nan if is_missing(value) else float(value)  # type: ignore[arg-type]  # not missing: a number
