"""Resilience of output against a shock, measured on the output series.

Following the resilience triangle (Bruneau et al. 2003, Earthquake Spectra 19(4)): against the
pre-shock baseline P0, the loss is the area sum(max(0, 1 - P(t)/P0)) over the window after the shock,
the index is 1 - loss / window, the depth is the largest relative drop, and the recovery time is the
number of days until performance is back at or above RECOVERED * P0 *for good*: it stays there for the
rest of the window (at least SUSTAINED days). A firm that bounces back when a shock ends and then
slides again as lost customers stop ordering has not recovered yet.
"""

from __future__ import annotations

import numpy as np

BASELINE_DAYS = 20
RECOVERED = 0.95
SUSTAINED = 10
MAX_WINDOW = 200


def shock_resilience(
    output: np.ndarray, day: int, next_day: int | None = None, failed_day: int | None = None
) -> dict[str, float]:
    """Resilience figures of one shock on one output series.

    Args:
        output: output per day of one run.
        day: the shock's first day.
        next_day: the day the next shock starts, which closes the window (default: the end).
        failed_day: the day the firm failed, if it did: a firm that fails inside the window has
            not recovered, whatever it did before.

    Returns:
        baseline, depth, recovery_days (NaN if not recovered), loss, index, window.
    """
    output = np.asarray(output, dtype=float)
    start = max(0, day - BASELINE_DAYS)
    baseline = float(np.mean(output[start:day])) if day > 0 else float(output[0])
    end = min(output.size, day + MAX_WINDOW, next_day if next_day is not None else output.size)
    window = output[day:end]
    if baseline <= 0 or window.size == 0:
        nan = float("nan")
        return {
            "baseline": baseline,
            "depth": nan,
            "recovery_days": nan,
            "loss": nan,
            "index": nan,
            "window": int(window.size),
        }
    relative = window / baseline
    shortfall = np.maximum(0.0, 1.0 - relative)
    loss = float(shortfall.sum())
    failed_inside = failed_day is not None and day <= failed_day < end
    return {
        "baseline": baseline,
        "depth": float(shortfall.max()),
        "recovery_days": float("nan") if failed_inside else recovery_days(relative),
        "loss": loss,
        "index": 1.0 - loss / window.size,
        "window": int(window.size),
    }


def recovery_days(relative: np.ndarray) -> float:
    """Days from the shock until performance stays at or above RECOVERED to the end of the window.

    NaN when that last stretch is shorter than SUSTAINED days (not recovered inside the window).
    """
    below = np.flatnonzero(~(relative >= RECOVERED))
    first_good = int(below[-1]) + 1 if below.size else 0
    if relative.size - first_good < SUSTAINED:
        return float("nan")
    return float(first_good)
