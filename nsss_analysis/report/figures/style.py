"""The reports' plotting style and the helpers every figure shares: theme, colours
readable in greyscale and by colour-blind readers, titles, notes, empty figures."""

from __future__ import annotations

import random
import textwrap
import warnings
from typing import Any, cast

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, PercentFormatter

from nsss_analysis.diagnostics.rubric import SMALL_N
from nsss_analysis.diagnostics.units import NATIONAL_UNIT, is_missing
from nsss_analysis.reference import numbers
from nsss_analysis.reference.glossary import CLUSTER_NAMES
from nsss_analysis.reference.i18n import N_, _, about_language, current, pgettext
from nsss_analysis.reference.ministries import match_ministry
from nsss_analysis.reference.names import shown_name
from nsss_analysis.report import claims
from nsss_analysis.report.display import MIN_TEXT_PT, laid_out, raise_small_text
from nsss_analysis.report.fonts import figure_rc

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


#: The sexes as a legend names them (message ids: translated where drawn).
SEX_LABELS = {"female": N_("Women"), "male": N_("Men"), "hijra": N_("Hijra/third gender")}


SEX_HATCHES = {"female": "", "male": "//", "hijra": ".."}


#: The mark every figure carries when built from data marked synthetic (set by
#: :func:`set_theme`, from the processed tables' ``synthetic`` column).
SYNTHETIC_MARK = N_("Synthetic data: not an official assessment")
#: The mark's artist id (tests find it by it).
SYNTHETIC_MARK_ID = "nsss-synthetic-mark"

_mark = {"text": ""}


def set_theme(synthetic: bool = False, language: str | None = None) -> None:
    """Reset Matplotlib and seaborn to the reports' theme and fix the random seeds;
    with ``synthetic``, every figure drawn after it carries ``SYNTHETIC_MARK``; the
    fonts and text shaping are those of ``language`` (:func:`fonts.figure_rc`; default:
    the current language, English unless ``set_language`` chose another).

    Called at the top of every notebook: ``%reset -f`` in a reused kernel does not
    undo rcParams or seeds, so each report starts from the same state.
    """
    _mark["text"] = SYNTHETIC_MARK if synthetic else ""
    mpl.rcdefaults()
    sns.set_theme(context="notebook", style="whitegrid", palette="colorblind", font_scale=0.9)
    settings: dict[str, Any] = (
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
        | figure_rc(language or current().language)
    )
    mpl.rcParams.update(settings)  # type: ignore[arg-type]  # matplotlib types the keys as a Literal of every rcParam
    np.random.seed(SEED)
    random.seed(SEED)
    # Matplotlib's own warning per missing glyph is silenced in reports; figure rendering
    # (``display.figure_png``) collects them and raises one ``MissingGlyphWarning`` per
    # figure instead, which the test suite turns into an error.
    warnings.filterwarnings("ignore", message="Glyph .* missing from font")


def _wrap(text: object, width: int = LABEL_WIDTH) -> str:
    return "\n".join(textwrap.wrap(str(text), width=width, max_lines=3, placeholder=" …")) or str(text)


def _figure(width: float, height: float, ncols: int = 1, sharey: bool = False):
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(1, ncols, sharey=sharey, squeeze=False)[0]
    return fig, (axes[0] if ncols == 1 else axes)


def _label(fig: Figure, axes, title: str, xlabel: str, ylabel: str) -> Figure:
    """Set the title (wrapped to the figure's width) and label the first axes if unlabelled;
    in Bangla, every axis's tick numbers in Bangla digits (:func:`_local_ticks`)."""
    width_chars = int(fig.get_figwidth() * 8.5)  # bold "large" title characters per inch
    fig.suptitle("\n".join(textwrap.wrap(title, width_chars)) or title)
    if _mark["text"]:
        # Below the figure's frame (the saved image grows to hold it: ``display.figure_png``
        # saves with a tight box), so it never sits over a legend, a label or the plot.
        fig.text(0.995, -0.01, _(_mark["text"]), ha="right", va="top", fontsize=MIN_TEXT_PT, color="#B2182B",
                 gid=SYNTHETIC_MARK_ID)
    first = np.atleast_1d(axes)[0]
    first.set_xlabel(first.get_xlabel() or xlabel)
    first.set_ylabel(first.get_ylabel() or ylabel)
    _local_ticks(fig)
    _fit_wrapped_labels(fig)
    return fig


# --- words and numbers in the current language ----------------------------------------


def _language() -> str:
    """The language figures are drawn in: the one ``set_language`` chose."""
    return current().language


