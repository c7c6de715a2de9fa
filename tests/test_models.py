"""Models of docs/method.md, section 9, and their guards: too few programmes, separation."""

from __future__ import annotations

import numpy as np
import pytest

from nsss_analysis.diagnostics.models import (
    BUDGET_TERM,
    gender_specific_model,
    inclusion_score_model,
)
from nsss_analysis.diagnostics.scoring import score_programmes
from nsss_analysis.diagnostics.trends import trend_by_round
from nsss_analysis.reference.i18n import language
from nsss_analysis.report.model_text import model_reading
from nsss_analysis.report.trend_text import trend_reading
from tests.support.frames import CLUSTERS_ALL, assessments_frame, logistic_programmes, programme_row, programmes
from tests.support.frames import MODEL_CLUSTERS as CLUSTERS


def said(result) -> str:
    """What an English page says of ``result`` (the report layer's words for its code and figures)."""
    with language("en"):
        return model_reading(result) if hasattr(result, "coefficients") else trend_reading(result)


def test_fewer_than_30_programmes_gives_a_message_not_coefficients():
    scores, budgets = logistic_programmes(n=29)
    for model in (gender_specific_model, inclusion_score_model):
        result = model(scores, budgets)
        assert not result.ok and result.n == 29
        assert result.code == "too_few" and said(result) == "Only 29 programmes: too few for a model (30 needed)."
        assert result.coefficients.empty


def test_programmes_without_budget_are_left_out_and_counted():
    scores, budgets = logistic_programmes(n=40)
    result = gender_specific_model(scores, budgets.iloc[:25])
    assert not result.ok and result.n == 25
    assert said(result).endswith("(15 more left out: no budget, cluster or level).")


def test_a_cluster_with_every_programme_gender_specific_is_separation():
    n = 40
    clusters = [CLUSTERS[k % 2] for k in range(n)]
    levels = ["gender-specific" if c == CLUSTERS[0] or k % 3 == 0 else "gender-blind"
              for k, c in enumerate(clusters)]
    scores, budgets = programmes(levels, clusters, np.linspace(10, 1000, n))
    result = gender_specific_model(scores, budgets)
    assert not result.ok
    assert result.code == "separation"
    assert said(result).startswith("Separation: gender-specific or transformative are all of the 20 "
                                     f"programmes in {CLUSTERS[0]}")
    assert result.coefficients.empty


def test_budget_predicting_the_level_exactly_is_separation():
    n = 80
    budgets = np.geomspace(1, 5000, n)
    clusters = [CLUSTERS[k % 2] for k in range(n)]
    levels = ["gender-specific" if b > 70 else "gender-blind" for b in budgets]
    scores, money = programmes(levels, clusters, budgets)
    result = gender_specific_model(scores, money)
    assert not result.ok
    assert "separation" in result.code and "separation" in said(result).lower()
    assert result.coefficients.empty


def test_an_outcome_that_does_not_vary_is_not_modelled():
    scores, budgets = programmes(["gender-blind"] * 35, [CLUSTERS[0]] * 35, np.linspace(1, 100, 35))
    result = gender_specific_model(scores, budgets)
    assert not result.ok and said(result).startswith("None of the 35 programmes")
    result = inclusion_score_model(scores, budgets)
    assert not result.ok and result.code == "same_score" and "same score" in said(result)


def test_logistic_model_reports_odds_ratios_with_intervals_and_a_reading():
    scores, budgets = logistic_programmes()
    result = gender_specific_model(scores, budgets)
    assert result.ok and result.n == 150
    coef = result.coefficients.set_index("term")
    assert list(coef.index) == ["intercept", f"cluster: {CLUSTERS[1]}", f"cluster: {CLUSTERS[2]}", BUDGET_TERM]
    assert coef["odds_ratio"].to_numpy() == pytest.approx(np.exp(coef["estimate"].to_numpy()))
    assert (coef["ci_low"] < coef["estimate"]).all() and (coef["estimate"] < coef["ci_high"]).all()
    # the simulated log10-budget effect (0.8) lies inside its interval
    assert coef.loc[BUDGET_TERM, "ci_low"] < 0.8 < coef.loc[BUDGET_TERM, "ci_high"]
    reading = said(result)
    assert f"reference cluster: {CLUSTERS[0]}" in reading  # the largest cluster
    assert "Each tenfold larger budget multiplies the odds" in reading
    assert "not an effect" in reading


def test_ols_model_of_the_inclusion_score():
    scores, budgets = logistic_programmes()
    result = inclusion_score_model(scores, budgets)
    assert result.ok
    coef = result.coefficients.set_index("term")
    assert coef.loc[BUDGET_TERM, "ci_low"] < 10 < coef.loc[BUDGET_TERM, "ci_high"]
    assert coef.loc[f"cluster: {CLUSTERS[2]}", "ci_low"] < -8 < coef.loc[f"cluster: {CLUSTERS[2]}", "ci_high"]
    assert f"Programmes in {CLUSTERS[2]} score" in said(result) and "points lower" in said(result)


def test_trend_needs_two_assessment_rounds():
    rows = [programme_row(source_row=k, programme=f"P{k}", assessment_round="2023-24",
                          empowerment_objective="yes" if k % 2 else "no") for k in range(2, 6)]
    one = assessments_frame(*rows)
    result = trend_by_round(one, score_programmes(one))
    assert not result.ok
    assert result.code == "one_round"
    assert said(result) == "One assessment round (2023-24): a trend needs two rounds of the same programmes."
    bare = one.drop(columns=["assessment_round"])
    assert trend_by_round(bare, score_programmes(bare)).code == "no_round"


def test_events_per_parameter_guard_bites():
    """40 programmes, 12 of them gender-specific, 3 clusters + budget = 4 parameters:
    12 events < 40 needed, so no model, and the message says why."""
    rng = np.random.default_rng(1)
    n = 40
    clusters = [CLUSTERS[k % 3] for k in range(n)]
    levels = ["gender-specific" if k % 10 in (0, 3, 7) else "gender-sensitive" for k in range(n)]
    scores, budgets = programmes(levels, clusters, rng.uniform(10, 1000, n))
    result = gender_specific_model(scores, budgets)
    assert not result.ok and result.coefficients.empty
    assert said(result).startswith("12 events (gender-specific or transformative) for 4 estimated "
                                     "parameters: fewer than 10 per parameter (40 needed)")
    scores = scores.assign(inclusion_score=rng.uniform(0, 100, n)).iloc[:36]
    ols = inclusion_score_model(scores, budgets)
    assert not ols.ok and said(ols).startswith("36 programmes for 4 estimated parameters")


def test_a_cluster_under_5_programmes_is_left_out_and_said():
    scores, budgets = logistic_programmes()
    rare = scores.index[:3]
    scores.loc[rare, "cluster"] = CLUSTERS_ALL[4]
    budgets.loc[rare, "cluster"] = CLUSTERS_ALL[4]
    result = inclusion_score_model(scores, budgets)
    assert result.ok and result.n == 147
    assert f"{CLUSTERS_ALL[4]} (3)" in said(result) and "fewer than 5 programmes" in said(result)
    assert not any(CLUSTERS_ALL[4] in t for t in result.coefficients["term"])
