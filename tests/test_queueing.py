"""The decision flow obeys queueing theory: exact accounting, Little's law, overload, ρ → 1."""

from __future__ import annotations

import numpy as np
import pytest

import leadsim
from leadsim.core import Engine


def finished_engine(data: dict, seeds=(1, 2, 3)) -> Engine:
    engine = Engine(leadsim.validate_scenario(data), list(seeds))
    engine.run()
    return engine


STYLES_AND_SHOCKS = [
    {"leadership": {"style": style}, "org": {"size": 40}, "days": 120} for style in leadsim.STYLE_NAMES
] + [
    {
        "leadership": {"by_level": ["autocratic", "distributed"]},
        "org": {"size": 60},
        "days": 150,
        "shocks": [
            {
                "type": "key_person_loss",
                "who": "leader",
                "day": 30,
                "duration": 20,
                "magnitude": 0.5,
            },
            {"type": "key_person_loss", "who": "owner", "day": 60, "duration": 0},
            {"type": "turbulence", "day": 90, "duration": 20, "magnitude": 0.8},
        ],
    }
]


@pytest.mark.parametrize("data", STYLES_AND_SHOCKS, ids=lambda d: str(d["leadership"]))
def test_backlog_changes_by_arrivals_minus_decided(data):
    engine = finished_engine(data)
    m = engine.metrics
    backlog = m["backlog"]
    change = np.diff(backlog, axis=1, prepend=0)
    np.testing.assert_array_equal(change, m["arrivals"] - m["decided"])


@pytest.mark.parametrize("data", STYLES_AND_SHOCKS, ids=lambda d: str(d["leadership"]))
def test_littles_law_holds_exactly(data):
    """Sum of end-of-day backlogs = sum of latencies of decided + ages of those still pending."""
    engine = finished_engine(data)
    days = engine.days
    queues = engine.hierarchy.queues
    latency_sum = engine.latency_total
    pending = engine.counts[:, : days + 1].reshape(engine.runs, queues, days + 1).sum(axis=1)
    pending_age = (pending * (days - np.arange(days + 1))).sum(axis=1)
    np.testing.assert_array_equal(engine.metrics["backlog"].sum(axis=1), latency_sum + pending_age)
    # The per-day means agree with the totals too.
    m = engine.metrics
    daily = np.nansum(m["latency_mean"] * m["decided"], axis=1)
    np.testing.assert_allclose(daily, latency_sum, rtol=1e-9)


def test_overloaded_owner_backlog_grows_at_arrivals_minus_capacity_and_distributed_stays_stable():
    # Deep pockets: the firm must not fail, so the queue alone is measured.
    load = {"org": {"size": 150}, "days": 200, "market": {"initial_cash_days": 1e6}}
    autocratic = finished_engine({**load, "leadership": {"style": "autocratic"}})
    distributed = finished_engine({**load, "leadership": {"style": "distributed"}})
    second_half = slice(100, 200)
    days = np.arange(100, 200)
    for r in range(autocratic.runs):
        m = autocratic.metrics
        slope = np.polyfit(days, m["backlog"][r, second_half], 1)[0]
        arrivals = m["arrivals"][r, second_half].mean()
        utilisation = m["top_load"][r, second_half].mean()
        assert utilisation > 1.5, "the owner should be overloaded at 150 people"
        expected = arrivals * (1 - 1 / utilisation)  # arrivals − owner's capacity
        assert slope == pytest.approx(expected, rel=0.15)
        d = distributed.metrics
        assert np.polyfit(days, d["backlog"][r, second_half], 1)[0] < 0.05 * slope
        assert d["backlog"][r, -1] < 0.05 * m["backlog"][r, -1]


def test_latency_blows_up_as_utilisation_approaches_one():
    rates = [0.05, 0.15, 0.22, 0.26]
    latency, utilisation = [], []
    for rate in rates:
        engine = finished_engine(
            {
                "org": {"size": 30},
                "days": 150,
                "leadership": {"style": "autocratic"},
                "market": {"decision_rate": rate},
                "dynamics": {"engagement": {"resource_gain": 0.0, "demand_gain": 0.0, "noise": 0.0}},
            },
            seeds=range(8),
        )
        latency.append(engine.latency_total.sum() / engine.decided_total.sum())
        utilisation.append(np.mean(engine.metrics["top_load"]))
    assert utilisation == sorted(utilisation) and utilisation[-1] < 1.0
    assert latency == sorted(latency)
    # Convex: the last step in utilisation costs far more latency than the first.
    first = (latency[1] - latency[0]) / (utilisation[1] - utilisation[0])
    last = (latency[3] - latency[2]) / (utilisation[3] - utilisation[2])
    assert last > 3 * first
