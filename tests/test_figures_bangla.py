"""The figures in Bangla: every word through the catalogue, numbers in Bangla digits,
the Bengali font, no missing glyph; English figures unchanged; and the test page that
shows every figure in both languages side by side."""

from __future__ import annotations

import re
import warnings

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from matplotlib.figure import Figure

from nsss_analysis.diagnostics.models import BUDGET_TERM
from nsss_analysis.io import load_tables
from nsss_analysis.reference.i18n import forget_language, set_language
from nsss_analysis.reference.vocab import load_reference
from nsss_analysis.report import figures
from nsss_analysis.report.display import figure_png
from nsss_analysis.report.figures import gallery
from nsss_analysis.report.fonts import BENGALI_FAMILY, MissingGlyphWarning
from tests.support.figure_data import budget_women as _budget_women
from tests.support.figure_data import coefficients as _coefficients
from tests.support.figure_data import level_shares as _level_shares
from tests.support.figure_data import mean_scores as _mean_scores
from tests.support.figure_data import shares as _shares

#: The ministry whose report has every figure on the bundled data (programmes, budgets
#: and an MIS extract).
MINISTRY = "MoSW"
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’.&-]*")


@pytest.fixture(autouse=True)
def _english_after():
    yield
    forget_language()
    figures.set_theme()


@pytest.fixture(scope="module")
def tables(bundled_mis):
    return load_tables(bundled_mis)


@pytest.fixture(scope="module")
def drawn(tables):
    """Every figure of a Bangla ministry report and national overview, in both languages."""
    return gallery.draw_all(gallery.report_figures(tables, MINISTRY), ("en", "bn"), synthetic=True)


def _proper_names(tables) -> set[str]:
    """The Latin words a Bangla figure may show: names typed in the forms and extracts
    (programmes, districts) and ministry names without a Bangla name in the register."""
    names = [*tables.assessments["programme"].astype(str), *tables.coverage_by_sex["programme"].astype(str),
             *tables.coverage_by_sex["district"].astype(str)]
    if tables.budgets is not None:
        names += tables.budgets["programme"].astype(str).tolist()
    names += [m.name for m in load_reference().ministries if not m.name_bn]
    # "n", the statistician's symbol for a count ("n = ৪"), as Bangla statistics writes it too
    return {w.strip(".") for name in names for w in _LATIN_WORD.findall(name)} | {"n"}


#: Tests on the bundled data: cleaning, scoring and drawing 70 figures take a minute.
slow = pytest.mark.slow


@slow
def test_every_figure_is_drawn_in_both_languages(drawn):
    names = {name.split(" ")[0] for name in drawn} | {name.split(": ")[-1] for name in drawn}
    assert set(figures.__all__) - {"set_theme", "no_data"} <= names
    for by_language in drawn.values():
        assert by_language["en"].png.startswith(b"\x89PNG") and by_language["bn"].png.startswith(b"\x89PNG")


@slow
def test_bangla_figures_have_every_glyph(drawn):
    missing = {name: d["bn"].missing for name, d in drawn.items() if d["bn"].missing}
    assert not missing


@slow
def test_bangla_figures_have_no_english_words_but_proper_names(drawn, tables):
    allowed = _proper_names(tables)
    english = {}
    for name, by_language in drawn.items():
        # a wrapped name ("Non-\ngovernment") is read as the one word it is
        texts = [t.replace("-\n", "-").replace("\n", " ") for t in by_language["bn"].texts]
        words = {w.strip(".") for text in texts for w in _LATIN_WORD.findall(text)}
        if words - allowed:
            english[name] = sorted(words - allowed)
    assert not english


@slow
def test_bangla_figures_write_numbers_in_bangla_digits(drawn):
    ascii_digits = {name: [t for t in d["bn"].texts if re.search(r"[0-9]", t)] for name, d in drawn.items()}
    assert not {name: texts for name, texts in ascii_digits.items() if texts}
    texts = "\n".join(drawn["budget_and_women_share"]["bn"].texts)
    assert "অর্থবছর ২০২৪-২৫" in texts and re.search(r"[০-৯]+%", texts)


