"""Safe rendering for the report notebooks: every piece of form text is escaped.

Programme names, ministry names and remarks come from forms people typed; in a
report they are data, never markup. Markdown passes raw HTML through and a pandas
``Styler`` does not escape by default, so the notebooks render nothing themselves:
they call these helpers, which build HTML with :func:`html.escape` applied to every
value and tables with ``DataFrame.to_html(escape=True)``.

Each helper returns an ``IPython.display.HTML`` object (shown when it is the last
expression of a cell; use ``IPython.display.display`` for several in one cell), and
the matching ``*_html`` function returns the plain string for tests and the runner.

>>> paragraph_html("<script>alert(1)</script>")
'<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import html
import io
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from numbers import Integral

import matplotlib as mpl
import pandas as pd

from nsss_analysis.reference.i18n import N_, Nn_, _, about_language, current, ngettext
from nsss_analysis.reference.names import display_name, localise_names
from nsss_analysis.reference.numbers import localise_digits, number
from nsss_analysis.report import claims, fonts

#: Shown in a table cell with no value: a dash reads as "nothing here", "nan" does not.
MISSING = "–"


#: PNG resolution of report figures (dots per inch): sharp on screen, small enough to
#: keep a report of a dozen figures under a few MB of HTML.
FIGURE_DPI = 110


# Light styling carried inside the outputs, so the HTML reads the same offline and in
# JupyterLab; greys and a dark blue that survive greyscale printing.
_STYLE = {
    "notice": "border-left:4px solid #555;background:#f2f2f2;padding:0.5em 0.8em;margin:0.5em 0",
    "warning": "border-left:4px solid #8a6d00;background:#fff8e0;padding:0.5em 0.8em;margin:0.5em 0",
    "headline": "font-size:1.08em;line-height:1.5",
    "figure": "margin:0.8em 0 1.4em 0",
    "caption": "font-style:italic;margin-top:0.3em",
    "img": "max-width:100%;height:auto",
    "frame": "max-width:100%;overflow-x:auto",
    "synthetic": "color:#B2182B;font-weight:bold;margin:0.2em 0 0.6em 0",
}


def escape(value: object) -> str:
    """Escape any value for HTML; missing values become the empty string."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return html.escape(str(value), quote=True)


def _html(markup: str):
    from IPython.display import HTML

    return HTML(markup)


def paragraph_html(text: object, kind: str | None = None) -> str:
    """One paragraph of escaped text; ``kind`` "notice" or "warning" draws a box."""
    style = f' style="{_STYLE[kind]}"' if kind else ""
    return f"<p{style}>{escape(text)}</p>"


def paragraph(text: object, kind: str | None = None):
    return _html(paragraph_html(text, kind))


def heading_html(text: object, level: int = 2) -> str:
    level = min(max(int(level), 1), 6)
    return f"<h{level}>{escape(text)}</h{level}>"


def heading(text: object, level: int = 2):
    """A heading built from data (e.g. the ministry's name), escaped."""
    return _html(heading_html(text, level))


def bullets_html(items: Iterable[object], style: str | None = None) -> str:
    items = [i for i in items if i is not None and str(i) != ""]
    if not items:
        return ""
    css = f' style="{_STYLE[style]}"' if style else ""
    return f"<ul{css}>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def bullets(items: Iterable[object], style: str | None = None):
    """A bullet list of escaped sentences (``style="headline"`` for the first screen)."""
    return _html(bullets_html(items, style))


def notice(text: object):
    """A boxed note (e.g. that the bundled figures are synthetic)."""
    return paragraph(text, "notice")


#: The one-line mark under a report's title when its data are synthetic (the full
#: notice comes after the first screen); the figures carry the same words.
SYNTHETIC_LINE = N_("Synthetic data: not an official assessment")


def synthetic_mark():
    """One short line saying the page's data are synthetic, for the top of a page."""
    return _html(f'<p class="nsss-synthetic" style="{_STYLE["synthetic"]}">{escape(_(SYNTHETIC_LINE))}</p>')


