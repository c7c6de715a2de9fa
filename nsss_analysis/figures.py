"""Every plot of the reports: functions taking DataFrames, returning a Matplotlib Figure.

Conventions, so a reader can trust every figure the same way:

- Each function returns a ``matplotlib.figure.Figure`` built without ``pyplot`` (no
  global state, nothing shown by accident); :func:`nsss_analysis.display.figure`
  renders and closes it. Each has a title (``fig.get_suptitle()``) and labelled axes.
- Empty input never raises: the function returns a "no data" figure with the same
  title and axis labels and a sentence in the middle, so a notebook needs no branch.
- Colours are readable in greyscale and by colour-blind readers: ordered categories
  use ``cividis`` (monotone in lightness), unordered ones seaborn's ``colorblind``
  palette, and every category also carries a hatch, a marker or a printed label.
- Comparisons carry 95% intervals and units are shown alphabetically, never ranked.
- :func:`set_theme` resets Matplotlib and seaborn and fixes the seeds: a warm kernel
  that runs one report after another gives identical images.
"""

from __future__ import annotations

import random
import textwrap
import warnings

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import ListedColormap, to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from nsss_analysis import narrative
from nsss_analysis.scoring import SMALL_N
from nsss_analysis.vocab import DOMAINS, ITEMS, LEVELS

#: Seed for anything random in a plot (jitter, bootstrap); the 2019 workshop's date.
SEED = 20190131
#: Long programme names are wrapped to this many characters per line on an axis.
LABEL_WIDTH = 40
#: Inches per row of a programme or ministry axis; keeps labels legible at any count.
ROW_HEIGHT = 0.38

#: Answer colours: dark = yes, mid = partly, light = no on the cividis ramp, so the
#: order survives greyscale; n.a. white and unknown light grey. Every cell is also
#: annotated with the answer in words.
ANSWER_ORDER: tuple[str, ...] = ("yes", "partly", "no", "not_applicable", "unknown")
ANSWER_COLOURS: dict[str, str] = {
    "yes": to_hex(mpl.colormaps["cividis"](0.05)),
    "partly": to_hex(mpl.colormaps["cividis"](0.5)),
    "no": to_hex(mpl.colormaps["cividis"](0.95)),
    "not_applicable": "#ffffff",
    "unknown": "#b0b0b0",
}
#: Levels in order of the scale: cividis from dark (transformative) to light
#: (blind), with "insufficient data" a neutral grey; a hatch per level as well.
LEVEL_COLOURS: dict[str, str] = {
    "insufficient data": "#bdbdbd",
    "gender-blind": to_hex(mpl.colormaps["cividis"](0.95)),
    "gender-sensitive": to_hex(mpl.colormaps["cividis"](0.65)),
    "gender-specific": to_hex(mpl.colormaps["cividis"](0.35)),
    "gender-transformative": to_hex(mpl.colormaps["cividis"](0.05)),
}
LEVEL_HATCHES: dict[str, str] = {
    "insufficient data": "xx",
    "gender-blind": "",
    "gender-sensitive": "..",
    "gender-specific": "//",
    "gender-transformative": "",
}
#: Markers of the units compared (a ministry and the nation): filled circle first,
#: then hollow square and diamond, so the series differ in shape, not only colour.
UNIT_MARKERS = ("o", "s", "D")
#: One-series bars and points: a mid and a dark tone of cividis, legible in greyscale.
BAR_COLOUR = to_hex(mpl.colormaps["cividis"](0.35))
POINT_COLOUR = to_hex(mpl.colormaps["cividis"](0.05))
SEX_ORDER = ("female", "male", "hijra")
SEX_LABELS = {"female": "Women", "male": "Men", "hijra": "Hijra/third gender"}
SEX_HATCHES = {"female": "", "male": "//", "hijra": ".."}


def set_theme() -> None:
    """Reset Matplotlib and seaborn to the reports' theme and fix the random seeds.

    Called at the top of every notebook: ``%reset -f`` in a reused kernel does not
    undo rcParams or seeds, so each report starts from the same state.
    """
    mpl.rcdefaults()
    sns.set_theme(context="notebook", style="whitegrid", palette="colorblind", font_scale=0.9)
    mpl.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": 110,
            "savefig.bbox": "standard",
            "svg.hashsalt": "nsss",
            "hatch.linewidth": 0.6,
            "figure.max_open_warning": 0,
            "axes.titleweight": "bold",
            "figure.titleweight": "bold",
            "figure.titlesize": "large",
        }
    )
    np.random.seed(SEED)
    random.seed(SEED)
    # Bangla programme names: DejaVu has no Bengali glyphs; a missing glyph is drawn as
    # a box, which is ugly but not an error worth a warning in every report.
    warnings.filterwarnings("ignore", message="Glyph .* missing from font")
    warnings.filterwarnings("ignore", message="Matplotlib currently does not support Bengali")


# --- helpers --------------------------------------------------------------------


def _wrap(text: object, width: int = LABEL_WIDTH) -> str:
    return "\n".join(textwrap.wrap(str(text), width=width, max_lines=3, placeholder=" …")) or str(text)


def _figure(width: float, height: float, ncols: int = 1, sharey: bool = False):
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(1, ncols, sharey=sharey, squeeze=False)[0]
    return fig, (axes[0] if ncols == 1 else axes)


def _label(fig: Figure, axes, title: str, xlabel: str, ylabel: str) -> Figure:
    """Set the title (wrapped to the figure's width) and label the first axes if unlabelled."""
    width_chars = int(fig.get_figwidth() * 8.5)  # bold "large" title characters per inch
    fig.suptitle("\n".join(textwrap.wrap(title, width_chars)) or title)
    first = np.atleast_1d(axes)[0]
    first.set_xlabel(first.get_xlabel() or xlabel)
    first.set_ylabel(first.get_ylabel() or ylabel)
    return fig


