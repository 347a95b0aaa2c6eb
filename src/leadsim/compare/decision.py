"""What a CEO reads: outcomes over plausible versions of the firm, the money path, what flips it.

A *plausible version* of the firm is one posterior draw of the uncertain parameters (or a prior
draw when nothing is observed). Each version runs every structure on the same seeds, so within a
version the structures differ only in who decides; across versions the answer can change because
we do not know the firm exactly. "In 8 of 10 plausible versions" counts versions whose mean paired
difference (over their seeds) favours the challenger.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from leadsim.compare.profile import Transition
from leadsim.results import DAYS_PER_YEAR

if TYPE_CHECKING:
    from leadsim.compare.analysis import Comparison
    from leadsim.compare.structures import Structure

MONTH = DAYS_PER_YEAR / 12
"""Working days per month."""
CLEAR = 0.8
"""Share of plausible versions from which an answer is clear ("8 of 10")."""
QUANTILES = (0.1, 0.5, 0.9)
"""The range shown to readers: the middle 80 % of plausible outcomes, and the median."""


@dataclass(frozen=True)
class Outcome:
    """An outcome a CEO weighs, computed per run.

    Attributes:
        key: the column of the runs table.
        label: the name in the report.
        unit: ``days``, ``people``, ``money``, ``share`` or ``index``.
        higher_is_better: the direction of "better".
        better: the word for better (``decides faster``).
        worse: the word for worse.
        margin: differences smaller than this do not matter (in the outcome's unit; money: share
            of yearly revenue, see :func:`margin`).
    """

    key: str
    label: str
    unit: str
    higher_is_better: bool
    better: str
    worse: str
    margin: float = 0.0


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("latency_mean", "wait for a decision", "days", False, "decides faster", "decides slower", 0.1),
    Outcome(
        "leavers_per_year",
        "people leaving a year",
        "people",
        False,
        "loses fewer people",
        "loses more people",
        0.25,
    ),
    Outcome(
        "engagement_mean",
        "engagement",
        "index",
        True,
        "keeps people more engaged",
        "keeps them less engaged",
        0.01,
    ),
    Outcome(
        "cash_1y",
        "cash at the end of year 1",
        "money",
        True,
        "ends year 1 with more cash",
        "ends year 1 with less cash",
        0.005,
    ),
    Outcome(
        "cash_3y",
        "cash at the end of year 3",
        "money",
        True,
        "ends year 3 with more cash",
        "ends year 3 with less cash",
        0.005,
    ),
    Outcome("survived", "firm survives", "share", True, "survives more often", "fails more often", 0.02),
)
"""The outcomes in the answer, in the order a CEO asks about them."""
OUTCOME_BY_KEY = {o.key: o for o in OUTCOMES}


def margin(outcome: Outcome, revenue_per_year: float) -> float:
    """The smallest difference that matters, in the outcome's unit (money: a share of revenue)."""
    if outcome.unit == "money":
        return outcome.margin * revenue_per_year if math.isfinite(revenue_per_year) else 0.0
    return outcome.margin


def _oriented(outcome: Outcome, diff: np.ndarray) -> np.ndarray:
    return diff if outcome.higher_is_better else -diff


def paired_runs(comparison: Comparison) -> Iterator[tuple[Structure, pd.DataFrame, pd.DataFrame]]:
    """Per challenger: the baseline's and the challenger's runs, indexed by run and aligned."""
    runs = comparison.runs
    base = runs[runs["structure"] == comparison.baseline.name].set_index("rep")
    for challenger in comparison.structures[1:]:
        yield (
            challenger,
            base,
            runs[runs["structure"] == challenger.name].set_index("rep").reindex(base.index),
        )


