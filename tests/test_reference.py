"""The vectorised engine against the readable per-agent reference, on small firms, day by day."""

from __future__ import annotations

import numpy as np
import pytest

from leadsim.core import METRICS, STYLES
from leadsim.model import SMBModel
from leadsim.reference import Queue, ReferenceModel, time_per_day

FLOAT_STATE = (
    "competence",
    "engagement",
    "adoption",
    "waiting",
    "alignment",
    "cash",
    "quality_memory",
    "workload",
    "latency_total",
)
EXACT_STATE = (
    "active",
    "hire_day",
    "absent_until",
    "tenure",
    "backlog",
    "failed",
    "failed_day",
    "latency_histogram",
    "decided_total",
)
COUNT_METRICS = (
    "arrivals",
    "decided",
    "backlog",
    "latency_p50",
    "latency_p95",
    "headcount",
    "quits",
    "hires",
    "active_shocks",
)
ROUNDING = {"rtol": 1e-9, "atol": 1e-12}

# Every shock type: the owner and leaders out for a time and for good, the top expert gone,
# a hiring wave, an automation rollout and turbulence among them.
ALL_SHOCKS = [
    {"type": "key_person_loss", "who": "owner", "day": 8, "duration": 12},
    {"type": "key_person_loss", "who": "leader", "day": 15, "duration": 0, "magnitude": 0.4},
    {"type": "key_person_loss", "who": "leader", "day": 25, "duration": 20, "magnitude": 0.5},
    {"type": "key_person_loss", "who": "top_expert", "day": 30, "duration": 0},
    {"type": "turbulence", "day": 35, "duration": 20, "magnitude": 0.8},
    {"type": "hiring_wave", "day": 40, "magnitude": 0.3},
    {"type": "demand_drop", "day": 45, "duration": 15, "magnitude": 0.4},
    {"type": "capacity_disruption", "day": 50, "duration": 10, "magnitude": 0.3},
    {"type": "automation_rollout", "day": 55, "duration": 25, "magnitude": 0.7},
    {"type": "key_person_loss", "who": "owner", "day": 80, "duration": 0},
]


def firm(size: int = 30, span: int = 4, days: int = 90, **fields) -> dict:
    """A small firm's scenario with a short hiring delay, so that hires happen in the run."""
    data = {"days": days, "org": {"size": size, "span_of_control": span, "hire_delay_days": 5}}
    return data | fields


def side_by_side(data: dict, seed: int, shuffle: bool = False) -> tuple[SMBModel, ReferenceModel]:
    """Step the engine and the reference from one seed, checking their state after every day."""
    fast, slow = SMBModel(data, rng=seed), ReferenceModel(data, seed, shuffle=shuffle)
    while fast.engine.day < fast.engine.days:
        fast.step()
        slow.step()
        assert_same_state(fast, slow)
    assert_same_metrics(fast, slow)
    return fast, slow


def assert_same_state(fast: SMBModel, slow: ReferenceModel) -> None:
    a, b = fast.engine, slow.engine
    day = a.day
    assert b.day == day
    for name in FLOAT_STATE:
        np.testing.assert_allclose(
            getattr(b, name), getattr(a, name), **ROUNDING, err_msg=f"{name}, day {day}"
        )
    for name in EXACT_STATE:
        np.testing.assert_array_equal(getattr(b, name), getattr(a, name), err_msg=f"{name}, day {day}")
    # Every queue holds the same decisions raised on the same days, not just as many.
    for q, queue in enumerate(slow.queues):
        days = np.flatnonzero(a.counts[q])
        expected = [[int(d), int(a.counts[q, d])] for d in days]
        assert [list(c) for c in queue.cohorts] == expected, f"{queue.name}, day {day}"


def assert_same_metrics(fast: SMBModel, slow: ReferenceModel) -> None:
    for name in METRICS:
        a, b = fast.engine.metrics[name], slow.engine.metrics[name]
        if name in COUNT_METRICS:
            np.testing.assert_array_equal(b, a, err_msg=name)
        else:
            np.testing.assert_allclose(b, a, **ROUNDING, equal_nan=True, err_msg=name)
    frames = fast.datacollector.get_model_vars_dataframe(), slow.datacollector.get_model_vars_dataframe()
    np.testing.assert_allclose(frames[1].to_numpy(), frames[0].to_numpy(), **ROUNDING, equal_nan=True)