def no_data(title: str, xlabel: str, ylabel: str, message: str = "No data to show.") -> Figure:
    """A small figure that keeps the title and axis labels and says there is nothing."""
    fig, ax = _figure(9, 2.4)
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return _label(fig, ax, title, xlabel, ylabel)


def _empty(df: pd.DataFrame | None, *required: str) -> bool:
    return df is None or len(df) == 0 or any(c not in df.columns for c in required)


def _note(ax, text: str) -> None:
    """A caution printed under the figure (small n, what is not reported).

    Drawn as the figure's ``supxlabel``, which the constrained layout makes room for.
    """
    ax.figure.supxlabel(text, fontsize=8.5, style="italic")


def _share_axis(ax, axis: str = "x") -> None:
    fmt = PercentFormatter(1.0, decimals=0)
    if axis == "x":
        ax.xaxis.set_major_formatter(fmt)
        ax.set_xlim(-0.02, 1.02)
    else:
        ax.yaxis.set_major_formatter(fmt)
        ax.set_ylim(-0.02, 1.02)


def _programme_labels(df: pd.DataFrame) -> list[str]:
    """Programme names for an axis; a name assessed twice gets its source row."""
    names = df["programme"].astype(str).tolist()
    counts = pd.Series(names).value_counts()
    rows = df["source_row"].tolist() if "source_row" in df.columns else [None] * len(df)
    return [
        _wrap(f"{n} (row {r})" if counts[n] > 1 and r is not None else n)
        for n, r in zip(names, rows, strict=True)
    ]


def _err(value, low, high) -> np.ndarray:
    """Error-bar lengths below and above ``value``: never negative (a Wilson bound of
    0 of n can sit a rounding error above 0), zero where there is no interval."""
    value, low, high = (np.asarray(v, dtype=float) for v in (value, low, high))
    return np.clip(np.nan_to_num(np.vstack([value - low, high - value])), 0, None)


def _ink(colour) -> str:
    """Black or white, whichever reads better on ``colour`` (relative luminance)."""
    r, g, b = mpl.colors.to_rgb(colour)
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "white"


def _is_small(n: object) -> bool:
    return not narrative.is_missing(n) and int(n) < SMALL_N


# --- ministry report ------------------------------------------------------------


def item_heatmap(assessments: pd.DataFrame) -> Figure:
    """The ten items by programme: one coloured, annotated cell per answer.

    ``assessments``: rows of the processed table (``programme``, the ten items,
    optionally ``source_row`` to tell apart a programme assessed twice).
    """
    title = "Answers to the ten assessment items, by programme"
    xlabel, ylabel = "Item (intent | transformative elements | evidence and M&E)", "Programme"
    if _empty(assessments, "programme", *ITEMS):
        return no_data(title, xlabel, ylabel, "No programme assessed.")
    answers = assessments.loc[:, list(ITEMS)].fillna("unknown").astype(str)
    answers = answers.where(answers.isin(ANSWER_ORDER), "unknown")
    codes = answers.apply(lambda col: col.map({a: i for i, a in enumerate(ANSWER_ORDER)}))
    text = answers.apply(lambda col: col.map(narrative.ANSWER_LABELS))
    codes.index = _programme_labels(assessments)
    codes.columns = [_wrap(narrative.label(i), 13) for i in ITEMS]
    fig, ax = _figure(11, 2.6 + ROW_HEIGHT * 1.3 * len(codes))
    sns.heatmap(
        codes.astype(float),
        ax=ax,
        cmap=ListedColormap([ANSWER_COLOURS[a] for a in ANSWER_ORDER]),
        vmin=-0.5,
        vmax=len(ANSWER_ORDER) - 0.5,
        annot=text.to_numpy(),
        fmt="",
        annot_kws={"fontsize": 8},
        cbar=False,
        linewidths=1,
        linecolor="#888888",
    )
    for boundary in np.cumsum([len(v) for v in DOMAINS.values()])[:-1]:
        ax.axvline(boundary, color="black", linewidth=2.5)
    ax.tick_params(axis="x", labelrotation=0, labelsize=7.5)
    ax.tick_params(axis="y", labelrotation=0, labelsize=8.5)
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("bottom")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    handles = [
        Patch(facecolor=ANSWER_COLOURS[a], edgecolor="#555555", label=narrative.ANSWER_LABELS[a])
        for a in ANSWER_ORDER
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=5, frameon=False, title="Answer")
    return _label(fig, ax, title, xlabel, ylabel)