def _num(value: object, decimals: int = 0, unit: str = "number", **meta: object) -> str:
    """A number as the figure's reader writes it (``1,234`` / ``১,২৩৪``), rounded as the
    page's sentences and tables round it (:mod:`nsss_analysis.reference.numbers`); a claim
    of the page's ledger (``meta``: its fields)."""
    meta.setdefault("where", "figure")
    return str(claims.figure(value, unit, numbers.number(value, _language(), decimals), **meta))


def crore_label(value: object, **meta: object) -> str:
    """An amount in whole crore as a figure labels it (``Tk 1,716 cr`` / ``১,৭১৬ কোটি
    টাকা``): a claim in crore whose text is the whole label, so the reader's unit is the
    ledger's."""
    meta.setdefault("where", "figure")
    text = _("Tk {amount} cr").format(amount=numbers.number(value, _language(), 0))
    return str(claims.figure(value, "crore", text, **meta))


def _pct(share: object, **meta: object) -> str:
    """A share 0-1 as a whole percentage (``46%`` / ``৪৬%``), a claim of the page's
    ledger: give its ``denominator`` (people or programmes) so the rules can check it."""
    meta.setdefault("where", "figure")
    unit = str(meta.pop("unit", "percent"))
    return str(claims.figure(share, unit, numbers.percent(share, _language()), **meta))


def drawn(value: object, unit: str, **meta: object) -> claims.Claim:
    """A value drawn without a number printed (a mean and its interval, a bar): a claim
    with no text, so the chart rules (no mean or interval for fewer than 5) see it."""
    meta.setdefault("where", "figure")
    return claims.figure(value, unit, "", **meta)


#: The confidence of every interval drawn, and the outer limits of a funnel plot.
CONFIDENCE = 0.95
OUTER_LIMITS = 0.998


def _level(share: float) -> str:
    """A confidence level as written in a sentence: ``95%``, ``99.8%`` / ``৯৫%``: a
    claim of the page's ledger (a constant of the method, no count behind it)."""
    return str(claims.figure(share, "percent", numbers.short(100 * share, _language()) + "%",
                             method="confidence level", where="figure.level"))


class _Levels(dict):
    """The levels a message prints, each a claim made only where the message prints it."""

    def __missing__(self, key: str) -> str:
        return _level({"confidence": CONFIDENCE, "outer": OUTER_LIMITS}[key])


def _ci(message: str) -> str:
    """``message`` (marked with ``N_``) in the current language, its ``{confidence}``
    (and ``{outer}``) written as the interval's level: a literal ``95% i...`` in a
    message id reads to gettext tools as a ``% i`` format and breaks the catalogue."""
    return _(message).format_map(_Levels())


def _fy(fiscal_year: object) -> str:
    """``FY 2024-25`` / ``অর্থবছর ২০২৪-২৫``."""
    text = numbers.fiscal_year(fiscal_year, _language())
    claims.figure(None if is_missing(fiscal_year) else str(fiscal_year), "fiscal_year", text,
                  fiscal_year=fiscal_year, where="figure")
    return _("FY {fiscal_year}").format(fiscal_year=text)


def _digits(text: object) -> str:
    """``text`` with its digits in the language's script (age bands, rounds)."""
    return numbers.localise_digits(str(text), _language())


def _int(value: object) -> str:
    """A whole number without grouping (row numbers, small counts): ``12`` / ``১২``."""
    return str(claims.figure(int(value), "count", _digits(int(value)), where="figure"))  # type: ignore[call-overload]


def _n_programmes(n: object) -> str:
    """``n=12`` after a unit counted in programmes (``১২টি কর্মসূচি``)."""
    return pgettext("programmes", "n={n}").format(n=_int(n))


def _n_beneficiaries(n: object) -> str:
    """``n=1,234`` after a count of beneficiaries (``১,২৩৪ জন``)."""
    return pgettext("beneficiaries", "n={n}").format(n=_num(n))


def _unit_name(unit: object) -> str:
    """A unit of comparison as the reader names it: the nation, an NSSS cluster, or a
    ministry or division (by its name in the register's column of the language, e.g. its
    Bangla name; where the language takes the English names, as the form wrote it);
    anything else as given."""
    text = str(unit)
    if text == NATIONAL_UNIT:
        return _("Bangladesh")
    if text in CLUSTER_NAMES:
        return _(CLUSTER_NAMES[text])
    spoken = about_language()
    ministry = match_ministry(text, allow_parts=False) if spoken.names != "name" else None
    return ministry.name_in(spoken.code) if ministry is not None else text


