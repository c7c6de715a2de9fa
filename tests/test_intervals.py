"""Intervals: Wilson against known values, t against scipy, the seeded bootstrap and
the small-n rule."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from nsss_analysis.diagnostics.intervals import mean_interval, wilson_interval
from nsss_analysis.diagnostics.rubric import BOOTSTRAP_RESAMPLES


def test_wilson_3_of_10_matches_the_known_interval():
    low, high = wilson_interval(3, 10)
    assert round(low, 4) == 0.1078
    assert round(high, 4) == 0.6032


def test_wilson_stays_informative_at_0_and_n_of_n():
    low, high = wilson_interval(0, 4)
    assert low == pytest.approx(0.0, abs=1e-12) and 0.4 < high < 0.5  # Wald would give (0, 0)
    low, high = wilson_interval(4, 4)
    assert 0.5 < low < 0.6 and high == pytest.approx(1.0)


def test_wilson_on_arrays_and_n_zero_gives_no_interval():
    low, high = wilson_interval(np.array([3, 0, 2]), np.array([10, 0, 2]))
    assert round(low[0], 4) == 0.1078 and round(high[0], 4) == 0.6032
    assert math.isnan(low[1]) and math.isnan(high[1])
    assert high[2] == pytest.approx(1.0)
    assert all(math.isnan(x) for x in wilson_interval(0, 0))


def test_t_interval_from_10_values_matches_scipy():
    values = [12.0, 35.5, 41.0, 50.0, 50.0, 58.3, 61.1, 66.7, 75.0, 83.3, 91.7]
    m = mean_interval(values)
    low, high = stats.t.interval(0.95, len(values) - 1, loc=np.mean(values), scale=stats.sem(values))
    assert m.method == "t" and m.n == 11 and not m.small_n
    assert m.mean == pytest.approx(np.mean(values))
    assert (m.ci_low, m.ci_high) == (pytest.approx(low), pytest.approx(high))


def test_bootstrap_below_10_is_seeded_and_reproducible():
    values = [20.0, 35.0, 50.0, 55.0, 70.0, 90.0]
    first, again = mean_interval(values, seed=7), mean_interval(values, seed=7)
    assert first.method == "bootstrap"
    assert (first.ci_low, first.ci_high) == (again.ci_low, again.ci_high)
    # it is exactly the percentile bootstrap drawn from numpy's generator with that seed
    rng = np.random.default_rng(7)
    arr = np.array(values)
    means = arr[rng.integers(0, len(arr), size=(BOOTSTRAP_RESAMPLES, len(arr)))].mean(axis=1)
    assert [first.ci_low, first.ci_high] == pytest.approx(np.percentile(means, [2.5, 97.5]))
    # a percentile bootstrap of the mean stays inside the data and around the mean
    assert min(values) <= first.ci_low < first.mean < first.ci_high <= max(values)


def test_small_n_flag_and_no_interval_below_two():
    assert mean_interval([10.0, 20.0, 30.0, 40.0]).small_n
    assert not mean_interval([10.0, 20.0, 30.0, 40.0, 50.0]).small_n
    one = mean_interval([42.0])
    assert (one.n, one.mean, one.method, one.small_n) == (1, 42.0, "none", True)
    assert math.isnan(one.ci_low) and math.isnan(one.ci_high)
    none = mean_interval([])
    assert none.n == 0 and math.isnan(none.mean) and none.method == "none"


def test_missing_values_are_dropped_before_counting():
    m = mean_interval([np.nan, 10.0, np.nan, 30.0])
    assert m.n == 2 and m.mean == 20.0 and m.method == "bootstrap"