def _paired_pointrange(
    df: pd.DataFrame,
    category: str,
    categories: list[str],
    category_labels: list[str],
    unit_order: list[str],
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    count: str | None = "count",
) -> Figure:
    """Shares with 95% intervals for one to three units, category by category."""
    fig, ax = _figure(9, 1.6 + 0.55 * len(categories) * max(1, len(unit_order)) ** 0.5)
    palette = sns.color_palette("colorblind", len(unit_order))
    step = 0.32 if len(unit_order) > 1 else 0.0
    y_base = np.arange(len(categories))[::-1]
    small = []
    for k, unit in enumerate(unit_order):
        rows = df[df["unit"] == unit].set_index(category).reindex(categories)
        offset = (k - (len(unit_order) - 1) / 2) * step
        y = y_base - offset
        share = rows["share"].astype(float).to_numpy()
        low = rows["ci_low"].astype(float).to_numpy()
        high = rows["ci_high"].astype(float).to_numpy()
        n = rows["n"].dropna()
        n_value = int(n.iloc[0]) if len(n) else 0
        if _is_small(n_value):
            small.append(f"{unit} (n={n_value})")
        marker = UNIT_MARKERS[k % len(UNIT_MARKERS)]
        ax.errorbar(
            share,
            y,
            xerr=_err(share, low, high),
            fmt=marker,
            color=palette[k],
            mfc=palette[k] if k == 0 else "white",
            mec=palette[k],
            ms=7,
            capsize=3,
            elinewidth=1.6,
            label=f"{unit} (n={n_value})",
        )
        if count and count in rows.columns:
            # counts in a column right of the plot, where no interval can cover them
            for yi, c, n_row in zip(y, rows[count].tolist(), rows["n"].tolist(), strict=True):
                if not narrative.is_missing(c):
                    ax.text(1.01, yi, f"{int(c)}/{int(n_row)}", va="center", fontsize=8,
                            color=palette[k], transform=ax.get_yaxis_transform())
    ax.set_yticks(y_base, category_labels)
    _share_axis(ax)
    ax.set_ylim(-0.6, len(categories) - 0.4)
    fig.legend(loc="outside lower center", ncols=len(unit_order), fontsize=8.5, frameon=False)
    if small:
        _note(ax, "Small n: " + ", ".join(small) + "; intervals are wide, read with care.")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return _label(fig, ax, title, xlabel, ylabel)


def level_comparison(level_shares: pd.DataFrame, units: list[str] | None = None) -> Figure:
    """The share of programmes at each level for a ministry beside the national one.

    ``level_shares``: rows of ``indicators.level_shares`` for the units to compare
    (``unit``, ``level``, ``count``, ``n``, ``share``, ``ci_low``, ``ci_high``),
    e.g. the ministry's rows and the national rows. Points with 95% Wilson intervals.
    """
    title = "Programmes by gender-responsiveness level (WHO GRAS), with 95% intervals"
    xlabel, ylabel = "Share of programmes", "Level"
    if _empty(level_shares, "unit", "level", "share", "ci_low", "ci_high", "n"):
        return no_data(title, xlabel, ylabel, "No programme scored.")
    units = units or list(dict.fromkeys(level_shares["unit"].tolist()))
    levels = list(LEVELS)
    return _paired_pointrange(
        level_shares,
        "level",
        levels,
        [lv.capitalize() for lv in levels],
        units,
        title=title,
        xlabel=xlabel,
        ylabel=ylabel,
    )


def item_yes_comparison(item_shares: pd.DataFrame, units: list[str] | None = None) -> Figure:
    """The share of programmes answering ``yes`` to each item, ministry beside nation.

    ``item_shares``: rows of ``indicators.item_yes_shares`` (``unit``, ``item``,
    ``count_yes``, ``n``, ``share``, ``ci_low``, ``ci_high``).
    """
    title = "Programmes answering 'yes' to each item, with 95% intervals"
    xlabel, ylabel = "Share of programmes answering yes", "Item"
    if _empty(item_shares, "unit", "item", "share", "ci_low", "ci_high", "n"):
        return no_data(title, xlabel, ylabel, "No programme assessed.")
    units = units or list(dict.fromkeys(item_shares["unit"].tolist()))
    count = "count_yes" if "count_yes" in item_shares.columns else "count"
    return _paired_pointrange(
        item_shares,
        "item",
        list(ITEMS),
        [narrative.label(i) for i in ITEMS],
        units,
        title=title,
        xlabel=xlabel,
        ylabel=ylabel,
        count=count,
    )


def lifecycle_heatmap(matrix: pd.DataFrame, title_scope: str = "") -> Figure:
    """Programme counts by NSSS cluster and life-cycle stage, budget written in each cell.

    ``matrix``: ``indicators.lifecycle_matrix`` output (``cluster``,
    ``lifecycle_stage``, ``n_programmes``, ``budget_crore``). A programme naming two
    stages counts in both cells, so the cells do not add up to the programme count.
    """
    title = "Programmes by NSSS cluster and life-cycle stage" + (f": {title_scope}" if title_scope else "")
    xlabel, ylabel = "Life-cycle stage", "NSSS cluster"
    if _empty(matrix, "cluster", "lifecycle_stage", "n_programmes"):
        return no_data(title, xlabel, ylabel, "No programme with a cluster or life-cycle stage.")
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
            annot[i, j] = f"{c}\nTk {b:,.0f} cr" if c and not narrative.is_missing(b) and b > 0 else f"{c}"
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
        cbar_kws={"label": "Number of programmes", "ticks": mpl.ticker.MaxNLocator(integer=True)},
    )
    ax.set_facecolor("white")
    ax.grid(False)
    for i, j in zip(*np.nonzero(empty), strict=True):
        ax.text(j + 0.5, i + 0.5, "0", ha="center", va="center", fontsize=8, color="#333333")
    ax.set_xticklabels([_wrap(narrative.label(s), 14) for s in stages], rotation=0, fontsize=8)
    ax.set_yticklabels([_wrap(c, 24) for c in clusters], rotation=0, fontsize=8.5)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return _label(fig, ax, title, xlabel, ylabel)


