"""Randomness: seeded streams and the per-day uniform draws every mechanism reads.

Each run has one seed. A ``numpy.random.SeedSequence`` built from it spawns three independent
streams: the organisation (competences, network), the shock schedule, and the daily dynamics.
Structures compared on the same seed therefore share the same people and the same shocks
(common random numbers).

The daily dynamics read a fixed-shape block of uniforms per day, whatever the state. That makes
a batch of replications equal to running them one by one, lets the per-agent reference step use
exactly the same numbers, and keeps streams aligned across structures. Poisson counts and normal
values are made from those uniforms by inversion.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit
from scipy.special import ndtri

ORG_STREAM, SHOCK_STREAM, DYNAMICS_STREAM = 0, 1, 2
POISSON_NORMAL_ABOVE = 60.0  # above this mean the normal approximation is used (error < 1 %)
BLOCK_VALUES = 1 << 14  # uniforms drawn per generator call, at most (a block of whole days)


def streams(seed: int) -> list[np.random.Generator]:
    """The organisation, shock and dynamics generators of one run."""
    children = np.random.SeedSequence(seed).spawn(3)
    return [np.random.Generator(np.random.PCG64(child)) for child in children]


@dataclass(frozen=True)
class DayLayout:
    """Where each mechanism's uniforms sit in a day's row of draws."""

    people: int
    queues: int

    @property
    def width(self) -> int:
        """Uniforms per day: quit, noise, hire, ceiling per person; arrivals, service per queue."""
        return 4 * self.people + 2 * self.queues

    def split(self, row: np.ndarray) -> dict[str, np.ndarray]:
        """Name the slices of one day's uniforms (the last axis of ``row``)."""
        n, q = self.people, self.queues
        return {
            "quit": row[..., 0:n],
            "noise": row[..., n : 2 * n],
            "hire": row[..., 2 * n : 3 * n],
            "ceiling": row[..., 3 * n : 4 * n],
            "arrive": row[..., 4 * n : 4 * n + q],
            "serve": row[..., 4 * n + q : 4 * n + 2 * q],
        }


class DailyDraws:
    """Serves each day's uniforms for a batch of runs, drawing whole blocks of days at a time.

    The block length depends only on the day's width, so the sequence each run sees is the same
    whether it runs alone or in a batch.
    """

    def __init__(self, generators: list[np.random.Generator], layout: DayLayout) -> None:
        self.generators = generators
        self.layout = layout
        self.block_days = max(1, BLOCK_VALUES // layout.width)
        self._block: np.ndarray | None = None
        self._next = 0

    def next_day(self) -> dict[str, np.ndarray]:
        """The uniforms of the next day, shape (runs, width), split by mechanism."""
        if self._block is None or self._next == self._block.shape[1]:
            if self._block is None:
                shape = (len(self.generators), self.block_days, self.layout.width)
                self._block = np.empty(shape)
            for run, generator in enumerate(self.generators):
                generator.random(out=self._block[run])
            self._next = 0
        row = self._block[:, self._next, :]
        self._next += 1
        return self.layout.split(row)


def poisson_from_uniform(u: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """Poisson counts with means ``lam`` by inverting the CDF at uniforms ``u``.

    Means above POISSON_NORMAL_ABOVE use the normal approximation with continuity correction.
    """
    u = np.asarray(u, dtype=float)
    lam = np.maximum(np.asarray(lam, dtype=float), 0.0)
    counts = np.zeros(u.shape, dtype=np.int64)
    large = lam > POISSON_NORMAL_ABOVE
    small = ~large
    if large.any():
        approx = lam[large] + np.sqrt(lam[large]) * ndtri(u[large]) + 0.5
        counts[large] = np.maximum(np.floor(approx), 0).astype(np.int64)
    if small.any():
        counts[small] = _poisson_inversion(u[small], lam[small])
    return counts


@njit(cache=True)
def _poisson_inversion(u: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """Sequential search, element by element: the smallest k with CDF(k) >= u, for modest means."""
    counts = np.zeros(u.shape, dtype=np.int64)
    for i in range(u.size):
        term = np.exp(-lam[i])
        cdf = term
        k = 0
        while u[i] > cdf:
            k += 1
            term = term * lam[i] / k
            cdf += term
            if term <= 0.0:  # round-off can leave the CDF a hair below 1: stop once terms vanish
                break
        counts[i] = k
    return counts


def normal_from_uniform(u: np.ndarray, mean: float, sd: float) -> np.ndarray:
    """Normal values by inversion; uniforms of exactly 0 or 1 are nudged inside."""
    u = np.clip(u, 1e-12, 1 - 1e-12)
    return mean + sd * ndtri(u)
