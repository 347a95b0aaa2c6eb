"""Small engine functions against answers computed another way."""

from __future__ import annotations

import numpy as np
import pytest

from leadsim.core.decisions import serve_fifo
from leadsim.core.draws import poisson_from_uniform
from leadsim.core.engine import SORT_BELOW, engagement_percentile


@pytest.mark.parametrize("people", [30, SORT_BELOW + 10])  # the sorting and the partition path
def test_engagement_percentile_is_the_lower_percentile_of_present_people(people):
    rng = np.random.default_rng(0)
    engagement = rng.random((3, people))
    present = rng.random((3, people)) < 0.8
    present[2] = False
    got = engagement_percentile(engagement, present, 0.10)
    for run in range(2):
        values = np.sort(engagement[run, present[run]])
        expected = values[int(np.ceil(0.10 * values.size)) - 1]
        assert got[run] == expected
        assert np.mean(values <= got[run]) >= 0.10 > np.mean(values < got[run])
    assert np.isnan(got[2])


def test_serve_fifo_takes_oldest_first_and_respects_consultation():
    counts = np.array([[2, 0, 3, 4], [5, 5, 0, 0]], dtype=np.int32)
    head = np.zeros(2, dtype=np.int64)
    capacity = np.array([4, 20])
    rows, cols, amounts = serve_fifo(counts, head, capacity, np.array([3, 0]), counts.sum(axis=1))
    assert list(zip(rows, cols, amounts, strict=True)) == [(0, 0, 2), (0, 2, 2), (1, 0, 5)]
    assert counts.tolist() == [[0, 0, 1, 4], [0, 5, 0, 0]]  # queue 1 may not touch day 1 yet
    assert head.tolist() == [2, 1] and capacity.tolist() == [0, 15]


def test_poisson_from_uniform_has_the_right_mean_and_variance():
    rng = np.random.default_rng(1)
    for lam in (0.3, 4.0, 200.0):  # inversion, and the normal approximation above 60
        draws = poisson_from_uniform(rng.random(200_000), np.full(200_000, lam))
        assert draws.mean() == pytest.approx(lam, rel=0.02)
        assert draws.var() == pytest.approx(lam, rel=0.05)
