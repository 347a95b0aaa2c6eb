"""The decision flow: a queueing network of leaders, teams and the shared leadership pool.

Each queue holds pending decisions as counts per day raised (a cohort), so service in order of
arrival (FIFO) is exact and so is the accounting: latency = day resolved - day raised, backlog =
decisions pending at the end of a day, backlog(t) - backlog(t-1) = arrivals(t) - decided(t) -
expired(t), and the sum of end-of-day backlogs equals the sum of latencies of resolved decisions plus
the days the pending ones have spent in the backlog (age + 1 each): Little's law.

Decisions have a patience: one still pending ``patience`` days after it was raised is taken by
whoever waits on it (it *expires* from the queue, resolved locally at a lower quality). An overloaded
decider therefore degrades the firm's decisions rather than stopping it.

Arrivals are Poisson with the summed rates of the people routed to a queue; service is Poisson with
the queue's daily capacity, so latency blows up as utilisation approaches 1, as queueing theory says.
"""

from __future__ import annotations

import numpy as np
from numba import njit


def route_shares(
    authority: np.ndarray, escalation: np.ndarray, stakes_shape: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shares of a person's decisions decided by their team, their leader, the escalation target.

    Stakes s have P(s > x) = (1 - x)^b. Decisions with s <= authority stay in the team; those above
    max(authority, escalation) escalate; the rest go to the leader.

    Args:
        authority: the authority threshold per person, shape (R, N).
        escalation: the escalation threshold per person, shape (R, N).
        stakes_shape: b per replication, shape (R,).
    """
    b = stakes_shape[:, None]
    above_authority = (1.0 - authority) ** b
    team = 1.0 - above_authority
    escalated = (1.0 - np.maximum(authority, escalation)) ** b
    leader = np.maximum(above_authority - escalated, 0.0)
    return team, leader, escalated


def acting_leaders(present_leader: np.ndarray, leader_manager_rank: np.ndarray, depth: int) -> np.ndarray:
    """For each leader's queue, the nearest present leader up the line (itself if present).

    Returns (R, L) ranks; -1 where nobody above is present (the queue waits).
    """
    runs, leaders = present_leader.shape
    rows = np.arange(runs)[:, None]
    current = np.broadcast_to(np.arange(leaders), (runs, leaders)).copy()
    for _ in range(depth + 1):
        valid = current >= 0
        here = np.zeros_like(valid)
        here[valid] = present_leader[np.broadcast_to(rows, current.shape)[valid], current[valid]]
        climb = valid & ~here
        if not climb.any():
            break
        current[climb] = leader_manager_rank[current[climb]]
    valid = current >= 0
    found = np.zeros_like(valid)
    found[valid] = present_leader[np.broadcast_to(rows, current.shape)[valid], current[valid]]
    return np.where(found, current, -1)


def hand_over(counts: np.ndarray, backlog: np.ndarray, head: np.ndarray, moves: np.ndarray) -> None:
    """Move the pending decisions of absent leaders' queues to the acting leader's queue.

    Args:
        counts: (R*Q, columns) cohorts, modified in place.
        backlog: (R*Q,) pending decisions per queue, modified in place.
        head: (R*Q,) first possibly non-empty cohort per queue, modified in place.
        moves: (k, 2) flat (source row, target row) pairs.
    """
    for source, target in moves:
        if backlog[source] == 0:
            continue
        counts[target] += counts[source]
        counts[source] = 0
        backlog[target] += backlog[source]
        backlog[source] = 0
        head[target] = min(head[target], head[source])


def serve_fifo(
    counts: np.ndarray,
    head: np.ndarray,
    capacity: np.ndarray,
    last_column: np.ndarray,
    backlog: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Serve each queue's oldest cohorts first, up to its capacity for the day.

    Cohorts are kept in a ring: the decisions raised on day d sit in column d % width, which is
    safe because nothing waits longer than the patience (see :func:`expire_overdue`).

    Args:
        counts: (M, width) pending decisions per queue and day raised; modified in place.
        head: (M,) first day that may still have pending decisions; advanced in place.
        capacity: (M,) decisions each queue can make today; consumed in place.
        last_column: (M,) the newest day whose cohort may be decided today (consultation holds
            back the most recent ones).
        backlog: (M,) pending decisions per queue (empty queues are skipped).

    Returns:
        Flat (rows, days raised, amounts) of everything decided today.
    """
    # A queue takes at most one entry per cohort it touches, and touches at most `capacity`.
    bound = int(np.minimum(capacity, counts.shape[1]).sum())
    rows = np.empty(bound, dtype=np.int64)
    cols = np.empty(bound, dtype=np.int64)
    amounts = np.empty(bound, dtype=np.int64)
    taken = _serve_oldest_first(counts, head, capacity, last_column, backlog, rows, cols, amounts)
    return rows[:taken], cols[:taken], amounts[:taken]


@njit(cache=True)
def _serve_oldest_first(counts, head, capacity, last_column, backlog, rows, cols, amounts):
    """The FIFO loop of :func:`serve_fifo`, compiled: it touches only the cohorts it serves."""
    taken = 0
    width = counts.shape[1]
    for queue in range(counts.shape[0]):
        left = capacity[queue]
        if left <= 0 or backlog[queue] <= 0:
            continue
        column = head[queue]
        while left > 0 and column <= last_column[queue]:
            pending = counts[queue, column % width]
            if pending > 0:
                decided = min(pending, left)
                counts[queue, column % width] = pending - decided
                left -= decided
                rows[taken], cols[taken], amounts[taken] = queue, column, decided
                taken += 1
                if decided < pending:
                    break  # capacity used up inside this cohort: it stays the head
            column += 1
        head[queue] = column
        capacity[queue] = left
    return taken


def expire_overdue(
    counts: np.ndarray, head: np.ndarray, oldest_kept: int, backlog: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Remove every pending decision raised before ``oldest_kept`` (its patience has run out).

    Args:
        counts: (M, columns) pending decisions per queue and day raised; modified in place.
        head: (M,) first column that may be non-zero; advanced in place.
        oldest_kept: the first column that stays.
        backlog: (M,) pending decisions per queue (empty queues are skipped).

    Returns:
        Flat (rows, days raised, amounts) of everything that expired.
    """
    if oldest_kept <= 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, empty
    bound = int(np.minimum(oldest_kept - np.minimum(head, oldest_kept), counts.shape[1]).sum())
    rows = np.empty(bound, dtype=np.int64)
    cols = np.empty(bound, dtype=np.int64)
    amounts = np.empty(bound, dtype=np.int64)
    taken = _expire_before(counts, head, oldest_kept, backlog, rows, cols, amounts)
    return rows[:taken], cols[:taken], amounts[:taken]


@njit(cache=True)
def _expire_before(counts, head, oldest_kept, backlog, rows, cols, amounts):
    """The loop of :func:`expire_overdue`, compiled: it touches only overdue cohorts."""
    taken = 0
    width = counts.shape[1]
    for queue in range(counts.shape[0]):
        if backlog[queue] <= 0:
            # An empty queue's head moves along, so it never points into a reused ring column.
            head[queue] = max(head[queue], oldest_kept)
            continue
        if head[queue] >= oldest_kept:
            continue
        for column in range(max(head[queue], oldest_kept - width), oldest_kept):
            pending = counts[queue, column % width]
            if pending > 0:
                counts[queue, column % width] = 0
                rows[taken], cols[taken], amounts[taken] = queue, column, pending
                taken += 1
        head[queue] = oldest_kept
    return taken


@njit(cache=True)
def pending_ages(counts, head, backlog, today):
    """Sum of ages and the oldest age of the pending decisions of each queue, at the end of ``today``.

    Returns:
        (age_sum, oldest) per queue; 0 for empty queues. Advances nothing.
    """
    queues, width = counts.shape
    age_sum = np.zeros(queues)
    oldest = np.zeros(queues, dtype=np.int64)
    for queue in range(queues):
        left = backlog[queue]
        if left <= 0:
            continue
        column = head[queue]
        first = -1
        while left > 0 and column <= today:
            pending = counts[queue, column % width]
            if pending > 0:
                if first < 0:
                    first = column
                age_sum[queue] += pending * (today - column)
                left -= pending
            column += 1
        oldest[queue] = today - first if first >= 0 else 0
    return age_sum, oldest


def latency_quantiles(histogram: np.ndarray, quantiles: tuple[float, ...]) -> list[np.ndarray]:
    """Quantiles of latency per replication from counts per latency value, shape (R, max+1).

    The lower quantile convention (the smallest latency whose cumulative share reaches q) keeps
    the values whole days; NaN where nothing was decided.
    """
    totals = histogram.sum(axis=1)
    cumulative = np.cumsum(histogram, axis=1)
    result = []
    for q in quantiles:
        reached = cumulative >= q * totals[:, None]
        value = reached.argmax(axis=1).astype(float)
        value[totals == 0] = np.nan
        result.append(value)
    return result


def overload_factor(backlog: np.ndarray, capacity: np.ndarray, per_day_queued: float) -> np.ndarray:
    """Quality kept by a decider with days of work queued (rushed decisions are worse)."""
    days_queued = np.minimum(backlog / np.maximum(capacity, 0.1), 30.0)
    return 1.0 / (1.0 + per_day_queued * days_queued)
