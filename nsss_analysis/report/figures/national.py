"""Figures of the national overview: units side by side, coverage gaps, model
coefficients and trends."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from nsss_analysis.diagnostics.models import BUDGET_TERM
from nsss_analysis.diagnostics.rubric import SMALL_N
from nsss_analysis.diagnostics.selections import guideline_groups, stage_counts
from nsss_analysis.diagnostics.units import is_missing
from nsss_analysis.reference.glossary import CLUSTER_NAMES, LEVEL_NAMES
from nsss_analysis.reference.i18n import N_, Nn_, _, ngettext
from nsss_analysis.reference.vocab import LEVELS
from nsss_analysis.report.figures.style import (
    BAR_COLOUR,
    CONFIDENCE,
    LEVEL_COLOURS,
    LEVEL_HATCHES,
    POINT_COLOUR,
    ROW_HEIGHT,
    _ci,
    _digits,
    _empty,
    _err,
    _figure,
    _fy,
    _int,
    _is_small,
    _label,
    _level,
    _n_programmes,
    _note,
    _num,
    _pct,
    _programme_name,
    _share_axis,
    _unit_name,
    _wrap,
    drawn,
    no_data,
    repel_labels,
)
from nsss_analysis.report.labels import label

#: The words of each scope of comparison: its name on an axis, and the figures' titles.
SCOPE_NAMES: dict[str, str] = {
    "ministry": N_("Ministry or division"),
    "cluster": N_("Cluster"),
}
LEVELS_TITLES: dict[str, str] = {
    "ministry": N_("Programmes by gender-responsiveness level, by ministry or division"),
    "cluster": N_("Programmes by gender-responsiveness level, by cluster"),
}
MEAN_SCORE_TITLES: dict[str, str] = {
    "ministry": N_("Mean gender inclusion score by ministry or division, with {confidence} intervals"),
    "cluster": N_("Mean gender inclusion score by cluster, with {confidence} intervals"),
}
#: The titles and axis labels the national overview passes to :func:`share_by_unit`
#: in English, and their message ids (marked here so the catalogue has them; the
#: figure translates what it is given).
SHARE_WORDS: dict[str, str] = {
    "Share of the social-security budget in gender-specific or transformative programmes": N_(
        "Share of the social-security budget in gender-specific or transformative programmes"),
    "Share of the budget on record (latest fiscal year with data)": N_(
        "Share of the budget on record (latest fiscal year with data)"),
    "Programmes ready to measure gender results, with 95% intervals": N_(
        "Programmes ready to measure gender results, with {confidence} intervals"),
    "Share of programmes with all three evidence items yes": N_(
        "Share of programmes with all three evidence items yes"),
}


def _scope_words(scope: str, titles: dict[str, str], english: str) -> tuple[str, str]:
    """The title and axis name of a figure comparing the units of ``scope``; a scope
    without words of its own is named as in English (``by {scope}``)."""
    if scope in titles:
        return _ci(titles[scope]), _(SCOPE_NAMES[scope])
    return english.format(what=scope, confidence=_level(CONFIDENCE)), scope.capitalize()


def levels_by_unit(level_shares: pd.DataFrame, scope: str = "ministry") -> Figure:
    """Each unit's programmes split by level, one 100% bar per unit, alphabetical.

    ``level_shares``: ``level_shares`` rows (``scope``, ``unit``, ``level``,
    ``count``, ``n``), stacked scopes allowed: the rows of ``scope`` ("ministry",
    "cluster") are drawn.
    """
    title, ylabel = _scope_words(scope, LEVELS_TITLES, "Programmes by gender-responsiveness level, by {what}")
    xlabel = _("Share of the unit's programmes")
    if not _empty(level_shares, "scope"):
        level_shares = level_shares[level_shares["scope"] == scope]
    if _empty(level_shares, "unit", "level", "count", "n"):
        return no_data(title, xlabel, ylabel, _("No programme scored."))
    counts = level_shares.pivot_table(index="unit", columns="level", values="count", aggfunc="sum", fill_value=0)
    counts = counts.reindex(columns=list(LEVELS), fill_value=0)
    counts = counts.loc[sorted(counts.index, key=lambda u: _unit_name(u).casefold())]
    totals = counts.sum(axis=1)
    # no percentage bar for a unit of fewer than 5 programmes: its counts are written instead
    shares = counts.div(totals.replace(0, np.nan), axis=0).fillna(0)
    shares = shares.mul((totals >= SMALL_N).astype(float), axis=0)
    fig, ax = _figure(10.5, 2.2 + ROW_HEIGHT * len(shares))
    y = np.arange(len(shares))[::-1]
    left = np.zeros(len(shares))
    for unit in shares.index:  # what is drawn, for the chart rules: bars only from 5 programmes
        if totals[unit] >= SMALL_N:
            for level in LEVELS:
                if counts.loc[unit, level]:
                    drawn(float(shares.loc[unit, level]), "percent", n=int(totals[unit]),
                          numerator=int(counts.loc[unit, level]), denominator=int(totals[unit]),
                          where="figure.levels_by_unit")
    for level in LEVELS:
        vals = shares[level].to_numpy(dtype=float)
        ax.barh(y, vals, left=left, color=LEVEL_COLOURS[level], hatch=LEVEL_HATCHES[level],
                edgecolor="#333333", linewidth=0.6, label=_(LEVEL_NAMES[level]).capitalize(), height=0.75)
        left = left + vals
    for yi, t in zip(y, totals.tolist(), strict=True):
        ax.text(1.01, yi, _n_programmes(t) + (" " + _("(small n)") if _is_small(t) else ""), va="center",
                fontsize=8, transform=ax.get_yaxis_transform())
    for yi, unit in zip(y, shares.index, strict=True):
        if 0 < totals[unit] < SMALL_N:
            said = ", ".join(f"{_int(counts.loc[unit, lv])} {_(LEVEL_NAMES[lv])}" for lv in reversed(LEVELS)
                             if counts.loc[unit, lv])
            ax.text(0.01, yi, said, va="center", fontsize=7.5, style="italic")
    ax.set_yticks(y, [_wrap(_unit_name(u), 45) for u in shares.index], fontsize=8.5)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlim(0, 1)
    # Below the axis label, placed by the layout (anchored under the axes it ran into the label)
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=3, fontsize=8.5,
               frameon=False, title=_("Level"))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return _label(fig, ax, title, xlabel, ylabel)


def mean_score_by_unit(
    mean_scores: pd.DataFrame, scope: str = "ministry", measure: str = "inclusion_score"
) -> Figure:
    """Mean gender inclusion score per unit with its 95% interval, alphabetical.

    ``mean_scores``: ``mean_score`` rows, stacked scopes (``scope``,
    ``unit``, ``measure``, ``n``, ``mean``, ``ci_low``, ``ci_high``, ``small_n``). The
    units of ``scope`` are drawn; the national row, if present, as a dashed line with
    its interval as a band. Small-n units have hollow markers.
    """
    title, ylabel = _scope_words(scope, MEAN_SCORE_TITLES, "Mean gender inclusion score by {what}, with {confidence} intervals")
    xlabel = _("Gender inclusion score (0-100)")
    national = None
    if not _empty(mean_scores, "scope"):
        if "measure" in mean_scores.columns:
            mean_scores = mean_scores[mean_scores["measure"] == measure]
        national = mean_scores[mean_scores["scope"] == "national"]
        mean_scores = mean_scores[mean_scores["scope"] == scope]
    if _empty(mean_scores, "unit", "mean", "ci_low", "ci_high", "n"):
        return no_data(title, xlabel, ylabel, _("No programme scored."))
    df = mean_scores.loc[mean_scores["unit"].map(lambda u: _unit_name(u).casefold()).sort_values().index]
    y = np.arange(len(df))[::-1]
    mean = df["mean"].astype(float).to_numpy()
    lo, hi = df["ci_low"].astype(float).to_numpy(), df["ci_high"].astype(float).to_numpy()
    small = df["small_n"].fillna(False).astype(bool).to_numpy() if "small_n" in df else np.array(
        [_is_small(n) for n in df["n"]])
    small = small | np.array([_is_small(n) for n in df["n"]], dtype=bool)
    # no mean or interval for a unit of fewer than 5 programmes: the text gives their own scores
    mean, lo, hi = (np.where(small, np.nan, v) for v in (mean, lo, hi))
    fig, ax = _figure(10, 2.0 + ROW_HEIGHT * len(df))
    colour = POINT_COLOUR
    # the nation's mean and band follow the same rule: none over fewer than 5 programmes
    if national is not None and not _empty(national, "mean") and not _is_small(national.iloc[0].get("n")):
        nat = national.iloc[0]
        if not is_missing(nat.get("ci_low")) and not is_missing(nat.get("ci_high")):
            ax.axvspan(float(nat["ci_low"]), float(nat["ci_high"]), color="#cccccc", alpha=0.6, zorder=0)
        ax.axvline(float(nat["mean"]), color="#333333", linestyle="--", linewidth=1.2,
                   label=_("{nation} {mean} (band: {confidence} interval)").format(
                       confidence=_level(CONFIDENCE), nation=_unit_name(nat["unit"]) if "unit" in nat else _("Bangladesh"),
                       mean=_num(float(nat["mean"]), unit="mean", role="comparator", n=nat.get("n"),
                                 low=nat.get("ci_low"), high=nat.get("ci_high"), method="t",
                                 where="figure.mean_score_by_unit")))
    ax.errorbar(mean, y, xerr=_err(mean, lo, hi), fmt="none",
                ecolor=colour, capsize=3, elinewidth=1.4)
    for m, low, high, n in zip(mean, lo, hi, df["n"], strict=True):  # what is drawn, for the chart rules
        if np.isnan(m):
            continue  # nothing drawn for this unit
        drawn(m, "mean", n=n, low=None if np.isnan(low) else low, high=None if np.isnan(high) else high,
              method="t", where="figure.mean_score_by_unit")
    ax.scatter(mean[~small], y[~small], marker="o", s=40, color=colour, zorder=3, label=_("mean"))
    for yi in y[small]:
        ax.text(1, yi, _("fewer than {n} programmes: no mean").format(n=_int(SMALL_N)), va="center",
                fontsize=7.5, style="italic")
    labels = [_wrap(f"{_unit_name(u)} ({_n_programmes(n)})", 50) for u, n in zip(df["unit"], df["n"], strict=True)]
    ax.set_yticks(y, labels, fontsize=8.5)
    ax.set_xlim(0, 100)
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=3, fontsize=8.5,
               frameon=False)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return _label(fig, ax, title, xlabel, ylabel)


def share_by_unit(
    shares: pd.DataFrame,
    *,
    title: str,
    xlabel: str,
    scope: str = "ministry",
) -> Figure:
    """A share per unit, alphabetical, with the national share as a dashed line.

    ``shares``: stacked scopes (``scope``, ``unit``, ``share``, optionally
    ``ci_low``/``ci_high`` and ``n`` or ``n_programmes_with_budget``); the rows of
    ``scope`` are drawn, the national row as the line. Used for the budget share in
    gender-specific or transformative programmes and for data readiness.
    """
    title, xlabel = (_ci(SHARE_WORDS[t]) if t in SHARE_WORDS else _(t) for t in (title, xlabel))
    ylabel = _(SCOPE_NAMES[scope]) if scope in SCOPE_NAMES else scope.capitalize()
    national = None
    if not _empty(shares, "scope"):
        national = shares[shares["scope"] == "national"]
        shares = shares[shares["scope"] == scope]
    year, not_shown = _budget_year_only(shares, national)
    if year is not None:  # budget shares: every row of the national budget year, the others counted
        shares = shares[(shares["fiscal_year"] == year) & (shares["n_programmes_with_budget"].fillna(0) > 0)]
        xlabel = _(BUDGET_YEAR_AXIS).format(fiscal_year=_fy(year))
    if _empty(shares, "unit", "share"):
        return no_data(title, xlabel, ylabel, _("No figures to compare."))
    df = shares.loc[shares["unit"].map(lambda u: _unit_name(u).casefold()).sort_values().index]
    y = np.arange(len(df))[::-1]
    share = df["share"].astype(float).to_numpy()
    if "n" in df.columns:  # a share of programmes: no bar for a unit of fewer than 5 (its counts are written)
        n_programmes = df["n"].astype(float).to_numpy()
        share = np.where(n_programmes < SMALL_N, np.nan, share)
    fig, ax = _figure(10, 2.0 + ROW_HEIGHT * len(df))
    ax.barh(y, np.nan_to_num(share), color=BAR_COLOUR, edgecolor="#333333", height=0.7)
    n_bar = next((c for c in ("n", "n_programmes_with_budget") if c in df.columns), None)
    for value, n in zip(share, df[n_bar] if n_bar else [None] * len(df), strict=True):  # for the chart rules
        if not np.isnan(value):
            drawn(value, "percent" if n_bar == "n" else "money_share", n=None if is_missing(n) else int(n),
                  denominator=None if is_missing(n) or n_bar != "n" else int(n), where="figure.share_by_unit")
    if {"ci_low", "ci_high"} <= set(df.columns):
        lo, hi = df["ci_low"].astype(float).to_numpy(), df["ci_high"].astype(float).to_numpy()
        ax.errorbar(share, y, xerr=_err(share, lo, hi), fmt="none",
                    ecolor="#222222", capsize=3)
        n_drawn = df["n"] if "n" in df.columns else [None] * len(df)
        for value, low, high, n in zip(share, lo, hi, n_drawn, strict=True):  # what is drawn, for the chart rules
            if not (np.isnan(value) or np.isnan(low) or np.isnan(high)):
                drawn(value, "percent", n=n, low=low, high=high, method="wilson", where="figure.share_by_unit")
    n_col = next((c for c in ("n", "n_programmes_with_budget") if c in df.columns), None)
    k_col = next((c for c in ("count", "n_ready") if c in df.columns), None)
    for yi, s, (_i, row) in zip(y, share, df.iterrows(), strict=True):
        if np.isnan(s):
            n = row[n_col] if n_col else None
            if n is not None and not is_missing(n) and int(n) > 0:  # counts, never "no data"
                said = (_("{k} of {n}").format(k=_int(row[k_col]), n=_int(n)) if k_col and not is_missing(row[k_col])
                        else _("fewer than {n} programmes: counts in the text").format(n=_int(SMALL_N)))
            else:
                said = _("no data")
            ax.text(0.01, yi, said, va="center", fontsize=8, style="italic")
    if national is not None and not _empty(national, "share") and not is_missing(national.iloc[0]["share"]):
        nat = float(national.iloc[0]["share"])
        nation = _unit_name(national.iloc[0]["unit"]) if "unit" in national.columns else _("Bangladesh")
        row = national.iloc[0]
        of = ({"unit": "percent", "n": row["n"], "denominator": row["n"]} if "n" in national.columns
              else {"unit": "money_share", "n": row.get("n_programmes_with_budget")})
        label = _pct(nat, role="comparator", where="figure.share_by_unit", **of)
        ax.axvline(nat, color="#333333", linestyle="--", linewidth=1.2, label=f"{nation} {label}")
        ax.legend(loc="lower right", fontsize=8.5)
    n_col = next((c for c in ("n", "n_programmes_with_budget") if c in df.columns), None)
    labels = [
        _wrap(f"{_unit_name(u)} ({_n_programmes(n)})" if n_col and not is_missing(n) else _unit_name(u), 50)
        for u, n in zip(df["unit"], df[n_col] if n_col else [None] * len(df), strict=True)
    ]
    ax.set_yticks(y, labels, fontsize=8.5)
    _share_axis(ax)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if not_shown:
        _note(ax, ngettext(*NOT_SHOWN[scope if scope in NOT_SHOWN else "ministry"], not_shown).format(
            n=_int(not_shown), fiscal_year=_fy(year)))
    return _label(fig, ax, title, xlabel, ylabel)


#: The axis of budget shares: the one fiscal year every bar is of.
BUDGET_YEAR_AXIS = N_("Share of the budget on record in {fiscal_year}")
#: Units with no budget in that year, left out of the chart and counted above it.
NOT_SHOWN: dict[str, tuple[str, str]] = {
    "ministry": Nn_("{n} ministry or division with no budget on record in {fiscal_year} is not shown",
                    "{n} ministries and divisions with no budget on record in {fiscal_year} are not shown"),
    "cluster": Nn_("{n} cluster with no budget on record in {fiscal_year} is not shown",
                   "{n} clusters with no budget on record in {fiscal_year} are not shown"),
}


def _budget_year_only(shares: pd.DataFrame | None, national: pd.DataFrame | None) -> tuple[str | None, int]:
    """For budget shares (rows with ``fiscal_year`` and ``n_programmes_with_budget``):
    the national budget year and how many units have no budget that year (drawn as
    neither a bar nor "no data": each bar is of that one year, the others are counted).
    ``(None, 0)`` for other shares, or when the national row names no year."""
    if shares is None or national is None or _empty(shares, "unit") or _empty(national, "fiscal_year") or \
            not {"fiscal_year", "n_programmes_with_budget"} <= set(shares.columns):
        return None, 0
    year = national.iloc[0]["fiscal_year"]
    if not isinstance(year, str) or not year or is_missing(year):
        return None, 0
    shown = (shares["fiscal_year"] == year) & (shares["n_programmes_with_budget"].fillna(0) > 0)
    return year, int((~shown).sum())


def coverage_gaps(lifecycle_matrix: pd.DataFrame | None, target_groups: pd.DataFrame | None,
                  scope: str = "national") -> Figure:
    """Programmes covering each life-cycle stage and each target group the guideline
    names, gaps marked "no programme".

    ``lifecycle_matrix``: ``lifecycle_matrix`` (counts added over clusters,
    :func:`stage_counts`); ``target_groups``: ``target_groups_reached``
    rows (the guideline's groups of ``scope`` are drawn, :func:`guideline_groups`).
    """
    title = _("Life-cycle stages and target groups covered across government")
    xlabel, ylabel = _("Number of programmes"), _("Life-cycle stage")
    stages = stage_counts(lifecycle_matrix)
    groups = guideline_groups(target_groups, scope)
    if _empty(stages, "lifecycle_stage", "n_programmes") and _empty(groups, "group", "n_programmes"):
        return no_data(title, xlabel, ylabel, _("No programme assessed."))
    rows = max(len(stages) if stages is not None else 0, len(groups) if groups is not None else 0)
    fig, (left, right) = _figure(12, 1.8 + 0.36 * rows, ncols=2)
    for ax, df, col, name in ((left, stages, "lifecycle_stage", _("Life-cycle stage")),
                              (right, groups, "group", _("Target group named by the guideline"))):
        if _empty(df, col, "n_programmes"):
            ax.text(0.5, 0.5, _("No data."), ha="center", transform=ax.transAxes)
            ax.set_xlabel(xlabel)
            ax.set_ylabel(name)
            continue
        y = np.arange(len(df))[::-1]
        vals = df["n_programmes"].astype(float).to_numpy()
        ax.barh(y, vals, color=BAR_COLOUR, edgecolor="#333333", height=0.7)
        for yi, v in zip(y, vals, strict=True):
            ax.text(v, yi, "  " + _("no programme") if v == 0 else f" {_int(v)}", va="center", fontsize=8,
                    fontweight="bold" if v == 0 else "normal")
        ax.set_yticks(y, [_wrap(_(label(v)), 28) for v in df[col]], fontsize=8.5)
        ax.set_xlim(0, max(vals.max() if len(vals) else 1, 1) * 1.35)
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
        ax.set_xlabel(xlabel)
        ax.set_ylabel(name)
    return _label(fig, [left, right], title, xlabel, ylabel)


def model_coefficients(coefficients: pd.DataFrame, title: str, odds_ratio: bool = False) -> Figure:
    """Coefficients with 95% intervals (``term``, ``estimate``, ``ci_low``, ``ci_high``;
    with ``odds_ratio`` the ratio columns ``odds_ratio``, ``or_ci_low``, ``or_ci_high``
    are drawn on a log axis if present). The intercept is left out."""
    xlabel = (_ci(N_("Odds ratio, {confidence} interval (log scale)")) if odds_ratio
              else _ci(N_("Estimate, {confidence} interval")))
    ylabel = _("Term")
    title = _(title)
    if _empty(coefficients, "term", "estimate", "ci_low", "ci_high"):
        return no_data(title, xlabel, ylabel, _("No model fitted."))
    df = coefficients[~coefficients["term"].astype(str).str.lower().isin(["intercept", "const"])]
    if df.empty:
        return no_data(title, xlabel, ylabel, _("Only an intercept was fitted."))
    est, lo, hi = (df[c].astype(float).to_numpy() for c in ("estimate", "ci_low", "ci_high"))
    if odds_ratio:
        est, lo, hi = np.exp(est), np.exp(lo), np.exp(hi)
    y = np.arange(len(df))[::-1]
    fig, ax = _figure(9, 1.8 + 0.45 * len(df))
    ax.errorbar(est, y, xerr=_err(est, lo, hi), fmt="o", color=POINT_COLOUR,
                capsize=3)
    ax.axvline(1.0 if odds_ratio else 0.0, color="#555555", linestyle="--", linewidth=1)
    if odds_ratio:
        ax.set_xscale("log")
    ax.set_yticks(y, [_wrap(term_words(t), 45) for t in df["term"]], fontsize=8.5)
    ax.set_ylim(-0.6, len(df) - 0.4)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return _label(fig, ax, title, xlabel, ylabel)


#: A model's terms other than the budget: one per cluster, ``cluster: <name>``.
CLUSTER_TERM = "cluster: "
#: The model's term names as shown (message ids).
TERM_WORDS: dict[str, str] = {BUDGET_TERM: N_("log10 budget (crore)"), "intercept": N_("intercept")}


def term_words(term: object) -> str:
    """A model term in words: the budget term, or ``cluster: <name>`` with the cluster's name."""
    text = str(term)
    if text in TERM_WORDS:
        return _(TERM_WORDS[text])
    if text.startswith(CLUSTER_TERM):
        cluster = text.removeprefix(CLUSTER_TERM)
        return _("cluster: {cluster}").format(cluster=_(CLUSTER_NAMES.get(cluster, cluster)))
    return text


def trend_by_round(pairs: pd.DataFrame | None) -> Figure:
    """The same programmes in two assessment rounds: each paired programme's inclusion
    score in its earlier and later round, joined by a line
    (``trend_by_round(...).pairs``: ``programme``, ``round_before``, ``round_after``,
    ``score_before``, ``score_after``). No programme outside a pair is drawn."""
    title = _("The same programmes in two assessment rounds")
    xlabel, ylabel = _("Assessment round"), _("Gender inclusion score (0-100)")
    if pairs is None or _empty(pairs, "programme", "score_before", "score_after"):
        return no_data(title, xlabel, ylabel, _("No programme is assessed in two rounds."))
    rows = pairs.dropna(subset=["score_before", "score_after"])
    if not len(rows):
        return no_data(title, xlabel, ylabel, _("No paired programme has a score in both rounds."))
    lines = sum(_wrap(_programme_name(p), 45).count("\n") + 1 for p in rows["programme"])
    fig, ax = _figure(8.5, 1.8 + 0.2 * lines)  # room for every end label, one above the other
    palette = sns.color_palette("colorblind", 3)
    labels = []
    for r in rows.to_dict("records"):
        change = r["score_after"] - r["score_before"]
        colour = palette[2] if change > 0 else palette[1] if change < 0 else "#777777"
        ax.plot([0, 1], [r["score_before"], r["score_after"]], marker="o", color=colour, linewidth=1.2)
        labels.append((float(r["score_after"]), _wrap(_programme_name(r["programme"]), 45)))
    rounds_before = " / ".join(_digits(r) for r in sorted(set(rows["round_before"].astype(str))))
    rounds_after = " / ".join(_digits(r) for r in sorted(set(rows["round_after"].astype(str))))
    ax.set_xticks([0, 1], [_("earlier ({rounds})").format(rounds=rounds_before),
                           _("later ({rounds})").format(rounds=rounds_after)])
    ax.set_xlim(-0.2, 1.9)
    ax.set_ylim(0, 100)
    ax.set_ylabel(ylabel)
    repel_labels(ax, labels, x_point=1.0, x_text=1.06)
    _note(ax, _("{n} programmes assessed in both rounds; green: score rose, orange: fell.").format(
        n=_int(len(rows))))
    return _label(fig, ax, title, xlabel, ylabel)
