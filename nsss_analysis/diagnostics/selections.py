"""Selections of the indicator tables that figures and sentences share: one scope's
rows, programmes per life-cycle stage, the guideline's target groups, and the
headline figures of a unit."""

from __future__ import annotations

import math

from nsss_analysis.diagnostics.intervals import wilson_interval
from nsss_analysis.diagnostics.rubric import GENDER_SPECIFIC_OR_TRANSFORMATIVE


def rows_of(table, scope: str, measure: str | None = None):
    """The rows of a stacked indicator table for one ``scope`` (and ``measure``)."""
    if table is None or not len(table):
        return table
    out = table[table["scope"] == scope]
    if measure is not None and "measure" in out.columns:
        out = out[out["measure"] == measure]
    return out.reset_index(drop=True)


def stage_counts(lifecycle_matrix):
    """Programmes per life-cycle stage, over all clusters (``lifecycle_stage``,
    ``n_programmes``), in the matrix's order; ``none`` (no stage named) left out.

    A programme has one cluster, so adding its cells across clusters counts it once
    per stage it names.
    """
    import pandas as pd

    if lifecycle_matrix is None or not len(lifecycle_matrix):
        return pd.DataFrame({"lifecycle_stage": pd.Series(dtype="str"), "n_programmes": pd.Series(dtype="int64")})
    m = lifecycle_matrix[lifecycle_matrix["lifecycle_stage"] != "none"]
    order = list(dict.fromkeys(m["lifecycle_stage"]))
    counts = m.groupby("lifecycle_stage", sort=False)["n_programmes"].sum().reindex(order)
    return counts.rename_axis("lifecycle_stage").reset_index()


def guideline_groups(target_groups, scope: str = "national"):
    """Programmes naming each target group of the guideline (``group``,
    ``n_programmes``) for one scope's rows of ``target_groups_reached``."""
    rows = rows_of(target_groups, scope)
    if rows is None or not len(rows):
        return rows
    if "guideline_group" in rows.columns:
        rows = rows[rows["guideline_group"]]
    return rows[["group", "n_programmes"]].reset_index(drop=True)


def _gsot_count(level_rows) -> tuple[int, int]:

    if level_rows is None or not len(level_rows):
        return 0, 0
    k = int(level_rows.loc[level_rows["level"].isin(GENDER_SPECIFIC_OR_TRANSFORMATIVE), "count"].sum())
    return k, int(level_rows["n"].iloc[0])


def gsot_share(level_rows) -> tuple[int, int, float, float]:
    """Programmes gender-specific or transformative among one unit's level rows: the
    count, n, and the 95% Wilson interval of the share (nan bounds when n is 0)."""
    k, n = _gsot_count(level_rows)
    low, high = wilson_interval(k, n) if n else (math.nan, math.nan)
    return k, n, low, high


def units_with_none(level_rows) -> tuple[int, int]:
    """How many units of a scope have no gender-specific or transformative programme,
    of how many units (no ranking)."""
    if level_rows is None or not len(level_rows):
        return 0, 0
    per_unit = level_rows.groupby("unit").apply(lambda r: _gsot_count(r)[0], include_groups=False)
    return int((per_unit == 0).sum()), len(per_unit)


def channel_counts(channels, programme: str) -> tuple[str, int, int, int, int] | None:
    """The commonest payment channel of one programme, and how many of its women and of
    its men are paid through it, of how many: ``(channel, women_k, women_n, men_k,
    men_n)`` (a share of fewer than 5 people is written as the count); None when one
    sex has nobody counted."""
    rows = channels[channels["programme"] == programme] if programme else channels
    main = rows.groupby("payment_channel")["beneficiaries"].sum().idxmax()
    share = rows.groupby(["sex", "payment_channel"])["beneficiaries"].sum()
    totals = rows.groupby("sex")["beneficiaries"].sum()
    if not totals.get("female", 0) or not totals.get("male", 0):
        return None
    return (main, int(share.get(("female", main), 0)), int(totals["female"]),
            int(share.get(("male", main), 0)), int(totals["male"]))


def channel_shares(channels, programme: str) -> tuple[str, float, float] | None:
    """The commonest payment channel of one programme, and the share of its women and of
    its men paid through it; None when one sex has nobody counted."""
    counts = channel_counts(channels, programme)
    if counts is None:
        return None
    main, wk, wn, mk, mn = counts
    return main, wk / wn, mk / mn