def budget_and_women_share(
    programme_budgets: pd.DataFrame | None,
    women_share_by_programme: pd.DataFrame | None,
    fiscal_year: str | None = None,
    ministry_code: str | None = None,
) -> Figure:
    """Each programme's budget beside women's share of its beneficiaries.

    ``programme_budgets``: ``indicators.programme_budgets`` (``ministry_code``,
    ``programme``, ``budget_crore``); ``women_share_by_programme``: the indicator of
    that name (``ministry_code``, ``programme``, ``women_share``, ``fiscal_year``).
    Programmes are matched by ``(ministry_code, normalise_key(programme))`` and, with
    ``ministry_code``, limited to one ministry. A programme that does not report women
    beneficiaries says so in place of a point.
    """
    title = "Budget" + (f" (FY {fiscal_year})" if fiscal_year else "") + " and women's share of beneficiaries"
    xlabel, ylabel = "Budget (BDT crore)", "Programme"
    df = _programme_budget_and_women(programme_budgets, women_share_by_programme, ministry_code)
    if df.empty:
        return no_data(title, xlabel, ylabel, "No budget or beneficiary figures reported.")
    df = df.sort_values(["budget_crore", "programme"], ascending=[False, True], na_position="last")
    labels = [_wrap(p) for p in df["programme"]]
    y = np.arange(len(df))[::-1]
    fig, (left, right) = _figure(11, 1.9 + ROW_HEIGHT * 1.2 * len(df), ncols=2, sharey=True)
    budget = df["budget_crore"].astype(float).to_numpy()
    left.barh(y, np.nan_to_num(budget), color=BAR_COLOUR, edgecolor="#333333")
    for yi, b in zip(y, budget, strict=True):
        left.text(0 if np.isnan(b) else b, yi, "  not reported" if np.isnan(b) else f" {b:,.0f}",
                  va="center", fontsize=8, style="italic" if np.isnan(b) else "normal")
    left.set_yticks(y, labels)
    left.set_ylim(-0.6, len(df) - 0.4)
    left.set_xlabel(xlabel)
    left.set_ylabel(ylabel)
    left.set_xlim(0, max(np.nanmax(budget) if np.isfinite(budget).any() else 1, 1) * 1.25)
    share = df["women_share"].astype(float).to_numpy()
    right.scatter(share, y, marker="o", s=45, color=POINT_COLOUR, zorder=3)
    for yi, sh, year in zip(y, share, df["women_fiscal_year"], strict=True):
        text = "  not reported" if np.isnan(sh) else f"  {sh:.0%}" + (
            f" (FY {year})" if fiscal_year and isinstance(year, str) and year != fiscal_year else "")
        right.text(0.02 if np.isnan(sh) else sh, yi, text, va="center", fontsize=8,
                   style="italic" if np.isnan(sh) else "normal")
    right.axvline(0.5, color="#555555", linestyle="--", linewidth=1)
    _share_axis(right)
    right.set_xlabel("Women's share of beneficiaries")
    right.set_ylabel("")
    reporting = int(np.isfinite(share).sum())
    _note(left, f"{narrative.plural(reporting, 'programme')} of {len(df)} report women beneficiaries "
                "(administrative totals: no interval); dashed line: half of beneficiaries.")
    return _label(fig, [left, right], title, xlabel, ylabel)


def _programme_budget_and_women(
    budgets: pd.DataFrame | None, women: pd.DataFrame | None, ministry_code: str | None
) -> pd.DataFrame:
    """One row per programme with ``budget_crore`` and ``women_share`` (either may be null)."""
    from nsss_analysis.vocab import normalise_key

    parts = []
    for df, cols in ((budgets, ["budget_crore"]), (women, ["women_share", "fiscal_year"])):
        if _empty(df, "ministry_code", "programme", *cols):
            parts.append(pd.DataFrame(columns=["ministry_code", "key", "programme", *cols]))
            continue
        if ministry_code is not None:
            df = df[df["ministry_code"] == ministry_code]
        parts.append(df.assign(key=df["programme"].map(normalise_key))[["ministry_code", "key", "programme", *cols]])
    merged = parts[0].merge(parts[1].rename(columns={"fiscal_year": "women_fiscal_year"}),
                            on=["ministry_code", "key"], how="outer", suffixes=("", "_women"))
    merged["programme"] = merged["programme"].fillna(merged["programme_women"])
    return merged.astype({"budget_crore": "float64", "women_share": "float64"})


# --- coverage from MIS extracts ---------------------------------------------------


def _programme_fy_labels(df: pd.DataFrame) -> list[str]:
    """Programme names, with the fiscal year when a programme appears for several."""
    if "programme" not in df.columns:
        return [""] * len(df)
    names = df["programme"].astype(str)
    if "fiscal_year" not in df.columns:
        return names.tolist()
    years = df.groupby(names)["fiscal_year"].transform("nunique")
    return [f"{n} (FY {fy})" if k > 1 else n for n, fy, k in zip(names, df["fiscal_year"], years, strict=True)]


def women_share_points(shares: pd.DataFrame) -> Figure:
    """Women's share of each programme's beneficiaries in the MIS, with 95% Wilson
    intervals (``beneficiaries.women_share_by_programme``: ``programme``,
    ``fiscal_year``, ``share``, ``ci_low``, ``ci_high``, ``total``)."""
    title = "Women's share of beneficiaries in the MIS, with 95% intervals"
    xlabel, ylabel = "Women's share of beneficiaries", "Programme"
    if _empty(shares, "programme", "share", "ci_low", "ci_high"):
        return no_data(title, xlabel, ylabel, "No beneficiary records.")
    y = np.arange(len(shares))[::-1]
    share = shares["share"].astype(float).to_numpy()
    lo, hi = shares["ci_low"].astype(float).to_numpy(), shares["ci_high"].astype(float).to_numpy()
    fig, ax = _figure(9.5, 1.7 + ROW_HEIGHT * 1.3 * len(shares))
    ax.errorbar(share, y, xerr=_err(share, lo, hi), fmt="o",
                color=POINT_COLOUR, capsize=3, ms=6)
    if "total" in shares.columns:
        for yi, t in zip(y, shares["total"].tolist(), strict=True):
            ax.text(1.01, yi, f"n={int(t):,}", va="center", fontsize=8, transform=ax.get_yaxis_transform())
    ax.axvline(0.5, color="#555555", linestyle="--", linewidth=1)
    ax.set_yticks(y, [_wrap(v) for v in _programme_fy_labels(shares)])
    ax.set_ylim(-0.6, len(shares) - 0.4)
    _share_axis(ax)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    _note(ax, "Dashed line: half of beneficiaries; n: beneficiaries counted (distinct ids).")
    return _label(fig, ax, title, xlabel, ylabel)


