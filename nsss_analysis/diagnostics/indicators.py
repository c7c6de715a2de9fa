"""Ministry, cluster and national indicators (docs/method.md, sections 4-6).

One function per table. Each takes processed tables (DataFrames per the contract) and
``by`` in ``{"ministry", "cluster", "national"}`` and returns a tidy DataFrame whose
first columns are ``scope`` (the ``by``), ``unit`` (the ministry's register name, the
cluster, or ``"Bangladesh"``) and ``ministry_code`` (the register code on ministry
rows, null elsewhere), so tables for different scopes can be stacked and compared.

The notebooks call :func:`~nsss_analysis.io.load_tables` once, then
:func:`~nsss_analysis.diagnostics.summaries.ministry_summary` or
:func:`~nsss_analysis.diagnostics.summaries.national_summary`, which gather every table for one ministry or the nation.
``nsss score`` writes each table (all scopes stacked) as ``indicator_<name>.parquet``.

Choices a reader should know (the method note prints them too):

- Each programme counts once (:mod:`nsss_analysis.diagnostics.counting`): callers
  pass the counted rows of each programme's latest round; conflicts stay listed in
  ``conflicts.csv``.
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
from collections.abc import Sequence

import numpy as np
import pandas as pd

from nsss_analysis.diagnostics.budgets import budget_years, programme_budgets, resolve_fiscal_year
from nsss_analysis.diagnostics.intervals import mean_interval
from nsss_analysis.diagnostics.rubric import COMPARISON_MIN_N, COMPLETENESS_THRESHOLD
from nsss_analysis.diagnostics.scoring import as_list
from nsss_analysis.diagnostics.tracker import line_ids
from nsss_analysis.diagnostics.units import (
    HEAD,
    LINEAGE,
    NATIONAL_UNIT,
    add_wilson,
    cluster_column,
    programme_key,
    select_unit,
    typed_frame,
    unit_head,
    units_of,
)
from nsss_analysis.errors import NsssError
from nsss_analysis.reference.ministries import match_ministry, resolve_ministry
from nsss_analysis.reference.vocab import (
    CLUSTERS,
    DOMAINS,
    GUIDELINE_TARGET_GROUPS,
    ITEMS,
    LEVELS,
    LIFECYCLE_STAGES,
    QUARANTINE_COLUMNS,
    TARGET_GROUPS,
    normalise_key,
)

#: The life-cycle "stage" of a programme that names none (covariate-risk programmes).
NO_STAGE = "none"


#: Target-group rows: the guideline's groups first, then the others of the form.
TARGET_GROUP_ORDER: tuple[str, ...] = GUIDELINE_TARGET_GROUPS + tuple(
    g for g in TARGET_GROUPS if g not in GUIDELINE_TARGET_GROUPS
)


#: Row for groups written in words that match no vocabulary (``target_groups_other``).
OTHER_GROUP = "other (as written)"


#: Columns that identify a row within a unit, for comparisons with the nation.
COMPARE_KEYS = ("measure", "level", "item", "group", "cluster", "lifecycle_stage")


def level_shares(scores: pd.DataFrame, by: str = "ministry") -> pd.DataFrame:
    """Programmes at each level (every level, zero counts included) with the share
    and its 95% Wilson interval. Columns: scope, unit, ministry_code, level, count,
    n, share, ci_low, ci_high.
    """
    records = []
    for unit, code in units_of(by, scores):
        sub = select_unit(scores, by, unit, code)
        counts = sub["level"].value_counts()
        for level in LEVELS:
            records.append(
                unit_head(by, unit, code)
                | {"level": level, "count": int(counts.get(level, 0)), "n": len(sub)}
            )
    df = typed_frame(records, [*HEAD, "level", "count", "n"], ints=("count", "n"))
    return add_wilson(df)


def mean_score(
    scores: pd.DataFrame,
    by: str = "ministry",
    measure: str = "inclusion_score",
) -> pd.DataFrame:
    """Mean ``measure`` (``inclusion_score`` or ``potential_score``) with a 95% t
    interval clipped to 0-100 from 3 programmes up (none when the scores are all
    equal); ``small_n`` below 5, where reports show the programmes' own scores
    (:func:`nsss_analysis.diagnostics.intervals.mean_interval`). ``n`` counts programmes with a
    score; ``n_programmes`` all assessed programmes of the unit.
    """
    records = []
    for unit, code in units_of(by, scores):
        sub = select_unit(scores, by, unit, code)
        m = mean_interval(sub[measure])
        records.append(
            unit_head(by, unit, code)
            | {"measure": measure, "n_programmes": len(sub), "n": m.n, "mean": m.mean,
               "ci_low": m.ci_low, "ci_high": m.ci_high, "method": m.method,
               "small_n": m.small_n}
        )
    cols = [*HEAD, "measure", "n_programmes", "n", "mean", "ci_low", "ci_high", "method", "small_n"]
    return typed_frame(records, cols, ints=("n_programmes", "n"),
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
    for unit, code in units_of(by, assessments):
        sub = select_unit(assessments, by, unit, code)
        for domain, items in DOMAINS.items():
            for item in items:
                answers = sub[item].fillna("unknown")
                n_na = int((answers == "not_applicable").sum())
                records.append(
                    unit_head(by, unit, code)
                    | {"domain": domain, "item": item, "n_programmes": len(sub),
                       "n_not_applicable": n_na, "n": len(sub) - n_na,
                       "n_unknown": int((answers == "unknown").sum()),
                       "count": int((answers == "yes").sum())}
                )
    cols = [*HEAD, "domain", "item", "n_programmes", "n_not_applicable", "n", "n_unknown", "count"]
    df = typed_frame(records, cols, ints=cols[5:])
    return add_wilson(df).rename(columns={"count": "count_yes"})


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
        name, code = (m := resolve_ministry(ministry)).name, m.code
        a = a[a["ministry_code"] == code]
        head = unit_head("ministry", name, code)
    else:
        code = None
        head = unit_head("national", NATIONAL_UNIT, None)
    fy = resolve_fiscal_year(budgets, code, fiscal_year)
    if fy is None and fiscal_year is None and budgets is not None:  # no budget year: amounts of the latest year
        known = budget_years(budgets, code)
        fy = str(known["fiscal_year"].max()) if len(known) else None
    money = programme_budgets(budgets, fy) if fy is not None else programme_budgets(None)
    a = a.assign(
        programme_key=programme_key(a),
        cluster=cluster_column(a),
        lifecycle_stage=[as_list(v) or [NO_STAGE] for v in a["lifecycle_stages"]],
    )
    cells = a[["ministry_code", "programme_key", "cluster", "lifecycle_stage"]].explode("lifecycle_stage")
    cells = cells.drop_duplicates().merge(
        money[["ministry_code", "programme_key", "budget_crore"]],
        on=["ministry_code", "programme_key"], how="left",
    )
    clusters = [*CLUSTERS] + [c for c in sorted(set(cells["cluster"])) if c not in CLUSTERS]
    stages = [*LIFECYCLE_STAGES] + [
        s for s in sorted(set(cells["lifecycle_stage"].dropna())) if s not in LIFECYCLE_STAGES
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
    return typed_frame(records, cols, ints=("n_programmes", "n_programmes_with_budget"),
                  floats=("budget_crore",))


def target_groups_reached(assessments: pd.DataFrame, by: str = "ministry") -> pd.DataFrame:
    """For every target group (the guideline's groups first, flagged
    ``guideline_group``), how many distinct programmes of the unit name it and whether
    any does (``reached``). Groups written in other words are one row, ``OTHER_GROUP``.
    """
    a = assessments.assign(programme_key=programme_key(assessments))
    records = []
    for unit, code in units_of(by, a):
        sub = select_unit(a, by, unit, code)
        keys = list(zip(sub["ministry_code"], sub["programme_key"], strict=True))
        groups = [set(as_list(v)) for v in sub["target_groups"]]
        others = [bool(as_list(v)) for v in sub["target_groups_other"]]
        for group in (*TARGET_GROUP_ORDER, OTHER_GROUP):
            hits = others if group == OTHER_GROUP else [group in g for g in groups]
            n = len({k for k, hit in zip(keys, hits, strict=True) if hit})
            records.append(
                unit_head(by, unit, code)
                | {"group": group, "guideline_group": group in GUIDELINE_TARGET_GROUPS,
                   "n_programmes": n, "reached": n > 0}
            )
    cols = [*HEAD, "group", "guideline_group", "n_programmes", "reached"]
    return typed_frame(records, cols, ints=("n_programmes",), bools=("guideline_group", "reached"))


def data_readiness(scores: pd.DataFrame, by: str = "ministry") -> pd.DataFrame:
    """Programmes ready to measure gender results: all three of
    ``sex_disaggregated_data``, ``gender_reporting`` and ``gender_indicators`` are
    ``yes`` (``not_applicable``, ``unknown`` and ``partly`` are not ready). ``n`` is
    every programme of the unit; share with a 95% Wilson interval (from 5
    programmes), and the count at each weakest answer.
    """
    records = []
    for unit, code in units_of(by, scores):
        sub = select_unit(scores, by, unit, code)
        counts = sub["data_readiness"].value_counts()
        records.append(
            unit_head(by, unit, code)
            | {"n_programmes": len(sub), "n": len(sub),
               "n_ready": int(counts.get("yes", 0)),
               "n_not_applicable": int(counts.get("not_applicable", 0)),
               "n_partly": int(counts.get("partly", 0)),
               "n_unknown": int(counts.get("unknown", 0)),
               "n_no": int(counts.get("no", 0))}
        )
    cols = [*HEAD, "n_programmes", "n", "n_ready", "n_not_applicable", "n_partly", "n_unknown",
            "n_no"]
    return add_wilson(typed_frame(records, cols, ints=cols[3:]), count="n_ready")


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
    return c.assign(programme_key=prog.fillna("").map(normalise_key))


def data_quality(
    assessments: pd.DataFrame,
    quarantine: pd.DataFrame | None = None,
    conflicts: pd.DataFrame | None = None,
    by: str = "ministry",
    lineage: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Answers left ``unknown``, programmes below the completeness threshold,
    quarantined lines and conflicts, per unit.

    ``lineage`` (default ``assessments``) is every assessment row read, counted or
    not: which ministries each file holds. Pass it when ``assessments`` are the counted
    rows, so that a file shared with a disputed programme's ministry stays shared (its
    lines are not all given to the other ministry).

    A quarantine line is attributed to a ministry when its file holds assessments of
    that ministry only; other lines, and all lines for clusters (a quarantined row
    has no usable cluster), count only nationally (``n_quarantined`` is null where it
    cannot be attributed). Conflicts are attributed through the assessment row they
    name.
    """
    a = assessments.assign(
        n_unknown=assessments[list(ITEMS)].fillna("unknown").eq("unknown").sum(axis=1)
    )
    q = quarantine if quarantine is not None else pd.DataFrame(columns=list(QUARANTINE_COLUMNS))
    rows = assessments if lineage is None else lineage
    q_code = quarantine_ministries(q, rows)
    file_codes = rows.groupby("source_file")["ministry_code"].agg(lambda s: set(s.dropna()))
    c = _conflict_units(conflicts, assessments) if conflicts is not None and len(conflicts) else None
    records = []
    for unit, code in units_of(by, a):
        sub = select_unit(a, by, unit, code)
        n_answers = len(sub) * len(ITEMS)
        n_unknown = int(sub["n_unknown"].sum())
        shared = pd.NA
        lines, shared_lines = [], []
        if by == "national":
            n_q = len(q)
            lines = line_ids(q)
        elif by == "ministry":
            n_q = int((q_code == code).sum())
            files = {f for f, codes in file_codes.items() if code in codes and len(codes) > 1}
            shared = int((q_code.isna() & q["source_file"].isin(files)).sum())
            lines = line_ids(q[(q_code == code).to_numpy()])
            shared_lines = line_ids(q[(q_code.isna() & q["source_file"].isin(files)).to_numpy()])
        else:
            n_q = pd.NA
        csub = select_unit(c, by, unit, code) if c is not None else None
        records.append(
            unit_head(by, unit, code)
            | {"n_programmes": len(sub), "n_answers": n_answers, "n_unknown": n_unknown,
               "share_unknown": n_unknown / n_answers if n_answers else math.nan,
               "n_programmes_insufficient": int(
                   (len(ITEMS) - sub["n_unknown"] < COMPLETENESS_THRESHOLD * len(ITEMS)).sum()
               ),
               "n_quarantined": n_q,
               "n_quarantined_shared_unnamed": shared,
               "quarantine_lines": "\n".join(lines), "quarantine_shared_lines": "\n".join(shared_lines),
               "n_conflict_rows": 0 if csub is None else len(csub),
               "n_conflicting_programmes": 0 if csub is None else
               csub[["ministry_code", "programme_key"]].drop_duplicates().shape[0]}
        )
    cols = [*HEAD, "n_programmes", "n_answers", "n_unknown", "share_unknown",
            "n_programmes_insufficient", "n_quarantined", "n_quarantined_shared_unnamed", "n_conflict_rows",
            "n_conflicting_programmes", "quarantine_lines", "quarantine_shared_lines"]
    return typed_frame(records, cols, ints=("n_programmes", "n_answers", "n_unknown",
                                       "n_programmes_insufficient", "n_conflict_rows",
                                       "n_conflicting_programmes"),
                  floats=("share_unknown",), nullable_ints=("n_quarantined", "n_quarantined_shared_unnamed"))


