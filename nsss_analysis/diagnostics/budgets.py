"""Budget and beneficiary indicators: each programme's budget once, the share of the
budget in gender-specific or transformative programmes, women's share of
beneficiaries, and the plausibility check of allocations against the arithmetic
(docs/method.md, "Budgets")."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from nsss_analysis.diagnostics.rubric import (
    GENDER_SPECIFIC_OR_TRANSFORMATIVE,
    PLAUSIBILITY_LOG10_TOLERANCE,
    PLAUSIBLE_RATIO_RANGE,
)
from nsss_analysis.diagnostics.units import (
    HEAD,
    LINEAGE,
    programme_key,
    select_unit,
    typed_frame,
    unit_head,
    units_of,
)
from nsss_analysis.reference.ministries import resolve_ministry
from nsss_analysis.reference.vocab import BUDGET_COLUMNS, normalise_key

#: The interval column of women's share of beneficiaries, stating why there is none.
ADMINISTRATIVE_TOTALS = "none: administrative totals, not a sample"


def _empty_budgets() -> pd.DataFrame:
    return typed_frame(
        [],
        BUDGET_COLUMNS,
        floats=("budget_crore", "beneficiaries", "women_beneficiaries", "monthly_rate_bdt"),
    )


def _budgets(budgets: pd.DataFrame | None) -> pd.DataFrame:
    return _empty_budgets() if budgets is None else budgets


def allocation_flags(budgets: pd.DataFrame) -> pd.Series:
    """The plausibility flag of each budget row (``""`` when plausible or not checkable:
    no monthly rate, beneficiaries or budget), aligned to ``budgets``' index."""
    b = budgets
    known = b["budget_crore"].notna() & b["beneficiaries"].gt(0) & b["monthly_rate_bdt"].gt(0)
    implied = b["beneficiaries"] * b["monthly_rate_bdt"] * 12 / 1e7
    ratio = (b["budget_crore"] / implied).where(known)
    return pd.Series([plausibility_flag(r) if k else "" for r, k in zip(ratio, known, strict=True)],
                     index=b.index, dtype="str")


def flagged_allocations(budgets: pd.DataFrame | None) -> pd.DataFrame:
    """The budget rows whose allocation fails the plausibility check (lineage,
    ministry_code, programme, fiscal_year, flag): left out of every total and share."""
    b = _budgets(budgets)
    flags = allocation_flags(b)
    return b.assign(flag=flags)[flags != ""][[*LINEAGE, "ministry_code", "programme", "fiscal_year", "flag"]]


def _without_flagged(b: pd.DataFrame) -> pd.DataFrame:
    return b[allocation_flags(b) == ""] if len(b) else b


def _known(budgets: pd.DataFrame | None, column: str) -> pd.DataFrame:
    """Budget rows where ``column`` is known, one per programme and fiscal year.

    Where two rows give the same programme and year (a ministry's Budget sheet and
    the national table), the first in lineage order is kept, so money is never
    counted twice. For ``budget_crore``, allocations flagged by the plausibility
    check are left out (they are listed, never silently corrected or summed).
    """
    b = _budgets(budgets)
    b = b[b[column].notna() & b["fiscal_year"].notna()]
    if column == "budget_crore":
        b = _without_flagged(b)
    b = b.assign(programme_key=programme_key(b))
    b = b.sort_values(list(LINEAGE), kind="stable")
    return b.drop_duplicates(["ministry_code", "programme_key", "fiscal_year"], keep="first")


def known_budgets(budgets: pd.DataFrame | None, column: str) -> pd.DataFrame:
    """Budget rows where ``column`` is known, one per programme and fiscal year, with
    ``programme_key`` (flagged allocations left out of ``budget_crore``)."""
    return _known(budgets, column)


#: A page's budget year needs figures for at least this many programmes, and at least
#: this share of the unit's programmes with any budget on record (docs/method.md).
BUDGET_YEAR_MIN_PROGRAMMES = 5
BUDGET_YEAR_MIN_SHARE = 0.5
#: The fiscal year passed on when no year qualifies: it matches no budget row, so
#: every budget figure of the page is empty and no share is given.
NO_BUDGET_YEAR = "none"