def warning(text: object):
    """A boxed caution (small n, no data for a section)."""
    return paragraph(text, "warning")


_FISCAL_YEAR = re.compile(r"\d{4}-\d{2}")


def _format_cell(value: object, digits: int, language: str = "en", column: str = "") -> object:
    """A table cell in ``language``: yes/no words, numbers with the language's digits
    and grouping, rounded half away from zero in every language (reference.numbers), so an
    English and a Bangla table print the same figures. Each number is a claim of the
    page's ledger (``where``: ``table:<column>``)."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        if math.isnan(value):
            return MISSING
        return str(claims.figure(value, "number", number(value, language, digits), where=f"table:{column}"))
    if isinstance(value, Integral):
        # as English shows it (rounds, ranks, years): no grouping
        text = localise_digits(str(value), language)
        return str(claims.figure(int(value), "number", text, where=f"table:{column}"))
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) if value else MISSING
    if value is None or value is pd.NA:
        return MISSING
    if isinstance(value, str) and _FISCAL_YEAR.fullmatch(value):
        return localise_digits(value, language)  # a fiscal year or round, "2023-24"
    return value


def table_html(
    df: pd.DataFrame,
    columns: Mapping[str, str] | None = None,
    digits: Mapping[str, int] | int = 1,
    caption: str | None = None,
    max_rows: int | None = None,
) -> str:
    """A readable, escaped HTML table.

    ``columns`` picks and renames columns (``{"inclusion_score": "Inclusion score"}``);
    ``digits`` sets decimals per column (or for all); lists are joined with commas,
    booleans shown as yes/no, missing values as a dash; text left-aligned, numbers
    right-aligned. Every cell and header goes through :func:`escape`, so a programme
    named ``<script>`` stays text. Names (programme, ministry, agencies, district,
    division columns) are printed in the page's language (``reference.names``).
    """
    df = localise_names(df, current().language)
    if columns is not None:
        present = [c for c in columns if c in df.columns]
        df = df.loc[:, present].rename(columns={c: columns[c] for c in present})
        digit_map: Mapping[str, int] | int = (
            {columns[c]: d for c, d in digits.items() if c in columns}
            if isinstance(digits, Mapping)
            else digits
        )
    else:
        digit_map = digits
    shown = df.head(max_rows) if max_rows else df

    def decimals(col: str) -> int:
        return digit_map.get(col, 1) if isinstance(digit_map, Mapping) else digit_map

    numeric = [
        col for col in shown.columns
        if pd.api.types.is_numeric_dtype(shown[col]) and not pd.api.types.is_bool_dtype(shown[col])
    ]
    language = current().language
    # pandas' Styler escapes every cell and header (escape="html"): form text stays text.
    styler = (
        shown.style.format({col: functools.partial(_format_cell, digits=decimals(col), language=language, column=str(col))
                            for col in shown.columns},
                           escape="html")
        .format_index(escape="html", axis=1)
        .hide(axis="index")
        .set_uuid(_table_id(shown))
        .set_table_attributes('class="nsss-table"')
        .set_table_styles([{"selector": "th, td", "props": "text-align: left; vertical-align: top;"}])
    )
    if numeric:
        styler = styler.set_properties(subset=numeric, **{"text-align": "right"})
    out = styler.to_html()
    note = left_out_note()
    caption = " ".join(c for c in (caption, note) if c) or None
    cap = f'<p style="{_STYLE["caption"]}">{escape(caption)}</p>' if caption else ""
    more = (
        "<p>" + escape(_("First {shown} of {total} rows shown.").format(
            shown=claims.count(max_rows, where="display.table"), total=claims.count(len(df), where="display.table")))
        + "</p>"
        if max_rows and len(df) > max_rows
        else ""
    )
    return out + cap + more


# --- the disputed programmes every figure and table of counted programmes leaves out ----

#: Under a figure or table built from the counted programmes, when some are disputed.
DISPUTED_LEFT_OUT = Nn_("{n} disputed programme is not included ({names}): its forms disagree and nothing "
                        "tells which stands.",
                        "{n} disputed programmes are not included ({names}): their forms disagree and nothing "
                        "tells which stands.")
#: The page's disputed programmes: (keys, names), or None (none, or a block that shows them).
_LEFT_OUT: contextvars.ContextVar[tuple[tuple[str, ...], tuple[str, ...]] | None] = contextvars.ContextVar(
    "nsss_disputed_left_out", default=None)


def disputed_left_out(disputed: pd.DataFrame | None) -> None:
    """Say, under every figure and table from here on, how many disputed programmes
    (``disputed``: both forms of each, as ``summaries`` gives them) the counts, shares,
    means and budgets leave out (docs/method.md, "Counted once"). The notebook calls it
    once, after its summary; nothing is said when none is disputed."""
    if disputed is None or not len(disputed):
        _LEFT_OUT.set(None)
        return
    once = disputed.drop_duplicates(["ministry_code", "programme"])
    keys = tuple(f"{c}/{p}" for c, p in zip(once["ministry_code"], once["programme"], strict=True))
    _LEFT_OUT.set((keys, tuple(str(p) for p in once["programme"])))


@contextmanager
def every_programme() -> Iterator[None]:
    """Inside: figures and tables that show every programme, disputed ones too (the
    counting table, the beneficiary lists), carry no note."""
    token = _LEFT_OUT.set(None)
    try:
        yield
    finally:
        _LEFT_OUT.reset(token)


def left_out_note() -> str:
    """The note on the disputed programmes left out, in the page's language ("" when none)."""
    left = _LEFT_OUT.get()
    if not left:
        return ""
    keys, names = left
    n = len(keys)
    text = str(claims.count(n, programmes=keys, where="display.disputed"))
    shown = ", ".join(display_name("programme", name) for name in names)
    return ngettext(*DISPUTED_LEFT_OUT, n).format(n=text, names=shown)


