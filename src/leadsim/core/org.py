"""The organisation's structure: hierarchy, teams, decision queues and the informal network.

The hierarchy is a complete tree with ``span_of_control`` children per leader, the owner at the
root (person 0): person i reports to (i - 1) // span. A leader's team is their direct reports.
The structure is the same in every replication; competences and ties differ.

Queues, per replication: one per leader (what the leader decides), one per team (what the team
decides itself), and the shared leadership pool: ``queues = 2 * leaders + 1``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_TEAM_NEIGHBOURS = 15  # within a big team, ties only to the 15 next team mates on each side


@dataclass(frozen=True)
class Hierarchy:
    """Who reports to whom; identical across replications."""

    manager: np.ndarray  # (N,) manager's person index, -1 for the owner
    is_leader: np.ndarray  # (N,) bool
    level: np.ndarray  # (N,) 0 for the owner
    leader_ids: np.ndarray  # (L,) person index of each leader, by rank; rank 0 is the owner
    leader_rank: np.ndarray  # (N,) rank of a leader, -1 for others
    join_day: np.ndarray  # (N,) 0, or the day a hiring-wave slot first fills

    @property
    def people(self) -> int:
        """Slots, including the ones a hiring wave fills later."""
        return self.manager.size

    @property
    def leaders(self) -> int:
        """Number of leaders (the owner included)."""
        return self.leader_ids.size

    @property
    def queues(self) -> int:
        """Decision queues per replication."""
        return 2 * self.leaders + 1

    @property
    def manager_rank(self) -> np.ndarray:
        """(N,) rank of each person's manager; the owner is their own (rank 0)."""
        return np.where(self.manager >= 0, self.leader_rank[np.maximum(self.manager, 0)], 0)

    @property
    def leader_manager_rank(self) -> np.ndarray:
        """(L,) rank of each leader's manager; -1 for the owner."""
        managers = self.manager[self.leader_ids]
        return np.where(managers >= 0, self.leader_rank[np.maximum(managers, 0)], -1)

    @property
    def depth(self) -> int:
        """Levels below the owner."""
        return int(self.level.max())


def build_hierarchy(size: int, span: int, waves: list[tuple[int, int]] | None = None) -> Hierarchy:
    """The reporting tree of ``size`` people, plus slots for hiring waves.

    Args:
        size: people at the start, owner included.
        span: direct reports per leader.
        waves: ``(day, hires)`` for each hiring wave; hires join existing leaders' teams in turn.
    """
    index = np.arange(size)
    manager = np.where(index > 0, (index - 1) // span, -1)
    is_leader = np.zeros(size, dtype=bool)
    is_leader[manager[manager >= 0]] = True
    is_leader[0] = True
    level = levels_below_owner(manager)
    join_day = np.zeros(size, dtype=np.int64)

    managers_for_hires = np.flatnonzero(is_leader)
    if managers_for_hires.size > 1:
        managers_for_hires = managers_for_hires[1:]  # new hires join teams, not the owner's table
    extra_manager, extra_day = [], []
    turn = 0
    for day, hires in waves or []:
        for _ in range(hires):
            extra_manager.append(managers_for_hires[turn % managers_for_hires.size])
            extra_day.append(day)
            turn += 1
    if extra_manager:
        extra_manager = np.asarray(extra_manager)
        manager = np.concatenate([manager, extra_manager])
        is_leader = np.concatenate([is_leader, np.zeros(extra_manager.size, dtype=bool)])
        level = np.concatenate([level, level[extra_manager] + 1])
        join_day = np.concatenate([join_day, np.asarray(extra_day, dtype=np.int64)])

    leader_ids = np.flatnonzero(is_leader)
    leader_rank = np.full(manager.size, -1, dtype=np.int64)
    leader_rank[leader_ids] = np.arange(leader_ids.size)
    return Hierarchy(manager, is_leader, level, leader_ids, leader_rank, join_day)


def levels_below_owner(manager: np.ndarray) -> np.ndarray:
    """Each person's number of managers above them (0 for the owner)."""
    level = np.zeros(manager.size, dtype=np.int64)
    above = manager.copy()
    while (above >= 0).any():
        climbing = above >= 0
        level += climbing
        above[climbing] = manager[above[climbing]]
    return level


def informal_network(
    hierarchy: Hierarchy,
    within_team: float,
    cross_team_ties: float,
    rng: np.random.Generator,
    reach: int = 100,
) -> tuple[np.ndarray, np.ndarray]:
    """Directed edge lists (source, target) of a symmetric informal network.

    Team mates (a leader's direct reports, and the leader) are tied with probability
    ``within_team``; each person adds about ``cross_team_ties`` ties to others at most ``reach``
    places away in the org chart (the layout keeps a department's people close together).
    """
    n = hierarchy.people
    people = np.arange(n)
    members = np.concatenate([people[1:], hierarchy.leader_ids])
    groups = np.concatenate([hierarchy.manager[1:], hierarchy.leader_ids])
    order = np.lexsort((members, groups))
    members, groups = members[order], groups[order]

    sources, targets = [], []
    for offset in range(1, MAX_TEAM_NEIGHBOURS + 1):
        if offset >= members.size:
            break
        same = groups[offset:] == groups[:-offset]
        a, b = members[:-offset][same], members[offset:][same]
        keep = rng.random(a.size) < within_team
        sources.append(a[keep])
        targets.append(b[keep])

    whole = np.floor(cross_team_ties)
    extra = rng.random(n) < (cross_team_ties - whole)
    ties = (whole + extra).astype(np.int64)
    a = np.repeat(people, ties)
    low = np.maximum(a - reach, 0)
    high = np.minimum(a + reach, n - 1)
    b = low + np.floor(rng.random(a.size) * (high - low + 1)).astype(np.int64)
    distinct = a != b
    sources.append(a[distinct])
    targets.append(b[distinct])

    a = np.concatenate(sources)
    b = np.concatenate(targets)
    return np.concatenate([a, b]), np.concatenate([b, a])
