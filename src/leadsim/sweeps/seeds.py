"""Seeds: one root ``numpy.random.SeedSequence`` per experiment, one child per run.

The seed of (design point i, replication j) is the child with spawn key (i, j) of the root built from
the experiment's ``seed`` -- exactly ``root.spawn(points)[i].spawn(reps)[j]`` -- turned into an integer
by its first 64-bit word (shifted to 63 bits so it fits a signed Parquet column). It depends on
nothing else: not on the order runs finish, the number of workers or the backend.
"""

from __future__ import annotations

import numpy as np

SEED_RULE = (
    "SeedSequence(root, spawn_key=(point, replication)).generate_state(1, uint64)[0] >> 1; "
    "with common random numbers spawn_key=(replication,)"
)


def run_seed(root: int, point: int, replication: int, common: bool = False) -> int:
    """The integer seed of one run.

    Args:
        root: the experiment's root seed.
        point: the design point's index.
        replication: the replication's index.
        common: common random numbers: every design point gets the same seeds, so comparisons
            between points are paired (same people, same shocks).
    """
    key = (replication,) if common else (point, replication)
    state = np.random.SeedSequence(root, spawn_key=key).generate_state(1, np.uint64)[0]
    return int(state) >> 1


def point_seeds(root: int, point: int, replications: int, common: bool = False) -> list[int]:
    """The seeds of every replication of one design point."""
    return [run_seed(root, point, j, common) for j in range(replications)]