def report_year(budgets: pd.DataFrame | None, assessments: pd.DataFrame, ministry: str | None = None) -> str | None:
    """The fiscal year a unit's report is filed under: its budget year where one
    qualifies (:func:`latest_qualifying_year`), else the latest year with a known
    budget, else the latest assessment round named on its forms; None when none exists
    (the report then covers all fiscal years, in the folder ``all-years/``)."""
    years = budget_years(budgets, ministry) if budgets is not None and len(budgets) else None
    return report_year_of(years, assessments, ministry)


def report_year_of(years: pd.DataFrame | None, assessments: pd.DataFrame, ministry: str | None = None) -> str | None:
    """:func:`report_year` from the unit's :func:`budget_years` (None: no budgets at
    all), computed once for many units by the runner."""
    if years is not None and len(years):
        return latest_qualifying_year(years) or str(years["fiscal_year"].max())
    if "assessment_round" in assessments.columns:
        rows = assessments if ministry is None else assessments[assessments["ministry_code"] == ministry]
        named = [y for y in rows["assessment_round"].dropna().tolist() if isinstance(y, str) and y]
        if named:
            return max(named)
    return None


def budget_years(budgets: pd.DataFrame | None, ministry: str | None = None) -> pd.DataFrame:
    """Per fiscal year, of the unit's programmes with a known (unflagged) budget:
    ``fiscal_year``, ``n_programmes`` with a figure that year, ``n_with_budget`` (with
    any budget on record), ``n_ministries`` that year and ``n_ministries_with_budget``,
    ``budget_crore`` (the year's total) and ``qualifies`` (the budget-year rule)."""
    return budget_years_of(_known(budgets, "budget_crore"), ministry)


def budget_years_of(known: pd.DataFrame, ministry: str | None = None) -> pd.DataFrame:
    """:func:`budget_years` from ``known_budgets(budgets, "budget_crore")``, computed
    once for many units (the runner plans every ministry's page year at once)."""
    b = known
    if ministry is not None:
        b = b[b["ministry_code"] == resolve_ministry(ministry).code]
    cols = ["fiscal_year", "n_programmes", "n_with_budget", "n_ministries", "n_ministries_with_budget",
            "budget_crore", "qualifies"]
    if not len(b):
        return typed_frame([], cols, ints=cols[1:5], floats=("budget_crore",), bools=("qualifies",))
    n_all = b[["ministry_code", "programme_key"]].drop_duplicates().shape[0]
    m_all = b["ministry_code"].nunique()
    records = []
    for fy, rows in b.groupby("fiscal_year", sort=True):
        n = rows[["ministry_code", "programme_key"]].drop_duplicates().shape[0]
        m = rows["ministry_code"].nunique()
        ok = n >= BUDGET_YEAR_MIN_PROGRAMMES and n >= BUDGET_YEAR_MIN_SHARE * n_all
        if ministry is None:
            ok = ok and m >= BUDGET_YEAR_MIN_SHARE * m_all
        records.append({"fiscal_year": str(fy), "n_programmes": n, "n_with_budget": n_all, "n_ministries": m,
                        "n_ministries_with_budget": m_all, "budget_crore": float(rows["budget_crore"].sum()),
                        "qualifies": ok})
    return typed_frame(records, cols, ints=cols[1:5], floats=("budget_crore",), bools=("qualifies",))


def resolve_fiscal_year(
    budgets: pd.DataFrame | None,
    ministry: str | None = None,
    fiscal_year: str | None = None,
) -> str | None:
    """The fiscal year a page's budget figures are for: ``fiscal_year`` when given,
    else the latest year in which at least half of the unit's programmes with any
    budget on record, and at least 5 of them, have a figure (nationally: and at least
    half of the ministries that report budgets); ``None`` when no year qualifies (the
    page then gives amounts per year and no share: see :func:`budget_years`).
    """
    if fiscal_year is not None:
        return str(fiscal_year)
    return latest_qualifying_year(budget_years(budgets, ministry))


def latest_qualifying_year(years: pd.DataFrame) -> str | None:
    """The latest year of a :func:`budget_years` table that meets the budget-year rule."""
    years = years[years["qualifies"]]
    return str(years["fiscal_year"].max()) if len(years) else None


