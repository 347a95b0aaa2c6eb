"""The comparison statistics on cases where the answer is known (plain arrays, no model)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from leadsim.compare import stats

TRIALS = 4000
# 4000 trials: the coverage estimate has a standard error of 0.0034 at 95 %, so ±0.012 is 3.5 se.
TOLERANCE = 0.012


def _coverage(hits: list[bool]) -> float:
    return float(np.mean(hits))


def test_identical_structures_paired_interval_covers_zero_at_the_stated_rate():
    rng = np.random.default_rng(1)
    hits = []
    for _ in range(TRIALS):
        shared = rng.normal(0, 3, 10)  # common random numbers: a large shared component
        a = shared + rng.normal(0, 1, 10)
        b = shared + rng.normal(0, 1, 10)
        hits.append(stats.paired_difference(a, b).covers(0.0))
    assert abs(_coverage(hits) - stats.LEVEL) < TOLERANCE


def test_identical_structures_unpaired_interval_covers_zero_at_the_stated_rate():
    rng = np.random.default_rng(2)
    hits = [
        stats.unpaired_difference(rng.exponential(2, 8), rng.exponential(2, 12)).covers(0.0)
        for _ in range(TRIALS)
    ]
    # Skewed data and small samples: Welch is slightly off nominal, never badly.
    assert abs(_coverage(hits) - stats.LEVEL) < 2 * TOLERANCE


def test_mean_interval_covers_the_true_mean_at_the_stated_rate():
    rng = np.random.default_rng(3)
    hits = [stats.mean_ci(rng.normal(5, 2, 6)).covers(5.0) for _ in range(TRIALS)]
    assert abs(_coverage(hits) - stats.LEVEL) < TOLERANCE


def test_a_90_percent_level_is_honoured_too():
    rng = np.random.default_rng(4)
    hits = [
        stats.paired_difference(rng.normal(0, 1, 15), rng.normal(0, 1, 15), level=0.9).covers(0)
        for _ in range(TRIALS)
    ]
    assert abs(_coverage(hits) - 0.9) < 1.5 * TOLERANCE


def test_identical_binary_outcomes_newcombe_covers_zero_at_least_at_the_stated_rate():
    rng = np.random.default_rng(5)
    hits = []
    for _ in range(TRIALS):
        shared = rng.random(30)
        a = shared < 0.8
        b = np.where(rng.random(30) < 0.7, shared, rng.random(30)) < 0.8  # correlated pairs
        hits.append(stats.paired_share_difference(a, b).covers(0.0))
    coverage = _coverage(hits)
    # Score intervals on discrete data are a little conservative, by design.
    assert stats.LEVEL - TOLERANCE < coverage < 0.995


def test_wilson_interval_covers_the_true_share():
    rng = np.random.default_rng(6)
    hits = [stats.share_ci(rng.random(25) < 0.9).covers(0.9) for _ in range(TRIALS)]
    assert _coverage(hits) > stats.LEVEL - TOLERANCE


def test_all_survive_gives_a_wide_interval_not_certainty():
    everyone = np.ones(10)
    share = stats.share_ci(everyone)
    assert share.high == 1.0 and share.low < 0.75
    diff = stats.paired_share_difference(everyone, everyone)
    assert diff.estimate == 0 and diff.low < -0.2 and diff.high > 0.2
    assert stats.verdict(diff, margin=0.05).code == "undecided"


def test_a_planted_difference_is_found_with_the_right_sign_and_size():
    rng = np.random.default_rng(7)
    shared = rng.normal(10, 3, 30)
    a = shared + rng.normal(0, 1, 30)
    b = shared + 0.8 + rng.normal(0, 1, 30)
    diff = stats.paired_difference(a, b)
    assert diff.low > 0 and diff.covers(0.8)
    assert stats.verdict(diff, margin=0.1).code == "higher"
    assert stats.verdict(stats.paired_difference(b, a), margin=0.1).code == "lower"
    assert 0.3 < diff.effect_size < 1.3  # true d_z = 0.8 / sqrt(2)
    assert diff.p_higher > 0.6


def test_pairing_narrows_the_interval_when_runs_share_their_noise():
    rng = np.random.default_rng(8)
    shared = rng.normal(0, 3, 20)
    a = shared + rng.normal(0, 1, 20)
    b = shared + 0.5 + rng.normal(0, 1, 20)
    paired, unpaired = stats.paired_difference(a, b), stats.unpaired_difference(a, b)
    assert paired.half_width < unpaired.half_width / 2
    assert paired.estimate == pytest.approx(unpaired.estimate)


def test_equivalent_and_undecided_verdicts():
    tight = stats.Interval(0.001, -0.004, 0.006, 30)
    assert stats.verdict(tight, margin=0.01).code == "equivalent"
    wide = stats.Interval(0.02, -0.03, 0.07, 10)
    found = stats.verdict(wide, margin=0.01)
    assert found.code == "undecided" and not found.decided
    # The interval must shrink from ±0.05 to ±0.02 (the estimate): (0.05/0.02)^2 = 6.25 times.
    assert found.reps_needed == math.ceil(10 * 6.25)


def test_probability_of_beating_counts_ties_half():
    assert stats.prob_higher([1, 2, 3, 4], [2, 2, 1, 5]) == pytest.approx((2 + 0.5) / 4)
    assert stats.paired_difference([1, 2, 3, 4], [2, 2, 1, 5]).p_higher == pytest.approx(0.625)


def test_non_finite_pairs_are_dropped_and_too_few_refused():
    a = [1.0, 2.0, np.nan, 4.0, 5.0]
    b = [1.5, 2.5, 3.5, np.inf, 5.5]
    assert stats.paired_difference(a, b).n == 3
    with pytest.raises(stats.TooFewReplications, match="at least 3"):
        stats.paired_difference([1.0, 2.0], [1.0, 3.0])
    with pytest.raises(stats.TooFewReplications):
        stats.mean_ci([1.0, np.nan, 2.0])
    with pytest.raises(ValueError, match="differ in length"):
        stats.paired_difference([1, 2, 3], [1, 2])


def test_band_matches_mean_ci_column_by_column():
    rng = np.random.default_rng(9)
    matrix = rng.normal(0, 1, (7, 4))
    matrix[0, 2] = np.nan
    mean, low, high, n = stats.band(matrix)
    for day in range(4):
        expected = stats.mean_ci(matrix[:, day])
        assert (mean[day], low[day], high[day], n[day]) == pytest.approx(
            (expected.estimate, expected.low, expected.high, expected.n)
        )
