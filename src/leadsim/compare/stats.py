"""Statistics for comparing structures over replications, on plain arrays.

Continuous metrics use Student-t intervals: for a mean, for the paired difference (common random
numbers: replication i of every structure shares seed i) and, for the pairing check, Welch's
unpaired interval. Binary metrics (survival) use Wilson score intervals for a share and Newcombe's
(1998) hybrid score interval for a paired difference of shares; a t-interval would claim certainty
(zero width) whenever every run survives.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import ndtri, stdtrit

LEVEL = 0.95
MIN_REPS = 3
"""Fewest replications for an interval: with two, a t-interval has one degree of freedom."""


class TooFewReplications(ValueError):
    """Fewer usable replications than :data:`MIN_REPS`."""


@dataclass(frozen=True)
class Interval:
    """An estimate with its confidence interval.

    Attributes:
        estimate: the mean (or share, or mean difference).
        low: lower end of the interval.
        high: upper end of the interval.
        n: replications behind it.
        level: the confidence level.
    """

    estimate: float
    low: float
    high: float
    n: int
    level: float = LEVEL

    @property
    def half_width(self) -> float:
        """Half the interval's width."""
        return (self.high - self.low) / 2

    def covers(self, value: float) -> bool:
        """Whether the interval contains ``value``."""
        return self.low <= value <= self.high

    def as_dict(self, prefix: str = "") -> dict[str, float]:
        """The fields as a flat dict, keys prefixed."""
        return {f"{prefix}{k}": v for k, v in asdict(self).items() if k != "level"}


@dataclass(frozen=True)
class Difference(Interval):
    """A difference b − a with its interval, effect size and how often b is higher.

    Attributes:
        effect_size: paired d_z = mean difference / sd of differences (Cohen's d for the
            unpaired check, with the pooled sd).
        p_higher: share of matched replications in which b is higher than a, ties counted half
            (the probability that b beats a in one matched future, when higher is better).
        paired: whether the interval uses the pairing.
    """

    effect_size: float = math.nan
    p_higher: float = math.nan
    paired: bool = True

    def as_dict(self, prefix: str = "") -> dict[str, float]:
        """The fields as a flat dict, keys prefixed (without ``paired``)."""
        record = super().as_dict(prefix)
        record.pop(f"{prefix}paired", None)
        return record


def _clean(values: ArrayLike) -> np.ndarray:
    array = np.asarray(values, dtype=float).ravel()
    return array[np.isfinite(array)]


def _require(n: int, what: str) -> None:
    if n < MIN_REPS:
        raise TooFewReplications(f"{what}: {n} usable replication(s); an interval needs at least {MIN_REPS}")


def _t_interval(mean: float, se: float, df: float, level: float) -> tuple[float, float]:
    if se == 0.0:
        return mean, mean
    half = float(stdtrit(df, 0.5 + level / 2)) * se
    return mean - half, mean + half


def mean_ci(values: ArrayLike, level: float = LEVEL) -> Interval:
    """The mean with a Student-t confidence interval (non-finite values are dropped).

    Raises:
        TooFewReplications: fewer than :data:`MIN_REPS` finite values.
    """
    x = _clean(values)
    _require(x.size, "mean")
    mean = float(x.mean())
    low, high = _t_interval(mean, float(x.std(ddof=1)) / math.sqrt(x.size), x.size - 1, level)
    return Interval(mean, low, high, int(x.size), level)


def wilson_ci(successes: int, n: int, level: float = LEVEL) -> Interval:
    """A share with the Wilson score interval.

    Raises:
        TooFewReplications: n below :data:`MIN_REPS`.
    """
    _require(n, "share")
    z = float(ndtri(0.5 + level / 2))
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # At 0 or n successes the score interval touches the bound exactly; rounding must not hide it.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return Interval(p, low, high, n, level)


def share_ci(values: ArrayLike, level: float = LEVEL) -> Interval:
    """The share of true (non-zero) values with the Wilson score interval."""
    x = _clean(values)
    _require(x.size, "share")
    return wilson_ci(int(np.count_nonzero(x)), int(x.size), level)