@slow
def test_english_figures_keep_their_english_words(drawn):
    texts = "\n".join(drawn["level_comparison"]["en"].texts)
    assert "Programmes by gender-responsiveness level (WHO GRAS), with 95% intervals" in texts
    assert "Ministry of Social Welfare (n=" in texts and "Bangladesh (n=" in texts
    assert not re.search(r"[\u0980-\u09FF]", "\n".join(t for d in drawn.values() for t in d["en"].texts
                                                          if not t.startswith(tuple("<"))))


def test_bangla_figure_text_is_set_in_the_bengali_font():
    set_language("bn")
    figures.set_theme(language="bn")
    fig = figures.level_comparison(_level_shares())
    figure_png(fig)
    families = {tuple(t.get_fontfamily()) for t in fig.findobj(matplotlib.text.Text) if t.get_text()}
    assert families and all(f[0] == BENGALI_FAMILY for f in families)


def test_bangla_words_numbers_and_names():
    set_language("bn")
    figures.set_theme(language="bn")
    fig = figures.budget_and_women_share(*_budget_women(), "2024-25", "MoSW")
    figure_png(fig)
    text = "\n".join(gallery.figure_texts(fig))
    assert "৪৫%" in text and "১০০% (অর্থবছর ২০২২-২৩)" in text and "জানানো হয়নি" in text
    assert "বয়স্ক ভাতা" in text  # the catalogue's Bangla name of Old Age Allowance
    assert "৩টি কর্মসূচির মধ্যে ২টি নারী উপকারভোগীর সংখ্যা জানিয়েছে" in text
    levels = "\n".join(gallery.figure_texts(_drawn(figures.level_comparison(_level_shares()))))
    assert "জেন্ডার-নির্দিষ্ট" in levels and "বাংলাদেশ (৪০টি কর্মসূচি)" in levels and "কম সংখ্যা:" in levels
    shares = "\n".join(gallery.figure_texts(_drawn(figures.share_by_unit(
        _shares(), title="Programmes ready to measure gender results, with 95% intervals", xlabel="Share"))))
    assert "জেন্ডার ফলাফল পরিমাপে প্রস্তুত কর্মসূচি, ৯৫% আস্থা-ব্যবধানসহ" in shares
    assert "সমাজকল্যাণ মন্ত্রণালয়" in shares and "বাংলাদেশ ৫০%" in shares
    scores = "\n".join(gallery.figure_texts(_drawn(figures.mean_score_by_unit(_mean_scores()))))
    assert "বাংলাদেশ ৪৭ (রঙিন পট্টি: ৯৫% আস্থা-ব্যবধান)" in scores
    terms = _coefficients().assign(term=["Intercept", BUDGET_TERM]).pipe(
        lambda df: pd.concat([df, df.tail(1).assign(term="cluster: Social Insurance")]))
    model = "\n".join(gallery.figure_texts(_drawn(figures.model_coefficients(terms, "মডেল", odds_ratio=True))))
    assert "ক্লাস্টার: সামাজিক বীমা" in model and "বাজেটের লগ১০ (কোটি)" in model


def _drawn(fig: Figure) -> Figure:
    figure_png(fig)
    return fig


def test_english_figure_is_the_same_before_and_after_a_bangla_one():
    figures.set_theme()  # the notebook's start: the same theme before and after
    first = figure_png(figures.level_comparison(_level_shares()))
    gallery.draw("bangla", lambda: figures.level_comparison(_level_shares()), "bn")
    figures.set_theme()
    assert figure_png(figures.level_comparison(_level_shares())) == first


def test_a_missing_glyph_fails_loudly():
    fig = figures.no_data("Title 中文", "x", "y")
    with pytest.warns(MissingGlyphWarning, match="U\\+4E2D"):
        figure_png(fig)
    with warnings.catch_warnings():
        warnings.simplefilter("error", MissingGlyphWarning)
        with pytest.raises(MissingGlyphWarning):
            figure_png(figures.no_data("中", "x", "y"))
    drawn = gallery.draw("cjk", lambda: figures.no_data("中", "x", "y"), "bn")
    assert drawn.missing == ("中",)


@slow
def test_figures_page_shows_each_figure_in_english_and_bangla(drawn, tmp_path):
    page = gallery.gallery_html(drawn)
    path = tmp_path / "figures-test.html"
    path.write_text(page, encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert text.count('<td lang="en">') == text.count('<td lang="bn">') == len(drawn)
    assert text.count("data:image/png;base64,") == 2 * len(drawn)
    assert "missing glyphs" not in text