def versions_frame(comparison: Comparison) -> pd.DataFrame:
    """One row per challenger, outcome and plausible version: the mean paired difference.

    Columns: challenger, outcome, draw, baseline, challenger_value, diff (challenger − baseline).
    """
    rows = []
    for challenger, base, other in paired_runs(comparison):
        for outcome in OUTCOMES:
            frame = pd.DataFrame(
                {
                    "draw": base["draw"],
                    "baseline": base[outcome.key].astype(float),
                    "challenger_value": other[outcome.key].astype(float),
                }
            )
            frame["diff"] = frame["challenger_value"] - frame["baseline"]
            means = frame.groupby("draw").mean()
            for draw, row in means.iterrows():
                rows.append({"challenger": challenger.name, "outcome": outcome.key, "draw": draw, **row})
    return pd.DataFrame(rows)


def answers_frame(comparison: Comparison) -> pd.DataFrame:
    """One row per challenger and outcome: ranges over runs and votes over plausible versions.

    ``versions_better`` / ``versions_worse`` count versions whose mean difference favours one
    side by more than the margin; ``answer`` is ``better``, ``worse``, ``same`` or ``unclear``.
    """
    versions = comparison.versions
    revenue = comparison.revenue_per_year
    rows = []
    for challenger, base_runs, other_runs in paired_runs(comparison):
        for outcome in OUTCOMES:
            a = base_runs[outcome.key].to_numpy(dtype=float)
            b = other_runs[outcome.key].to_numpy(dtype=float)
            mine = versions[
                (versions["challenger"] == challenger.name) & (versions["outcome"] == outcome.key)
            ]
            diff = _oriented(outcome, mine["diff"].to_numpy(dtype=float))
            diff = diff[np.isfinite(diff)]
            limit = margin(outcome, revenue)
            total = int(diff.size)
            better, worse = int(np.sum(diff > limit)), int(np.sum(diff < -limit))
            if total == 0:
                answer = "not measured"
            elif better >= CLEAR * total:
                answer = "better"
            elif worse >= CLEAR * total:
                answer = "worse"
            elif total - better - worse >= CLEAR * total:
                answer = "same"
            else:
                answer = "unclear"
            row = {
                "challenger": challenger.name,
                "baseline": comparison.baseline.name,
                "outcome": outcome.key,
                "versions": total,
                "versions_better": better,
                "versions_worse": worse,
                "answer": answer,
                "margin": limit,
            }
            for name, values in (("baseline", a), ("challenger", b), ("diff", b - a)):
                finite = values[np.isfinite(values)]
                q = np.quantile(finite, QUANTILES) if finite.size else [math.nan] * 3
                if outcome.unit == "share" and finite.size:  # yes/no per run: the share, no range
                    q = [math.nan, float(finite.mean()), math.nan]
                row.update({f"{name}_p10": q[0], f"{name}_median": q[1], f"{name}_p90": q[2]})
            rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- the money path


def transition_cash(
    base_cash: np.ndarray,
    challenger_cash: np.ndarray,
    base_revenue: np.ndarray,
    switch_day: int,
    transition: Transition,
    money_per_unit: float,
) -> np.ndarray:
    """The challenger's cash path (model units) with a switch on ``switch_day``, laid over paired runs.

    For a model that cannot switch structure within a run: until the switch the firm is the status
    quo; from then on it gains what the challenger gained over the status quo from day 0 of its
    own run, pays the transition cost on the switch day, and loses ``learning_dip`` of its revenue
    on that day, fading linearly to nothing over ``duration_days``. Arrays are runs × days.
    """
    days = base_cash.shape[1]
    s = min(max(int(switch_day), 0), days)
    gained = np.zeros_like(base_cash)
    gained[:, s:] = (challenger_cash - base_cash)[:, : days - s]
    paid = np.zeros(days)
    paid[s:] = transition.total_cost / money_per_unit if money_per_unit > 0 else 0.0
    dip = np.zeros_like(base_cash)
    end = min(days, s + transition.duration_days)
    fading = 1.0 - np.arange(end - s) / max(transition.duration_days, 1)  # as model v2's dip fades
    dip[:, s:end] = transition.learning_dip * fading * base_revenue[:, s:end]
    return base_cash + gained - paid - np.cumsum(dip, axis=1)