def _panels(n: int, panel_width: float, height: float, max_cols: int = 3):
    """``n`` panels of ``panel_width`` inches in rows of at most ``max_cols`` (a list of
    axes; unused grid cells hidden)."""
    cols = min(max(n, 1), max_cols)
    rows = -(-max(n, 1) // cols)
    fig = Figure(figsize=(max(panel_width * cols, 6.5), height * rows), layout="constrained")
    axes = list(np.atleast_1d(fig.subplots(rows, cols, squeeze=False).ravel()))
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[: max(n, 1)]


def _programmes(df: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The rows of each programme (and fiscal year), labelled, in the table's order."""
    labelled = df.assign(_label=_programme_fy_labels(df))
    return [(name, rows) for name, rows in labelled.groupby("_label", sort=False)]


def coverage_by_age_band(by_age: pd.DataFrame) -> Figure:
    """Beneficiaries by age band and sex, one panel per programme
    (``beneficiaries.coverage_by_age_band``: ``programme``, ``age_band``, ``female``,
    ``male``, ``hijra``). Bars carry a hatch per sex."""
    title = "Beneficiaries by age band and sex (MIS)"
    xlabel, ylabel = "Age band (years)", "Beneficiaries"
    sexes = [s for s in SEX_ORDER if not _empty(by_age, s)]
    if _empty(by_age, "age_band") or not sexes:
        return no_data(title, xlabel, ylabel, "No beneficiary records.")
    groups = _programmes(by_age)
    fig, axes = _panels(len(groups), 4.6, 3.6)
    palette = dict(zip(SEX_ORDER, sns.color_palette("colorblind", 3), strict=True))
    for ax, (name, rows) in zip(axes, groups, strict=False):
        bands = rows["age_band"].astype(str).tolist()
        x = np.arange(len(bands))
        width = 0.8 / len(sexes)
        for k, sex in enumerate(sexes):
            ax.bar(x + (k - (len(sexes) - 1) / 2) * width, rows[sex].astype(float).to_numpy(), width * 0.95,
                   color=palette[sex], hatch=SEX_HATCHES[sex], edgecolor="#333333", label=SEX_LABELS[sex])
        ax.set_xticks(x, bands, fontsize=8)
        ax.set_title(_wrap(name, 45), fontsize=9)
        ax.yaxis.set_major_formatter(mpl.ticker.StrMethodFormatter("{x:,.0f}"))
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
    axes[0].legend(fontsize=8, title="Sex")
    return _label(fig, axes, title, xlabel, ylabel)


def coverage_by_district(by_district: pd.DataFrame) -> Figure:
    """Women's share of beneficiaries by district, sorted, one panel per programme
    (``beneficiaries.coverage_by_district``: ``programme``, ``district``,
    ``women_share``, ``total``). Districts, not ministries, are sorted: it shows where
    coverage of women is lowest, and ranks no one's performance."""
    title = "Women's share of beneficiaries by district (MIS)"
    xlabel, ylabel = "Women's share of beneficiaries", "District"
    share_col = "women_share" if not _empty(by_district, "women_share") else "share"
    if _empty(by_district, "district", share_col):
        return no_data(title, xlabel, ylabel, "No beneficiary records with a district.")
    groups = _programmes(by_district)
    fig, axes = _district_panels(len(groups), max(len(rows) for _, rows in groups))
    for ax, (name, rows) in zip(axes, groups, strict=False):
        rows = rows.sort_values([share_col, "district"], ascending=[True, True])
        y = np.arange(len(rows))
        ax.barh(y, rows[share_col].astype(float).to_numpy(), color=BAR_COLOUR, height=0.75)
        ax.axvline(0.5, color="#555555", linestyle="--", linewidth=1)
        ax.set_yticks(y, rows["district"].astype(str).tolist(), fontsize=6.5)
        ax.set_ylim(-0.7, len(rows) - 0.3)
        ax.set_title(_wrap(name, 40), fontsize=9)
        _share_axis(ax)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
    _note(axes[0], "Dashed line: half of beneficiaries.")
    return _label(fig, axes, title, xlabel, ylabel)


def _district_panels(n: int, rows: int):
    """Panels for up to 64 district labels each, laid out by hand: the constrained
    layout would measure every label twice, the slowest step of a report."""
    label_in, gap_in, panel_in = 1.15, 0.35, 3.0  # inches: tick labels, between panels, plot
    width = n * (label_in + panel_in) + (n - 1) * gap_in + 0.3
    height = 1.8 + 0.16 * rows
    fig = Figure(figsize=(width, height))
    axes = fig.subplots(1, n, squeeze=False)[0]
    fig.subplots_adjust(left=label_in / width, right=1 - 0.3 / width, top=1 - 0.95 / height,
                        bottom=0.85 / height, wspace=(label_in + gap_in) / panel_in)
    return fig, list(axes)


def amount_by_sex(amounts: pd.DataFrame) -> Figure:
    """Mean benefit paid per beneficiary by sex, per programme
    (``beneficiaries.amount_by_sex``: ``programme``, ``sex``, ``mean_bdt``)."""
    title = "Benefit paid per beneficiary, by sex (MIS)"
    xlabel, ylabel = "Programme", "Mean amount per beneficiary (Tk)"
    mean_col = next((c for c in ("mean_bdt", "mean_amount_bdt") if not _empty(amounts, c)), None)
    if mean_col is None or _empty(amounts, "sex"):
        return no_data(title, xlabel, ylabel, "No benefit amounts recorded.")
    df = amounts if "programme" in amounts.columns else amounts.assign(programme="")
    df = df.assign(_label=_programme_fy_labels(df))
    labels = list(dict.fromkeys(df["_label"]))
    sexes = [s for s in SEX_ORDER if s in set(df["sex"])]
    palette = dict(zip(SEX_ORDER, sns.color_palette("colorblind", 3), strict=True))
    fig, ax = _figure(max(7, 2.6 * len(labels)), 4.2)
    x = np.arange(len(labels))
    width = 0.8 / max(len(sexes), 1)
    for k, sex in enumerate(sexes):
        vals = df[df["sex"] == sex].set_index("_label")[mean_col].reindex(labels).astype(float).to_numpy()
        pos = x + (k - (len(sexes) - 1) / 2) * width
        ax.bar(pos, np.nan_to_num(vals), width * 0.95, color=palette[sex], hatch=SEX_HATCHES[sex],
               edgecolor="#333333", label=SEX_LABELS[sex])
        for xi, v in zip(pos, vals, strict=True):
            if not np.isnan(v):
                ax.text(xi, v, f"{v:,.0f}", ha="center", va="bottom", fontsize=7)
    ax.set_xticks(x, [_wrap(lab, 28) for lab in labels], fontsize=8)
    ax.yaxis.set_major_formatter(mpl.ticker.StrMethodFormatter("{x:,.0f}"))
    ax.legend(fontsize=8, title="Sex", loc="upper right")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return _label(fig, ax, title, xlabel, ylabel)


def payment_channel_by_sex(channels: pd.DataFrame) -> Figure:
    """How women and men are paid: the share of each sex's beneficiaries by channel,
    one bar per programme and sex (``beneficiaries.payment_channel_by_sex``:
    ``programme``, ``sex``, ``payment_channel``, ``beneficiaries``)."""
    title = "Payment channel by sex (MIS)"
    xlabel, ylabel = "Share of the sex's beneficiaries", "Programme and sex"
    if _empty(channels, "payment_channel", "sex", "beneficiaries"):
        return no_data(title, xlabel, ylabel, "No payment channel recorded.")
    df = channels if "programme" in channels.columns else channels.assign(programme="")
    df = df.assign(_row=[f"{_wrap(p, 34)}: {SEX_LABELS.get(s, s)}" if p else SEX_LABELS.get(s, s)
                         for p, s in zip(df["programme"], df["sex"], strict=True)])
    order_rows = list(dict.fromkeys(df.assign(_s=df["sex"].map({s: i for i, s in enumerate(SEX_ORDER)}))
                                    .sort_values(["programme", "_s"], kind="stable")["_row"]))
    table = df.pivot_table(index="_row", columns="payment_channel", values="beneficiaries", aggfunc="sum",
                           fill_value=0).reindex(order_rows)
    table = table.div(table.sum(axis=1).replace(0, np.nan), axis=0)
    order = [c for c in ("mobile", "bank", "post office", "cash", "unknown") if c in table.columns]
    order += sorted(set(table.columns) - set(order))
    hatches = ["", "//", "..", "xx", "\\\\", "--"]
    palette = sns.color_palette("colorblind", len(order))
    fig, ax = _figure(10, 1.8 + 0.5 * len(table))
    y = np.arange(len(table))[::-1]
    left = np.zeros(len(table))
    for k, channel in enumerate(order):
        vals = np.nan_to_num(table[channel].to_numpy(dtype=float))
        ax.barh(y, vals, left=left, color=palette[k], hatch=hatches[k % len(hatches)], edgecolor="#333333",
                label=str(channel).capitalize(), height=0.75)
        ink = _ink(palette[k])
        for yi, l, v in zip(y, left, vals, strict=True):
            if v >= 0.06:
                ax.text(l + v / 2, yi, f"{v:.0%}", ha="center", va="center", fontsize=7.5, color=ink,
                        fontweight="bold")
        left = left + vals
    ax.set_yticks(y, list(table.index), fontsize=8)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlim(0, 1)
    fig.legend(loc="outside lower center", ncols=len(order), fontsize=8.5, title="Payment channel", frameon=False)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return _label(fig, ax, title, xlabel, ylabel)


# --- national overview ----------------------------------------------------------


def levels_by_unit(level_shares: pd.DataFrame, scope: str = "ministry") -> Figure:
    """Each unit's programmes split by level, one 100% bar per unit, alphabetical.

    ``level_shares``: ``indicators.level_shares`` rows (``scope``, ``unit``, ``level``,
    ``count``, ``n``), stacked scopes allowed: the rows of ``scope`` ("ministry",
    "cluster") are drawn.
    """
    what = "ministry or division" if scope == "ministry" else scope
    title = f"Programmes by gender-responsiveness level, by {what}"
    xlabel, ylabel = "Share of the unit's programmes", what.capitalize()
    if not _empty(level_shares, "scope"):
        level_shares = level_shares[level_shares["scope"] == scope]
    if _empty(level_shares, "unit", "level", "count", "n"):
        return no_data(title, xlabel, ylabel, "No programme scored.")
    counts = level_shares.pivot_table(index="unit", columns="level", values="count", aggfunc="sum", fill_value=0)
    counts = counts.reindex(columns=list(LEVELS), fill_value=0)
    counts = counts.loc[sorted(counts.index, key=str.casefold)]
    totals = counts.sum(axis=1)
    shares = counts.div(totals.replace(0, np.nan), axis=0).fillna(0)
    fig, ax = _figure(10.5, 2.2 + ROW_HEIGHT * len(shares))
    y = np.arange(len(shares))[::-1]
    left = np.zeros(len(shares))
    for level in LEVELS:
        vals = shares[level].to_numpy(dtype=float)
        ax.barh(y, vals, left=left, color=LEVEL_COLOURS[level], hatch=LEVEL_HATCHES[level],
                edgecolor="#333333", linewidth=0.6, label=level.capitalize(), height=0.75)
        left = left + vals
    for yi, t in zip(y, totals.tolist(), strict=True):
        ax.text(1.01, yi, f"n={int(t)}" + (" (small n)" if _is_small(t) else ""), va="center", fontsize=8,
                transform=ax.get_yaxis_transform())
    ax.set_yticks(y, [_wrap(u, 45) for u in shares.index], fontsize=8.5)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlim(0, 1)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06 - 0.5 / max(len(shares), 4)), ncols=3, fontsize=8.5,
              frameon=False, title="Level")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return _label(fig, ax, title, xlabel, ylabel)