def quarantine_ministries(quarantine: pd.DataFrame, assessments: pd.DataFrame) -> pd.Series:
    """The ministry code each quarantined line names, by lineage (null where it names
    none): the one ministry of its file when the file holds one ministry's rows only;
    in a file shared by several ministries, the ministry the line itself names (its
    ``ministry`` cell, or the first fields of a quarantined row). Aligned to
    ``quarantine``'s index."""
    q = quarantine
    if q is None or not len(q):
        return pd.Series(dtype="str", index=None if q is None else q.index)
    file_codes = assessments.groupby("source_file")["ministry_code"].agg(lambda s: set(s.dropna()))
    single = {f: next(iter(codes)) for f, codes in file_codes.items() if len(codes) == 1}
    shared = {f for f, codes in file_codes.items() if len(codes) > 1}
    out = []
    for file, column, value in zip(q["source_file"], q["column"], q["value"], strict=True):
        code = single.get(file)
        if code is None and file in shared and isinstance(value, str):
            fields = [value] if column == "ministry" else value.split(" | ")[:2]
            for field in fields:
                try:
                    found = match_ministry(field.strip())
                except Exception:  # noqa: BLE001 - a cell that names no ministry
                    found = None
                if found is not None and found.code in file_codes.get(file, set()):
                    code = found.code
                    break
        out.append(code)
    return pd.Series(out, index=q.index, dtype="str")


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
    ``comparison`` is a code, and cautious: ``above`` or ``below`` only when both sides
    have at least ``COMPARISON_MIN_N`` (5) programmes (the table's ``n``) and their 95%
    intervals do not overlap; otherwise ``too_few``, ``no_interval`` or ``overlap``
    (these data cannot tell); no rank is ever computed. The report words it.
    """
    keys = list(keys) if keys is not None else [k for k in COMPARE_KEYS if k in table.columns]
    national = table[table["scope"] == "national"]
    if national.empty:
        raise NsssError("compare_with_national: the table has no national rows to compare with")
    if "n" not in table.columns:
        table = table.assign(n=COMPARISON_MIN_N)
    nat = national[[*keys, value_col, low_col, high_col, "n"]].rename(
        columns={value_col: f"national_{value_col}", low_col: "national_ci_low",
                 high_col: "national_ci_high", "n": "national_n"}
    )
    units = table[table["scope"] != "national"][[*HEAD, *keys, value_col, low_col, high_col, "n"]]
    units = units.rename(columns={low_col: "ci_low", high_col: "ci_high"})
    if keys:
        out = units.merge(nat, on=keys, how="left")
    else:  # one figure per unit: the single national row goes beside each
        out = units.merge(nat.iloc[:1], how="cross")
    value, nat_value = out[value_col], out[f"national_{value_col}"]
    have = out[["ci_low", "ci_high", "national_ci_low", "national_ci_high"]].notna().all(axis=1)
    enough = (out["n"] >= COMPARISON_MIN_N) & (out["national_n"] >= COMPARISON_MIN_N)
    overlap = (out["ci_low"] <= out["national_ci_high"]) & (out["national_ci_low"] <= out["ci_high"])
    comparison = np.select([~enough, ~have, overlap, value > nat_value],
                           ["too_few", "no_interval", "overlap", "above"], "below")
    return out.assign(intervals_overlap=(overlap & have).astype(bool),
                      difference=(enough & have & ~overlap).astype(bool), comparison=comparison).astype(
        {"comparison": "str"}
    )
