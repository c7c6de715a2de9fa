"""Ministry, cluster and national indicators (diagnostics spec section 3).

One function per table. Each takes processed tables (DataFrames per the contract) and
``by`` in ``{"ministry", "cluster", "national"}`` and returns a tidy DataFrame whose
first columns are ``scope`` (the ``by``), ``unit`` (the ministry's register name, the
cluster, or ``"Bangladesh"``) and ``ministry_code`` (the register code on ministry
rows, null elsewhere), so tables for different scopes can be stacked and compared.

The notebooks call :func:`load_tables` once, then :func:`ministry_summary` or
:func:`national_summary`, which gather every table for one ministry or the nation.
``nsss score`` writes each table (all scopes stacked) as ``indicator_<name>.parquet``.

Choices a reader should know (the method note prints them too):

- Counts are of assessment rows: a programme assessed twice with different answers
  (a conflict, listed in ``conflicts.csv``) counts twice until a person resolves it.
  Coverage tables (life-cycle matrix, target groups) count distinct programmes, and
  budget tables count each programme's money once (see :func:`programme_budgets`).
- Programmes are matched across tables by ``(ministry_code, normalise_key(programme))``.
- "Latest fiscal year with data" is chosen per unit for a sum (a ministry's budget
  share is over one fiscal year), and per programme for a programme's own budget.
- Shares of programmes carry 95% Wilson intervals; women's share of beneficiaries is
  a ratio of administrative totals (a census of the people paid, not a sample), so it
  carries no sampling interval and says so.
- No table ranks ministries: units come in alphabetical (ministries) or the NSSS
  order (clusters); comparisons are with the national figure, intervals beside it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from nsss_analysis import vocab
from nsss_analysis.errors import NsssError, UsageError
from nsss_analysis.intervals import mean_interval, wilson_interval
from nsss_analysis.scoring import (
    BOOTSTRAP_SEED,
    COMPLETENESS_THRESHOLD,
    GENDER_SPECIFIC_OR_TRANSFORMATIVE,
    PLAUSIBILITY_LOG10_TOLERANCE,
    PLAUSIBLE_RATIO_RANGE,
    as_list,
    score_programmes,
)

BY: tuple[str, ...] = ("ministry", "cluster", "national")
NATIONAL_UNIT = "Bangladesh"
#: The unit for programmes whose cluster the form left empty or unreadable.
NO_CLUSTER = "cluster not given"
#: The life-cycle "stage" of a programme that names none (covariate-risk programmes).
NO_STAGE = "none"
#: Target-group rows: the guideline's groups first, then the others of the form.
TARGET_GROUP_ORDER: tuple[str, ...] = vocab.GUIDELINE_TARGET_GROUPS + tuple(
    g for g in vocab.TARGET_GROUPS if g not in vocab.GUIDELINE_TARGET_GROUPS
)
#: Row for groups written in words that match no vocabulary (``target_groups_other``).
OTHER_GROUP = "other (as written)"
#: The interval column of women's share of beneficiaries, stating why there is none.
ADMINISTRATIVE_TOTALS = "none: administrative totals, not a sample"
HEAD = ("scope", "unit", "ministry_code")
LINEAGE = vocab.LINEAGE_COLUMNS
#: Columns that identify a row within a unit, for comparisons with the nation.
COMPARE_KEYS = ("measure", "level", "item", "group", "cluster", "lifecycle_stage")


# --- units ------------------------------------------------------------------------


def _check_by(by: str) -> None:
    if by not in BY:
        raise UsageError(f"by={by!r}: choose one of {', '.join(BY)}")


def programme_key(df: pd.DataFrame) -> pd.Series:
    """The programme's matching key: ``vocab.normalise_key(programme)``."""
    return df["programme"].map(vocab.normalise_key).astype("str")


def _cluster(df: pd.DataFrame) -> pd.Series:
    return df["cluster"].fillna(NO_CLUSTER).astype("str")


def _units(by: str, *frames: pd.DataFrame | None) -> list[tuple[str, str | None]]:
    """The units present in ``frames``, in a fixed, non-ranking order."""
    _check_by(by)
    frames = tuple(f for f in frames if f is not None and len(f))
    if by == "national":
        return [(NATIONAL_UNIT, None)]
    if by == "cluster":
        present = set().union(*(set(_cluster(f)) for f in frames)) if frames else set()
        order = [*vocab.CLUSTERS, NO_CLUSTER]
        return [(c, None) for c in order if c in present] + [
            (c, None) for c in sorted(present - set(order))
        ]
    names: dict[str, str] = {}
    for f in frames:
        for code, name in zip(f["ministry_code"], f["ministry"], strict=True):
            if isinstance(code, str) and code not in names:
                names[code] = name if isinstance(name, str) else code
    return sorted(((name, code) for code, name in names.items()), key=lambda u: u[0].lower())