def programme_budgets(budgets: pd.DataFrame | None, fiscal_year: str | None = None) -> pd.DataFrame:
    """Each programme's budget: in ``fiscal_year`` when given, else in its latest
    fiscal year with a known budget. Columns: ``ministry``, ``ministry_code``,
    ``programme``, ``programme_key``, ``cluster``, ``fiscal_year``, ``budget_crore``.
    """
    b = _known(budgets, "budget_crore")
    if fiscal_year is not None:
        b = b[b["fiscal_year"] == fiscal_year]
    b = b.sort_values("fiscal_year", ascending=False, kind="stable")
    b = b.drop_duplicates(["ministry_code", "programme_key"], keep="first")
    cols = ["ministry", "ministry_code", "programme", "programme_key", "cluster",
            "fiscal_year", "budget_crore"]
    return b[cols].sort_values(["ministry_code", "programme_key"]).reset_index(drop=True)


def _per_programme(values: pd.Series, rows: pd.DataFrame) -> pd.Series:
    """``values`` (indexed by ministry_code and programme_key) looked up for each of
    ``rows`` (which carry those two columns); null where the programme is absent."""
    idx = pd.MultiIndex.from_arrays([rows["ministry_code"], rows["programme_key"]])
    return pd.Series(values.reindex(idx).to_numpy(), index=rows.index)


