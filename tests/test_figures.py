"""The report figures: every function returns a titled, labelled Figure, even on no data."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from nsss_analysis.reference.vocab import (
    ITEMS,
)
from nsss_analysis.report import figures
from nsss_analysis.report.display import figure_png
from tests.support.figure_data import MINISTRY
from tests.support.figure_data import (
    age as _age,
)
from tests.support.figure_data import (
    amount as _amount,
)
from tests.support.figure_data import (
    assessments as _assessments,
)
from tests.support.figure_data import (
    budget_women as _budget_women,
)
from tests.support.figure_data import (
    channel as _channel,
)
from tests.support.figure_data import (
    coefficients as _coefficients,
)
from tests.support.figure_data import (
    district as _district,
)
from tests.support.figure_data import (
    gaps as _gaps,
)
from tests.support.figure_data import (
    item_shares as _item_shares,
)
from tests.support.figure_data import (
    level_shares as _level_shares,
)
from tests.support.figure_data import (
    matrix as _matrix,
)
from tests.support.figure_data import (
    mean_scores as _mean_scores,
)
from tests.support.figure_data import (
    shares as _shares,
)
from tests.support.figure_data import (
    trend as _trend,
)
from tests.support.figure_data import (
    units_levels as _units_levels,
)
from tests.support.figure_data import (
    women_points as _women_points,
)

CASES = [
    ("item_heatmap", lambda: figures.item_heatmap(_assessments()),
     lambda: figures.item_heatmap(_assessments().iloc[0:0])),
    ("level_comparison", lambda: figures.level_comparison(_level_shares()),
     lambda: figures.level_comparison(pd.DataFrame())),
    ("item_yes_comparison", lambda: figures.item_yes_comparison(_item_shares()),
     lambda: figures.item_yes_comparison(None)),
    ("lifecycle_heatmap", lambda: figures.lifecycle_heatmap(_matrix()),
     lambda: figures.lifecycle_heatmap(_matrix().iloc[0:0])),
    ("budget_and_women_share", lambda: figures.budget_and_women_share(*_budget_women(), "2024-25", "MoSW"),
     lambda: figures.budget_and_women_share(pd.DataFrame(), None)),
    ("women_share_points", lambda: figures.women_share_points(_women_points()),
     lambda: figures.women_share_points(pd.DataFrame())),
    ("coverage_by_age_band", lambda: figures.coverage_by_age_band(_age()),
     lambda: figures.coverage_by_age_band(None)),
    ("coverage_by_district", lambda: figures.coverage_by_district(_district()),
     lambda: figures.coverage_by_district(_district().iloc[0:0])),
    ("amount_by_sex", lambda: figures.amount_by_sex(_amount()), lambda: figures.amount_by_sex(None)),
    ("payment_channel_by_sex", lambda: figures.payment_channel_by_sex(_channel()),
     lambda: figures.payment_channel_by_sex(pd.DataFrame())),
    ("levels_by_unit", lambda: figures.levels_by_unit(_units_levels()),
     lambda: figures.levels_by_unit(pd.DataFrame())),
    ("mean_score_by_unit", lambda: figures.mean_score_by_unit(_mean_scores()),
     lambda: figures.mean_score_by_unit(pd.DataFrame())),
    ("share_by_unit", lambda: figures.share_by_unit(_shares(), title="Budget share", xlabel="Share"),
     lambda: figures.share_by_unit(None, title="Budget share", xlabel="Share")),
    ("coverage_gaps", lambda: figures.coverage_gaps(*_gaps()),
     lambda: figures.coverage_gaps(pd.DataFrame(), pd.DataFrame())),
    ("model_coefficients", lambda: figures.model_coefficients(_coefficients(), "Logit", odds_ratio=True),
     lambda: figures.model_coefficients(pd.DataFrame(), "Logit")),
    ("trend_by_round", lambda: figures.trend_by_round(_trend()), lambda: figures.trend_by_round(None)),
]


@pytest.fixture(autouse=True)
def _theme():
    figures.set_theme()


def _assert_titled_and_labelled(fig: Figure) -> None:
    assert isinstance(fig, Figure)
    assert fig.get_suptitle().strip()
    ax = fig.axes[0]
    assert ax.get_xlabel().strip() and ax.get_ylabel().strip()


@pytest.mark.parametrize("name,with_data,_empty", CASES, ids=[c[0] for c in CASES])
def test_figure_has_title_and_axis_labels(name, with_data, _empty):
    fig = with_data()
    _assert_titled_and_labelled(fig)
    assert figure_png(fig).startswith(b"\x89PNG")


@pytest.mark.parametrize("name,_with_data,empty", CASES, ids=[c[0] for c in CASES])
def test_empty_input_gives_a_labelled_no_data_figure(name, _with_data, empty):
    fig = empty()
    _assert_titled_and_labelled(fig)
    texts = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
    assert texts.strip(), "a no-data figure says so in words"
    figure_png(fig)  # renders without error


def _all_text(fig: Figure) -> str:
    parts = [t.get_text() for ax in fig.axes for t in ax.texts]
    parts += [t.get_text() for ax in fig.axes for t in ax.get_yticklabels() + ax.get_xticklabels()]
    parts += [t.get_text() for leg in fig.legends for t in leg.get_texts()]
    parts.append(fig.get_supxlabel())
    parts += [ax.get_title(loc="left") for ax in fig.axes]  # the cautions (small n, not reported)
    return "\n".join(parts)


def test_item_heatmap_writes_every_answer_in_words_for_greyscale():
    fig = figures.item_heatmap(_assessments())
    cells = [t.get_text() for t in fig.axes[0].texts]
    assert len(cells) == 4 * len(ITEMS)
    assert {"yes", "partly", "no", "n.a.", "unknown"} <= set(cells)


def test_item_heatmap_tells_apart_a_programme_assessed_twice():
    labels = [t.get_text() for t in figures.item_heatmap(_assessments()).axes[0].get_yticklabels()]
    assert "VWB (row 4)" in labels and "VWB (row 9)" in labels
    assert "<script>alert(1)</script>" in labels  # text in a PNG, never markup


def test_item_heatmap_treats_a_missing_answer_as_unknown():
    df = _assessments().head(1)
    df["graduation"] = pd.Series([None], dtype="str")
    cells = [t.get_text() for t in figures.item_heatmap(df).axes[0].texts]
    assert cells[ITEMS.index("graduation")] == "unknown"


def test_level_comparison_warns_about_small_n():
    text = _all_text(figures.level_comparison(_level_shares()))
    assert "Small n" in text and f"{MINISTRY} (n=4)" in text
    text = _all_text(figures.level_comparison(_level_shares(((MINISTRY, 8), ("Bangladesh", 40)))))
    assert "Small n" not in text


def test_units_are_alphabetical_not_ranked():
    fig = figures.mean_score_by_unit(_mean_scores())
    ticks = sorted(fig.axes[0].get_yticklabels(), key=lambda t: -t.get_position()[1])  # top first
    assert [t.get_text().split(" (n=")[0] for t in ticks] == ["Ministry of Social Welfare", MINISTRY]


def test_coverage_figures_draw_one_panel_per_programme():
    assert len([ax for ax in figures.coverage_by_district(_district()).axes if ax.get_visible()]) == 2
    titles = [ax.get_title() for ax in figures.coverage_by_age_band(_age()).axes if ax.get_visible()]
    assert titles == ["Old Age Allowance", "Widow Allowance"]
    labels = [t.get_text() for t in figures.payment_channel_by_sex(_channel()).axes[0].get_yticklabels()]
    assert "Old Age Allowance: Women" in labels and "Widow Allowance: Men" in labels


def test_coverage_gaps_names_an_uncovered_stage():
    text = _all_text(figures.coverage_gaps(*_gaps()))
    assert "no programme" in text


def test_budget_figure_matches_programmes_and_says_what_is_not_reported():
    fig = figures.budget_and_women_share(*_budget_women(), "2024-25", "MoSW")
    text = _all_text(fig)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    # "old age  allowance" matched to "Old Age Allowance"; the other ministry left out
    assert sorted(labels) == ["Hijra livelihood", "MCBP", "Old Age Allowance"]
    assert "45%" in text and "100% (FY 2022-23)" in text
    assert "not reported" in text and "2 programmes of 3 report women beneficiaries" in text


def test_scope_selects_the_units_and_draws_the_national_line():
    fig = figures.share_by_unit(_shares(), title="Budget share", xlabel="Share")
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == 2 and not any("Bangladesh" in lab for lab in labels)
    assert "Bangladesh 50%" in _all_text(fig) + " ".join(
        t.get_text() for t in fig.axes[0].get_legend().get_texts())


def test_same_input_gives_identical_png_after_set_theme():
    first = figure_png(figures.level_comparison(_level_shares()))
    figures.set_theme()
    second = figure_png(figures.level_comparison(_level_shares()))
    assert first == second