def _table_id(df: pd.DataFrame) -> str:
    """A short id from the table's content: the same table gets the same id on every
    run, and two different tables on one page do not share their cells' styles."""
    return "t" + hashlib.sha256(df.to_csv(index=False).encode("utf-8")).hexdigest()[:10]


def table(df: pd.DataFrame, columns=None, digits=1, caption=None, max_rows=None):
    """Display a DataFrame as an escaped table (see :func:`table_html`)."""
    return _html(table_html(df, columns, digits, caption, max_rows))


#: The smallest type a figure prints, in points: smaller text is raised to it when the
#: figure is saved (:func:`figure_png`).
MIN_TEXT_PT = 8.0
#: The smallest figure text a reader gets, in CSS pixels: each image is given the least
#: width that keeps its smallest text this large (:func:`figure_html`); on a narrow
#: phone the figure then scrolls sideways in its frame rather than shrinking.
MIN_TEXT_CSS_PX = 11.0


def raise_small_text(fig) -> float:
    """Raise every visible text below :data:`MIN_TEXT_PT` to it; the smallest size left."""
    from matplotlib.text import Text

    sizes = []
    for text in fig.findobj(Text):
        if not (text.get_visible() and text.get_text().strip()):
            continue
        if text.get_fontsize() < MIN_TEXT_PT:
            text.set_fontsize(MIN_TEXT_PT)
        sizes.append(float(text.get_fontsize()))
    return min(sizes, default=MIN_TEXT_PT)


#: Room left round what a figure draws when it is cut tight, in inches.
PAD_INCHES = 0.08


