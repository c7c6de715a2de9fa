"""The report figures: every function returns a titled, labelled Figure, even on no data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from nsss_analysis.mis.coverage import (
    amount_by_sex,
    coverage_by_age_band,
    coverage_by_district,
    payment_channel_by_sex,
    women_share_by_programme,
)
from nsss_analysis.reference.vocab import (
    CLUSTERS,
    GUIDELINE_TARGET_GROUPS,
    ITEMS,
    LEVELS,
    LIFECYCLE_STAGES,
)
from nsss_analysis.report import figures
from nsss_analysis.report.display import figure_png

MINISTRY = "Ministry of Women and Children Affairs"


def _assessments() -> pd.DataFrame:
    answers = ["yes", "partly", "no", "not_applicable", "unknown"]
    df = pd.DataFrame(
        {
            "programme": ["Mother and Child Benefit Programme", "<script>alert(1)</script>", "VWB", "VWB"],
            "source_row": [2, 3, 4, 9],
        }
    )
    for k, item in enumerate(ITEMS):
        df[item] = [answers[(k + i) % 5] for i in range(len(df))]
    return df


def _level_shares(units=((MINISTRY, 4), ("Bangladesh", 40))) -> pd.DataFrame:
    rows = []
    for unit, n in units:
        counts = np.array([0, 1, 1, 1, 1]) * n // 4
        for level, count in zip(LEVELS, counts, strict=True):
            rows.append(dict(unit=unit, level=level, count=int(count), n=n, share=count / n,
                             ci_low=max(0.0, count / n - 0.2), ci_high=min(1.0, count / n + 0.2)))
    return pd.DataFrame(rows)


def _item_shares() -> pd.DataFrame:
    return pd.DataFrame(
        [dict(unit=u, item=i, count_yes=1, n=4, share=0.25, ci_low=0.05, ci_high=0.7)
         for u in (MINISTRY, "Bangladesh") for i in ITEMS]
    )


def _matrix() -> pd.DataFrame:
    return pd.DataFrame(
        [dict(cluster=c, lifecycle_stage=s, n_programmes=(i + j) % 3, budget_crore=100.0 * (i + 1))
         for i, c in enumerate(CLUSTERS) for j, s in enumerate((*LIFECYCLE_STAGES, "none"))]
    )


def _budget_women() -> tuple[pd.DataFrame, pd.DataFrame]:
    budgets = pd.DataFrame({"ministry_code": ["MoSW", "MoSW", "MoWCA"],
                            "programme": ["Old Age Allowance", "Hijra livelihood", "Other ministry"],
                            "budget_crore": [4351.0, 12.0, 99.0]})
    women = pd.DataFrame({"ministry_code": ["MoSW", "MoSW"], "programme": ["old age  allowance", "MCBP"],
                          "women_share": [0.45, 1.0], "fiscal_year": ["2024-25", "2022-23"]})
    return budgets, women


def _coverage() -> pd.DataFrame:
    """A small coverage_by_sex table (two programmes, one fiscal year) per the contract."""
    rows = []
    for programme, women, men in (("Old Age Allowance", 45, 55), ("Widow Allowance", 60, 1)):
        for sex, count in (("female", women), ("male", men)):
            for district, division in (("Dhaka", "Dhaka"), ("Bhola", "Barishal")):
                for band, channel in (("60+", "mobile"), ("36-59", "bank")):
                    rows.append(dict(programme=programme, ministry="Ministry of Social Welfare", ministry_code="MoSW",
                                     fiscal_year="2023-24", sex=sex, age_band=band, district=district,
                                     division=division, payment_channel=channel, beneficiaries=count,
                                     amount_bdt=count * 7200.0))
    return pd.DataFrame(rows)


def _women_points() -> pd.DataFrame:
    return women_share_by_programme(_coverage(), "MoSW")


def _age() -> pd.DataFrame:
    return coverage_by_age_band(_coverage(), "MoSW")


def _district() -> pd.DataFrame:
    return coverage_by_district(_coverage(), "MoSW")


def _amount() -> pd.DataFrame:
    return amount_by_sex(_coverage(), "MoSW")


def _channel() -> pd.DataFrame:
    return payment_channel_by_sex(_coverage(), "MoSW")


def _units_levels() -> pd.DataFrame:
    return _level_shares(((MINISTRY, 4), ("Ministry of Social Welfare", 8))).assign(scope="ministry")


def _mean_scores() -> pd.DataFrame:
    return pd.DataFrame({"scope": ["ministry", "ministry", "national"], "measure": "inclusion_score",
                         "unit": ["Ministry of Social Welfare", MINISTRY, "Bangladesh"], "n": [12, 4, 16],
                         "mean": [40.0, 55.0, 47.0], "ci_low": [33.0, 40.0, 44.0],
                         "ci_high": [47.0, 70.0, 50.0], "small_n": [False, True, False]})


def _shares() -> pd.DataFrame:
    return pd.DataFrame({"scope": ["ministry", "ministry", "national"],
                         "unit": [MINISTRY, "Ministry of Social Welfare", "Bangladesh"],
                         "share": [0.8, np.nan, 0.5], "n": [4, 0, 4]})


def _gaps():
    groups = pd.DataFrame({"scope": "national", "group": [*GUIDELINE_TARGET_GROUPS, "women"],
                           "guideline_group": [True] * len(GUIDELINE_TARGET_GROUPS) + [False],
                           "n_programmes": [0] * 8 + [1, 5]})
    return _matrix(), groups


def _coefficients() -> pd.DataFrame:
    return pd.DataFrame({"term": ["Intercept", "log_budget"], "estimate": [0.1, 0.5],
                         "ci_low": [-1.0, 0.1], "ci_high": [1.0, 0.9]})


def _trend() -> pd.DataFrame:
    return pd.DataFrame({"unit": "Bangladesh", "assessment_round": ["2019-20", "2023-24"],
                         "share_gender_specific": [0.2, 0.4], "share_ci_low": [0.1, 0.3],
                         "share_ci_high": [0.3, 0.5], "mean_inclusion_score": [30.0, 40.0],
                         "mean_ci_low": [25.0, 35.0], "mean_ci_high": [35.0, 45.0]})


# (name, call with data, call with empty input)
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