@pytest.mark.parametrize("style", STYLES)
def test_every_style_through_every_shock(style: str) -> None:
    fast, _ = side_by_side(firm(leadership={"style": style}, shocks=ALL_SHOCKS), seed=1)
    assert np.nansum(fast.engine.metrics["hires"]) > 0


def test_a_mix_of_styles_by_level() -> None:
    levels = ["autocratic", "situational", "distributed", "servant"]
    data = firm(size=40, span=3, leadership={"style": "democratic", "by_level": levels}, shocks=ALL_SHOCKS)
    side_by_side(data, seed=5)


@pytest.mark.parametrize("seed", [2, 3])
def test_random_shock_process(seed: int) -> None:
    types = ["demand_drop", "turbulence", "key_person_loss", "capacity_disruption", "automation_rollout"]
    market = {"random_shocks": {"rate_per_year": 12, "types": types}}
    side_by_side(firm(size=25, span=3, market=market, leadership={"style": "situational"}), seed=seed)


def test_overloaded_decider_and_consultation_lag() -> None:
    # The owner's queue grows for weeks: FIFO service reaches far back, past the engine's window.
    data = firm(size=40, span=6, days=80, market={"decision_rate": 0.6}, leadership={"style": "autocratic"})
    fast, _ = side_by_side(data, seed=4)
    assert np.nanmax(fast.engine.metrics["latency_p95"]) > 20
    lagged = firm(size=36, span=5, days=60, market={"decision_rate": 0.5}, leadership={"style": "democratic"})
    side_by_side(lagged, seed=4)


def test_a_firm_that_runs_out_of_cash() -> None:
    shock = {"type": "demand_drop", "day": 5, "duration": 60, "magnitude": 0.9}
    data = firm(size=20, market={"initial_cash_days": 3}, leadership={"style": "autocratic"}, shocks=[shock])
    fast, _ = side_by_side(data, seed=1)
    assert fast.engine.failed[0]


def test_the_order_of_agents_does_not_matter() -> None:
    data = firm(size=30, span=3, days=60, leadership={"style": "situational"}, shocks=ALL_SHOCKS[:6])
    side_by_side(data, seed=7, shuffle=True)


def test_styles_changed_and_shocks_fired_during_the_run() -> None:
    data = firm(size=30, span=3, days=70, leadership={"style": "autocratic"})
    fast, slow = SMBModel(data, rng=9), ReferenceModel(data, 9)
    for day in range(70):
        for model in (fast, slow):  # as the classroom demo's buttons would
            if day == 20:
                model.set_style("democratic", ["servant", "situational"])
                model.fire_shock("key_person_loss", who="leader", duration=15)
            if day == 40:
                model.set_style("distributed")
                model.fire_shock("turbulence", magnitude=0.6, duration=10)
            model.step()
        assert_same_state(fast, slow)
    assert_same_metrics(fast, slow)


def test_the_shock_scenario_exercises_hand_overs_quits_and_absences(monkeypatch) -> None:
    handed = []
    take_over = Queue.take_over

    def spy(self: Queue, other: Queue) -> None:
        handed.append(other.backlog)
        take_over(self, other)

    monkeypatch.setattr(Queue, "take_over", spy)
    model = ReferenceModel(firm(leadership={"style": "democratic"}, shocks=ALL_SHOCKS), 1)
    absent = 0
    while model.running:
        model.step()
        absent += sum(p.employed and not p.present for p in model.people)
    m = model.engine.metrics
    assert sum(handed) > 0 and absent > 0
    assert np.nansum(m["quits"]) + np.nansum(m["hires"]) > 0


def test_queue_serves_oldest_first_and_holds_back_recent_days() -> None:
    queue = Queue("leader 0")
    queue.add(3, 2)
    queue.add(5, 4)
    queue.add(5, 1)
    assert queue.serve(3, newest_day=4) == [(3, 2)]  # day 5 is still being consulted on
    assert queue.serve(3, newest_day=5) == [(5, 3)]
    assert queue.backlog == 2
    other = Queue("leader 1")
    other.add(1, 1)
    other.add(5, 1)
    queue.add(6, 1)
    queue.take_over(other)
    assert [tuple(c) for c in queue.cohorts] == [(1, 1), (5, 3), (6, 1)] and other.backlog == 0


def test_time_per_day_for_the_benchmark() -> None:
    times = time_per_day(60, 3)
    assert times.reference > 0 and times.engine > 0
