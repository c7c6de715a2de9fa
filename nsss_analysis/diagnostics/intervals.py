"""Confidence intervals for the indicators: Wilson for shares, t for means.

Why these, in one place (the method note prints the same):

- **Shares** (the share of a ministry's programmes at a level, or with an item
  answered ``yes``) use the Wilson score interval, computed by statsmodels
  (``proportion_confint(method="wilson")``). The textbook Wald interval collapses to
  zero width at 0 of 4 or 4 of 4; Wilson keeps close to its nominal 95% at small n
  (the coverage simulation in the tests measures it). No interval is given below
  ``INTERVAL_MIN_N`` observations.
- **Means** (the mean gender inclusion score) use a t interval from
  ``T_INTERVAL_MIN_N`` (3) values up, clipped to the score's 0-100 range. The
  percentile bootstrap is not used: at small n it under-covers badly (a bootstrap of
  two values is their range). Values that are all equal give no interval rather than
  one of zero width: spread cannot be estimated from identical values.

statsmodels is imported inside the functions: it takes about a second to import,
and code that only loads tables should not pay for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from nsss_analysis.diagnostics.rubric import (
    CONFIDENCE_ALPHA,
    INTERVAL_MIN_N,
    SCORE_RANGE,
    SMALL_N,
    T_INTERVAL_MIN_N,
)


def wilson_interval(count, n, alpha: float = CONFIDENCE_ALPHA):
    """The Wilson score interval for ``count`` successes out of ``n``.

    Works on scalars (returns a tuple of two floats) or on equal-length arrays
    (returns a tuple of two float arrays). ``n`` below ``INTERVAL_MIN_N`` (3) gives
    ``(nan, nan)``: no interval is drawn from fewer than 3 observations.

    >>> [round(x, 4) for x in wilson_interval(3, 10)]
    [0.1078, 0.6032]
    """
    from statsmodels.stats.proportion import proportion_confint

    count_arr = np.asarray(count, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    count_arr, n_arr = np.broadcast_arrays(count_arr, n_arr)
    valid = n_arr >= INTERVAL_MIN_N
    low = np.full(n_arr.shape, np.nan)
    high = np.full(n_arr.shape, np.nan)
    if valid.any():
        lo, hi = proportion_confint(count_arr[valid], n_arr[valid], alpha=alpha, method="wilson")
        low[valid] = np.clip(lo, 0.0, 1.0)
        high[valid] = np.clip(hi, 0.0, 1.0)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


@dataclass(frozen=True)
class MeanInterval:
    """A mean with its interval and how the interval was obtained."""

    n: int
    mean: float
    ci_low: float
    ci_high: float
    #: ``"t"`` (n >= 3 and the values vary) or ``"none"``.
    method: str
    #: Fewer than ``SMALL_N`` values: reports show the values themselves, not the mean.
    small_n: bool


def mean_interval(
    values: Iterable[float],
    alpha: float = CONFIDENCE_ALPHA,
    bounds: tuple[float, float] = SCORE_RANGE,
) -> MeanInterval:
    """Mean of ``values`` (missing values dropped) with a 95% t interval clipped to
    ``bounds``; no interval below ``T_INTERVAL_MIN_N`` (3) values or when every value
    is the same (the interval would have zero width). ``small_n`` is set below
    ``SMALL_N`` (5).

    >>> mean_interval([50.0]).method
    'none'
    """
    arr = np.asarray(list(values), dtype=float)
    arr = arr[~np.isnan(arr)]
    n = int(arr.size)
    small_n = n < SMALL_N
    if n == 0:
        return MeanInterval(0, float("nan"), float("nan"), float("nan"), "none", small_n)
    mean = float(arr.mean())
    if n < T_INTERVAL_MIN_N or float(arr.std()) == 0.0:
        return MeanInterval(n, mean, float("nan"), float("nan"), "none", small_n)
    from scipy import stats

    half = float(stats.t.ppf(1 - alpha / 2, n - 1) * arr.std(ddof=1) / np.sqrt(n))
    low, high = max(bounds[0], mean - half), min(bounds[1], mean + half)
    return MeanInterval(n, mean, float(low), float(high), "t", small_n)


__all__ = ["INTERVAL_MIN_N", "MeanInterval", "binomial_limits", "mean_interval", "wilson_interval"]


def coverage_simulation(
    seed: int, ns: tuple[int, ...] = (5, 10, 20), draws: int = 20000
) -> dict[str, dict[int, float]]:
    """Measured coverage of the nominal 95% intervals, seeded: Wilson over true shares
    spread evenly on [0.05, 0.95] (the share of ``draws`` intervals holding the true
    share), and the t interval (clipped to 0-100) over scores drawn from
    100 x Beta(2, 5), and over scores with mass at 0 and 100 as real ones have
    (:data:`MASS_AT_ENDS`: a share exactly 0, a share exactly 100, the rest 100 x
    Beta(2, 5); a sample of identical values gets no interval and counts as a miss),
    at each n. Returns ``{"wilson": {n: coverage}, "t": {...}, "t_mass": {...}}``."""
    from scipy import stats
    from statsmodels.stats.proportion import proportion_confint

    rng = np.random.default_rng(seed)
    out: dict[str, dict[int, float]] = {"wilson": {}, "t": {}, "t_mass": {}}
    true_mean = 100 * 2 / (2 + 5)
    at_zero, at_hundred = MASS_AT_ENDS
    mass_mean = at_hundred * 100 + (1 - at_zero - at_hundred) * true_mean
    ends = np.random.default_rng(seed + 1)  # its own stream: the other figures keep theirs
    for n in ns:
        p = rng.uniform(0.05, 0.95, draws)
        k = rng.binomial(n, p)
        lo, hi = proportion_confint(k, n, alpha=CONFIDENCE_ALPHA, method="wilson")
        out["wilson"][n] = float(np.mean((lo <= p) & (p <= hi)))
        x = 100 * rng.beta(2, 5, size=(draws, n))
        mean, sd = x.mean(axis=1), x.std(axis=1, ddof=1)
        half = stats.t.ppf(1 - CONFIDENCE_ALPHA / 2, n - 1) * sd / np.sqrt(n)
        low, high = np.maximum(SCORE_RANGE[0], mean - half), np.minimum(SCORE_RANGE[1], mean + half)
        out["t"][n] = float(np.mean((low <= true_mean) & (true_mean <= high)))
        u = ends.uniform(size=(draws, n))
        y = np.where(u < at_zero, 0.0, np.where(u < at_zero + at_hundred, 100.0, 100 * ends.beta(2, 5, (draws, n))))
        mean, sd = y.mean(axis=1), y.std(axis=1, ddof=1)
        half = stats.t.ppf(1 - CONFIDENCE_ALPHA / 2, n - 1) * sd / np.sqrt(n)
        low, high = np.maximum(SCORE_RANGE[0], mean - half), np.minimum(SCORE_RANGE[1], mean + half)
        out["t_mass"][n] = float(np.mean((sd > 0) & (low <= mass_mean) & (mass_mean <= high)))
    return out


#: The score distribution with mass at the ends used by :func:`coverage_simulation`:
#: the share of programmes scoring exactly 0 and exactly 100 (the bundled scores have
#: about 11% at 0; a handful of real forms answer every item yes).
MASS_AT_ENDS: tuple[float, float] = (0.15, 0.05)


def binomial_limits(p0, n, level: float):
    """Exact funnel limits for a share around ``p0`` at sample size ``n``: the
    ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles of Binomial(n, p0), divided
    by ``n`` (docs/method.md, "Districts"). Unlike ``p0 ± z·sqrt(p0(1-p0)/n)`` they
    never leave 0-1 and keep their tail probability near 0% and 100% and at small n.

    A district's share lies outside the limits when its count is below the lower
    quantile or above the upper one, so its count is at least as extreme as chance
    gives with probability ``(1 - level) / 2`` or less on that side. Works on scalars
    or equal-length arrays; ``n`` of 0 gives ``nan``.

    >>> [round(float(x), 4) for x in binomial_limits(0.5, 12, 0.998)]
    [0.0833, 0.9167]
    """
    from scipy import stats

    p_arr, n_arr = np.broadcast_arrays(np.asarray(p0, dtype=float), np.asarray(n, dtype=float))
    tail = (1 - level) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        low = stats.binom.ppf(tail, n_arr, p_arr) / n_arr
        high = stats.binom.ppf(1 - tail, n_arr, p_arr) / n_arr
    bad = ~(n_arr > 0)
    low, high = np.where(bad, np.nan, low), np.where(bad, np.nan, high)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high
