"""Every table of one report in one call: :func:`ministry_summary`,
:func:`national_summary`, :func:`all_indicators` (what ``nsss score`` writes) and
:func:`headline_figures` (the first screen's numbers)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from nsss_analysis.diagnostics.budgets import (
    NO_BUDGET_YEAR,
    budget_gender_share,
    budget_plausibility,
    budget_years,
    programme_budgets,
    resolve_fiscal_year,
    women_beneficiary_share,
    women_share_by_programme,
)
from nsss_analysis.diagnostics.counting import (
    counted_assessments,
    current_assessments,
    disputed_forms,
    rounds_of,
    with_lineage_of,
)
from nsss_analysis.diagnostics.indicators import (
    compare_with_national,
    data_quality,
    data_readiness,
    item_yes_shares,
    level_shares,
    lifecycle_matrix,
    mean_score,
    target_groups_reached,
)
from nsss_analysis.diagnostics.intervals import wilson_interval
from nsss_analysis.diagnostics.models import (
    gender_specific_model,
    inclusion_score_model,
)
from nsss_analysis.diagnostics.recommendations import quick_wins, recommendations
from nsss_analysis.diagnostics.rubric import (
    GENDER_SPECIFIC_OR_TRANSFORMATIVE,
    SMALL_N,
    TRANSFORMATIVE,
)
from nsss_analysis.diagnostics.scoring import score_programmes
from nsss_analysis.diagnostics.trends import budget_trend, trend_by_round
from nsss_analysis.diagnostics.units import (
    BY,
    NATIONAL_UNIT,
    as_float,
    is_missing,
    programme_key,
    units_of,
)
from nsss_analysis.errors import NsssError
from nsss_analysis.io import Tables
from nsss_analysis.reference.ministries import resolve_ministry
from nsss_analysis.reference.vocab import ITEMS


@dataclass(frozen=True)
class Counted:
    """The tables as the diagnostics count them: ``current`` holds each programme once,
    in its latest round; ``rounds`` and ``round_scores`` every round (for trends), each
    programme once per round; ``resolution`` says how repeated rows were resolved;
    ``disputed`` holds both forms of every disputed programme with each form's own
    scores (left out of ``current`` and ``rounds``)."""

    current: Tables
    rounds: pd.DataFrame
    round_scores: pd.DataFrame
    resolution: pd.DataFrame
    disputed: pd.DataFrame | None = None


def count_once(tables: Tables) -> Counted:
    """Resolve repeated and conflicting rows (:func:`counted_assessments`), keep each
    programme's latest round for the indicators, and score what is counted (scores
    loaded from ``scores.parquet`` are kept for the rows counted, when they carry their
    lineage)."""
    counted, resolution = counted_assessments(tables.assessments)
    if tables.scores is None:
        round_scores = score_programmes(counted)
    else:
        round_scores = with_lineage_of(tables.scores, counted)
    current = current_assessments(counted, resolution)
    scores = with_lineage_of(round_scores, current)
    result = Counted(replace(tables, assessments=current, scores=scores), counted, round_scores,
                     resolution, disputed_scores(tables.assessments, resolution))
    left_out = disputed_of(result)
    if not len(left_out) or tables.budgets is None or not len(tables.budgets):
        return result
    keys = set(zip(left_out["ministry_code"], programme_key(left_out), strict=True))
    b = tables.budgets
    keep = [k not in keys for k in zip(b["ministry_code"], programme_key(b), strict=True)]
    return replace(result, current=replace(result.current, budgets=b[keep].reset_index(drop=True)))


def disputed_scores(assessments: pd.DataFrame, resolution: pd.DataFrame) -> pd.DataFrame:
    """Both forms of every disputed programme, each scored on its own answers (never a
    merge): the assessment columns, ``dispute`` (which programme's dispute) and the
    score columns."""
    forms = disputed_forms(assessments, resolution)
    if not len(forms):
        return forms
    scored = score_programmes(forms)
    extra = [c for c in scored.columns if c not in forms.columns]
    return pd.concat([forms.reset_index(drop=True), scored[extra].reset_index(drop=True)], axis=1)


def disputed_of(counted: Counted, code: str | None = None, latest_only: bool = True) -> pd.DataFrame:
    """The disputed forms of the ministry ``code`` (all when None); with
    ``latest_only``, only disputes of a programme's latest round (the ones that leave
    it out of the current figures)."""
    d = counted.disputed
    if d is None or not len(d):
        return pd.DataFrame() if d is None else d
    if code is not None:
        d = d[d["ministry_code"] == code]
    if latest_only and len(d) and "assessment_round" in d.columns:
        keys = set(zip(counted.current.assessments["ministry_code"], programme_key(counted.current.assessments),
                       strict=True))
        d = d[[k not in keys for k in zip(d["ministry_code"], programme_key(d), strict=True)]]
    return d.reset_index(drop=True)


def n_disputed(disputed: pd.DataFrame | None) -> int:
    """How many programmes are left out as disputed (each counted once, whatever its
    number of forms)."""
    return 0 if disputed is None or not len(disputed) else int(disputed["dispute"].nunique())


def _with_scores(tables: Tables) -> Tables:
    """``tables`` counted once per programme (latest round), with scores."""
    return count_once(tables).current


def _stack(*frames: pd.DataFrame) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True)


def _by_scopes(function, *args, scopes: Sequence[str] = BY, **kwargs) -> pd.DataFrame:
    return _stack(*(function(*args, by=by, **kwargs) for by in scopes))


def _stacked(tables: Tables, fiscal_year: str | None, scopes: Sequence[str],
             lineage: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The indicator tables with the given scopes stacked (all but the life-cycle matrix);
    ``lineage``: every assessment row read (which ministries each file holds)."""
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
            data_quality, a, tables.quarantine, tables.conflicts, scopes=scopes, lineage=lineage
        ),
    }


