"""Every figure of the reports, drawn in each language from the same tables: the test
page that shows them side by side (``make figures-page``) and the checks that a figure
in Bangla has no missing glyph and no English words.

:func:`report_figures` lists each figure function with the inputs a ministry report
and the national overview give it, then its no-data version; :func:`draw` renders one
in a language and keeps what it wrote (every Text artist's string, read after drawing
so that tick labels are included) and the characters no font had.
"""

from __future__ import annotations

import base64
import html
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import cast

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from nsss_analysis.diagnostics import summaries
from nsss_analysis.diagnostics.models import BUDGET_TERM
from nsss_analysis.diagnostics.trends import TrendResult
from nsss_analysis.io import Tables
from nsss_analysis.mis import coverage as mis_coverage
from nsss_analysis.reference.i18n import current, set_language
from nsss_analysis.report.display import figure_png, raise_small_text
from nsss_analysis.report.figures import coverage, national, programmes
from nsss_analysis.report.figures.style import set_theme
from nsss_analysis.report.fonts import MissingGlyphWarning

#: A figure to draw: its name and a call that builds it in the current language.
FigureCall = tuple[str, Callable[[], Figure]]

#: The titles the national overview gives :func:`national.share_by_unit`.
SHARE_FIGURES = (
    ("budget_gender_share",
     "Share of the social-security budget in gender-specific or transformative programmes",
     "Share of the budget on record (latest fiscal year with data)"),
    ("data_readiness", "Programmes ready to measure gender results, with 95% intervals",
     "Share of programmes with all three evidence items yes"),
)