def _select(df: pd.DataFrame, by: str, unit: str, code: str | None) -> pd.DataFrame:
    if by == "national":
        return df
    if by == "cluster":
        return df[_cluster(df) == unit]
    return df[df["ministry_code"] == code]


def _head(by: str, unit: str, code: str | None) -> dict[str, object]:
    return {"scope": by, "unit": unit, "ministry_code": code}


def _frame(
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


def _add_wilson(df: pd.DataFrame, count: str = "count", n: str = "n") -> pd.DataFrame:
    """Add ``share``, ``ci_low``, ``ci_high`` (95% Wilson) from a count and its n."""
    counts = df[count].to_numpy(dtype=float)
    ns = df[n].to_numpy(dtype=float)
    low, high = wilson_interval(counts, ns)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(ns > 0, counts / np.where(ns > 0, ns, 1), np.nan)
    return df.assign(share=share, ci_low=low, ci_high=high)


def resolve_ministry(ministry: str, *frames: pd.DataFrame | None) -> tuple[str, str]:
    """``(name, code)`` of a ministry given by code, name or register alias.

    Looks in the register first, then at the names in ``frames``; an unknown name is
    a one-line :class:`NsssError`.
    """
    key = vocab.normalise_key(ministry)
    for m in vocab.load_reference().ministries:
        spellings = (m.code, m.name, *m.aliases)
        if key in {vocab.normalise_key(s) for s in spellings}:
            return m.name, m.code
    for f in frames:
        if f is None:
            continue
        for code, name in zip(f["ministry_code"], f["ministry"], strict=True):
            if key in (vocab.normalise_key(code), vocab.normalise_key(name)):
                return name, code
    raise NsssError(f"ministry {ministry!r}: not in the register of ministries and divisions")


# --- budgets ----------------------------------------------------------------------


def _empty_budgets() -> pd.DataFrame:
    return _frame(
        [],
        vocab.BUDGET_COLUMNS,
        floats=("budget_crore", "beneficiaries", "women_beneficiaries", "monthly_rate_bdt"),
    )


def _budgets(budgets: pd.DataFrame | None) -> pd.DataFrame:
    return _empty_budgets() if budgets is None else budgets


def _known(budgets: pd.DataFrame | None, column: str) -> pd.DataFrame:
    """Budget rows where ``column`` is known, one per programme and fiscal year.

    Where two rows give the same programme and year (a ministry's Budget sheet and
    the national table), the first in lineage order is kept, so money is never
    counted twice.
    """
    b = _budgets(budgets)
    b = b[b[column].notna() & b["fiscal_year"].notna()]
    b = b.assign(programme_key=programme_key(b))
    b = b.sort_values(list(LINEAGE), kind="stable")
    return b.drop_duplicates(["ministry_code", "programme_key", "fiscal_year"], keep="first")


def resolve_fiscal_year(
    budgets: pd.DataFrame | None,
    ministry: str | None = None,
    fiscal_year: str | None = None,
) -> str | None:
    """The fiscal year a budget figure is for: ``fiscal_year`` when given, else the
    latest year with a known budget (for ``ministry``, a name or code, when given);
    ``None`` when there is none.
    """
    if fiscal_year is not None:
        return str(fiscal_year)
    b = _known(budgets, "budget_crore")
    if ministry is not None:
        _, code = resolve_ministry(ministry, b)
        b = b[b["ministry_code"] == code]
    return str(b["fiscal_year"].max()) if len(b) else None


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


# --- the indicator tables ---------------------------------------------------------


def level_shares(scores: pd.DataFrame, by: str = "ministry") -> pd.DataFrame:
    """Programmes at each level (every level, zero counts included) with the share
    and its 95% Wilson interval. Columns: scope, unit, ministry_code, level, count,
    n, share, ci_low, ci_high.
    """
    records = []
    for unit, code in _units(by, scores):
        sub = _select(scores, by, unit, code)
        counts = sub["level"].value_counts()
        for level in vocab.LEVELS:
            records.append(
                _head(by, unit, code)
                | {"level": level, "count": int(counts.get(level, 0)), "n": len(sub)}
            )
    df = _frame(records, [*HEAD, "level", "count", "n"], ints=("count", "n"))
    return _add_wilson(df)


def mean_score(
    scores: pd.DataFrame,
    by: str = "ministry",
    measure: str = "inclusion_score",
    seed: int = BOOTSTRAP_SEED,
) -> pd.DataFrame:
    """Mean ``measure`` (``inclusion_score`` or ``potential_score``) with a 95% interval:
    t for n >= 10, seeded bootstrap below, none below 2; ``small_n`` below 5
    (:func:`nsss_analysis.intervals.mean_interval`). ``n`` counts programmes with a
    score; ``n_programmes`` all assessed programmes of the unit.
    """
    records = []
    for unit, code in _units(by, scores):
        sub = _select(scores, by, unit, code)
        m = mean_interval(sub[measure], seed=seed)
        records.append(
            _head(by, unit, code)
            | {"measure": measure, "n_programmes": len(sub), "n": m.n, "mean": m.mean,
               "ci_low": m.ci_low, "ci_high": m.ci_high, "method": m.method,
               "small_n": m.small_n}
        )
    cols = [*HEAD, "measure", "n_programmes", "n", "mean", "ci_low", "ci_high", "method", "small_n"]
    return _frame(records, cols, ints=("n_programmes", "n"),
                  floats=("mean", "ci_low", "ci_high"), bools=("small_n",))


def item_yes_shares(assessments: pd.DataFrame, by: str = "ministry") -> pd.DataFrame:
    """The share of programmes answering each of the ten items ``yes``, with Wilson
    intervals.

    ``n`` is the programmes the item applies to: all of the unit's programmes except
    those answering ``not_applicable``. ``unknown`` stays in ``n`` (it is not a known
    yes, as it counts against completeness), so the share is what the forms show, a
    floor rather than a guess; ``n_unknown`` says how much is unknown.
    """
    records = []
    for unit, code in _units(by, assessments):
        sub = _select(assessments, by, unit, code)
        for domain, items in vocab.DOMAINS.items():
            for item in items:
                answers = sub[item].fillna("unknown")
                n_na = int((answers == "not_applicable").sum())
                records.append(
                    _head(by, unit, code)
                    | {"domain": domain, "item": item, "n_programmes": len(sub),
                       "n_not_applicable": n_na, "n": len(sub) - n_na,
                       "n_unknown": int((answers == "unknown").sum()),
                       "count": int((answers == "yes").sum())}
                )
    cols = [*HEAD, "domain", "item", "n_programmes", "n_not_applicable", "n", "n_unknown", "count"]
    df = _frame(records, cols, ints=cols[5:])
    return _add_wilson(df).rename(columns={"count": "count_yes"})


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
    s = scores.assign(programme_key=programme_key(scores))
    gsot = (
        s["level"].isin(GENDER_SPECIFIC_OR_TRANSFORMATIVE)
        .groupby([s["ministry_code"], s["programme_key"]]).all()
    )
    flag = _per_programme(gsot, b)
    b = b.assign(assessed=flag.notna(), gsot=flag.fillna(False).astype(bool))
    records = []
    for unit, code in _units(by, scores, b):
        sub = _select(b, by, unit, code)
        fy = fiscal_year if fiscal_year is not None else (sub["fiscal_year"].max() if len(sub) else None)
        sub = sub[sub["fiscal_year"] == fy]
        total = float(sub["budget_crore"].sum()) if len(sub) else math.nan
        specific = float(sub.loc[sub["gsot"], "budget_crore"].sum()) if len(sub) else math.nan
        records.append(
            _head(by, unit, code)
            | {"fiscal_year": fy, "budget_total": total,
               "budget_assessed": (
                   float(sub.loc[sub["assessed"], "budget_crore"].sum()) if len(sub) else math.nan
               ),
               "budget_gender_specific_or_transformative": specific,
               "share": specific / total if total and total > 0 else math.nan,
               "n_programmes_with_budget": len(sub),
               "n_programmes_not_assessed": int((~sub["assessed"]).sum())}
        )
    cols = [*HEAD, "fiscal_year", "budget_total", "budget_assessed",
            "budget_gender_specific_or_transformative", "share",
            "n_programmes_with_budget", "n_programmes_not_assessed"]
    return _frame(records, cols, floats=cols[4:8], ints=cols[8:])


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
    return _frame(out.to_dict("records"), cols,
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
    for unit, code in _units(by, all_rows):
        sub = _select(women, by, unit, code)
        fy = fiscal_year if fiscal_year is not None else (sub["fiscal_year"].max() if len(sub) else None)
        sub = sub[sub["fiscal_year"] == fy]
        ok = sub[sub["women_share"].notna() & sub["plausible"]]
        total, n_women = float(ok["beneficiaries"].sum()), float(ok["women_beneficiaries"].sum())
        in_year = _select(all_rows, by, unit, code)
        records.append(
            _head(by, unit, code)
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
    return _frame(records, cols, ints=cols[4:7], floats=cols[7:12])


def lifecycle_matrix(
    assessments: pd.DataFrame,
    budgets: pd.DataFrame | None = None,
    ministry: str | None = None,
    fiscal_year: str | None = None,
) -> pd.DataFrame:
    """Cluster x life-cycle-stage matrix (long): distinct programmes and their budget.

    Every cluster and stage appears (zero counts included, so gaps show); a programme
    naming no stage (covariate-risk, disaster programmes) is under ``"none"``. A
    programme with several stages is counted, with its whole budget, under each: add
    across clusters, not across stages. Budget is for ``fiscal_year`` or the latest
    year with a known budget (of the ministry, when given); ``budget_crore`` is null
    where no programme of the cell has a known budget.
    """
    a = assessments
    if ministry is not None:
        name, code = resolve_ministry(ministry, assessments, budgets)
        a = a[a["ministry_code"] == code]
        head = _head("ministry", name, code)
    else:
        code = None
        head = _head("national", NATIONAL_UNIT, None)
    fy = resolve_fiscal_year(budgets, code, fiscal_year)
    money = programme_budgets(budgets, fy) if fy is not None else programme_budgets(None)
    a = a.assign(
        programme_key=programme_key(a),
        cluster=_cluster(a),
        lifecycle_stage=[as_list(v) or [NO_STAGE] for v in a["lifecycle_stages"]],
    )
    cells = a[["ministry_code", "programme_key", "cluster", "lifecycle_stage"]].explode("lifecycle_stage")
    cells = cells.drop_duplicates().merge(
        money[["ministry_code", "programme_key", "budget_crore"]],
        on=["ministry_code", "programme_key"], how="left",
    )
    clusters = [*vocab.CLUSTERS] + [c for c in sorted(set(cells["cluster"])) if c not in vocab.CLUSTERS]
    stages = [*vocab.LIFECYCLE_STAGES] + [
        s for s in sorted(set(cells["lifecycle_stage"].dropna())) if s not in vocab.LIFECYCLE_STAGES
        and s != NO_STAGE
    ] + [NO_STAGE]
    grouped = cells.groupby(["cluster", "lifecycle_stage"])
    n = grouped.size()
    n_budget = grouped["budget_crore"].count()
    total = grouped["budget_crore"].sum(min_count=1)
    records = [
        head | {"fiscal_year": fy, "cluster": c, "lifecycle_stage": s,
                "n_programmes": int(n.get((c, s), 0)),
                "n_programmes_with_budget": int(n_budget.get((c, s), 0)),
                "budget_crore": total.get((c, s), math.nan)}
        for c in clusters for s in stages
    ]
    cols = [*HEAD, "fiscal_year", "cluster", "lifecycle_stage", "n_programmes",
            "n_programmes_with_budget", "budget_crore"]
    return _frame(records, cols, ints=("n_programmes", "n_programmes_with_budget"),
                  floats=("budget_crore",))


def target_groups_reached(assessments: pd.DataFrame, by: str = "ministry") -> pd.DataFrame:
    """For every target group (the guideline's groups first, flagged
    ``guideline_group``), how many distinct programmes of the unit name it and whether
    any does (``reached``). Groups written in other words are one row, ``OTHER_GROUP``.
    """
    a = assessments.assign(programme_key=programme_key(assessments))
    records = []
    for unit, code in _units(by, a):
        sub = _select(a, by, unit, code)
        keys = list(zip(sub["ministry_code"], sub["programme_key"], strict=True))
        groups = [set(as_list(v)) for v in sub["target_groups"]]
        others = [bool(as_list(v)) for v in sub["target_groups_other"]]
        for group in (*TARGET_GROUP_ORDER, OTHER_GROUP):
            hits = others if group == OTHER_GROUP else [group in g for g in groups]
            n = len({k for k, hit in zip(keys, hits, strict=True) if hit})
            records.append(
                _head(by, unit, code)
                | {"group": group, "guideline_group": group in vocab.GUIDELINE_TARGET_GROUPS,
                   "n_programmes": n, "reached": n > 0}
            )
    cols = [*HEAD, "group", "guideline_group", "n_programmes", "reached"]
    return _frame(records, cols, ints=("n_programmes",), bools=("guideline_group", "reached"))


def data_readiness(scores: pd.DataFrame, by: str = "ministry") -> pd.DataFrame:
    """Programmes ready to measure gender results: the weakest of
    ``sex_disaggregated_data``, ``gender_reporting`` and ``gender_indicators`` is
    ``yes`` (``not_applicable`` ignored). ``n`` leaves out programmes where all three
    are not applicable; share with a 95% Wilson interval, and the count at each
    weakest answer.
    """
    records = []
    for unit, code in _units(by, scores):
        sub = _select(scores, by, unit, code)
        counts = sub["data_readiness"].value_counts()
        n_na = int(counts.get("not_applicable", 0))
        records.append(
            _head(by, unit, code)
            | {"n_programmes": len(sub), "n": len(sub) - n_na,
               "n_ready": int(counts.get("yes", 0)),
               "n_partly": int(counts.get("partly", 0)),
               "n_unknown": int(counts.get("unknown", 0)),
               "n_no": int(counts.get("no", 0))}
        )
    cols = [*HEAD, "n_programmes", "n", "n_ready", "n_partly", "n_unknown", "n_no"]
    return _add_wilson(_frame(records, cols, ints=cols[3:]), count="n_ready")


def plausibility_flag(ratio: float) -> str:
    """``"about 10x"``, ``"about 100x"``, ``"about 1/10x"``... when ``ratio`` is near a
    power of ten (a slipped decimal or unit); ``"ratio R: check"`` when outside the
    plausible range otherwise; ``""`` when plausible.

    >>> plausibility_flag(6133 / 613.37)
    'about 10x'
    """
    if not ratio > 0:
        return f"ratio {ratio:.3g}: check"
    power = math.log10(ratio)
    k = round(power)
    if k != 0 and abs(power - k) <= PLAUSIBILITY_LOG10_TOLERANCE:
        return f"about {10 ** k}x" if k > 0 else f"about 1/{10 ** -k}x"
    low, high = PLAUSIBLE_RATIO_RANGE
    return "" if low <= ratio <= high else f"ratio {ratio:.3g}: check"


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
    return _frame(b[cols].to_dict("records"), cols, floats=cols[7:12], bools=("plausible",))


def _conflict_units(conflicts: pd.DataFrame, assessments: pd.DataFrame) -> pd.DataFrame:
    """Each conflict line with the ministry code, cluster and programme key of the
    assessment row it points to (by lineage), else by its ministry and programme."""
    c = conflicts.copy()
    if all(col in c.columns for col in LINEAGE):
        a = assessments[[*LINEAGE, "ministry_code", "cluster", "programme"]].astype(
            {"source_row": "int64", "source_sheet": "str", "source_file": "str"}
        )
        c = c.assign(
            source_row=pd.to_numeric(c["source_row"], errors="coerce"),
            source_sheet=c["source_sheet"].fillna("").astype("str"),
        )
        c = c.merge(a, on=list(LINEAGE), how="left", suffixes=("_c", ""))
        for col in ("ministry_code", "programme"):
            if f"{col}_c" in c.columns:
                c[col] = c[col].fillna(c[f"{col}_c"])
    if "ministry_code" not in c.columns:
        c["ministry_code"] = pd.NA
    if "ministry" in c.columns:
        names = dict(zip(assessments["ministry"], assessments["ministry_code"], strict=True))
        c["ministry_code"] = c["ministry_code"].fillna(c["ministry"].map(names))
    if "cluster" not in c.columns:
        c["cluster"] = pd.NA
    prog = c["programme"] if "programme" in c.columns else pd.Series("", index=c.index)
    return c.assign(programme_key=prog.fillna("").map(vocab.normalise_key))


def data_quality(
    assessments: pd.DataFrame,
    quarantine: pd.DataFrame | None = None,
    conflicts: pd.DataFrame | None = None,
    by: str = "ministry",
) -> pd.DataFrame:
    """Answers left ``unknown``, programmes below the completeness threshold,
    quarantined lines and conflicts, per unit.

    A quarantine line is attributed to a ministry when its file holds assessments of
    that ministry only; other lines, and all lines for clusters (a quarantined row
    has no usable cluster), count only nationally (``n_quarantined`` is null where it
    cannot be attributed). Conflicts are attributed through the assessment row they
    name.
    """
    a = assessments.assign(
        n_unknown=assessments[list(vocab.ITEMS)].fillna("unknown").eq("unknown").sum(axis=1)
    )
    q = quarantine if quarantine is not None else pd.DataFrame(columns=list(vocab.QUARANTINE_COLUMNS))
    file_codes = a.groupby("source_file")["ministry_code"].agg(lambda s: set(s.dropna()))
    single = {f: next(iter(codes)) for f, codes in file_codes.items() if len(codes) == 1}
    q_code = q["source_file"].map(single)
    c = _conflict_units(conflicts, assessments) if conflicts is not None and len(conflicts) else None
    records = []
    for unit, code in _units(by, a):
        sub = _select(a, by, unit, code)
        n_answers = len(sub) * len(vocab.ITEMS)
        n_unknown = int(sub["n_unknown"].sum())
        if by == "national":
            n_q = len(q)
        elif by == "ministry":
            n_q = int((q_code == code).sum())
        else:
            n_q = pd.NA
        csub = _select(c, by, unit, code) if c is not None else None
        records.append(
            _head(by, unit, code)
            | {"n_programmes": len(sub), "n_answers": n_answers, "n_unknown": n_unknown,
               "share_unknown": n_unknown / n_answers if n_answers else math.nan,
               "n_programmes_insufficient": int(
                   (len(vocab.ITEMS) - sub["n_unknown"] < COMPLETENESS_THRESHOLD * len(vocab.ITEMS)).sum()
               ),
               "n_quarantined": n_q,
               "n_conflict_rows": 0 if csub is None else len(csub),
               "n_conflicting_programmes": 0 if csub is None else
               csub[["ministry_code", "programme_key"]].drop_duplicates().shape[0]}
        )
    cols = [*HEAD, "n_programmes", "n_answers", "n_unknown", "share_unknown",
            "n_programmes_insufficient", "n_quarantined", "n_conflict_rows", "n_conflicting_programmes"]
    return _frame(records, cols, ints=("n_programmes", "n_answers", "n_unknown",
                                       "n_programmes_insufficient", "n_conflict_rows",
                                       "n_conflicting_programmes"),
                  floats=("share_unknown",), nullable_ints=("n_quarantined",))


def compare_with_national(
    table: pd.DataFrame,
    value_col: str = "share",
    keys: Sequence[str] | None = None,
    low_col: str = "ci_low",
    high_col: str = "ci_high",
) -> pd.DataFrame:
    """Each unit's figure beside the national one, both with their intervals.

    ``table`` stacks unit rows and national rows (``scope == "national"``), e.g.
    ``pd.concat([level_shares(s, "ministry"), level_shares(s, "national")])``. Rows
    are matched on ``keys`` (default: whichever of ``COMPARE_KEYS`` the table has).
    ``reading`` is cautious: non-overlapping 95% intervals are read as a difference,
    overlapping ones as "not distinguishable"; no rank is ever computed.
    """
    keys = list(keys) if keys is not None else [k for k in COMPARE_KEYS if k in table.columns]
    national = table[table["scope"] == "national"]
    if national.empty:
        raise NsssError("compare_with_national: the table has no national rows to compare with")
    nat = national[[*keys, value_col, low_col, high_col]].rename(
        columns={value_col: f"national_{value_col}", low_col: "national_ci_low",
                 high_col: "national_ci_high"}
    )
    units = table[table["scope"] != "national"][[*HEAD, *keys, value_col, low_col, high_col]]
    units = units.rename(columns={low_col: "ci_low", high_col: "ci_high"})
    if keys:
        out = units.merge(nat, on=keys, how="left")
    else:  # one figure per unit: the single national row goes beside each
        out = units.merge(nat.iloc[:1], how="cross")
    value, nat_value = out[value_col], out[f"national_{value_col}"]
    have = out[["ci_low", "ci_high", "national_ci_low", "national_ci_high"]].notna().all(axis=1)
    overlap = (out["ci_low"] <= out["national_ci_high"]) & (out["national_ci_low"] <= out["ci_high"])
    reading = np.select(
        [~have, overlap, value > nat_value],
        ["no interval on one side: not compared",
         "not distinguishable from the national figure (intervals overlap)",
         "above the national figure (intervals do not overlap)"],
        "below the national figure (intervals do not overlap)",
    )
    return out.assign(intervals_overlap=(overlap & have).astype(bool), reading=reading).astype(
        {"reading": "str"}
    )


# --- loading and gathering --------------------------------------------------------


@dataclass
class Tables:
    """The processed tables a report needs; optional ones are None when absent."""

    assessments: pd.DataFrame
    budgets: pd.DataFrame | None = None
    scores: pd.DataFrame | None = None
    quarantine: pd.DataFrame | None = None
    conflicts: pd.DataFrame | None = None
    recommendations: pd.DataFrame | None = None


def read_optional(name: str, processed_dir: Path | str) -> pd.DataFrame | None:
    """A processed table by name, or None when it has not been written."""
    from nsss_analysis import store

    try:
        return store.load_processed(name, processed_dir)
    except FileNotFoundError:
        return None


def read_assessments(processed_dir: Path | str) -> pd.DataFrame:
    """``assessments.parquet``, or a one-line error naming the command that makes it."""
    assessments = read_optional("assessments", processed_dir)
    if assessments is None:
        raise NsssError(f"{Path(processed_dir) / 'assessments.parquet'}: not found; run `nsss clean` first")
    return assessments


def load_tables(processed_dir: Path | str | None = None) -> Tables:
    """Load the processed tables once (``processed_dir`` defaults to data/processed).

    ``assessments`` is required (a one-line error names the command that makes it);
    ``scores`` are computed from the assessments when ``scores.parquet`` is absent.
    """
    from nsss_analysis.config import PROCESSED_DIR

    processed_dir = Path(processed_dir) if processed_dir is not None else PROCESSED_DIR
    assessments = read_assessments(processed_dir)
    scores = read_optional("scores", processed_dir)
    return Tables(
        assessments=assessments,
        budgets=read_optional("budgets", processed_dir),
        scores=scores if scores is not None else score_programmes(assessments),
        quarantine=read_optional("quarantine", processed_dir),
        conflicts=read_optional("conflicts", processed_dir),
        recommendations=read_optional("recommendations", processed_dir),
    )


def _with_scores(tables: Tables) -> Tables:
    """``tables`` with scores computed from the assessments when they were not loaded."""
    if tables.scores is not None:
        return tables
    return replace(tables, scores=score_programmes(tables.assessments))


def _stack(*frames: pd.DataFrame) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True)


def _by_scopes(function, *args, scopes: Sequence[str] = BY, **kwargs) -> pd.DataFrame:
    return _stack(*(function(*args, by=by, **kwargs) for by in scopes))


def _stacked(tables: Tables, fiscal_year: str | None, scopes: Sequence[str]) -> dict[str, pd.DataFrame]:
    """The indicator tables with the given scopes stacked (all but the life-cycle matrix)."""
    scores, a, b = tables.scores, tables.assessments, tables.budgets
    return {
        "level_shares": _by_scopes(level_shares, scores, scopes=scopes),
        "mean_score": _stack(
            _by_scopes(mean_score, scores, scopes=scopes, measure="inclusion_score"),
            _by_scopes(mean_score, scores, scopes=scopes, measure="potential_score"),
        ),
        "item_yes_shares": _by_scopes(item_yes_shares, a, scopes=scopes),
        "budget_gender_share": _by_scopes(
            budget_gender_share, scores, b, scopes=scopes, fiscal_year=fiscal_year
        ),
        "women_share_by_programme": women_share_by_programme(b, fiscal_year),
        "women_beneficiary_share": _by_scopes(
            women_beneficiary_share, b, scopes=scopes, fiscal_year=fiscal_year
        ),
        "target_groups_reached": _by_scopes(target_groups_reached, a, scopes=scopes),
        "data_readiness": _by_scopes(data_readiness, scores, scopes=scopes),
        "budget_plausibility": budget_plausibility(b),
        "data_quality": _by_scopes(
            data_quality, a, tables.quarantine, tables.conflicts, scopes=scopes
        ),
    }


def all_indicators(tables: Tables, fiscal_year: str | None = None) -> dict[str, pd.DataFrame]:
    """Every indicator table with all scopes stacked (what ``nsss score`` writes); the
    life-cycle matrix is the national one followed by each ministry's."""
    tables = _with_scores(tables)
    a, b = tables.assessments, tables.budgets
    ministries = [code for _, code in _units("ministry", a)]
    lifecycle = _stack(
        lifecycle_matrix(a, b, None, fiscal_year),
        *(lifecycle_matrix(a, b, code, fiscal_year) for code in ministries),
    )
    return _stacked(tables, fiscal_year, BY) | {"lifecycle_matrix": lifecycle}


def ministry_summary(
    tables: Tables, ministry: str, fiscal_year: str | None = None
) -> dict[str, pd.DataFrame]:
    """Every table of one ministry's report, by name, in one call.

    ``ministry`` is a register code, name or alias. Tables with a national figure
    stack the ministry's rows and the national rows (``scope`` tells them apart), and
    ``*_comparison`` tables set them side by side with intervals. The budget year is
    ``fiscal_year`` or the ministry's latest year with a known budget, used for the
    national figures too so that both are for the same year.
    """
    from nsss_analysis.recommendations import quick_wins, recommendations

    tables = _with_scores(tables)
    scores, a, b = tables.scores, tables.assessments, tables.budgets
    name, code = resolve_ministry(ministry, a, b)
    if not (a["ministry_code"] == code).any():
        raise NsssError(f"ministry {ministry!r} ({code}): no assessed programmes in the processed tables")
    fy = resolve_fiscal_year(b, code, fiscal_year)

    def own(df: pd.DataFrame | None) -> pd.DataFrame | None:
        return None if df is None else df[df["ministry_code"] == code].reset_index(drop=True)

    def both(function, *frames: pd.DataFrame | None, **kwargs) -> pd.DataFrame:
        """The ministry's rows (computed from its own rows) above the national ones."""
        mine = function(*(own(f) for f in frames), by="ministry", **kwargs)
        return _stack(mine, function(*frames, by="national", **kwargs))

    recs = tables.recommendations
    recs = recommendations(a, scores, b) if recs is None else recs
    recs = own(recs)
    levels = both(level_shares, scores)
    means = _stack(both(mean_score, scores, measure="inclusion_score"),
                   both(mean_score, scores, measure="potential_score"))
    items = both(item_yes_shares, a)
    readiness = both(data_readiness, scores)
    programmes = own(scores)
    return {
        "about": pd.DataFrame(
            {"ministry": [name], "ministry_code": [code], "fiscal_year": [fy],
             "n_programmes": [len(programmes)]}
        ).astype({"ministry": "str", "ministry_code": "str", "fiscal_year": "str"}),
        "programmes": programmes,
        "assessments": own(a),
        "level_shares": levels,
        "level_comparison": compare_with_national(levels, "share"),
        "mean_score": means,
        "mean_score_comparison": compare_with_national(means, "mean"),
        "item_yes_shares": items,
        "item_comparison": compare_with_national(items, "share"),
        "budget_gender_share": both(budget_gender_share, scores, b, fiscal_year=fy),
        "women_share_by_programme": women_share_by_programme(own(b), fiscal_year),
        "women_beneficiary_share": both(women_beneficiary_share, b, fiscal_year=fiscal_year),
        "lifecycle_matrix": lifecycle_matrix(a, b, code, fy),
        "target_groups_reached": target_groups_reached(own(a), "ministry"),
        "data_readiness": readiness,
        "data_readiness_comparison": compare_with_national(readiness, "share"),
        "budget_plausibility": budget_plausibility(own(b)),
        "data_quality": own(data_quality(a, tables.quarantine, tables.conflicts, "ministry")),
        "recommendations": recs,
        "quick_wins": quick_wins(recs),
    }


def national_summary(tables: Tables, fiscal_year: str | None = None) -> dict[str, object]:
    """Every table of the national overview, by name, in one call.

    Indicator tables stack national, cluster and ministry rows (``scope`` tells them
    apart; ministries in alphabetical order, never ranked). Also the models of spec
    section 4 (:class:`nsss_analysis.models.ModelResult`: a message instead of
    coefficients when there are too few programmes or separation) and the trend
    across assessment rounds (:class:`nsss_analysis.models.TrendResult`).
    """
    from nsss_analysis.models import gender_specific_model, inclusion_score_model, trend_by_round
    from nsss_analysis.recommendations import quick_wins, recommendations

    tables = _with_scores(tables)
    scores, a, b = tables.scores, tables.assessments, tables.budgets
    recs = tables.recommendations
    recs = recommendations(a, scores, b) if recs is None else recs
    fy = resolve_fiscal_year(b, None, fiscal_year)
    about = pd.DataFrame({
        "fiscal_year": [fy], "n_programmes": [len(scores)],
        "n_ministries": [a["ministry_code"].nunique()],
    }).astype({"fiscal_year": "str"})
    return {"about": about, "programmes": scores} | _stacked(
        tables, fiscal_year, ("national", "cluster", "ministry")
    ) | {
        "lifecycle_matrix": lifecycle_matrix(a, b, None, fy),
        "recommendations": recs,
        "quick_wins": quick_wins(recs),
        "gender_specific_model": gender_specific_model(scores, b),
        "inclusion_score_model": inclusion_score_model(scores, b),
        "trend": trend_by_round(a, scores),
    }
