"""Leaders' time: one working day, shared out by the style.

A leader's day goes to deciding, supporting, coaching, directing, the shared leadership pool and
the leader's own work.

A style sets the *allocation* of that day, not its amount. How many decisions a leader makes follows
from the time given to deciding and the leader's competence; what each team member receives (support,
coaching, direction) is the leader's time for it shared among the team, so it shrinks as the span of
control grows. Team members decide the matters within their authority in their own time, at a pace
set by their competence and initiative: an expert deciding their own matter is not slower than
escalating it.
"""

from __future__ import annotations

import numpy as np

FULL_DOSE = 0.04  # a day share per person (about 20 minutes a day) that counts as full support/coaching


def decision_speed(competence: np.ndarray, effort: float) -> np.ndarray:
    """Decisions per full day a person of this competence can make."""
    return (0.5 + 0.5 * competence) / effort


def leader_capacity(
    time_deciding: np.ndarray,
    consultation_effort: np.ndarray,
    competence: np.ndarray,
    present: np.ndarray,
    effort: float,
) -> np.ndarray:
    """Decisions each leader can make today, shape (R, L).

    Args:
        time_deciding: share of the day each leader gives to deciding, (L,).
        consultation_effort: extra time per decision spent consulting, (L,).
        competence: the leaders' competence, (R, L).
        present: whether each leader is at work today, (R, L).
        effort: share of a day one decision takes a fully competent decider.
    """
    return time_deciding * decision_speed(competence, effort) / (1.0 + consultation_effort) * present


def pool_capacity(
    time_pool: np.ndarray, competence: np.ndarray, present: np.ndarray, effort: float, coordination: float
) -> np.ndarray:
    """Decisions the shared leadership pool can make today, shape (R,).

    Every present leader who gives it time is a member; coordination costs grow with the members.
    """
    giving = present * (time_pool > 0)
    members = giving.sum(axis=1)
    raw = (time_pool * decision_speed(competence, effort) * giving).sum(axis=1)
    return raw / (1.0 + coordination * np.maximum(members - 1, 0))


def member_capacity(
    competence: np.ndarray,
    engagement: np.ndarray,
    present: np.ndarray,
    decision_time: float,
    effort: float,
    power_distance: float,
) -> np.ndarray:
    """Decisions each person can take within their authority today, shape (R, N).

    Initiative (engagement, damped where people expect hierarchy) decides how much of their
    decision time people actually take up.
    """
    initiative = engagement * (1.0 - 0.5 * power_distance)
    return decision_time * initiative * decision_speed(competence, effort) * present


def doses(
    leader_share: np.ndarray,
    team_sum: np.ndarray,
    manager_rank: np.ndarray,
    weight: np.ndarray | float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """What each person receives of a leader's time for one activity.

    Args:
        leader_share: share of each leader's day given to the activity, (R, L) or (L,).
        team_sum: the sum of weights over each leader's present team, (R, L).
        manager_rank: each person's manager's rank, (N,).
        weight: each person's weight in the leader's attention (situational leaders weigh by
            need), (R, N) or a scalar.

    Returns:
        (dose in [0, 1], day share received), each (R, N). A dose of 1 is FULL_DOSE of a day or more.
    """
    per_weight = np.broadcast_to(leader_share, team_sum.shape) / np.maximum(team_sum, 1e-9)
    received = per_weight[:, manager_rank] * weight
    return np.minimum(received / FULL_DOSE, 1.0), received