def jcurve_frame(differences: dict[str, np.ndarray], draws: np.ndarray) -> pd.DataFrame:
    """Monthly cumulative cash difference challenger − status quo: median, range, share ahead.

    Args:
        differences: per challenger, runs × days of cumulative cash difference (currency).
        draws: the plausible version of each run (for the share of versions ahead).
    """
    rows = []
    for name, diff in differences.items():
        days = diff.shape[1]
        months = int(days // MONTH)
        for month in range(months + 1):
            day = min(days - 1, max(0, round(month * MONTH) - 1))
            values = diff[:, day]
            per_version = pd.Series(values).groupby(draws).mean()
            q = np.quantile(values, QUANTILES)
            rows.append(
                {
                    "challenger": name,
                    "month": month,
                    "day": day,
                    "p10": q[0],
                    "median": q[1],
                    "p90": q[2],
                    "versions_ahead": float((per_version > 0).mean()),
                }
            )
    return pd.DataFrame(rows)


def break_even_month(jcurve: pd.DataFrame, challenger: str) -> float:
    """The month from which the median cumulative difference stays at or above zero.

    0 if it is never below zero; NaN if it ends below zero (no break-even within the horizon).
    """
    part = jcurve[jcurve["challenger"] == challenger].sort_values("month")
    median = part["median"].to_numpy(dtype=float)
    months = part["month"].to_numpy()
    if not median.size or median[-1] < 0:
        return math.nan
    below = np.nonzero(median < 0)[0]
    return 0.0 if not below.size else float(months[below[-1] + 1])


# ---------------------------------------------------------------- what flips the answer


def sensitivity_frame(comparison: Comparison) -> pd.DataFrame:
    """For each challenger, outcome and uncertain parameter: where the answer flips.

    A straight line through the plausible versions' mean differences against the parameter;
    where it crosses zero inside the range the versions span, the answer flips there.
    Columns: challenger, outcome, parameter, label, slope, importance (the change in the
    difference across the middle 80 % of the parameter's values), flips_at, flips_above (the
    challenger is better above the crossing).
    """
    versions = comparison.versions
    draws = comparison.draws
    rows = []
    for challenger in comparison.structures[1:]:
        for outcome_key in ("cash_3y", "latency_mean", "leavers_per_year"):
            outcome = OUTCOME_BY_KEY[outcome_key]
            mine = versions[
                (versions["challenger"] == challenger.name) & (versions["outcome"] == outcome_key)
            ]
            y = _oriented(outcome, mine.set_index("draw")["diff"].astype(float))
            for parameter in comparison.calibration.parameters:
                x = draws.set_index("draw")[parameter.path].reindex(y.index).to_numpy(dtype=float)
                values = y.to_numpy(dtype=float)
                ok = np.isfinite(x) & np.isfinite(values)
                if ok.sum() < 5 or np.ptp(x[ok]) == 0:
                    continue
                slope, intercept = np.polyfit(x[ok], values[ok], 1)
                low, high = np.quantile(x[ok], [0.1, 0.9])
                crossing = -intercept / slope if slope else math.nan
                inside = math.isfinite(crossing) and x[ok].min() <= crossing <= x[ok].max()
                rows.append(
                    {
                        "challenger": challenger.name,
                        "outcome": outcome_key,
                        "parameter": parameter.path,
                        "label": parameter.label,
                        "slope": slope,
                        "importance": abs(slope) * (high - low),
                        "flips_at": crossing if inside else math.nan,
                        "flips_above": bool(slope > 0),
                    }
                )
    return pd.DataFrame(
        rows,
        columns=[
            "challenger",
            "outcome",
            "parameter",
            "label",
            "slope",
            "importance",
            "flips_at",
            "flips_above",
        ],
    )
