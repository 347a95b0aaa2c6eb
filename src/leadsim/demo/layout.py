"""What the live pictures show, however they are drawn.

The org chart's layout, and the series and shocks so far. Drawing is in :mod:`leadsim.demo.svg`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

import leadsim

FIRM_COLOURS = ("#1f77b4", "#ff7f0e")
STACK_HEIGHT = 8  # team members drawn in columns of at most this many under their leader
STACK_STEP = 0.32  # vertical gap between stacked team members, in rows
# (metric, axis label, y limits or None) for the six live panels, in reading order
LIVE_PANELS: tuple[tuple[str, str, tuple[float, float] | None], ...] = (
    ("latency_mean", "decision latency (days)", None),
    ("backlog", "backlog (decisions)", None),
    ("engagement_mean", "engagement", (0.0, 1.0)),
    ("decision_quality", "decision quality", (0.0, 1.0)),
    ("output", "output per day", None),
    ("cash", "cash", None),
)


def org_layout(managers: Sequence[int], is_leader: Sequence[bool], levels: Sequence[int]) -> np.ndarray:
    """Positions for an org chart: leaders in rows by level, each team stacked under its leader.

    Stacking team members in short columns keeps a 250-person firm about 30 columns wide instead
    of 200, which is what makes it readable on a projector.

    Args:
        managers: each person's manager slot (-1 for the owner).
        is_leader: whether each person leads a team.
        levels: each person's level below the owner.

    Returns:
        (n, 2) array of x, y; y is minus the row, so the owner is on top.
    """
    n = len(managers)
    children: list[list[int]] = [[] for _ in range(n)]
    for person, manager in enumerate(managers):
        if manager >= 0:
            children[manager].append(person)
    pos = np.zeros((n, 2))

    def place(person: int, left: float) -> float:
        x = left
        for child in children[person]:
            if is_leader[child]:
                x += place(child, x)
        members = [c for c in children[person] if not is_leader[c]]
        columns = math.ceil(len(members) / STACK_HEIGHT)
        for k, member in enumerate(members):
            column, row = divmod(k, STACK_HEIGHT)
            pos[member] = (x + (column + 0.5) / columns, -(levels[person] + 1) - row * STACK_STEP)
        x += 1.0 if members else 0.0
        width = max(x - left, 1.0)
        pos[person] = (left + width / 2, -levels[person])
        return width

    for root in (p for p in range(n) if managers[p] < 0):
        place(root, 0.0)
    return pos


class OrgChart:
    """The org chart's geometry for one firm, computed once: positions, reporting lines, ties."""

    def __init__(self, firm: leadsim.SMBModel) -> None:
        people = firm.people
        self.managers = np.array([p.manager_index for p in people])
        self.is_leader = np.array([p.is_leader for p in people])
        self.pos = org_layout(self.managers, self.is_leader, [p.level for p in people])
        has_manager = self.managers >= 0
        self.reporting = np.stack([self.pos[self.managers[has_manager]], self.pos[has_manager]], axis=1)
        edges = firm.network_edges()
        self.ties = np.stack([self.pos[edges[:, 0]], self.pos[edges[:, 1]]], axis=1)


def live_series(firm: leadsim.SMBModel, name: str) -> np.ndarray:
    """One model reporter's values so far (one per simulated day)."""
    return np.asarray(firm.datacollector.model_vars.get(name, ()), dtype=float)


def shock_records(firm: leadsim.SMBModel) -> list[dict]:
    """The shocks that have begun by today, as plain dicts for :func:`leadsim.plots.mark_shocks`."""
    return [e.as_dict() for e in firm.engine.events[0] if e.day <= firm.day]
