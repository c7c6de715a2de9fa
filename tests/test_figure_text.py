"""Figures read on a phone and in print: no two texts of a figure overlap (titles,
labels, tick labels, legends, annotations, the slope chart's end labels, the synthetic
mark), on the bundled data and on the same data with long programme names (synthetic,
made here), in English and Bangla; no text is smaller than the page's floor; the
synthetic mark sits outside every axes."""

from __future__ import annotations

import re
from dataclasses import fields, replace

import matplotlib
import pytest

matplotlib.use("Agg")

from nsss_analysis.io import Tables, load_tables
from nsss_analysis.reference.i18n import forget_language, set_language
from nsss_analysis.report.display import MIN_TEXT_PT, figure_html, raise_small_text
from nsss_analysis.report.figures import gallery
from nsss_analysis.report.figures.style import SYNTHETIC_MARK_ID, set_theme

#: Every test here draws every figure of the bundled pages (in two languages, or with long names).
pytestmark = pytest.mark.slow

#: Words a long programme name is made of (synthetic names, longer than any on record).
LONG_TAIL = " for Vulnerable Women, Adolescent Girls and Persons with Disabilities in Char and Haor Areas"


@pytest.fixture(scope="module")
def mis_tables(bundled_mis) -> Tables:
    """The session's tables of the bundled data with MIS coverage (read only)."""
    return load_tables(bundled_mis)


def long_names(tables: Tables) -> Tables:
    """The same tables with every programme's name made long (and still distinct)."""
    changed = {}
    for f in fields(tables):
        df = getattr(tables, f.name)
        if hasattr(df, "columns") and "programme" in df.columns:
            changed[f.name] = df.assign(programme=df["programme"].astype("str") + LONG_TAIL)
    return replace(tables, **changed)


@pytest.fixture(autouse=True)
def _english_after():
    yield
    forget_language()
    set_theme()


def _figures(tables: Tables, language: str):
    set_language(language)
    set_theme(synthetic=True, language=language)
    return gallery.report_figures(tables, "MoSW")


@pytest.mark.parametrize("language", ["en", "bn"])
@pytest.mark.parametrize("names", ["bundled", "long"])
def test_no_two_texts_of_a_figure_overlap(mis_tables, language, names):
    tables = mis_tables if names == "bundled" else long_names(mis_tables)
    problems = {}
    for name, build in _figures(tables, language):
        pairs = gallery.overlapping_texts(build())
        if pairs:
            problems[name] = pairs[:3]
    assert not problems, problems


def test_the_slope_chart_repels_its_end_labels(mis_tables):
    calls = dict(_figures(mis_tables, "en"))
    fig = calls["trend_by_round"]()
    texts = [t for t, _ in gallery.text_boxes(fig)]
    assert sum("Construction of Disaster" in t or "Test Relief" in t for t in texts) >= 2  # several at 0
    assert not gallery.overlapping_texts(fig)


def test_the_synthetic_mark_is_outside_every_axes_and_no_text_is_below_the_floor(mis_tables):
    for name, build in _figures(mis_tables, "en"):
        fig = build()
        boxes = dict((id(t), t) for t in fig.texts)
        marks = [t for t in boxes.values() if t.get_gid() == SYNTHETIC_MARK_ID]
        assert len(marks) == 1, name
        assert raise_small_text(fig) >= MIN_TEXT_PT
        mark_box = dict(gallery.text_boxes(fig))[marks[0].get_text()]
        for ax in fig.axes:
            box = ax.get_window_extent()
            assert mark_box.y1 <= box.y0 or mark_box.x1 <= box.x0, name  # below or beside, never on


def test_the_page_keeps_figure_text_at_11_css_px_or_more(mis_tables):
    calls = dict(_figures(mis_tables, "en"))
    page = figure_html(calls["budget_and_women_share"](), "A reading.")
    text_units = float(re.search(r'data-min-text-px="([\d.]+)"', page)[1])
    least = int(re.search(r"min-width:(\d+)px", page)[1])
    view_width = float(re.search(r'viewBox="([^"]+)"', page)[1].split()[2])
    sizes = [float(v) for v in re.findall(r"font-size: ([\d.]+)px", page)]
    assert min(sizes) == pytest.approx(text_units)  # the least type the SVG sets
    assert text_units * least / view_width >= 11  # the smallest text at the figure's least width
    assert 'class="nsss-figure-frame"' in page and "overflow-x:auto" in page


@pytest.mark.parametrize("language", ["en", "bn"])
def test_figures_are_svg_with_text_left_as_text_in_the_pages_fonts(mis_tables, language):
    calls = dict(_figures(mis_tables, language))
    page = figure_html(calls["item_heatmap"](), "A reading.")
    assert page.count("<svg ") == 1 and "data:image/png" not in page and "<path d=" in page
    texts = re.findall(r"<text [^>]*>([^<]*)</text>", page)
    assert len(texts) > 20  # titles, headers, cells and names are text, not outlines
    fonts = set(re.findall(r"font-family: ([^;\"]+)", page))
    assert len(fonts) == 1
    if language == "bn":
        assert next(iter(fonts)).startswith("'NSSS Noto Sans Bengali'")  # the font the Bangla page carries
        assert any(re.search("[\u0980-\u09ff]", t) for t in texts)
    ids = re.findall(r'\bid="([^"]+)"', page)
    prefix = ids[0].split("-")[0]
    assert all(i.startswith(prefix + "-") for i in ids)  # unique to the figure: several share a page
    assert "<metadata>" not in page and "<?xml" not in page
