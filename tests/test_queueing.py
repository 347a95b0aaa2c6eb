"""The decision flow obeys queueing theory: exact accounting, Little's law, overload, ρ → 1.

Decisions have a patience: an overdue one is taken locally by whoever waits on it (it *expires*
from its queue). The accounting counts those as resolved, at the latency they had.
"""

from __future__ import annotations

import numpy as np
import pytest

import leadsim
from leadsim.core import Engine
from leadsim.core.decisions import pending_ages


def finished_engine(data: dict, seeds=(1, 2, 3)) -> Engine:
    engine = Engine(leadsim.validate_scenario(data), list(seeds))
    engine.run()
    return engine


STYLES_AND_SHOCKS = [
    {"leadership": {"style": style}, "org": {"size": 40}, "days": 120, "warmup_days": 30}
    for style in leadsim.STYLE_NAMES
] + [
    {
        "leadership": {"by_level": ["autocratic", "distributed"]},
        "org": {"size": 60},
        "days": 150,
        "warmup_days": 30,
        "shocks": [
            {"type": "key_person_loss", "who": "leader", "day": 30, "duration": 20, "magnitude": 0.5},
            {"type": "key_person_loss", "who": "owner", "day": 60, "duration": 0},
            {"type": "turbulence", "day": 90, "duration": 20, "magnitude": 0.8},
        ],
    },
    {  # an overloaded owner: many decisions expire
        "leadership": {"style": "autocratic"},
        "org": {"size": 120},
        "days": 80,
        "warmup_days": 0,
        "shocks": [{"type": "demand_drop", "day": 20, "duration": 20, "magnitude": 0.5}],
    },
]
IDS = [f"{d['leadership']}-{d['org']['size']}" for d in STYLES_AND_SHOCKS]


@pytest.mark.parametrize("data", STYLES_AND_SHOCKS, ids=IDS)
def test_backlog_changes_by_arrivals_minus_decided_minus_expired(data):
    engine = finished_engine(data)
    m = engine.metrics
    previous = np.concatenate([engine.backlog_at_start[:, None], m["backlog"][:, :-1]], axis=1)
    np.testing.assert_array_equal(m["backlog"] - previous, m["arrivals"] - m["decided"] - m["expired"])


@pytest.mark.parametrize("data", STYLES_AND_SHOCKS, ids=IDS)
def test_littles_law_holds_exactly(data):
    """Sum of end-of-day backlogs = latencies of resolved decisions + days pending of the rest.

    Without a warm-up every decision is raised inside the window, so the identity is exact.
    """
    engine = finished_engine({**data, "warmup_days": 0})
    last_day = engine.clock - 1
    pending_days = np.zeros(engine.runs)
    for counts, head, backlog in (
        (engine.counts, engine.head, engine.backlog),
        (engine.response_counts, engine.response_head, engine.response_backlog),
    ):
        ages, _ = pending_ages(counts, head, backlog, last_day)
        # Pending since day d: in the end-of-day backlog on days d..last_day, i.e. age + 1 days.
        pending_days += (ages + backlog).reshape(engine.runs, -1).sum(axis=1)
    np.testing.assert_allclose(
        engine.metrics["backlog"].sum(axis=1), engine.latency_total + pending_days, rtol=0, atol=1e-6
    )
    m = engine.metrics
    daily = np.nansum(m["latency_mean"] * (m["decided"] + m["expired"]), axis=1)
    np.testing.assert_allclose(daily, engine.latency_total, rtol=1e-9)


def test_overloaded_owner_is_bounded_by_patience_and_the_overflow_is_taken_locally():
    """Arrivals beyond the owner's capacity are taken locally once their patience runs out.

    An overloaded queue does not grow without bound: its backlog holds about capacity × patience,
    latency sits near the patience, and the share taken locally is 1 − capacity / arrivals.
    """
    load = {"org": {"size": 150}, "days": 120, "economics": {"initial_cash_months": 1000}}
    autocratic = finished_engine({**load, "leadership": {"style": "autocratic"}})
    distributed = finished_engine({**load, "leadership": {"style": "distributed"}})
    patience = autocratic.scenario.dynamics.patience_days
    for r in range(autocratic.runs):
        m = autocratic.metrics
        utilisation = np.nanmean(m["top_load"][r])
        assert utilisation > 1.5, "the owner should be overloaded at 150 people"
        taken_locally = m["expired"][r].sum() / (m["decided"][r].sum() + m["expired"][r].sum())
        assert taken_locally == pytest.approx(1 - 1 / utilisation, abs=0.12)
        assert patience - 3 <= autocratic.latency_total[r] / autocratic.decided_total[r] <= patience
        assert np.ptp(m["backlog"][r, 60:]) < 0.3 * m["backlog"][r, 60:].mean()  # bounded, not growing
        d = distributed.metrics
        assert d["expired"][r].sum() < 0.01 * d["arrivals"][r].sum()


def test_latency_blows_up_as_utilisation_approaches_one():
    rates = [0.05, 0.15, 0.22, 0.26]
    latency, utilisation = [], []
    for rate in rates:
        engine = finished_engine(
            {
                "org": {"size": 30},
                "days": 150,
                "warmup_days": 30,
                "leadership": {"style": "autocratic"},
                "market": {"decision_rate": rate},
                "dynamics": {
                    "patience_days": 60,
                    "engagement": {"resource_gain": 0.0, "demand_gain": 0.0, "noise": 0.0},
                },
            },
            seeds=range(8),
        )
        latency.append(engine.latency_total.sum() / engine.decided_total.sum())
        utilisation.append(np.nanmean(engine.metrics["top_load"]))
    assert utilisation == sorted(utilisation) and utilisation[-1] < 1.0
    assert latency == sorted(latency)
    # Convex: the last step in utilisation costs far more latency than the first.
    first = (latency[1] - latency[0]) / (utilisation[1] - utilisation[0])
    last = (latency[3] - latency[2]) / (utilisation[3] - utilisation[2])
    assert last > 3 * first
