"""Figures of MIS coverage by sex: women's share per programme, by age band and
district, benefit amounts and payment channels."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.ticker import NullFormatter, PercentFormatter

from nsss_analysis.diagnostics.intervals import binomial_limits
from nsss_analysis.diagnostics.rubric import SHARE_MIN_N
from nsss_analysis.mis import coverage as mis_coverage
from nsss_analysis.reference.glossary import ANSWER_NAMES
from nsss_analysis.reference.i18n import N_, _
from nsss_analysis.report.figures.style import (
    POINT_COLOUR,
    ROW_HEIGHT,
    SEX_HATCHES,
    SEX_LABELS,
    SEX_ORDER,
    _ci,
    _digits,
    _district_name,
    _empty,
    _err,
    _figure,
    _ink,
    _label,
    _n_beneficiaries,
    _note,
    _num,
    _panels,
    _pct,
    _programme_fy_labels,
    _programme_name,
    _programmes,
    _share_axis,
    _wrap,
    no_data,
)

#: The payment channels of the MIS extracts, in the legend's order, as shown (message ids).
CHANNEL_NAMES: dict[str, str] = {
    "mobile": N_("Mobile"),
    "bank": N_("Bank"),
    "post office": N_("Post office"),
    "cash": N_("Cash"),
    "unknown": N_("Unknown"),
}


def women_share_points(shares: pd.DataFrame) -> Figure:
    """Women's share of each programme's beneficiaries in the MIS, with 95% Wilson
    intervals (``mis_coverage.women_share_by_programme``: ``programme``,
    ``fiscal_year``, ``share``, ``ci_low``, ``ci_high``, ``total``)."""
    title = _ci(N_("Women's share of beneficiaries in the MIS, with {confidence} intervals"))
    xlabel, ylabel = _("Women's share of beneficiaries"), _("Programme")
    if _empty(shares, "programme", "share", "ci_low", "ci_high"):
        return no_data(title, xlabel, ylabel, _("No beneficiary records."))
    y = np.arange(len(shares))[::-1]
    share = shares["share"].astype(float).to_numpy()
    lo, hi = shares["ci_low"].astype(float).to_numpy(), shares["ci_high"].astype(float).to_numpy()
    fig, ax = _figure(9.5, 1.7 + ROW_HEIGHT * 1.3 * len(shares))
    totals = (shares["total"].astype(float).to_numpy() if "total" in shares.columns
              else np.full(len(shares), np.inf))
    few = totals < SHARE_MIN_N  # fewer than 5 people: the count in words, no share or interval drawn
    ax.errorbar(share[~few], y[~few], xerr=_err(share[~few], lo[~few], hi[~few]), fmt="o",
                color=POINT_COLOUR, capsize=3, ms=6)
    for yi, p, t in zip(y[few], share[few], totals[few], strict=True):
        ax.text(0.02, yi, _("{k} of {n} are women (under 5 people: a count, no share)").format(
            k=_num(round(p * t)), n=_num(t)), va="center", fontsize=8, color="#333333")
    if "total" in shares.columns:
        for yi, t in zip(y, shares["total"].tolist(), strict=True):
            ax.text(1.01, yi, _n_beneficiaries(int(t)), va="center", fontsize=8,
                    transform=ax.get_yaxis_transform())
    ax.axvline(0.5, color="#555555", linestyle="--", linewidth=1)
    ax.set_yticks(y, [_wrap(v) for v in _programme_fy_labels(shares)])
    ax.set_ylim(-0.6, len(shares) - 0.4)
    _share_axis(ax)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    _note(ax, _("Dashed line: half of beneficiaries; n: beneficiaries counted (distinct ids)."))
    return _label(fig, ax, title, xlabel, ylabel)


def coverage_by_age_band(by_age: pd.DataFrame) -> Figure:
    """Beneficiaries by age band and sex, one panel per programme
    (``mis_coverage.coverage_by_age_band``: ``programme``, ``age_band``, ``female``,
    ``male``, ``hijra``). Bars carry a hatch per sex."""
    title = _("Beneficiaries by age band and sex (MIS)")
    xlabel, ylabel = _("Age band (years)"), _("Beneficiaries")
    sexes = [s for s in SEX_ORDER if not _empty(by_age, s)]
    if _empty(by_age, "age_band") or not sexes:
        return no_data(title, xlabel, ylabel, _("No beneficiary records."))
    groups = _programmes(by_age)
    fig, axes = _panels(len(groups), 4.6, 3.6)
    palette = dict(zip(SEX_ORDER, sns.color_palette("colorblind", 3), strict=True))
    for ax, (name, rows) in zip(axes, groups, strict=False):
        bands = rows["age_band"].astype(str).tolist()
        x = np.arange(len(bands))
        width = 0.8 / len(sexes)
        for k, sex in enumerate(sexes):
            ax.bar(x + (k - (len(sexes) - 1) / 2) * width, rows[sex].astype(float).to_numpy(), width * 0.95,
                   color=palette[sex], hatch=SEX_HATCHES[sex], edgecolor="#333333", label=_(SEX_LABELS[sex]))
        ax.set_xticks(x, [_(ANSWER_NAMES[b]) if b in ANSWER_NAMES else _digits(b) for b in bands], fontsize=8)
        ax.set_title(_wrap(_programme_name(name), 45), fontsize=9)
        ax.yaxis.set_major_formatter(mpl.ticker.StrMethodFormatter("{x:,.0f}"))
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
    axes[0].legend(fontsize=8, title=_("Sex"))
    return _label(fig, axes, title, xlabel, ylabel)


def coverage_by_district(by_district: pd.DataFrame) -> Figure:
    """A funnel plot per programme: each district's women's share against its number
    of beneficiaries, with 95% and 99.8% limits around the programme's overall share
    (``mis_coverage.district_funnel``). Districts outside the 99.8% limits are
    labelled with their n; of the others these data cannot tell a difference at their size."""
    title = _("Women's share of beneficiaries by district (MIS): funnel plot")
    xlabel = _("Beneficiaries counted in the district (log scale)")
    ylabel = _("Women's share of beneficiaries")
    funnel = mis_coverage.district_funnel(by_district) if not _empty(by_district, "district", "total") \
        else None
    if funnel is None or not len(funnel):
        return no_data(title, xlabel, ylabel, _("No beneficiary records with a district."))
    groups = _programmes(funnel)
    fig, axes = _panels(len(groups), 4.8, 3.8)
    for ax, (name, rows) in zip(axes, groups, strict=False):
        n = rows["total"].astype(float).to_numpy()
        p0 = float(rows["overall_share"].iloc[0])
        grid = np.unique(np.round(np.geomspace(max(1.0, n.min() * 0.8), n.max() * 1.25, 200)))
        for level, style in zip(mis_coverage.FUNNEL_LEVELS, ("--", ":"), strict=True):
            low, high = binomial_limits(p0, grid, level)
            ax.step(grid, low, style, where="mid", color="#555555", linewidth=1)
            ax.step(grid, high, style, where="mid", color="#555555", linewidth=1)
        ax.axhline(p0, color="#333333", linewidth=1)
        outside = rows["outside_998"].astype(bool).to_numpy()
        share = rows["women_share"].astype(float).to_numpy()
        ax.scatter(n[~outside], share[~outside], s=14, color=POINT_COLOUR, alpha=0.7)
        ax.scatter(n[outside], share[outside], s=24, color="#B2182B", marker="D")
        for r in rows[outside].to_dict("records"):
            ax.annotate(f"{_district_name(r['district'])} ({_n_beneficiaries(int(r['total']))})", (r["total"], r["women_share"]),
                        fontsize=7, xytext=(3, 3), textcoords="offset points")
        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(NullFormatter())  # 2x10^0, 3x10^0 ... ran together
        ax.set_title(_wrap(_programme_name(name), 45), fontsize=9)
        _share_axis(ax, "y")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
    # Under the first panel's axis label: as a panel's left title it ran into the panel names
    # (a long programme name wraps to two lines, and an axes' titles share one height).
    note = _ci(N_("Solid: the programme's overall share; dashed: {confidence} limits; dotted: {outer} limits."))
    axes[0].set_xlabel(xlabel + "\n" + _wrap(note, 60), fontsize=9)
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
    (``mis_coverage.amount_by_sex``: ``programme``, ``sex``, ``mean_bdt``)."""
    title = _("Benefit paid per beneficiary, by sex (MIS)")
    xlabel, ylabel = _("Programme"), _("Mean amount per beneficiary (Tk)")
    mean_col = next((c for c in ("mean_bdt", "mean_amount_bdt") if not _empty(amounts, c)), None)
    if mean_col is None or _empty(amounts, "sex"):
        return no_data(title, xlabel, ylabel, _("No benefit amounts recorded."))
    df = amounts if "programme" in amounts.columns else amounts.assign(programme="")
    df = df.assign(_label=_programme_fy_labels(df))
    labels = list(dict.fromkeys(df["_label"]))
    sexes = [s for s in SEX_ORDER if s in set(df["sex"])]
    palette = dict(zip(SEX_ORDER, sns.color_palette("colorblind", 3), strict=True))
    fig, ax = _figure(max(7, 2.6 * len(labels)), 4.2)
    x = np.arange(len(labels))
    width = 0.8 / max(len(sexes), 1)
    for k, sex in enumerate(sexes):
        own = df[df["sex"] == sex].set_index("_label")
        vals = own[mean_col].reindex(labels).astype(float).to_numpy()
        people = (own["beneficiaries"].reindex(labels).astype(float).to_numpy() if "beneficiaries" in own.columns
                  else np.full(len(labels), np.nan))
        few = people < SHARE_MIN_N  # a mean over fewer than 5 people is not drawn; their n is
        pos = x + (k - (len(sexes) - 1) / 2) * width
        ax.bar(pos, np.where(few, 0.0, np.nan_to_num(vals)), width * 0.95, color=palette[sex],
               hatch=SEX_HATCHES[sex], edgecolor="#333333", label=_(SEX_LABELS[sex]))
        for xi, v, n, small in zip(pos, vals, people, few, strict=True):
            if small:
                ax.text(xi, 0, _("n = {n}: no mean").format(n=_num(n)), ha="center", va="bottom", fontsize=6.5,
                        rotation=90)
            elif not np.isnan(v):
                ax.text(xi, v, _num(v), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(x, [_wrap(lab, 28) for lab in labels], fontsize=8)
    ax.yaxis.set_major_formatter(mpl.ticker.StrMethodFormatter("{x:,.0f}"))
    # beside the plot, not over it: inside, the legend hid the last (hijra) bar
    ax.legend(fontsize=8, title=_("Sex"), loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return _label(fig, ax, title, xlabel, ylabel)


def payment_channel_by_sex(channels: pd.DataFrame) -> Figure:
    """How women and men are paid: the share of each sex's beneficiaries by channel,
    one bar per programme and sex (``mis_coverage.payment_channel_by_sex``:
    ``programme``, ``sex``, ``payment_channel``, ``beneficiaries``)."""
    title = _("Payment channel by sex (MIS)")
    xlabel, ylabel = _("Share of the sex's beneficiaries"), _("Programme and sex")
    if _empty(channels, "payment_channel", "sex", "beneficiaries"):
        return no_data(title, xlabel, ylabel, _("No payment channel recorded."))
    df = channels if "programme" in channels.columns else channels.assign(programme="")
    sex_words = {s: _(SEX_LABELS[s]) if s in SEX_LABELS else s for s in set(df["sex"])}
    df = df.assign(_row=[f"{_wrap(_programme_name(p), 34)}: {sex_words[s]}" if p else sex_words[s]
                         for p, s in zip(df["programme"], df["sex"], strict=True)])
    order_rows = list(dict.fromkeys(df.assign(_s=df["sex"].map({s: i for i, s in enumerate(SEX_ORDER)}))
                                    .sort_values(["programme", "_s"], kind="stable")["_row"]))
    table = df.pivot_table(index="_row", columns="payment_channel", values="beneficiaries", aggfunc="sum",
                           fill_value=0).reindex(order_rows)
    counts = table.copy()
    totals = table.sum(axis=1)
    row_totals = totals.to_numpy(dtype=float)
    table = table.div(totals.replace(0, np.nan), axis=0)
    order = [c for c in ("mobile", "bank", "post office", "cash", "unknown") if c in table.columns]
    order += sorted(set(table.columns) - set(order))
    hatches = ["", "//", "..", "xx", "\\\\", "--"]
    palette = sns.color_palette("colorblind", len(order))
    fig, ax = _figure(10, 1.8 + 0.5 * len(table))
    y = np.arange(len(table))[::-1]
    left = np.zeros(len(table))
    few = row_totals < SHARE_MIN_N  # fewer than 5 people: counts in words, no share bar
    for k, channel in enumerate(order):
        vals = np.where(few, 0.0, np.nan_to_num(table[channel].to_numpy(dtype=float)))
        ax.barh(y, vals, left=left, color=palette[k], hatch=hatches[k % len(hatches)], edgecolor="#333333",
                label=_(CHANNEL_NAMES[channel]) if channel in CHANNEL_NAMES else str(channel).capitalize(),
                height=0.75)
        ink = _ink(palette[k])
        for yi, start, v, total in zip(y, left, vals, row_totals, strict=True):
            if v >= 0.06:
                label = _pct(v, numerator=round(v * total), denominator=total, where="figure.payment_channel_by_sex")
                ax.text(start + v / 2, yi, label, ha="center", va="center", fontsize=7.5, color=ink,
                        fontweight="bold")
        left = left + vals
    for yi, row, total, small in zip(y, counts.index, row_totals, few, strict=True):
        if small and total > 0:
            parts = [_("{channel}: {k} of {n}").format(
                channel=_(CHANNEL_NAMES[c]) if c in CHANNEL_NAMES else str(c).capitalize(),
                k=_num(counts.at[row, c]), n=_num(total)) for c in order if counts.at[row, c] > 0]
            ax.text(0.01, yi, _("{counts} (under 5 people: counts, no share)").format(counts="; ".join(parts)),
                    ha="left", va="center", fontsize=7.5, color="#333333")
    ax.set_yticks(y, list(table.index), fontsize=8)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlim(0, 1)
    fig.legend(loc="outside lower center", ncols=len(order), fontsize=8.5, title=_("Payment channel"),
               frameon=False)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return _label(fig, ax, title, xlabel, ylabel)