def all_indicators(tables: Tables, fiscal_year: str | None = None) -> dict[str, pd.DataFrame]:
    """Every indicator table with all scopes stacked (what ``nsss score`` writes); the
    life-cycle matrix is the national one followed by each ministry's."""
    tables = _with_scores(tables)
    a, b = tables.assessments, tables.budgets
    ministries = [code for _, code in units_of("ministry", a)]
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

    counted = count_once(tables)
    read = tables.assessments  # every row read, counted or not: the files' lineage
    name, code = (m := resolve_ministry(ministry)).name, m.code
    # a ministry whose every programme is disputed still has its page (the forms side by
    # side, the question which stands); only one with no row at all has none
    if not (tables.assessments["ministry_code"] == code).any():
        raise NsssError(f"ministry {ministry!r} ({code}): no assessed programmes in the processed tables")
    tables = counted.current
    scores, a, b = tables.scores, tables.assessments, tables.budgets
    fy = page_fiscal_year(b, code, fiscal_year)

    def own(df: pd.DataFrame | None) -> pd.DataFrame | None:
        return None if df is None else df[df["ministry_code"] == code].reset_index(drop=True)

    def both(function, *frames: pd.DataFrame | None, **kwargs) -> pd.DataFrame:
        """The ministry's rows (computed from its own rows) above the national ones."""
        mine = function(*(own(f) for f in frames), by="ministry", **kwargs)
        return _stack(mine, function(*frames, by="national", **kwargs))

    recs = _current_recommendations(tables)
    recs = own(recs)
    levels = both(level_shares, scores)
    means = _stack(both(mean_score, scores, measure="inclusion_score"),
                   both(mean_score, scores, measure="potential_score"))
    items = both(item_yes_shares, a)
    readiness = both(data_readiness, scores)
    programmes = own(scores)
    return {
        "about": pd.DataFrame(
            {"ministry": [name], "ministry_code": [code], "fiscal_year": [_named(fy)],
             "n_programmes": [0 if programmes is None else len(programmes)]}
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
        "programme_budgets": programme_budgets(b, fy),
        "women_share_by_programme": women_share_by_programme(own(b), fiscal_year),
        "women_beneficiary_share": both(women_beneficiary_share, b, fiscal_year=fy),
        "lifecycle_matrix": lifecycle_matrix(a, b, code, fy),
        "target_groups_reached": target_groups_reached(own(a), "ministry"),
        "data_readiness": readiness,
        "data_readiness_comparison": compare_with_national(readiness, "share"),
        "budget_plausibility": budget_plausibility(own(b)),
        "data_quality": own(data_quality(a, tables.quarantine, tables.conflicts, "ministry", lineage=read)),
        "recommendations": recs,
        "quick_wins": quick_wins(recs),
        "trend": trend_by_round(counted.rounds, counted.round_scores, code),
        "budget_trend": budget_trend(b, code),
        "counting": own(counted.resolution),
        "disputed": disputed_of(counted, code),
        "synthetic": is_synthetic(tables.assessments),
    }


def is_synthetic(assessments: pd.DataFrame) -> bool:
    """Whether the processed data came from a raw folder marked ``SYNTHETIC``."""
    return bool("synthetic" in assessments.columns and assessments["synthetic"].astype(bool).any())


def _current_recommendations(tables: Tables) -> pd.DataFrame:
    """The recommendations of the counted rows (loaded ones filtered by lineage)."""
    recs = tables.recommendations
    if recs is None:
        return recommendations(tables.assessments, tables.scores, tables.budgets)
    return with_lineage_of(recs, tables.assessments)


def national_summary(tables: Tables, fiscal_year: str | None = None) -> dict[str, object]:
    """Every table of the national overview, by name, in one call.

    Indicator tables stack national, cluster and ministry rows (``scope`` tells them
    apart; ministries in alphabetical order, never ranked). Also the models of spec
    section 4 (:class:`nsss_analysis.diagnostics.models.ModelResult`: a message instead of
    coefficients when there are too few programmes or separation) and the trend
    across assessment rounds (:class:`nsss_analysis.diagnostics.trends.TrendResult`).
    """

    counted = count_once(tables)
    read = tables.assessments  # every row read, counted or not: the files' lineage
    tables = counted.current
    scores, a, b = tables.scores, tables.assessments, tables.budgets
    recs = _current_recommendations(tables)
    fy = page_fiscal_year(b, None, fiscal_year)
    about = pd.DataFrame({
        "fiscal_year": [_named(fy)], "n_programmes": [0 if scores is None else len(scores)],
        "n_ministries": [a["ministry_code"].nunique()],
    }).astype({"fiscal_year": "str"})
    return {"about": about, "programmes": scores} | _stacked(
        tables, fy, ("national", "cluster", "ministry"), lineage=read
    ) | {
        "lifecycle_matrix": lifecycle_matrix(a, b, None, fy),
        "recommendations": recs,
        "quick_wins": quick_wins(recs),
        "gender_specific_model": gender_specific_model(scores, b),
        "inclusion_score_model": inclusion_score_model(scores, b),
        "trend": trend_by_round(counted.rounds, counted.round_scores),
        "budget_trend": budget_trend(b),
        "counting": counted.resolution,
        "disputed": disputed_of(counted),
        "synthetic": is_synthetic(a),
    }


def headline_figures(tables, ministry: str | None = None, fiscal_year: str | None = None) -> dict:
    """The headline numbers of one ministry (name or code), or of the nation when
    ``ministry`` is None, as plain Python values (the runner's index page uses them).

    Keys: ``unit``, ``ministry_code``, ``n_programmes``, ``n_gender_specific``,
    ``n_gender_transformative``, ``n_gender_specific_or_transformative``, ``share``,
    ``ci_low``, ``ci_high`` (95% Wilson), ``small_n``, ``fiscal_year``, ``budget_share``,
    ``budget_total_crore``, ``budget_gender_crore``, ``n_programmes_with_budget``,
    ``mean_inclusion_score``, ``mean_ci_low``, ``mean_ci_high``,
    ``national_mean_inclusion_score``, ``quick_wins`` (list of dicts: programme, item,
    action, budget_crore).
    """

    counted = count_once(tables)
    tables = counted.current
    scores = tables.scores
    budgets = tables.budgets
    if ministry is None:
        unit, code, by = NATIONAL_UNIT, None, "national"
        own = scores
    else:
        unit, code = (found := resolve_ministry(ministry)).name, found.code
        by = "ministry"
        own = scores[scores["ministry_code"] == code]
    n = len(own)
    levels = own["level"].astype(str)
    k = int(levels.isin(GENDER_SPECIFIC_OR_TRANSFORMATIVE).sum())
    n_transformative = int((levels == TRANSFORMATIVE).sum())
    low, high = wilson_interval(k, n) if n else (math.nan, math.nan)
    fy = page_fiscal_year(budgets, code, fiscal_year) if budgets is not None else fiscal_year
    budget = budget_gender_share(own, budgets, by, fiscal_year=fy) if n else None
    years = budget_years(budgets, code) if budgets is not None and fy == NO_BUDGET_YEAR else None
    b = _row_of(budget, code)
    m = _row_of(mean_score(own, by) if n else None, code)
    national = mean_score(scores, "national").iloc[0] if len(scores) else {}
    recs = _current_recommendations(tables)
    # quick wins quote (and, nationally, are chosen by) the page's budget year only
    recs = with_budget_of_year(recs, budgets, fy)
    if code is not None:
        wins = quick_wins(recs[recs["ministry_code"] == code], n=2)
    else:
        wins = quick_wins(recs, n=1).sort_values("budget_crore", ascending=False, na_position="last").head(2)
    disputed = disputed_of(counted, code)
    own_rows = tables.assessments if code is None else \
        tables.assessments[tables.assessments["ministry_code"] == code]
    bounds = unknown_bounds(own_rows)
    return {
        "unit": unit,
        "ministry_code": code,
        "n_programmes": n,
        "n_disputed": n_disputed(disputed),
        "disputed_programmes": sorted(set(disputed["programme"].astype(str))) if len(disputed) else [],
        "n_gender_specific": k - n_transformative,
        "n_gender_transformative": n_transformative,
        "n_gender_specific_or_transformative": k,
        "n_answers": bounds["n_answers"],
        "n_unknown": bounds["n_unknown"],
        "unknown_said": bool(bounds["n_answers"]) and bounds["n_unknown"] > UNKNOWN_SHARE_SAID * bounds["n_answers"],
        "k_if_unknown_no": bounds["k_if_no"],
        "k_if_unknown_yes": bounds["k_if_yes"],
        "share": k / n if n >= SMALL_N else math.nan,
        "ci_low": as_float(low),
        "ci_high": as_float(high),
        "small_n": n < SMALL_N,
        "fiscal_year": (None if is_missing(b.get("fiscal_year")) or b.get("fiscal_year") == NO_BUDGET_YEAR
                        else str(b.get("fiscal_year"))),
        "no_budget_year": years is not None and bool(len(years)),
        "budget_years": [] if years is None else [
            {"fiscal_year": str(r["fiscal_year"]), "budget_crore": float(r["budget_crore"]),
             "n_programmes": int(r["n_programmes"])} for r in years.to_dict("records")],
        "n_programmes_with_any_budget": 0 if years is None or not len(years) else int(years["n_with_budget"].iloc[0]),
        "budget_share": as_float(b.get("share")),
        "budget_total_crore": as_float(b.get("budget_total")),
        "budget_gender_crore": as_float(b.get("budget_gender_specific_or_transformative")),
        "n_programmes_with_budget": int(b.get("n_programmes_with_budget", 0) or 0),
        "n_allocations_flagged": int(b.get("n_allocations_flagged", 0) or 0),
        "flags_left_out": str(b.get("flags_left_out") or ""),
        "assessment_rounds": rounds_of(
            tables.assessments if code is None
            else tables.assessments[tables.assessments["ministry_code"] == code]),
        "round_counts": round_counts(
            tables.assessments if code is None
            else tables.assessments[tables.assessments["ministry_code"] == code]),
        "synthetic": is_synthetic(tables.assessments),
        "programme_scores": [
            (str(p), as_float(v)) for p, v in zip(own["programme"], own["inclusion_score"], strict=True)
        ] if n < SMALL_N else [],
        "mean_inclusion_score": as_float(m.get("mean")),
        "mean_ci_low": as_float(m.get("ci_low")),
        "mean_ci_high": as_float(m.get("ci_high")),
        "national_mean_inclusion_score": as_float(national.get("mean")),
        "national_mean_ci_low": as_float(national.get("ci_low")),
        "national_mean_ci_high": as_float(national.get("ci_high")),
        "national_n": int(national.get("n", 0) or 0),
        "programme_keys": programme_keys(own),
        "national_programme_keys": programme_keys(scores) if code is not None else [],
        "quick_wins": [
            {"programme": str(r["programme"]), "item": str(r["item"]), "action": str(r["action"]),
             "budget_crore": as_float(r["budget_crore"]),
             "fiscal_year": None if is_missing(r.get("fiscal_year")) else str(r.get("fiscal_year"))}
            for r in wins.to_dict("records")
        ],
    }


#: Above this share of unknown answers behind a headline count, the headline gives the
#: count's bounds (every unknown read as ``no``, then as ``yes``).
UNKNOWN_SHARE_SAID = 0.1


def unknown_bounds(assessments: pd.DataFrame) -> dict[str, int]:
    """The unknown answers behind the count of gender-specific or transformative
    programmes, and what the count would be with every unknown answer read as ``no``
    and as ``yes`` (each programme rescored): ``n_answers``, ``n_unknown``,
    ``k_if_no``, ``k_if_yes``."""
    if assessments is None or not len(assessments):
        return {"n_answers": 0, "n_unknown": 0, "k_if_no": 0, "k_if_yes": 0}
    answers = assessments[list(ITEMS)].fillna("unknown").astype("str")
    n_unknown = int(answers.eq("unknown").sum().sum())
    counts = {}
    for reading in ("no", "yes"):
        read = assessments.assign(**{i: answers[i].replace("unknown", reading) for i in ITEMS})
        levels = score_programmes(read)["level"]
        counts[reading] = int(levels.isin(GENDER_SPECIFIC_OR_TRANSFORMATIVE).sum())
    return {"n_answers": int(answers.size), "n_unknown": n_unknown,
            "k_if_no": counts["no"], "k_if_yes": counts["yes"]}


def page_fiscal_year(budgets: pd.DataFrame | None, code: str | None, fiscal_year: str | None) -> str | None:
    """The fiscal year of a page's budget figures: ``fiscal_year`` when given, else the
    budget year of the rule (:func:`~nsss_analysis.diagnostics.budgets.resolve_fiscal_year`);
    ``NO_BUDGET_YEAR`` when the unit has budgets but no year qualifies (every share of
    the page is then empty), None when it has no budget at all."""
    fy = resolve_fiscal_year(budgets, code, fiscal_year)
    if fy is None and budgets is not None and len(budget_years(budgets, code)):
        return NO_BUDGET_YEAR
    return fy


def _named(fy: str | None) -> str | None:
    return None if fy == NO_BUDGET_YEAR else fy


def with_budget_of_year(recs: pd.DataFrame, budgets: pd.DataFrame | None, fy: str | None) -> pd.DataFrame:
    """``recs`` (any table with ``ministry_code``, ``programme`` and ``budget_crore``:
    the recommendations, the national plan) with ``budget_crore`` (and ``fiscal_year``)
    of the page's budget year only: null where the programme has no figure that year,
    or no year qualifies (``fy`` None or ``NO_BUDGET_YEAR``), so that the amounts quoted
    beside a page's asks and quick wins are of its one budget year."""
    if recs is None or not len(recs) or "budget_crore" not in recs.columns:
        return recs
    money = programme_budgets(budgets, fy) if fy else programme_budgets(None)
    amount = money.set_index(["ministry_code", "programme_key"])["budget_crore"]
    idx = pd.MultiIndex.from_arrays([recs["ministry_code"], programme_key(recs)])
    out = recs.assign(budget_crore=amount.reindex(idx).to_numpy(dtype="float64"))
    return out.assign(fiscal_year=fy) if "fiscal_year" in recs.columns else out


def round_counts(assessments: pd.DataFrame) -> dict[str, int]:
    """How many programmes of ``assessments`` are in each round, latest first; ``""`` (last)
    counts those whose form states no round (a round is named for a set only when
    every programme of it is in that round)."""
    if "assessment_round" not in assessments.columns:
        return {"": len(assessments)} if len(assessments) else {}
    rounds = assessments["assessment_round"].fillna("").astype("str")
    counts = rounds.value_counts()
    named = sorted((r for r in counts.index if r), reverse=True)
    return {str(r): int(counts[r]) for r in [*named, *([""] if "" in counts.index else [])]}


def programme_keys(frame) -> list[str]:
    """``ministry_code/programme`` for each row (the keys a claim of the page names; a
    programme twice in one figure is what the counted-once rule looks for)."""
    if frame is None or not len(frame):
        return []
    return [f"{c}/{p}" for c, p in zip(frame["ministry_code"].astype(str), frame["programme"].astype(str),
                                       strict=True)]


def _row_of(table, code: str | None) -> dict:
    """The row of ``table`` for the ministry ``code`` (or its only/national row)."""
    if table is None or not len(table):
        return {}
    if code is not None:
        table = table[table["ministry_code"] == code]
    return table.iloc[0].to_dict() if len(table) else {}