def _paired(a: ArrayLike, b: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(a, dtype=float).ravel()
    y = np.asarray(b, dtype=float).ravel()
    if x.shape != y.shape:
        raise ValueError(f"paired samples differ in length: {x.size} and {y.size}")
    keep = np.isfinite(x) & np.isfinite(y)
    _require(int(keep.sum()), "paired difference")
    return x[keep], y[keep]


def prob_higher(a: ArrayLike, b: ArrayLike) -> float:
    """Share of matched pairs in which b exceeds a, ties counted half."""
    x, y = _paired(a, b)
    return float(np.mean(y > x) + 0.5 * np.mean(y == x))


def _effect_size(mean: float, sd: float) -> float:
    if sd > 0:
        return mean / sd
    return 0.0 if mean == 0 else math.copysign(math.inf, mean)


def paired_difference(a: ArrayLike, b: ArrayLike, level: float = LEVEL) -> Difference:
    """The mean paired difference b − a with a t-interval, d_z and P(b > a).

    Pairs with a non-finite value on either side are dropped.

    Raises:
        TooFewReplications: fewer than :data:`MIN_REPS` usable pairs.
    """
    x, y = _paired(a, b)
    d = y - x
    n = d.size
    mean, sd = float(d.mean()), float(d.std(ddof=1))
    low, high = _t_interval(mean, sd / math.sqrt(n), n - 1, level)
    p_higher = float(np.mean(d > 0) + 0.5 * np.mean(d == 0))
    return Difference(mean, low, high, n, level, _effect_size(mean, sd), p_higher, True)


def unpaired_difference(a: ArrayLike, b: ArrayLike, level: float = LEVEL) -> Difference:
    """The difference of means b − a as if the samples were independent (Welch's interval).

    ``p_higher`` is the probability that a random run of b exceeds a random run of a
    (the common-language effect size, from all pairs of runs, ties half).

    Raises:
        TooFewReplications: fewer than :data:`MIN_REPS` finite values on either side.
    """
    x, y = _clean(a), _clean(b)
    _require(min(x.size, y.size), "unpaired difference")
    vx, vy = x.var(ddof=1) / x.size, y.var(ddof=1) / y.size
    se = math.sqrt(vx + vy)
    df = (vx + vy) ** 2 / (vx**2 / (x.size - 1) + vy**2 / (y.size - 1)) if se > 0 else 1.0
    mean = float(y.mean() - x.mean())
    low, high = _t_interval(mean, se, df, level)
    pooled = math.sqrt(((x.size - 1) * x.var(ddof=1) + (y.size - 1) * y.var(ddof=1)) / (x.size + y.size - 2))
    diffs = y[:, None] - x[None, :]
    p_higher = float(np.mean(diffs > 0) + 0.5 * np.mean(diffs == 0))
    n = int(min(x.size, y.size))
    return Difference(mean, low, high, n, level, _effect_size(mean, pooled), p_higher, False)


def paired_share_difference(a: ArrayLike, b: ArrayLike, level: float = LEVEL) -> Difference:
    """The paired difference of shares b − a (binary outcomes) with Newcombe's hybrid interval.

    Newcombe (1998), method 10 with the continuity-corrected correlation (as in Altman et al.,
    *Statistics with Confidence*, 2000): Wilson intervals for both shares, combined with the phi
    correlation of the pairs. The effect size is the difference over the sd of paired
    differences, as for continuous metrics.

    Raises:
        TooFewReplications: fewer than :data:`MIN_REPS` usable pairs.
    """
    x, y = _paired(a, b)
    x, y = x != 0, y != 0
    n = x.size
    both, only_a, only_b = int(np.sum(x & y)), int(np.sum(x & ~y)), int(np.sum(~x & y))
    neither = n - both - only_a - only_b
    wa, wb = wilson_ci(both + only_a, n, level), wilson_ci(both + only_b, n, level)
    pa, pb = wa.estimate, wb.estimate
    denominator = (both + only_a) * (only_b + neither) * (both + only_b) * (only_a + neither)
    cross = both * neither - only_a * only_b
    corrected = cross - n / 2 if cross > n / 2 else (cross if cross < 0 else 0.0)
    phi = corrected / math.sqrt(denominator) if denominator > 0 else 0.0
    mean = pb - pa
    low = mean - math.sqrt(
        max(0.0, (pb - wb.low) ** 2 - 2 * phi * (pb - wb.low) * (wa.high - pa) + (wa.high - pa) ** 2)
    )
    high = mean + math.sqrt(
        max(0.0, (wb.high - pb) ** 2 - 2 * phi * (wb.high - pb) * (pa - wa.low) + (pa - wa.low) ** 2)
    )
    d = y.astype(float) - x.astype(float)
    sd = float(d.std(ddof=1))
    p_higher = float(np.mean(d > 0) + 0.5 * np.mean(d == 0))
    return Difference(mean, max(-1.0, low), min(1.0, high), n, level, _effect_size(mean, sd), p_higher, True)


@dataclass(frozen=True)
class Verdict:
    """What an interval lets one say about a difference.

    Attributes:
        code: ``higher``, ``lower``, ``equivalent`` (the interval lies inside ±margin) or
            ``undecided`` (it covers zero and reaches beyond the margin).
        reps_needed: for ``undecided``, roughly how many replications would shrink the interval
            enough to decide (None otherwise).
    """

    code: str
    reps_needed: int | None = None

    @property
    def decided(self) -> bool:
        """Whether the interval settles the question."""
        return self.code != "undecided"


def verdict(diff: Interval, margin: float) -> Verdict:
    """Classify a difference's interval against zero and a margin of practical indifference.

    The replications needed for an undecided case assume the interval shrinks as 1/sqrt(n):
    enough to exclude zero if the estimate holds, or to fit inside ±margin if it is smaller.

    Args:
        diff: the difference with its interval.
        margin: differences smaller than this (in absolute value) do not matter in practice.
    """
    if diff.low > 0:
        return Verdict("higher")
    if diff.high < 0:
        return Verdict("lower")
    if -margin <= diff.low and diff.high <= margin:
        return Verdict("equivalent")
    # The interval must shrink below the larger of |estimate| and the room left inside ±margin.
    target = max(abs(diff.estimate), margin - abs(diff.estimate), 1e-12)
    factor = (diff.half_width / target) ** 2
    needed = math.ceil(diff.n * factor) if math.isfinite(factor) else None
    return Verdict("undecided", max(needed, diff.n + 1) if needed is not None else None)


def band(matrix: ArrayLike, level: float = LEVEL) -> tuple[np.ndarray, ...]:
    """Column-wise mean and t-interval of a (replications × days) matrix, ignoring NaN.

    Returns:
        mean, low, high and the number of finite values per column (intervals are NaN where
        fewer than two values are finite).
    """
    x = np.asarray(matrix, dtype=float)
    n = np.isfinite(x).sum(axis=0)
    with np.errstate(all="ignore"):
        mean = np.where(n > 0, np.nansum(x, axis=0) / np.maximum(n, 1), np.nan)
        sq = np.nansum((x - mean) ** 2, axis=0)
        se = np.sqrt(sq / np.maximum(n - 1, 1) / np.maximum(n, 1))
        half = np.where(n > 1, stdtrit(np.maximum(n - 1, 1), 0.5 + level / 2) * se, np.nan)
    return mean, mean - half, mean + half, n
