"""Confidence intervals for the indicators: Wilson for shares, t or bootstrap for means.

Why these, in one place (the method note prints the same):

- **Shares** (the share of a ministry's programmes at a level, or with an item
  answered ``yes``) use the Wilson score interval, computed by statsmodels
  (``proportion_confint(method="wilson")``). A ministry has a handful of programmes;
  the textbook Wald interval collapses to zero width at 0 of 4 or 4 of 4 and
  strays outside 0-1, while Wilson keeps close to its nominal 95% at small n.
- **Means** (the mean gender inclusion score) use a t interval from 10 programmes
  up (statsmodels ``DescrStatsW.tconfint_mean``), where the mean of bounded 0-100
  scores is close enough to normal. Below 10 the t interval leans on a normality we
  cannot check, so a seeded percentile bootstrap is used instead: it makes no shape
  assumption and never leaves the range of the data, but it is too narrow for very
  small samples, which is why anything under 5 programmes is flagged ``small_n``.
  Fewer than 2 scores give no interval at all.

The bootstrap is seeded, so a report shows the same interval every time it is run.
statsmodels is imported inside the functions: it takes about a second to import,
and code that only loads tables should not pay for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from nsss_analysis.diagnostics.rubric import (
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
    CONFIDENCE_ALPHA,
    SMALL_N,
    T_INTERVAL_MIN_N,
)


def wilson_interval(count, n, alpha: float = CONFIDENCE_ALPHA):
    """The Wilson score interval for ``count`` successes out of ``n``.

    Works on scalars (returns a tuple of two floats) or on equal-length arrays
    (returns a tuple of two float arrays). ``n == 0`` gives ``(nan, nan)``: there is
    no share to bound.

    >>> [round(x, 4) for x in wilson_interval(3, 10)]
    [0.1078, 0.6032]
    """
    from statsmodels.stats.proportion import proportion_confint

    count_arr = np.asarray(count, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    count_arr, n_arr = np.broadcast_arrays(count_arr, n_arr)
    valid = n_arr > 0
    low = np.full(n_arr.shape, np.nan)
    high = np.full(n_arr.shape, np.nan)
    if valid.any():
        lo, hi = proportion_confint(count_arr[valid], n_arr[valid], alpha=alpha, method="wilson")
        low[valid] = lo
        high[valid] = hi
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
    #: ``"t"`` (n >= 10), ``"bootstrap"`` (2 <= n < 10) or ``"none"`` (n < 2).
    method: str
    #: Fewer than ``SMALL_N`` values: read the figure as an indication, not an estimate.
    small_n: bool


def mean_interval(
    values: Iterable[float],
    seed: int = BOOTSTRAP_SEED,
    alpha: float = CONFIDENCE_ALPHA,
    resamples: int = BOOTSTRAP_RESAMPLES,
) -> MeanInterval:
    """Mean of ``values`` (missing values dropped) with a 95% interval.

    t interval for n >= ``T_INTERVAL_MIN_N`` (10); below that a percentile bootstrap
    of ``resamples`` resamples drawn with ``numpy.random.default_rng(seed)``; no
    interval below 2 values. ``small_n`` is set below ``SMALL_N`` (5).

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
    if n < 2:
        return MeanInterval(n, mean, float("nan"), float("nan"), "none", small_n)
    if n >= T_INTERVAL_MIN_N:
        from statsmodels.stats.weightstats import DescrStatsW

        low, high = DescrStatsW(arr).tconfint_mean(alpha=alpha)
        return MeanInterval(n, mean, float(low), float(high), "t", small_n)
    rng = np.random.default_rng(seed)
    means = arr[rng.integers(0, n, size=(resamples, n))].mean(axis=1)
    low, high = np.percentile(means, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return MeanInterval(n, mean, float(low), float(high), "bootstrap", small_n)
