"""What the live pictures show, however they are drawn.

The org chart's layout, and the series and shocks so far. Drawing is in :mod:`leadsim.demo.svg`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

import leadsim

# Blue and orange: the pair the Okabe–Ito and Tableau palettes keep apart under every colour-blindness.
FIRM_COLOURS = ("#0072b2", "#e69f00")
STACK_HEIGHT = 8  # team members drawn in columns of at most this many under their leader
STACK_STEP = 0.32  # vertical gap between stacked team members, in rows


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


@dataclass(frozen=True)
class PeopleState:
    """What the org chart shows of each person on one day (arrays in slot order)."""

    engagement: np.ndarray
    waiting: np.ndarray
    employed: np.ndarray
    present: np.ndarray

    @classmethod
    def of(cls, firm: leadsim.SMBModel) -> PeopleState:
        """The firm's people as they are now."""
        people = firm.people
        return cls(
            engagement=np.array([p.engagement for p in people]),
            waiting=np.array([p.waiting for p in people]),
            employed=np.array([p.employed for p in people]),
            present=np.array([p.present for p in people]),
        )


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


def last_finite(values: np.ndarray) -> float:
    """The latest value that is a number (nan when there is none yet)."""
    finite = values[np.isfinite(values)]
    return float(finite[-1]) if finite.size else float("nan")


def shock_records(firm: leadsim.SMBModel) -> list[dict]:
    """The shocks that have begun by today, as plain dicts for :func:`leadsim.plots.mark_shocks`."""
    return [e.as_dict() for e in firm.engine.events[0] if e.day <= firm.day]