def report_figures(tables: Tables, ministry: str, fiscal_year: str | None = None) -> list[FigureCall]:
    """Every figure function of the package, called as the reports call it: the
    ministry report's figures for ``ministry`` (a register code or name), the national
    overview's, and each function's no-data figure."""
    summary = summaries.ministry_summary(tables, ministry, fiscal_year)
    head = summaries.headline_figures(tables, ministry, fiscal_year)
    nation = summaries.national_summary(tables, fiscal_year)
    code, fy = head["ministry_code"], head["fiscal_year"]
    trend = cast(TrendResult, nation["trend"])
    mis = tables.coverage_by_sex

    def mis_table(table: Callable[[pd.DataFrame, str], pd.DataFrame]) -> pd.DataFrame | None:
        return table(mis, code) if mis is not None else None

    coefficients = pd.DataFrame({"term": ["intercept", "cluster: Social Insurance", BUDGET_TERM],
                                 "estimate": [0.2, -0.4, 0.3], "ci_low": [-0.5, -1.1, 0.05],
                                 "ci_high": [0.9, 0.3, 0.55]})
    calls: list[FigureCall] = [
        ("level_comparison", lambda: programmes.level_comparison(summary["level_shares"])),
        ("item_yes_comparison", lambda: programmes.item_yes_comparison(summary["item_yes_shares"])),
        ("item_heatmap", lambda: programmes.item_heatmap(summary["assessments"])),
        ("lifecycle_heatmap", lambda: programmes.lifecycle_heatmap(summary["lifecycle_matrix"])),
        ("budget_and_women_share", lambda: programmes.budget_and_women_share(
            summary["programme_budgets"], summary["women_share_by_programme"], fy, code)),
        ("women_share_points", lambda: coverage.women_share_points(mis_table(mis_coverage.women_share_by_programme))),
        ("coverage_by_age_band", lambda: coverage.coverage_by_age_band(mis_table(mis_coverage.coverage_by_age_band))),
        ("coverage_by_district", lambda: coverage.coverage_by_district(mis_table(mis_coverage.coverage_by_district))),
        ("amount_by_sex", lambda: coverage.amount_by_sex(mis_table(mis_coverage.amount_by_sex))),
        ("payment_channel_by_sex",
         lambda: coverage.payment_channel_by_sex(mis_table(mis_coverage.payment_channel_by_sex))),
        ("levels_by_unit (ministry)", lambda: national.levels_by_unit(nation["level_shares"], "ministry")),
        ("levels_by_unit (cluster)", lambda: national.levels_by_unit(nation["level_shares"], "cluster")),
        ("mean_score_by_unit (ministry)", lambda: national.mean_score_by_unit(nation["mean_score"], "ministry")),
        ("mean_score_by_unit (cluster)", lambda: national.mean_score_by_unit(nation["mean_score"], "cluster")),
        *((f"share_by_unit ({key})",
           lambda key=key, title=title, xlabel=xlabel: national.share_by_unit(nation[key], title=title, xlabel=xlabel))
          for key, title, xlabel in SHARE_FIGURES),
        ("lifecycle_heatmap (national)", lambda: programmes.lifecycle_heatmap(nation["lifecycle_matrix"])),
        ("coverage_gaps", lambda: national.coverage_gaps(nation["lifecycle_matrix"], nation["target_groups_reached"])),
        ("model_coefficients", lambda: national.model_coefficients(coefficients, "", odds_ratio=True)),
        ("trend_by_round", lambda: national.trend_by_round(trend.pairs if trend.ok else None)),
    ]
    empty = pd.DataFrame()
    calls += [
        ("no data: item_heatmap", lambda: programmes.item_heatmap(empty)),
        ("no data: level_comparison", lambda: programmes.level_comparison(empty)),
        ("no data: item_yes_comparison", lambda: programmes.item_yes_comparison(empty)),
        ("no data: lifecycle_heatmap", lambda: programmes.lifecycle_heatmap(empty)),
        ("no data: budget_and_women_share", lambda: programmes.budget_and_women_share(empty, empty, fy)),
        ("no data: women_share_points", lambda: coverage.women_share_points(empty)),
        ("no data: coverage_by_age_band", lambda: coverage.coverage_by_age_band(empty)),
        ("no data: coverage_by_district", lambda: coverage.coverage_by_district(empty)),
        ("no data: amount_by_sex", lambda: coverage.amount_by_sex(empty)),
        ("no data: payment_channel_by_sex", lambda: coverage.payment_channel_by_sex(empty)),
        ("no data: levels_by_unit", lambda: national.levels_by_unit(empty)),
        ("no data: mean_score_by_unit", lambda: national.mean_score_by_unit(empty)),
        ("no data: share_by_unit", lambda: national.share_by_unit(empty, title=SHARE_FIGURES[0][1],
                                                                  xlabel=SHARE_FIGURES[0][2])),
        ("no data: coverage_gaps", lambda: national.coverage_gaps(empty, empty)),
        ("no data: model_coefficients", lambda: national.model_coefficients(empty, "")),
        ("no data: trend_by_round", lambda: national.trend_by_round(None)),
    ]
    return calls


@dataclass(frozen=True)
class Drawn:
    """One figure drawn in one language."""

    name: str
    language: str
    png: bytes
    title: str
    #: Every string the figure shows (titles, labels, ticks, legends, notes), after drawing.
    texts: tuple[str, ...]
    #: Characters that no font of the figure had (each drawn as a box).
    missing: tuple[str, ...]


def figure_texts(fig: Figure) -> tuple[str, ...]:
    """Every visible, non-empty string of a drawn figure (tick labels are only set
    when the figure is drawn, so draw it first)."""
    return tuple(t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip())


#: The characters a ``MissingGlyphWarning`` names: ``'X' U+0058``.
_NAMED_CHAR = re.compile(r"'(.)' U\+[0-9A-F]{4,6}", re.DOTALL)


