"""Intervals: Wilson against known values, t against scipy, clipped to 0-100, never
from fewer than 3 observations or of zero width; and their measured coverage."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from nsss_analysis.diagnostics.intervals import (
    coverage_simulation,
    mean_interval,
    wilson_interval,
)
from nsss_analysis.diagnostics.rubric import MEASURED_COVERAGE
from nsss_analysis.report.method_note import method_note


def test_wilson_3_of_10_matches_the_known_interval():
    low, high = wilson_interval(3, 10)
    assert round(low, 4) == 0.1078
    assert round(high, 4) == 0.6032


def test_wilson_stays_informative_at_0_and_n_of_n():
    low, high = wilson_interval(0, 4)
    assert low == pytest.approx(0.0, abs=1e-12) and 0.4 < high < 0.5  # Wald would give (0, 0)
    low, high = wilson_interval(4, 4)
    assert 0.5 < low < 0.6 and high == pytest.approx(1.0)


def test_wilson_gives_no_interval_below_3_observations():
    low, high = wilson_interval(np.array([3, 0, 2, 1]), np.array([10, 0, 2, 1]))
    assert round(low[0], 4) == 0.1078 and round(high[0], 4) == 0.6032
    assert all(math.isnan(x) for x in (*low[1:], *high[1:]))
    assert all(math.isnan(x) for x in wilson_interval(0, 0))
    assert all(math.isnan(x) for x in wilson_interval(1, 2))


def test_t_interval_matches_scipy():
    values = [12.0, 35.5, 41.0, 50.0, 50.0, 58.3, 61.1, 66.7, 75.0, 83.3, 91.7]
    m = mean_interval(values)
    low, high = stats.t.interval(0.95, len(values) - 1, loc=np.mean(values), scale=stats.sem(values))
    assert m.method == "t" and m.n == 11 and not m.small_n
    assert m.mean == pytest.approx(np.mean(values))
    assert (m.ci_low, m.ci_high) == (pytest.approx(low), pytest.approx(high))


def test_t_interval_from_3_values_is_clipped_to_0_100():
    m = mean_interval([2.0, 4.0, 30.0])
    assert m.method == "t" and m.small_n and m.ci_low == 0.0 and 30 < m.ci_high <= 100


@pytest.mark.parametrize("values", [[4.0], [4.0, 4.0], [10.0, 80.0], [4.0, 4.0, 4.0, 4.0, 4.0]])
def test_no_interval_from_under_3_values_or_of_zero_width(values):
    m = mean_interval(values)
    assert m.method == "none" and math.isnan(m.ci_low) and math.isnan(m.ci_high)
    assert m.mean == pytest.approx(np.mean(values))


def test_small_n_flag():
    assert mean_interval([10.0, 20.0, 30.0, 40.0]).small_n
    assert not mean_interval([10.0, 20.0, 30.0, 40.0, 50.0]).small_n
    none = mean_interval([])
    assert none.n == 0 and math.isnan(none.mean) and none.method == "none"


@pytest.mark.slow
def test_coverage_of_the_nominal_95_percent_intervals():
    """Seeded simulation: Wilson at least 94% over shares spread on [0.05, 0.95], the
    clipped t interval at least 92% on 100 x Beta(2, 5) scores, at n = 5, 10, 20; the
    method note prints the figures measured."""
    measured = coverage_simulation(seed=2019)
    for n in (5, 10, 20):
        assert measured["wilson"][n] >= 0.94, (n, measured)
        assert measured["t"][n] >= 0.92, (n, measured)
        assert measured["t_mass"][n] >= 0.90, (n, measured)  # mass at 0 and 100: below nominal, said
        for kind in ("wilson", "t", "t_mass"):
            assert measured[kind][n] == pytest.approx(MEASURED_COVERAGE[kind][n], abs=0.001)
    note = method_note()
    assert f"{MEASURED_COVERAGE['t_mass'][5]:.1%} at n = 5" in note
    assert f"{MEASURED_COVERAGE['wilson'][5]:.1%} at n = 5" in note
    assert f"{MEASURED_COVERAGE['t'][20]:.1%} at n = 20" in note