def _programme_name(name: object) -> str:
    """A programme's name in the figure's language (``reference.names``): its published
    Bangla name when the catalogue has one, else the name the form gave, so one axis
    holds one script wherever a Bangla name exists."""
    return shown_name("programme", name, _language())


def _district_name(name: object) -> str:
    """A district's name in the figure's language."""
    return shown_name("district", name, _language())


class _LocalDigits(Formatter):
    """Wraps an axis's tick formatter and writes its digits in the language's script
    (a grouped number as the language groups it: ``১২,৩৪,৫৬৭``); a label in mathtext (log axes: ``$10^{2}$``) is written as a plain number instead,
    since mathtext has no Bangla digits."""

    def __init__(self, inner: Formatter, language: str):
        self.inner, self.language = inner, language

    def set_axis(self, axis) -> None:
        super().set_axis(axis)
        self.inner.set_axis(axis)

    def set_locs(self, locs) -> None:
        self.inner.set_locs(locs)

    def __call__(self, x, pos=None) -> str:
        text = self.inner(x, pos)
        if "$" in text:
            text = numbers.number(x, self.language, 0 if float(x) >= 1 else 2) if text.strip("$") else ""
        plain = text.replace(",", "")
        if "," in text and plain.lstrip("-").replace(".", "", 1).isdigit():  # grouped: as the language groups
            return numbers.number(x, self.language, len(plain.partition(".")[2]))
        return numbers.localise_digits(text, self.language)

    def get_offset(self) -> str:
        return numbers.localise_digits(self.inner.get_offset(), self.language)


def _local_ticks(fig: Figure) -> None:
    """Every axis's (and colour bar's) tick numbers in the language's digits, and a log
    axis's ``10^2`` as a plain ``100`` in every language (mathtext sets an exponent in
    smaller type, which a phone would show below the 11 px floor)."""
    language = _language()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for which in ("major", "minor"):
                current_formatter = getattr(axis, f"get_{which}_formatter")()
                if not isinstance(current_formatter, _LocalDigits):
                    getattr(axis, f"set_{which}_formatter")(_LocalDigits(current_formatter, language))


def no_data(title: str, xlabel: str, ylabel: str, message: str | None = None) -> Figure:
    """A small figure that keeps the title and axis labels and says there is nothing
    (``message``, already in the current language; default "No data to show.")."""
    message = message or _("No data to show.")
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
    """A caution printed above the plot, under the title (small n, what is not reported).

    Drawn as the axes' own title, left-aligned: legends sit below or beside the plot, so
    the caution never covers one (a ``supxlabel`` at the bottom did).
    """
    ax.set_title(text, fontsize=8.5, style="italic", loc="left", fontweight="normal")


def _renderer(fig: Figure):
    """Lay ``fig`` out (its constrained layout run, nothing rasterised; not again when
    unchanged since: ``display.laid_out``) and return the renderer that measured it, so
    texts and axes can be measured as they will be drawn."""
    raise_small_text(fig)  # measured at the size it is saved at
    return laid_out(fig)


#: Room added round a measured text when labels are spaced (the layout at saving time
#: can move an axes by a pixel or two).
_TEXT_PAD = 1.15


def repel_labels(ax, labels: list[tuple[float, str]], x_point: float, x_text: float,
                 fontsize: float = MIN_TEXT_PT) -> None:
    """Write ``labels`` (``(y, text)`` in data units) at ``x_text``, pushed apart
    vertically so that no two overlap, each joined to its point at ``(x_point, y)`` by a
    leader line when it had to move (a slope chart's end labels: three scores of 0 once
    printed on one another).

    The labels are measured after the figure's layout (their heights and the axes' own
    height, in pixels); when together they are taller than the axes, the figure grows
    by the difference (the layout run again), so the labels stay within the axes'
    range and never run onto the tick labels, the note or the title.
    """
    if not labels:
        return
    fig = ax.figure
    texts = [ax.text(x_text, y, text, fontsize=fontsize, va="center", clip_on=False) for y, text in labels]
    for _attempt in range(4):
        renderer = _renderer(fig)
        axes_px = ax.get_window_extent(renderer).height
        heights_px = [t.get_window_extent(renderer).height * _TEXT_PAD for t in texts]
        if sum(heights_px) <= axes_px:
            break
        fig.set_figheight(fig.get_figheight() + (sum(heights_px) - axes_px) / fig.dpi + 0.15)
    low, high = ax.get_ylim()
    per_px = (high - low) / axes_px
    order = sorted(range(len(labels)), key=lambda i: labels[i][0])
    placed = [labels[i][0] for i in order]
    heights = [heights_px[i] * per_px for i in order]
    # never below the axes' bottom: the lowest label sits with its lower edge on it at least
    placed[0] = max(placed[0], low + heights[0] / 2)
    for k in range(1, len(placed)):  # push each label up clear of the one below it
        placed[k] = max(placed[k], placed[k - 1] + (heights[k - 1] + heights[k]) / 2)
    overflow = placed[-1] + heights[-1] / 2 - high
    if overflow > 0:  # then shift all down as far as the bottom allows, keeping the gaps
        room = placed[0] - heights[0] / 2 - low
        shift = min(overflow, max(room, 0.0))
        placed = [y - shift for y in placed]
        for k in range(len(placed) - 2, -1, -1):  # and re-space downwards where needed
            placed[k] = min(placed[k], placed[k + 1] - (heights[k] + heights[k + 1]) / 2)
    for k, i in enumerate(order):
        y = labels[i][0]
        texts[i].set_y(placed[k])
        if abs(placed[k] - y) > 1e-9:
            ax.plot([x_point, x_text - 0.01], [y, placed[k]], color="#999999", linewidth=0.6, clip_on=False)


