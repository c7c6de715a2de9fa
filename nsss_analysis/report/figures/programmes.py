"""Figures of a ministry's report: answers by programme, levels and items beside the
nation, life-cycle coverage, budgets and women's share."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from nsss_analysis.diagnostics.units import is_missing
from nsss_analysis.reference.glossary import CLUSTER_NAMES, LEVEL_NAMES
from nsss_analysis.reference.i18n import N_, _, ngettext
from nsss_analysis.reference.vocab import DOMAINS, ITEMS, LEVELS, normalise_key
from nsss_analysis.report.display import MIN_TEXT_PT
from nsss_analysis.report.figures.style import (
    ANSWER_COLOURS,
    ANSWER_ORDER,
    BAR_COLOUR,
    POINT_COLOUR,
    ROW_HEIGHT,
    _ci,
    _empty,
    _figure,
    _fy,
    _int,
    _label,
    _note,
    _num,
    _paired_pointrange,
    _pct,
    _programme_labels,
    _programme_name,
    _share_axis,
    _wrap,
    crore_label,
    no_data,
    widen_for_tick_labels,
)
from nsss_analysis.report.labels import ANSWER_LABELS, label

#: At most this many programmes in the answers heatmap: a figure's memory and drawing
#: time grow with its area, and a page of more rows is not read cell by cell anyway;
#: every programme's answers are in the programme cards.
MAX_HEATMAP_PROGRAMMES = 60


def item_heatmap(assessments: pd.DataFrame, limit: int = MAX_HEATMAP_PROGRAMMES) -> Figure:
    """The ten items by programme: one coloured, annotated cell per answer.

    ``assessments``: rows of the processed table (``programme``, the ten items,
    optionally ``source_row`` to tell apart a programme assessed twice). Beyond
    ``limit`` programmes, the first ``limit`` are shown and a note says where the
    others are, so the figure's size does not grow with the ministry's.
    """
    title = _("Answers to the ten assessment items, by programme")
    xlabel, ylabel = _("Item (intent | transformative elements | evidence and M&E)"), _("Programme")
    if _empty(assessments, "programme", *ITEMS):
        return no_data(title, xlabel, ylabel, _("No programme assessed."))
    total = len(assessments)
    assessments = assessments.iloc[:limit]
    answers = assessments.loc[:, list(ITEMS)].fillna("unknown").astype(str)
    answers = answers.where(answers.isin(ANSWER_ORDER), "unknown")
    codes = answers.apply(lambda col: col.map({a: i for i, a in enumerate(ANSWER_ORDER)}))
    words = {a: _(ANSWER_LABELS[a]) for a in ANSWER_ORDER}
    text = answers.apply(lambda col: col.map(words))
    codes.index = _programme_labels(assessments)
    codes.columns = [_wrap(_(label(i)), 13) for i in ITEMS]
    fig, ax = _figure(11, 2.6 + ROW_HEIGHT * 1.3 * len(codes))
    _annotated_grid(ax, codes, text)
    for boundary in np.cumsum([len(v) for v in DOMAINS.values()])[:-1]:
        ax.axvline(boundary, color="black", linewidth=2.5)
    ax.tick_params(axis="x", labelrotation=0, labelsize=MIN_TEXT_PT)
    ax.tick_params(axis="y", labelrotation=0, labelsize=8.5)
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("bottom")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    handles = [
        Patch(facecolor=ANSWER_COLOURS[a], edgecolor="#555555", label=words[a])
        for a in ANSWER_ORDER
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=5, frameon=False, title=_("Answer"))
    if total > len(assessments):
        _note(ax, _("The first {shown} of {total} programmes; every programme's answers are in "
                    "the programme cards.").format(shown=_int(len(assessments)), total=_int(total)))
    widen_for_tick_labels(fig, ax, "x")  # item headers wrapped, never cut or run together
    return _label(fig, ax, title, xlabel, ylabel)


def _annotated_grid(ax, codes: pd.DataFrame, text: pd.DataFrame) -> None:
    """One coloured cell per answer with its word, drawn directly: seaborn's heatmap
    draws the whole figure to test its tick labels, which costs memory that grows
    with the square of the rows."""
    n_rows, n_cols = codes.shape
    colours = [ANSWER_COLOURS[a] for a in ANSWER_ORDER]
    ax.pcolormesh(codes.to_numpy(dtype=float), cmap=ListedColormap(colours), vmin=-0.5,
                  vmax=len(ANSWER_ORDER) - 0.5, edgecolors="#888888", linewidth=1)
    ink = {i: ("black" if _luminance(c) > 0.408 else "white") for i, c in enumerate(colours)}
    for (r, c), code in np.ndenumerate(codes.to_numpy(dtype=float)):
        ax.text(c + 0.5, r + 0.5, text.iat[r, c], ha="center", va="center", fontsize=8, color=ink[int(code)])
    ax.set_xlim(0, n_cols)
    ax.set_ylim(n_rows, 0)
    ax.set_xticks(np.arange(n_cols) + 0.5, labels=[str(c) for c in codes.columns])
    ax.set_yticks(np.arange(n_rows) + 0.5, labels=[str(i) for i in codes.index])
    for spine in ax.spines.values():
        spine.set_visible(False)


def _luminance(colour: str) -> float:
    """Relative luminance (WCAG), to pick black or white text on a cell."""
    rgb = np.array(mpl.colors.to_rgb(colour))
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def level_comparison(level_shares: pd.DataFrame, units: list[str] | None = None) -> Figure:
    """The share of programmes at each level for a ministry beside the national one.

    ``level_shares``: rows of ``level_shares`` for the units to compare
    (``unit``, ``level``, ``count``, ``n``, ``share``, ``ci_low``, ``ci_high``),
    e.g. the ministry's rows and the national rows. Points with 95% Wilson intervals.
    """
    title = _ci(N_("Programmes by gender-responsiveness level (WHO GRAS), with {confidence} intervals"))
    xlabel, ylabel = _("Share of programmes"), _("Level")
    if _empty(level_shares, "unit", "level", "share", "ci_low", "ci_high", "n"):
        return no_data(title, xlabel, ylabel, _("No programme scored."))
    units = units or list(dict.fromkeys(level_shares["unit"].tolist()))
    levels = list(LEVELS)
    return _paired_pointrange(
        level_shares,
        "level",
        levels,
        [_(LEVEL_NAMES[lv]).capitalize() for lv in levels],
        units,
        title=title,
        xlabel=xlabel,
        ylabel=ylabel,
    )


def item_yes_comparison(item_shares: pd.DataFrame, units: list[str] | None = None) -> Figure:
    """The share of programmes answering ``yes`` to each item, ministry beside nation.

    ``item_shares``: rows of ``item_yes_shares`` (``unit``, ``item``,
    ``count_yes``, ``n``, ``share``, ``ci_low``, ``ci_high``).
    """
    title = _ci(N_("Programmes answering 'yes' to each item, with {confidence} intervals"))
    xlabel, ylabel = _("Share of programmes answering yes"), _("Item")
    if _empty(item_shares, "unit", "item", "share", "ci_low", "ci_high", "n"):
        return no_data(title, xlabel, ylabel, _("No programme assessed."))
    units = units or list(dict.fromkeys(item_shares["unit"].tolist()))
    count = "count_yes" if "count_yes" in item_shares.columns else "count"
    return _paired_pointrange(
        item_shares,
        "item",
        list(ITEMS),
        [_(label(i)) for i in ITEMS],
        units,
        title=title,
        xlabel=xlabel,
        ylabel=ylabel,
        count=count,
    )


def lifecycle_heatmap(matrix: pd.DataFrame, title_scope: str = "") -> Figure:
    """Programme counts by NSSS cluster and life-cycle stage, budget written in each cell.

    ``matrix``: ``lifecycle_matrix`` output (``cluster``,
    ``lifecycle_stage``, ``n_programmes``, ``budget_crore``). A programme naming two
    stages counts in both cells, so the cells do not add up to the programme count.
    """
    title = (_("Programmes by NSSS cluster and life-cycle stage: {scope}").format(scope=title_scope)
             if title_scope else _("Programmes by NSSS cluster and life-cycle stage"))
    xlabel, ylabel = _("Life-cycle stage"), _("NSSS cluster")
    if _empty(matrix, "cluster", "lifecycle_stage", "n_programmes"):
        return no_data(title, xlabel, ylabel, _("No programme with a cluster or life-cycle stage."))
    # Rows and columns in the table's own order (the NSSS order, "none" last).
    stages = list(dict.fromkeys(matrix["lifecycle_stage"].astype(str)))
    clusters = list(dict.fromkeys(matrix["cluster"].astype(str)))
    counts = (
        matrix.pivot_table(index="cluster", columns="lifecycle_stage", values="n_programmes", aggfunc="sum")
        .reindex(index=clusters, columns=stages)
        .fillna(0)
    )
    if "budget_crore" in matrix.columns:
        budget = (
            matrix.pivot_table(
                index="cluster", columns="lifecycle_stage", values="budget_crore", aggfunc="sum", dropna=False
            )
            .reindex(index=clusters, columns=stages)
        )
    else:
        budget = pd.DataFrame(np.nan, index=clusters, columns=stages)
    annot = np.empty(counts.shape, dtype=object)
    for i in range(counts.shape[0]):
        for j in range(counts.shape[1]):
            c = int(counts.iat[i, j])
            b = budget.iat[i, j]
            amount = f"\n{crore_label(b, where='figure.lifecycle')}" if c and not is_missing(b) and b > 0 else ""
            annot[i, j] = _int(c) + amount
    fig, ax = _figure(10, 1.8 + 0.75 * len(clusters))
    empty = counts.to_numpy() == 0
    sns.heatmap(
        counts,
        ax=ax,
        cmap="cividis_r",
        vmin=0,
        vmax=max(float(counts.to_numpy().max()), 1.0),
        mask=empty,  # a gap is white, so any colour means "some programmes"
        annot=annot,
        fmt="",
        annot_kws={"fontsize": 8},
        linewidths=0.8,
        linecolor="#888888",
        cbar_kws={"label": _("Number of programmes"), "ticks": mpl.ticker.MaxNLocator(integer=True)},
    )
    ax.set_facecolor("white")
    ax.grid(False)
    for i, j in zip(*np.nonzero(empty), strict=True):
        ax.text(j + 0.5, i + 0.5, _int(0), ha="center", va="center", fontsize=8, color="#333333")
    ax.set_xticklabels([_wrap(_(label(s)), 14) for s in stages], rotation=0, fontsize=8)
    ax.set_yticklabels([_wrap(_(CLUSTER_NAMES[c]) if c in CLUSTER_NAMES else c, 24) for c in clusters],
                       rotation=0, fontsize=8.5)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    widen_for_tick_labels(fig, ax, "x")
    return _label(fig, ax, title, xlabel, ylabel)


def budget_and_women_share(
    programme_budgets: pd.DataFrame | None,
    women_share_by_programme: pd.DataFrame | None,
    fiscal_year: str | None = None,
    ministry_code: str | None = None,
) -> Figure:
    """Each programme's budget beside women's share of its beneficiaries.

    ``programme_budgets``: ``programme_budgets`` (``ministry_code``,
    ``programme``, ``budget_crore``); ``women_share_by_programme``: the indicator of
    that name (``ministry_code``, ``programme``, ``women_share``, ``fiscal_year``).
    Programmes are matched by ``(ministry_code, normalise_key(programme))`` and, with
    ``ministry_code``, limited to one ministry. A programme that does not report women
    beneficiaries says so in place of a point.
    """
    title = (_("Budget ({fiscal_year}) and women's share of beneficiaries").format(fiscal_year=_fy(fiscal_year))
             if fiscal_year else _("Budget and women's share of beneficiaries"))
    xlabel, ylabel = _("Budget (BDT crore)"), _("Programme")
    df = _programme_budget_and_women(programme_budgets, women_share_by_programme, ministry_code)
    if df.empty:
        return no_data(title, xlabel, ylabel, _("No budget or beneficiary figures reported."))
    df = df.sort_values(["budget_crore", "programme"], ascending=[False, True], na_position="last")
    labels = [_wrap(_programme_name(p)) for p in df["programme"]]
    y = np.arange(len(df))[::-1]
    fig, (left, right) = _figure(11, 1.9 + ROW_HEIGHT * 1.2 * len(df), ncols=2, sharey=True)
    budget = df["budget_crore"].astype(float).to_numpy()
    left.barh(y, np.nan_to_num(budget), color=BAR_COLOUR, edgecolor="#333333")
    for yi, b in zip(y, budget, strict=True):
        left.text(0 if np.isnan(b) else b, yi, "  " + _("not reported") if np.isnan(b) else f" {_num(b)}",
                  va="center", fontsize=8, style="italic" if np.isnan(b) else "normal")
    left.set_yticks(y, labels)
    left.set_ylim(-0.6, len(df) - 0.4)
    left.set_xlabel(xlabel)
    left.set_ylabel(ylabel)
    left.set_xlim(0, max(np.nanmax(budget) if np.isfinite(budget).any() else 1, 1) * 1.25)
    share = df["women_share"].astype(float).to_numpy()
    right.scatter(share, y, marker="o", s=45, color=POINT_COLOUR, zorder=3)
    for yi, sh, year in zip(y, share, df["women_fiscal_year"], strict=True):
        text = "  " + _("not reported") if np.isnan(sh) else f"  {_pct(sh)}" + (
            f" ({_fy(year)})" if fiscal_year and isinstance(year, str) and year != fiscal_year else "")
        right.text(0.02 if np.isnan(sh) else sh, yi, text, va="center", fontsize=8,
                   style="italic" if np.isnan(sh) else "normal")
    right.axvline(0.5, color="#555555", linestyle="--", linewidth=1)
    _share_axis(right)
    right.set_xlabel(_("Women's share of beneficiaries"))
    right.set_ylabel("")
    reporting = int(np.isfinite(share).sum())
    _note(left, ngettext("{n} programme of {total} report women beneficiaries "
                         "(administrative totals: no interval); dashed line: half of beneficiaries.",
                         "{n} programmes of {total} report women beneficiaries "
                         "(administrative totals: no interval); dashed line: half of beneficiaries.",
                         reporting).format(n=_int(reporting), total=_int(len(df))))
    return _label(fig, [left, right], title, xlabel, ylabel)


def _programme_budget_and_women(
    budgets: pd.DataFrame | None, women: pd.DataFrame | None, ministry_code: str | None
) -> pd.DataFrame:
    """One row per programme with ``budget_crore`` and ``women_share`` (either may be null)."""

    parts = []
    for df, cols in ((budgets, ["budget_crore"]), (women, ["women_share", "fiscal_year"])):
        if df is None or _empty(df, "ministry_code", "programme", *cols):
            parts.append(pd.DataFrame(columns=["ministry_code", "key", "programme", *cols]))
            continue
        if ministry_code is not None:
            df = df[df["ministry_code"] == ministry_code]
        parts.append(df.assign(key=df["programme"].map(normalise_key))[["ministry_code", "key", "programme", *cols]])
    merged = parts[0].merge(parts[1].rename(columns={"fiscal_year": "women_fiscal_year"}),
                            on=["ministry_code", "key"], how="outer", suffixes=("", "_women"))
    merged["programme"] = merged["programme"].fillna(merged["programme_women"])
    return merged.astype({"budget_crore": "float64", "women_share": "float64"})


