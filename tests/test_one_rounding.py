"""A number prints the same everywhere: every layer of a page (the headline's sentences,
the index, a programme card, a figure's label, a reason, a model's reading) rounds
through ``reference/numbers.py``, half away from zero, so an exact half never reads
one way in a sentence and another in the index (1 of 8 programmes: 13%, not 12% in
the headline and 13% in the index). The values below are exact halves in binary, where
Python's own formatting rounds to even."""

from __future__ import annotations

import pytest

from nsss_analysis.diagnostics.models import Figure, Words
from nsss_analysis.diagnostics.summaries import headline_figures
from nsss_analysis.intake.reasons import Reason, reason_in_words
from nsss_analysis.reference import numbers
from nsss_analysis.reference.i18n import language
from nsss_analysis.report import card_parts, headline_text, model_text, phrases, wording
from nsss_analysis.report.figures import style
from nsss_analysis.runner.index import index_figures
from tests.support.narrative_tables import answer_row, scored_tables


def test_the_halves_used_here_are_where_python_rounds_to_even():
    """The test would pass with Python's formatting if these were not exact halves."""
    assert (f"{12.5:.0f}", f"{6.25:.1f}", f"{0.125:.2f}", f"{2.5:.0f}") == ("12", "6.2", "0.12", "2")


@pytest.fixture(scope="module")
def one_of_eight():
    """Synthetic: MoWCA with 8 assessed programmes, 1 gender-specific (12.5%)."""
    rows = [answer_row("Vulnerable Women Benefit", yes=["empowerment_objective", "norms_awareness"])]
    rows += [answer_row(f"Programme {k}", source_row=k + 3) for k in range(7)]
    return headline_figures(scored_tables(rows), "MoWCA")


@pytest.mark.parametrize("code", ["en", "bn"])
def test_one_of_eight_reads_13_percent_in_the_headline_and_the_index(one_of_eight, code):
    h = one_of_eight
    assert (h["n_programmes"], h["n_gender_specific_or_transformative"]) == (8, 1)
    with language(code):
        thirteen = numbers.percent(0.125)
        twelve = numbers.localise_digits("12%")
        assert thirteen == numbers.localise_digits("13%")
        first = headline_text.headline_sentences(h)[0]
        assert f"({thirteen}," in first and twelve not in first, first
        cell = index_figures(h, code)["gsot"]
        assert thirteen in cell and twelve not in cell, cell


@pytest.mark.parametrize("code", ["en", "bn"])
def test_every_layer_rounds_an_exact_half_away_from_zero(code):
    with language(code):
        d = numbers.localise_digits
        assert wording.percent(0.125) == d("13%")  # a sentence
        assert wording.count_share(1, 8, noun="programmes").endswith(d("(13%)"))
        assert d("13%") in wording.interval(0.125, 0.625) and d("63%") in wording.interval(0.125, 0.625)
        assert style._pct(0.125) == d("13%")  # a figure's label
        assert card_parts.women_share_cell(1, 16) == d("6.3%")  # a card: 6.25% to one decimal
        assert phrases.fixed_text(12.5) == d("13") and phrases.fixed_text(2.5, sign=True) == d("+3")
        assert phrases.fixed_text(-2.5, sign=True) == d("-3")
        reading = model_text.model_words(Words("{n} {odds} {points} {low}", {
            "n": Figure(8, "count"), "odds": Figure(0.125, "ratio"), "points": Figure(6.25, "points"),
            "low": Figure(-6.25, "signed")}))
        assert reading == d("8 0.13 6.3 -6.3")


@pytest.mark.parametrize(("code", "expected"), [("en", "1,234,567"), ("bn", "১২,৩৪,৫৬৭")])
def test_a_figure_axis_groups_as_the_sentences_do(code, expected):
    """A count axis (``{x:,.0f}``) prints its ticks as the page's sentences print a count."""
    from matplotlib.ticker import StrMethodFormatter

    ticks = style._LocalDigits(StrMethodFormatter("{x:,.0f}"), code)
    with language(code):
        assert ticks(1234567.0) == expected == numbers.count(1234567)


def test_a_reason_rounds_as_the_page_does():
    """A reason's template with a format (``{ratio:.2f}``) prints its number through
    ``reference/numbers.py``: 0.125 is 0.13, as on the page."""
    reason = Reason.of("ratio {ratio:.2f}, {share:.1f}%", ratio=0.125, share=6.25)
    for code, expected in (("en", "ratio 0.13, 6.3%"), ("bn", "ratio ০.১৩, ৬.৩%")):
        with language(code):
            assert reason_in_words(str(reason), reason.reason_id, reason.values_json()) == expected