def draw(name: str, build: Callable[[], Figure], language: str, synthetic: bool = False) -> Drawn:
    """Build and render one figure in ``language`` (the language and the theme are set
    for it and the previous language put back after)."""
    before = current()
    try:
        set_language(language)
        set_theme(synthetic=synthetic, language=language)
        fig = build()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", MissingGlyphWarning)
            png = figure_png(fig)
        missing = tuple(c for w in caught if issubclass(w.category, MissingGlyphWarning)
                        for c in _NAMED_CHAR.findall(str(w.message)))
        for w in caught:
            if not issubclass(w.category, MissingGlyphWarning):
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        return Drawn(name, language, png, fig.get_suptitle(), figure_texts(fig), missing)
    finally:
        set_language(before.language)
        set_theme(language=before.language)


def draw_all(calls: Iterable[FigureCall], languages: Iterable[str] = ("en", "bn"),
             synthetic: bool = False) -> dict[str, dict[str, Drawn]]:
    """Each figure in each language: ``{name: {language: Drawn}}``."""
    langs = tuple(languages)
    return {name: {lang: draw(name, build, lang, synthetic) for lang in langs} for name, build in calls}


_PAGE_STYLE = ("body{font-family:'Noto Sans Bengali','DejaVu Sans',sans-serif;margin:1em}"
               "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:6px;"
               "vertical-align:top;width:50%}img{max-width:100%;height:auto}.missing{color:#B2182B}")


def gallery_html(drawn: dict[str, dict[str, Drawn]], languages: Iterable[str] = ("en", "bn")) -> str:
    """One HTML page: a row per figure, a column per language, each image embedded
    (readable offline), with any missing glyph named under it."""
    langs = tuple(languages)
    names = {"en": "English", "bn": "বাংলা"}
    head = "".join(f"<th>{html.escape(names.get(lang, lang))}</th>" for lang in langs)
    rows = []
    for name, by_language in drawn.items():
        cells = []
        for lang in langs:
            d = by_language[lang]
            data = base64.b64encode(d.png).decode("ascii")
            note = (f'<p class="missing">missing glyphs: {html.escape(" ".join(d.missing))}</p>'
                    if d.missing else "")
            cells.append(f'<td lang="{lang}"><img src="data:image/png;base64,{data}" '
                         f'alt="{html.escape(d.title, quote=True)}">{note}</td>')
        rows.append(f'<tr><th colspan="{len(langs)}">{html.escape(name)}</th></tr><tr>{"".join(cells)}</tr>')
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Figures in every language</title><style>{_PAGE_STYLE}</style></head><body>"
            f"<h1>Figures in every language</h1><table><tr>{head}</tr>{''.join(rows)}</table></body></html>")


def text_boxes(fig: Figure) -> list[tuple[str, Bbox]]:
    """Every text a reader sees in the drawn figure, with its box in display pixels:
    titles, labels, legends, annotations and the tick labels of the ticks drawn (a tick
    outside the axis's range keeps a label that is never drawn)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    raise_small_text(fig)  # as the page saves it
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    ticks: set[int] = set()
    drawn: set[int] = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            every = [*axis.get_major_ticks(), *axis.get_minor_ticks()]
            ticks |= {id(t.label1) for t in every} | {id(t.label2) for t in every}
            # matplotlib's own choice of the ticks it draws (private; no public equivalent)
            shown = axis._update_ticks()  # type: ignore[union-attr]
            drawn |= {id(t.label1) for t in shown} | {id(t.label2) for t in shown}
    out = []
    for text in fig.findobj(Text):
        if not (text.get_visible() and text.get_text().strip()):
            continue
        if id(text) in ticks and id(text) not in drawn:
            continue
        out.append((text.get_text(), text.get_window_extent(renderer)))
    return out


def overlapping_texts(fig: Figure, tolerance: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes intersect by more than ``tolerance`` pixels each way."""
    boxes = text_boxes(fig)
    pairs = []
    for i, (text_a, a) in enumerate(boxes):
        for text_b, b in boxes[i + 1:]:
            if min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance:
                pairs.append((text_a, text_b))
    return pairs