def laid_out(fig):
    """Lay ``fig`` out and return the Agg renderer that measured it, so that its texts
    and axes can be measured where they will be drawn.

    Only the layout engine runs (the constrained layout measures every text it places);
    the figure is not drawn, not even without rendering, as matplotlib's own
    ``draw_without_rendering`` would: a text's or an axes' ``get_window_extent`` /
    ``get_tightbbox`` then updates what a draw would (ticks, titles, aspect)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    engine = fig.get_layout_engine()
    if engine is not None and fig.axes:
        engine.execute(fig)
    return renderer


def _save_once(fig, target, **savefig: object) -> None:
    """``fig.savefig(target, bbox_inches="tight", pad_inches=PAD_INCHES)`` drawn once.

    Matplotlib's own tight save lays the figure out and draws it once (without
    rendering) to find the box, then draws it again to save: here the layout of
    :func:`laid_out` gives the box, and the one draw saves with the layout engine set
    aside (the axes stay where it put them)."""
    renderer = laid_out(fig)
    box = fig.get_tightbbox(renderer).padded(PAD_INCHES)
    engine = fig.get_layout_engine()
    with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)  # None, not "none": a placeholder engine would lay it out again
    try:
        fig.savefig(target, bbox_inches=box, **savefig)
    finally:
        fig.set_layout_engine(engine)


def figure_png(fig) -> bytes:
    """PNG bytes of a Matplotlib figure, without metadata that changes between runs, in
    the current language's fonts; a character no font has raises a ``MissingGlyphWarning``.

    No text is smaller than :data:`MIN_TEXT_PT`; the image is cut tight around what is
    drawn, so the synthetic mark under the figure's frame is kept (never over the plot).
    """
    raise_small_text(fig)
    buf = io.BytesIO()
    with mpl.rc_context(fonts.figure_rc(current().language)), fonts.missing_glyphs() as missing:  # type: ignore[arg-type]
        _save_once(fig, buf, format="png", dpi=FIGURE_DPI, metadata={"Software": None})
    fonts.warn_missing_glyphs(missing, fig.get_suptitle())
    return buf.getvalue()


def png_width(png: bytes) -> int:
    """The pixel width of a PNG (its IHDR chunk)."""
    return int.from_bytes(png[16:20], "big")


def figure_svg(fig) -> str:
    """The figure as SVG with its text left as text (``svg.fonttype = "none"``): the
    browser sets and shapes it in the page's own fonts (the Bangla page carries Noto
    Sans Bengali, the font matplotlib measured the text with), so Bangla conjuncts read
    as the page's prose does, type scales crisply on a phone's zoom, and the PDF prints
    vectors and searchable text. Deterministic (no date, fixed ids' salt); a character
    no font has raises a ``MissingGlyphWarning``, as for a PNG."""
    raise_small_text(fig)
    buf = io.StringIO()
    rc = fonts.figure_rc(current().language) | {"svg.fonttype": "none", "svg.hashsalt": "nsss"}
    with mpl.rc_context(rc), fonts.missing_glyphs() as missing:  # type: ignore[arg-type]
        _save_once(fig, buf, format="svg", metadata={"Date": None})
    fonts.warn_missing_glyphs(missing, fig.get_suptitle())
    return buf.getvalue()


#: The font stack of a figure's text in the page, by language (single quotes: it sits in
#: a style attribute): the fonts matplotlib measured the text with first.
def _figure_font_stack(language: str) -> str:
    families = ", ".join(f'"{family}"' for family in fonts.font_family(language))
    stack = fonts.PAGE_FONT_STACK if about_language(language).carries_fonts else families + ", " + fonts.CSS_FONT_STACK
    return stack.replace('"', "'")


_SVG_FONT = re.compile(r"font-family: [^;\"]+")
_SVG_SIZE = re.compile(r'<svg ([^>]*?)width="([\d.]+)pt" height="([\d.]+)pt" viewBox="([^"]+)"')
_SVG_ID = re.compile(r'\bid="([^"]+)"')
_SVG_REF = re.compile(r'(url\(#|href="#)([^)"]+)')


def inline_svg(svg: str, smallest: float, alt: str) -> str:
    """The SVG of :func:`figure_svg` ready to sit in the page: no XML prologue or
    metadata; ids made unique to the figure (several figures share a page); its text in
    the page's font stack; scaled to the page's width but never narrower than keeps
    ``smallest`` (its least type, in the SVG's units) at :data:`MIN_TEXT_CSS_PX`; a
    ``title`` (``alt``, escaped) for screen readers; ``data-min-text-px`` (the least
    type in the SVG's units) for the browser test."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.DOTALL)
    prefix = "f" + hashlib.sha256(svg.encode("utf-8")).hexdigest()[:10] + "-"
    svg = _SVG_ID.sub(lambda m: f'id="{prefix}{m[1]}"', svg)
    svg = _SVG_REF.sub(lambda m: f"{m[1]}{prefix}{m[2]}", svg)
    svg = _SVG_FONT.sub("font-family: " + _figure_font_stack(current().language), svg)
    # matplotlib's one style rule ("*{...}") would reach every element of the page
    svg = svg.replace("<style type=\"text/css\">*{", "<style type=\"text/css\">svg.nsss-figure *{", 1)
    size = _SVG_SIZE.search(svg)
    if size is None:
        raise ValueError("matplotlib wrote an SVG without a width, height and viewBox")
    view_width = float(size[4].split()[2])
    # the least type the SVG itself sets (an exponent or a text drawn after the floor
    # was applied would be smaller than the figure's texts said)
    smallest = min([smallest, *(float(v) for v in re.findall(r"font-size: ([\d.]+)px", svg))])
    # one pixel more: the browser lays out in 1/64 px units and may round the width down
    least = math.ceil(MIN_TEXT_CSS_PX * view_width / smallest) + 1
    natural = math.ceil(view_width * 96 / 72)  # its size in CSS px at 100%: no larger on a wide screen
    head = (f'<svg {size[1]}class="nsss-figure" role="img" data-min-text-px="{smallest:.2f}" '
            f'style="width:100%;max-width:{natural}px;height:auto;min-width:{least}px" viewBox="{size[4]}"')
    svg = svg[: size.start()] + head + svg[size.end():]
    opening = svg.index(">") + 1
    return svg[:opening] + f"<title>{alt}</title>" + svg[opening:]


def figure_html(fig, reading: str | None = None) -> str:
    """The figure as inline SVG (text left as text: :func:`figure_svg`) with its
    one-line reading.

    The reading is also the figure's title, for screen readers. The figure is at least
    as wide as keeps its smallest text at :data:`MIN_TEXT_CSS_PX` (its frame scrolls
    sideways on a narrower screen; on paper it fits the page); ``data-min-text-px`` is
    that text's size in the SVG's own units, for the browser test. The figure is closed
    afterwards, so a warm kernel does not accumulate figures.
    """
    import matplotlib.pyplot as plt

    if fig is None:
        return paragraph_html(reading) if reading else ""
    title = fig.get_suptitle()
    smallest = raise_small_text(fig)
    svg = figure_svg(fig)
    plt.close(fig)
    stop = about_language().sentence_end  # the dari ends a Bangla sentence
    alt = escape(f"{title}{stop}{reading}" if reading else title)
    note = left_out_note()
    said = " ".join(r for r in (reading, note) if r)
    caption = f'<figcaption style="{_STYLE["caption"]}">{escape(said)}</figcaption>' if said else ""
    return (
        f'<figure style="{_STYLE["figure"]}"><div class="nsss-figure-frame" style="{_STYLE["frame"]}">'
        f"{inline_svg(svg, smallest, alt)}</div>"
        f"{caption}</figure>"
    )


def figure(fig, reading: str | None = None):
    """Display a figure with its reading underneath (see :func:`figure_html`)."""
    return _html(figure_html(fig, reading))


def markdown_trusted(text: str):
    """Render Markdown written by the package itself (the method note), never form text."""
    from IPython.display import Markdown

    return Markdown(text)


def render(*items) -> None:
    """Display several outputs in order (HTML objects, or lists of them)."""
    from IPython.display import display as ipy_display

    for item in items:
        for one in item if isinstance(item, (list, tuple)) else (item,):
            if one is not None:
                ipy_display(one)