def widen_for_tick_labels(fig: Figure, ax, axis: str = "x", gap_px: float = 6.0, attempts: int = 3) -> None:
    """Grow ``fig`` until no two tick labels of ``ax``'s ``axis`` touch: on "x" (column
    headers side by side) it widens, on "y" (wrapped programme names one above the
    other) it grows taller. Each label is measured after the layout and the figure
    grows by what the tightest pair lacks, times the number of labels (a long name on
    the other axis narrows the columns; a Bangla line is taller than a Latin one); a
    label is never cut."""
    horizontal = axis == "x"
    for _attempt in range(attempts):
        renderer = _renderer(fig)
        ticks = [t for t in getattr(ax, f"get_{axis}ticklabels")() if t.get_visible() and t.get_text().strip()]
        if len(ticks) < 2:
            return
        boxes = sorted((t.get_window_extent(renderer) for t in ticks), key=lambda b: b.x0 if horizontal else b.y0)
        lacking = max((a.x1 - b.x0 if horizontal else a.y1 - b.y0) + gap_px for a, b in zip(boxes, boxes[1:], strict=False))
        if lacking <= 0:
            return
        grow = lacking * len(ticks) / fig.dpi + 0.1
        if horizontal:
            fig.set_figwidth(fig.get_figwidth() + grow)
        else:
            fig.set_figheight(fig.get_figheight() + grow)


def _fit_wrapped_labels(fig: Figure) -> None:
    """Every axes whose y tick labels are wrapped names (several lines) grows until they
    stand clear of one another (:func:`widen_for_tick_labels`)."""
    for ax in fig.axes:
        if ax.get_visible() and any("\n" in t.get_text() for t in ax.get_yticklabels() if t.get_visible()):
            widen_for_tick_labels(fig, ax, "y", gap_px=2.0)


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
        _wrap(_("{programme} (row {row})").format(programme=_programme_name(n), row=_int(r))
              if counts[n] > 1 and r is not None else _programme_name(n))
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
    return not is_missing(n) and int(cast(float, n)) < SMALL_N


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
        shown = f"{_unit_name(unit)} ({_n_programmes(n_value)})"
        if _is_small(n_value):
            small.append(shown)
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
            label=shown,
        )
        if count and count in rows.columns:
            # counts in a column right of the plot, where no interval can cover them
            for yi, c, n_row in zip(y, rows[count].tolist(), rows["n"].tolist(), strict=True):
                if not is_missing(c):
                    ax.text(1.01, yi, f"{_int(c)}/{_int(n_row)}", va="center", fontsize=8,
                            color=palette[k], transform=ax.get_yaxis_transform())
    ax.set_yticks(y_base, category_labels)
    _share_axis(ax)
    ax.set_ylim(-0.6, len(categories) - 0.4)
    fig.legend(loc="outside lower center", ncols=len(unit_order), fontsize=8.5, frameon=False)
    if small:
        _note(ax, _("Small n: {units}; intervals are wide, read with care.").format(units=", ".join(small)))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
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


def _programme_fy_labels(df: pd.DataFrame) -> list[str]:
    """Programme names, with the fiscal year when a programme appears for several."""
    if "programme" not in df.columns:
        return [""] * len(df)
    names = df["programme"].astype(str)
    if "fiscal_year" not in df.columns:
        return [_programme_name(n) for n in names]
    years = df.groupby(names)["fiscal_year"].transform("nunique")
    return [f"{_programme_name(n)} ({_fy(fy)})" if k > 1 else _programme_name(n)
            for n, fy, k in zip(names, df["fiscal_year"], years, strict=True)]