def _with_assessed_cluster(b: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """Fill a budget row's missing cluster from the assessment of the same programme."""
    s = scores.assign(programme_key=programme_key(scores)).dropna(subset=["cluster"])
    clusters = s.drop_duplicates(["ministry_code", "programme_key"]).set_index(
        ["ministry_code", "programme_key"])["cluster"]
    return b.assign(cluster=b["cluster"].fillna(_per_programme(clusters, b)))


def budget_gender_share(
    scores: pd.DataFrame,
    budgets: pd.DataFrame | None,
    by: str = "ministry",
    fiscal_year: str | None = None,
) -> pd.DataFrame:
    """The share of the unit's social-security budget in gender-specific or
    gender-transformative programmes, for ``fiscal_year`` or the unit's latest
    fiscal year with a known budget.

    ``budget_total`` is every programme of the unit in the budget table that year,
    assessed or not (``n_programmes_not_assessed`` says how many were not: their
    money is in the denominator, never in the numerator). A programme assessed more
    than once counts as gender-specific or transformative only if every assessment
    says so. ``share`` is null when no budget is known.
    """
    b = _with_assessed_cluster(_known(budgets, "budget_crore"), scores)
    flagged = flagged_allocations(budgets)
    s = scores.assign(programme_key=programme_key(scores))
    gsot = (
        s["level"].isin(GENDER_SPECIFIC_OR_TRANSFORMATIVE)
        .groupby([s["ministry_code"], s["programme_key"]]).all()
    )
    flag = _per_programme(gsot, b)
    b = b.assign(assessed=flag.notna(), gsot=flag.fillna(False).astype(bool))
    records = []
    for unit, code in units_of(by, scores, b):
        sub = select_unit(b, by, unit, code)
        fy = fiscal_year if fiscal_year is not None else (sub["fiscal_year"].max() if len(sub) else None)
        sub = sub[sub["fiscal_year"] == fy]
        total = float(sub["budget_crore"].sum()) if len(sub) else math.nan
        specific = float(sub.loc[sub["gsot"], "budget_crore"].sum()) if len(sub) else math.nan
        if by == "national":
            left_out = flagged[flagged["fiscal_year"] == fy]
        elif by == "ministry":
            left_out = flagged[(flagged["fiscal_year"] == fy) & (flagged["ministry_code"] == code)]
        else:
            keys = set(zip(sub["ministry_code"], sub["programme_key"], strict=True))
            mine = np.array([(c, k) in keys for c, k in zip(
                flagged["ministry_code"], flagged["programme"].map(normalise_key), strict=True)], dtype=bool)
            left_out = flagged[(flagged["fiscal_year"] == fy).to_numpy() & mine]
        records.append(
            unit_head(by, unit, code)
            | {"fiscal_year": fy, "budget_total": total,
               "budget_assessed": (
                   float(sub.loc[sub["assessed"], "budget_crore"].sum()) if len(sub) else math.nan
               ),
               "budget_gender_specific_or_transformative": specific,
               "share": specific / total if total and total > 0 else math.nan,
               "n_programmes_with_budget": len(sub),
               "n_programmes_not_assessed": int((~sub["assessed"]).sum()),
               "n_allocations_flagged": len(left_out),
               "flags_left_out": "; ".join(sorted(set(left_out["flag"])))}
        )
    cols = [*HEAD, "fiscal_year", "budget_total", "budget_assessed",
            "budget_gender_specific_or_transformative", "share",
            "n_programmes_with_budget", "n_programmes_not_assessed", "n_allocations_flagged",
            "flags_left_out"]
    return typed_frame(records, cols, floats=cols[4:8], ints=cols[8:11])


def _women_rows(budgets: pd.DataFrame | None, fiscal_year: str | None) -> pd.DataFrame:
    b = _known(budgets, "women_beneficiaries")
    if fiscal_year is not None:
        b = b[b["fiscal_year"] == fiscal_year]
    return b


def _women_columns(b: pd.DataFrame) -> pd.DataFrame:
    ben, women = b["beneficiaries"], b["women_beneficiaries"]
    usable = ben.notna() & (ben > 0)
    share = (women / ben).where(usable)
    return b.assign(women_share=share, plausible=~(usable & (women > ben)))


def women_share_by_programme(budgets: pd.DataFrame | None, fiscal_year: str | None = None) -> pd.DataFrame:
    """Women's share of each programme's beneficiaries where ``women_beneficiaries``
    is known: in ``fiscal_year``, else in the programme's latest year that reports it.

    These are the programme's administrative counts of everyone it pays, not a
    sample, so no sampling interval is given. ``plausible`` is False where women
    outnumber all beneficiaries (shown, never corrected); ``women_share`` is null
    where the total is unknown or zero.
    """
    b = _women_rows(budgets, fiscal_year).sort_values("fiscal_year", ascending=False, kind="stable")
    b = _women_columns(b.drop_duplicates(["ministry_code", "programme_key"], keep="first"))
    cols = [*LINEAGE, "ministry", "ministry_code", "programme", "cluster", "fiscal_year",
            "beneficiaries", "women_beneficiaries", "women_share", "plausible"]
    out = b[cols].sort_values(["ministry", "programme"], key=lambda s: s.str.lower())
    return typed_frame(out.to_dict("records"), cols,
                  floats=("beneficiaries", "women_beneficiaries", "women_share"),
                  bools=("plausible",)).reset_index(drop=True)


def women_beneficiary_share(
    budgets: pd.DataFrame | None, by: str = "ministry", fiscal_year: str | None = None
) -> pd.DataFrame:
    """Women's share of beneficiaries overall, for the unit's programmes that report
    both counts in ``fiscal_year`` (else the unit's latest year in which any does).

    A ratio of administrative totals (women paid / people paid), with
    ``n_programmes_reporting`` out of ``n_programmes`` (programmes with a budget row
    that year) and the range of programme shares. No interval: a Wilson interval would
    treat millions of people as a random sample, which they are not (``interval``
    says so). Rows where women outnumber all beneficiaries are left out and counted in
    ``n_programmes_implausible``.
    """
    all_rows = _known(budgets, "fiscal_year")
    women = _women_columns(_women_rows(budgets, fiscal_year))
    records = []
    for unit, code in units_of(by, all_rows):
        sub = select_unit(women, by, unit, code)
        fy = fiscal_year if fiscal_year is not None else (sub["fiscal_year"].max() if len(sub) else None)
        sub = sub[sub["fiscal_year"] == fy]
        ok = sub[sub["women_share"].notna() & sub["plausible"]]
        total, n_women = float(ok["beneficiaries"].sum()), float(ok["women_beneficiaries"].sum())
        in_year = select_unit(all_rows, by, unit, code)
        records.append(
            unit_head(by, unit, code)
            | {"fiscal_year": fy,
               "n_programmes": int(in_year.loc[in_year["fiscal_year"] == fy, "programme_key"].nunique()),
               "n_programmes_reporting": len(ok),
               "n_programmes_implausible": int((~sub["plausible"]).sum()),
               "beneficiaries": total if len(ok) else math.nan,
               "women_beneficiaries": n_women if len(ok) else math.nan,
               "women_share": n_women / total if len(ok) and total > 0 else math.nan,
               "min_programme_share": ok["women_share"].min() if len(ok) else math.nan,
               "max_programme_share": ok["women_share"].max() if len(ok) else math.nan,
               "interval": ADMINISTRATIVE_TOTALS}
        )
    cols = [*HEAD, "fiscal_year", "n_programmes", "n_programmes_reporting",
            "n_programmes_implausible", "beneficiaries", "women_beneficiaries", "women_share",
            "min_programme_share", "max_programme_share", "interval"]
    return typed_frame(records, cols, ints=cols[4:7], floats=cols[7:12])


#: The kinds of a plausibility flag (:func:`flag_parts`).
FLAG_SCALE, FLAG_RATIO = "scale", "ratio"


def plausibility_flag(ratio: float) -> str:
    """A code, not words: ``"scale:1"``, ``"scale:2"``, ``"scale:-1"``... when ``ratio``
    is near a power of ten (a slipped decimal or unit: the power); ``"ratio:<ratio>"``
    when outside the plausible range otherwise; ``""`` when plausible. The report says
    it in words (:func:`flag_parts`).

    >>> plausibility_flag(6133 / 613.37), plausibility_flag(0.5)
    ('scale:1', 'ratio:0.5')
    """
    if not ratio > 0:
        return f"{FLAG_RATIO}:{float(ratio)!r}"
    power = math.log10(ratio)
    k = round(power)
    if k != 0 and abs(power - k) <= PLAUSIBILITY_LOG10_TOLERANCE:
        return f"{FLAG_SCALE}:{k}"
    low, high = PLAUSIBLE_RATIO_RANGE
    return "" if low <= ratio <= high else f"{FLAG_RATIO}:{float(ratio)!r}"


def flag_parts(flag: object) -> tuple[str, float | None]:
    """A stored plausibility flag (:func:`plausibility_flag`) as its kind and number, so
    the report words it in its own language: ``("scale", 1)`` (about 10 times the
    arithmetic), ``("scale", -2)`` (about 1/100), ``("ratio", 0.02)``; ``("", None)``
    for anything else.

    >>> flag_parts("scale:-1"), flag_parts("ratio:0.02"), flag_parts("about")
    (('scale', -1), ('ratio', 0.02), ('', None))
    """
    kind, _, value = ("" if flag is None else str(flag).strip()).partition(":")
    try:
        if kind == FLAG_SCALE:
            return FLAG_SCALE, int(value)
        if kind == FLAG_RATIO:
            return FLAG_RATIO, float(value)
    except ValueError:
        pass
    return "", None


def budget_plausibility(budgets: pd.DataFrame | None) -> pd.DataFrame:
    """Budget rows where a monthly rate is known, checked against the arithmetic:
    ``implied_crore = beneficiaries x monthly_rate_bdt x 12 / 1e7`` and
    ``ratio = budget_crore / implied_crore``, with :func:`plausibility_flag`.

    Flagged, never corrected: the figures stay as submitted (a published Rangpur
    page gives 8,51,900 x Tk 600 with "6133 crore"; the arithmetic gives 613.4).
    """
    b = _budgets(budgets)
    known = b["budget_crore"].notna() & b["beneficiaries"].gt(0) & b["monthly_rate_bdt"].gt(0)
    b = b[known].sort_values(list(LINEAGE), kind="stable")
    implied = b["beneficiaries"] * b["monthly_rate_bdt"] * 12 / 1e7
    ratio = b["budget_crore"] / implied
    flags = [plausibility_flag(r) for r in ratio]
    b = b.assign(implied_crore=implied, ratio=ratio, flag=flags, plausible=[f == "" for f in flags])
    cols = [*LINEAGE, "ministry", "ministry_code", "programme", "fiscal_year", "beneficiaries",
            "monthly_rate_bdt", "budget_crore", "implied_crore", "ratio", "flag", "plausible"]
    return typed_frame(b[cols].to_dict("records"), cols, floats=cols[7:12], bools=("plausible",))