def mean_score_by_unit(
    mean_scores: pd.DataFrame, scope: str = "ministry", measure: str = "inclusion_score"
) -> Figure:
    """Mean gender inclusion score per unit with its 95% interval, alphabetical.

    ``mean_scores``: ``indicators.mean_score`` rows, stacked scopes (``scope``,
    ``unit``, ``measure``, ``n``, ``mean``, ``ci_low``, ``ci_high``, ``small_n``). The
    units of ``scope`` are drawn; the national row, if present, as a dashed line with
    its interval as a band. Small-n units have hollow markers.
    """
    what = "ministry or division" if scope == "ministry" else scope
    title = f"Mean gender inclusion score by {what}, with 95% intervals"
    xlabel, ylabel = "Gender inclusion score (0-100)", what.capitalize()
    national = None
    if not _empty(mean_scores, "scope"):
        if "measure" in mean_scores.columns:
            mean_scores = mean_scores[mean_scores["measure"] == measure]
        national = mean_scores[mean_scores["scope"] == "national"]
        mean_scores = mean_scores[mean_scores["scope"] == scope]
    if _empty(mean_scores, "unit", "mean", "ci_low", "ci_high", "n"):
        return no_data(title, xlabel, ylabel, "No programme scored.")
    df = mean_scores.loc[mean_scores["unit"].map(str.casefold).sort_values().index]
    y = np.arange(len(df))[::-1]
    mean = df["mean"].astype(float).to_numpy()
    lo, hi = df["ci_low"].astype(float).to_numpy(), df["ci_high"].astype(float).to_numpy()
    small = df["small_n"].fillna(False).astype(bool).to_numpy() if "small_n" in df else np.array(
        [_is_small(n) for n in df["n"]])
    fig, ax = _figure(10, 2.0 + ROW_HEIGHT * len(df))
    colour = POINT_COLOUR
    if not _empty(national, "mean"):
        nat = national.iloc[0]
        if not narrative.is_missing(nat.get("ci_low")) and not narrative.is_missing(nat.get("ci_high")):
            ax.axvspan(float(nat["ci_low"]), float(nat["ci_high"]), color="#cccccc", alpha=0.6, zorder=0)
        ax.axvline(float(nat["mean"]), color="#333333", linestyle="--", linewidth=1.2,
                   label=f"Bangladesh {float(nat['mean']):.0f} (band: 95% interval)")
    ax.errorbar(mean, y, xerr=_err(mean, lo, hi), fmt="none",
                ecolor=colour, capsize=3, elinewidth=1.4)
    ax.scatter(mean[~small], y[~small], marker="o", s=40, color=colour, zorder=3, label="mean")
    ax.scatter(mean[small], y[small], marker="o", s=40, facecolor="white", edgecolor=colour, zorder=3,
               label=f"mean, small n (< {SMALL_N} programmes)")
    labels = [_wrap(f"{u} (n={int(n)})", 50) for u, n in zip(df["unit"], df["n"], strict=True)]
    ax.set_yticks(y, labels, fontsize=8.5)
    ax.set_xlim(0, 100)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06 - 0.5 / max(len(df), 4)), ncols=3, fontsize=8.5,
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
    what = "ministry or division" if scope == "ministry" else scope
    ylabel = what.capitalize()
    national = None
    if not _empty(shares, "scope"):
        national = shares[shares["scope"] == "national"]
        shares = shares[shares["scope"] == scope]
    if _empty(shares, "unit", "share"):
        return no_data(title, xlabel, ylabel, "No figures to compare.")
    df = shares.loc[shares["unit"].map(str.casefold).sort_values().index]
    y = np.arange(len(df))[::-1]
    share = df["share"].astype(float).to_numpy()
    fig, ax = _figure(10, 2.0 + ROW_HEIGHT * len(df))
    ax.barh(y, np.nan_to_num(share), color=BAR_COLOUR, edgecolor="#333333", height=0.7)
    if {"ci_low", "ci_high"} <= set(df.columns):
        lo, hi = df["ci_low"].astype(float).to_numpy(), df["ci_high"].astype(float).to_numpy()
        ax.errorbar(share, y, xerr=_err(share, lo, hi), fmt="none",
                    ecolor="#222222", capsize=3)
    for yi, s in zip(y, share, strict=True):
        if np.isnan(s):
            ax.text(0.01, yi, "no data", va="center", fontsize=8, style="italic")
    if not _empty(national, "share") and not narrative.is_missing(national.iloc[0]["share"]):
        nat = float(national.iloc[0]["share"])
        ax.axvline(nat, color="#333333", linestyle="--", linewidth=1.2, label=f"Bangladesh {nat:.0%}")
        ax.legend(loc="lower right", fontsize=8.5)
    n_col = next((c for c in ("n", "n_programmes_with_budget") if c in df.columns), None)
    labels = [
        _wrap(f"{u} (n={int(n)})" if n_col and not narrative.is_missing(n) else str(u), 50)
        for u, n in zip(df["unit"], df[n_col] if n_col else [None] * len(df), strict=True)
    ]
    ax.set_yticks(y, labels, fontsize=8.5)
    _share_axis(ax)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return _label(fig, ax, title, xlabel, ylabel)


def coverage_gaps(lifecycle_matrix: pd.DataFrame | None, target_groups: pd.DataFrame | None,
                  scope: str = "national") -> Figure:
    """Programmes covering each life-cycle stage and each target group the guideline
    names, gaps marked "no programme".

    ``lifecycle_matrix``: ``indicators.lifecycle_matrix`` (counts added over clusters,
    :func:`narrative.stage_counts`); ``target_groups``: ``indicators.target_groups_reached``
    rows (the guideline's groups of ``scope`` are drawn, :func:`narrative.guideline_groups`).
    """
    title = "Life-cycle stages and target groups covered across government"
    xlabel, ylabel = "Number of programmes", "Life-cycle stage"
    stages = narrative.stage_counts(lifecycle_matrix)
    groups = narrative.guideline_groups(target_groups, scope)
    if _empty(stages, "lifecycle_stage", "n_programmes") and _empty(groups, "group", "n_programmes"):
        return no_data(title, xlabel, ylabel, "No programme assessed.")
    rows = max(len(stages) if stages is not None else 0, len(groups) if groups is not None else 0)
    fig, (left, right) = _figure(12, 1.8 + 0.36 * rows, ncols=2)
    for ax, df, col, name in ((left, stages, "lifecycle_stage", "Life-cycle stage"),
                              (right, groups, "group", "Target group named by the guideline")):
        if _empty(df, col, "n_programmes"):
            ax.text(0.5, 0.5, "No data.", ha="center", transform=ax.transAxes)
            ax.set_xlabel(xlabel)
            ax.set_ylabel(name)
            continue
        y = np.arange(len(df))[::-1]
        vals = df["n_programmes"].astype(float).to_numpy()
        ax.barh(y, vals, color=BAR_COLOUR, edgecolor="#333333", height=0.7)
        for yi, v in zip(y, vals, strict=True):
            ax.text(v, yi, "  no programme" if v == 0 else f" {int(v)}", va="center", fontsize=8,
                    fontweight="bold" if v == 0 else "normal")
        ax.set_yticks(y, [_wrap(narrative.label(v), 28) for v in df[col]], fontsize=8.5)
        ax.set_xlim(0, max(vals.max() if len(vals) else 1, 1) * 1.35)
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
        ax.set_xlabel(xlabel)
        ax.set_ylabel(name)
    return _label(fig, [left, right], title, xlabel, ylabel)


def model_coefficients(coefficients: pd.DataFrame, title: str, odds_ratio: bool = False) -> Figure:
    """Coefficients with 95% intervals (``term``, ``estimate``, ``ci_low``, ``ci_high``;
    with ``odds_ratio`` the ratio columns ``odds_ratio``, ``or_ci_low``, ``or_ci_high``
    are drawn on a log axis if present). The intercept is left out."""
    xlabel = "Odds ratio, 95% interval (log scale)" if odds_ratio else "Estimate, 95% interval"
    ylabel = "Term"
    if _empty(coefficients, "term", "estimate", "ci_low", "ci_high"):
        return no_data(title, xlabel, ylabel, "No model fitted.")
    df = coefficients[~coefficients["term"].astype(str).str.lower().isin(["intercept", "const"])]
    if df.empty:
        return no_data(title, xlabel, ylabel, "Only an intercept was fitted.")
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
    ax.set_yticks(y, [_wrap(t, 45) for t in df["term"]], fontsize=8.5)
    ax.set_ylim(-0.6, len(df) - 0.4)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return _label(fig, ax, title, xlabel, ylabel)


def trend_by_round(trend: pd.DataFrame | None) -> Figure:
    """The share of gender-specific or transformative programmes and the mean inclusion
    score per assessment round (``models.trend_by_round(...).table``: ``unit``,
    ``assessment_fy``, ``share_gender_specific``, ``share_ci_low``, ``share_ci_high``,
    ``mean_inclusion_score``, ``mean_ci_low``, ``mean_ci_high``), with 95% intervals."""
    title = "Across assessment rounds, with 95% intervals"
    xlabel, ylabel = "Assessment round (fiscal year)", "Share gender-specific or transformative"
    if _empty(trend, "assessment_fy", "share_gender_specific", "mean_inclusion_score"):
        return no_data(title, xlabel, ylabel, "Fewer than two assessment rounds so far.")
    fig, (left, right) = _figure(11, 4.2, ncols=2)
    units = trend["unit"].unique().tolist() if "unit" in trend.columns else [None]
    palette = sns.color_palette("colorblind", len(units))
    markers = ["o", "s", "D", "^", "v", "P"]
    for k, unit in enumerate(units):
        rows = (trend if unit is None else trend[trend["unit"] == unit]).sort_values("assessment_fy")
        x = rows["assessment_fy"].astype(str).tolist()
        for ax, value, low, high in ((left, "share_gender_specific", "share_ci_low", "share_ci_high"),
                                     (right, "mean_inclusion_score", "mean_ci_low", "mean_ci_high")):
            v = rows[value].astype(float).to_numpy()
            ax.errorbar(x, v, yerr=_err(v, rows[low], rows[high]), marker=markers[k % len(markers)], color=palette[k], capsize=3,
                        label=str(unit) if unit is not None else None)
    _share_axis(left, "y")
    right.set_ylim(0, 100)
    left.set_xlabel(xlabel)
    left.set_ylabel(ylabel)
    right.set_xlabel(xlabel)
    right.set_ylabel("Mean gender inclusion score (0-100)")
    if units != [None]:
        left.legend(fontsize=8.5)
    return _label(fig, [left, right], title, xlabel, ylabel)
