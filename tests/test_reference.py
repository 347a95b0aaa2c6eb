"""The vectorised engine against the readable per-agent reference, on small firms, day by day.

Both models build the same engine from the same seed, and that engine runs the warm-up
(``warmup_days``) in its constructor, so the two firms are identical on day 0. The reference then
copies the pending decisions out of the engine's ring of days into its own ``Queue`` objects, and
from day 0 each model runs every reported day by its own rules: the engine's arrays against the
reference's agents and queues. After every day the person arrays, the firm's state (market, money,
shocks' responses) and every queue's cohorts are compared; at the end, every metric the engine
reports and the Mesa datacollectors' frames.
"""

from __future__ import annotations

import numpy as np
import pytest

from leadsim.core import METRICS, STYLES
from leadsim.model import SMBModel
from leadsim.reference import Queue, ReferenceDay, ReferenceModel, ring_cohorts, time_per_day

FLOAT_STATE = (
    "competence",
    "engagement",
    "knowledge",
    "adoption",
    "waiting",
    "alignment",
    "cash",
    "daily_costs",
    "quality_memory",
    "knowledge_reference",
    "knowledge_available",
    "workload",
    "utilisation",
    "usual_pile",
    "latency_total",
)
EXACT_STATE = (
    "clock",
    "active",
    "hire_day",
    "absent_until",
    "tenure",
    "backlog",
    "response_backlog",
    "failed",
    "failed_day",
    "change_day",
    "style",
    "latency_histogram",
    "decided_total",
)
MARKET = ("potential", "customers", "order_book", "perceived_delay", "perceived_quality")
COUNT_METRICS = (
    "arrivals",
    "decided",
    "expired",
    "backlog",
    "backlog_age_max",
    "latency_p50",
    "latency_p95",
    "headcount",
    "quits",
    "hires",
    "active_shocks",
)
ROUNDING = {"rtol": 1e-9, "atol": 1e-12}
WARMUP = 20

# Every shock type: the owner and leaders out for a time and for good, the top expert gone,
# a hiring wave, an automation rollout and turbulence among them.
ALL_SHOCKS = [
    {"type": "key_person_loss", "who": "owner", "day": 3, "duration": 6},
    {"type": "key_person_loss", "who": "leader", "day": 8, "duration": 0, "magnitude": 0.4},
    {"type": "key_person_loss", "who": "leader", "day": 12, "duration": 10, "magnitude": 0.5},
    {"type": "key_person_loss", "who": "top_expert", "day": 15, "duration": 0},
    {"type": "turbulence", "day": 18, "duration": 10, "magnitude": 0.8},
    {"type": "hiring_wave", "day": 20, "magnitude": 0.3},
    {"type": "demand_drop", "day": 24, "duration": 10, "magnitude": 0.4},
    {"type": "capacity_disruption", "day": 28, "duration": 8, "magnitude": 0.3},
    {"type": "automation_rollout", "day": 30, "duration": 15, "magnitude": 0.7},
    {"type": "key_person_loss", "who": "owner", "day": 45, "duration": 0},
]


def firm(size: int = 24, span: int = 4, days: int = 60, **fields) -> dict:
    """A small firm's scenario: a short warm-up, restless people and a short hiring delay.

    So that people quit and are replaced within a short run.
    """
    data = {
        "days": days,
        "warmup_days": WARMUP,
        "org": {"size": size, "span_of_control": span, "hire_delay_days": 5},
        "dynamics": {"quit_rate_per_year": 0.8},
    }
    return data | fields


def side_by_side(data: dict, seed: int, shuffle: bool = False) -> tuple[SMBModel, ReferenceModel]:
    """Step the engine and the reference from one seed, checking their state after every day."""
    fast, slow = SMBModel(data, rng=seed), ReferenceModel(data, seed, shuffle=shuffle)
    assert_same_state(fast, slow)  # day 0: the same warm-up, the queues copied from the ring
    while fast.engine.day < fast.engine.days:  # past a failure too: a closed firm has its rules
        fast.step()
        slow.step()
        assert_same_state(fast, slow)
        assert slow.running == fast.running
    assert_same_metrics(fast, slow)
    return fast, slow


def assert_same_state(fast: SMBModel, slow: ReferenceModel) -> None:
    a, b = fast.engine, slow.engine
    day = a.day
    for name in FLOAT_STATE:
        if getattr(a, name, None) is None:  # not there before the first day without a warm-up
            assert getattr(b, name, None) is None, name
            continue
        mine, theirs = getattr(b, name), getattr(a, name)
        np.testing.assert_allclose(mine, theirs, **ROUNDING, err_msg=f"{name}, day {day}")
    for name in ("ceiling", "disposition", "rapport"):
        mine, theirs = getattr(b.traits, name), getattr(a.traits, name)
        np.testing.assert_array_equal(mine, theirs, err_msg=f"{name}, day {day}")
    for name, theirs in a.traits.sensitivity.items():
        np.testing.assert_array_equal(
            b.traits.sensitivity[name], theirs, err_msg=f"sensitivity {name}, day {day}"
        )
    for name in MARKET if a.market is not None else ():
        np.testing.assert_allclose(
            getattr(b.market, name), getattr(a.market, name), **ROUNDING, err_msg=f"market {name}, day {day}"
        )
    for name in EXACT_STATE:
        np.testing.assert_array_equal(getattr(b, name), getattr(a, name), err_msg=f"{name}, day {day}")
    for mine, theirs in zip(b.events[0], a.events[0], strict=True):  # the shocks' responses
        assert (mine.responses_raised, mine.responses_resolved) == (
            theirs.responses_raised,
            theirs.responses_resolved,
        ), f"{mine.type} responses, day {day}"
        assert mine.response_quality == pytest.approx(theirs.response_quality, rel=1e-9, abs=1e-12)
    # Every queue holds the same decisions raised on the same days, not just as many.
    for queues, counts, head in (
        (slow.queues, a.counts, a.head),
        (slow.response_queues, a.response_counts, a.response_head),
    ):
        for q, queue in enumerate(queues):
            expected = ring_cohorts(counts[q], head[q], a.clock)
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
    m = fast.engine.metrics
    assert np.nansum(m["quits"]) > 0 and np.nansum(m["hires"]) > 0 and np.nansum(m["decided"]) > 0
    assert all(e.responses_raised > 0 for e in fast.engine.events[0])


def test_a_mix_of_styles_by_level() -> None:
    levels = ["autocratic", "situational", "distributed", "servant"]
    data = firm(size=30, span=3, leadership={"style": "democratic", "by_level": levels}, shocks=ALL_SHOCKS)
    side_by_side(data, seed=5)


@pytest.mark.parametrize("seed", [2, 3])
def test_random_shock_process(seed: int) -> None:
    types = ["demand_drop", "turbulence", "key_person_loss", "capacity_disruption", "automation_rollout"]
    market = {"random_shocks": {"rate_per_year": 15, "types": types}}
    data = firm(size=20, span=3, market=market, leadership={"style": "situational"})
    fast, _ = side_by_side(data, seed=seed)
    assert any(e.random for e in fast.engine.events[0])


def test_overloaded_decider_patience_and_consultation_lag() -> None:
    # The owner's queue grows for weeks: decisions wait out their patience and are taken locally.
    data = firm(size=30, span=6, market={"decision_rate": 0.8}, leadership={"style": "autocratic"})
    fast, _ = side_by_side(data, seed=4)
    assert np.nansum(fast.engine.metrics["expired"]) > 0
    assert np.nanmax(fast.engine.metrics["latency_p95"]) >= fast.leadsim_scenario.dynamics.patience_days
    lagged = firm(size=24, span=5, days=40, market={"decision_rate": 0.5}, leadership={"style": "democratic"})
    fast, _ = side_by_side(lagged, seed=4)
    assert np.nanmin(fast.engine.metrics["latency_p50"]) >= 2  # democratic leaders consult for 2 days


def test_a_firm_that_runs_out_of_cash_after_a_hiring_freeze(monkeypatch) -> None:
    shocks = [
        {"type": "demand_drop", "day": 2, "duration": 55, "magnitude": 0.9},
        {"type": "hiring_wave", "day": 10, "magnitude": 0.2},  # new posts: never frozen
    ]
    economics = {"initial_cash_months": 1.5, "hiring_freeze_months": 1.2}
    data = firm(size=20, economics=economics, leadership={"style": "autocratic"}, shocks=shocks)
    hired = []  # the slots the reference fills
    fill_vacancies = ReferenceDay.fill_vacancies

    def spy(self: ReferenceDay) -> int:
        before = self.active.copy()
        count = fill_vacancies(self)
        hired.extend(np.flatnonzero(self.active & ~before).tolist())
        return count

    monkeypatch.setattr(ReferenceDay, "fill_vacancies", spy)
    fast, _ = side_by_side(data, seed=1)
    m = fast.engine.metrics
    assert fast.engine.failed[0] and fast.engine.failed_day[0] > 20
    assert np.nansum(m["quits"]) > 0 and np.nansum(m["hires"]) == len(hired) >= 4
    assert (fast.engine.hierarchy.join_day[hired] > 0).all()  # only the wave's posts are (re)filled
    assert np.isnan(m["engagement_mean"][0, -1]) and m["headcount"][0, -1] == 0


def test_a_large_hiring_wave_draws_traits_from_the_firm_as_it_stood_that_morning(monkeypatch) -> None:
    # Half the slots are hired on one day; many hires' donors are slots hired that same day, which
    # give the traits they had before anyone was hired (as the engine's vectorised copy reads them).
    chains = []
    fill_vacancies = ReferenceDay.fill_vacancies

    def spy(self: ReferenceDay) -> int:
        before = self.active.copy()
        count = fill_vacancies(self)
        slots = np.flatnonzero(self.active & ~before)
        donors = np.minimum((self.u["quit"][slots] * len(self.people)).astype(int), len(self.people) - 1)
        chains.append(int(np.isin(donors, slots).sum()))
        return count

    monkeypatch.setattr(ReferenceDay, "fill_vacancies", spy)
    shocks = [{"type": "hiring_wave", "day": 5, "magnitude": 1.0}]
    data = firm(size=20, days=25, leadership={"style": "democratic"}, shocks=shocks)
    fast, _ = side_by_side(data, seed=3)
    assert fast.engine.metrics["hires"][0, 5] == 20 and max(chains) > 0


def test_all_leaders_away_then_nobody_at_the_top() -> None:
    # Every leader away: the owner acts for all, two levels up for the deepest; then the owner is
    # away too and leaders' queues wait with nobody to decide them.
    shocks = [
        {"type": "key_person_loss", "who": "leader", "day": 5, "duration": 15, "magnitude": 1.0},
        {"type": "key_person_loss", "who": "owner", "day": 10, "duration": 6},
    ]
    data = firm(size=30, span=3, days=30, leadership={"style": "servant"}, shocks=shocks)
    fast, _ = side_by_side(data, seed=2)
    top_load = fast.engine.metrics["top_load"][0]
    assert np.isnan(top_load[10:16]).all() and not np.isnan(top_load[:10]).any()


def test_the_order_of_agents_does_not_matter() -> None:
    data = firm(size=24, span=3, days=40, leadership={"style": "situational"}, shocks=ALL_SHOCKS[:6])
    side_by_side(data, seed=7, shuffle=True)


def test_a_change_of_structure_with_its_cost_and_learning_dip() -> None:
    change = {"day": 10, "style": "distributed", "by_level": ["servant", "distributed"], "cost": 20000.0}
    data = firm(days=40, leadership={"style": "autocratic", "change": change}, shocks=ALL_SHOCKS[:4])
    fast, _ = side_by_side(data, seed=6)
    assert fast.engine.change_day == 10


def test_without_a_warm_up_the_market_opens_on_day_0() -> None:
    data = firm(days=30, leadership={"style": "servant"}, shocks=ALL_SHOCKS[:3]) | {"warmup_days": 0}
    side_by_side(data, seed=8)


def test_styles_changed_and_shocks_fired_during_the_run() -> None:
    data = firm(size=24, span=3, days=50, leadership={"style": "autocratic"})
    fast, slow = SMBModel(data, rng=9), ReferenceModel(data, 9)
    for day in range(50):
        for model in (fast, slow):  # as the classroom demo's buttons would
            if day == 15:
                model.set_style("democratic", ["servant", "situational"])
                model.fire_shock("key_person_loss", who="leader", duration=10)
            if day == 30:
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
    assert np.nansum(m["quits"]) > 0 and np.nansum(m["hires"]) > 0


def test_queue_serves_oldest_first_holds_back_recent_days_and_expires() -> None:
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
    assert queue.ages(7) == (6 + 3 * 2 + 1, 6)
    assert queue.expire(oldest_kept=6) == [(1, 1), (5, 3)]
    assert [tuple(c) for c in queue.cohorts] == [(6, 1)]


def test_queues_start_from_the_engines_ring_after_the_warm_up() -> None:
    model = ReferenceModel(firm(market={"decision_rate": 0.6}, leadership={"style": "democratic"}), 3)
    engine = model.engine
    assert engine.clock == WARMUP and engine.day == 0
    assert [q.backlog for q in model.queues] == engine.backlog.tolist()
    assert sum(q.backlog for q in model.queues) > 0
    ring = np.zeros(engine.ring, dtype=np.int32)
    ring[(WARMUP - 2) % engine.ring], ring[(WARMUP - 1) % engine.ring] = 4, 2
    assert ring_cohorts(ring, WARMUP - 3, WARMUP) == [[WARMUP - 2, 4], [WARMUP - 1, 2]]


def test_time_per_day_for_the_benchmark() -> None:
    times = time_per_day(60, 3, scenario={"warmup_days": 10})
    assert times.reference > 0 and times.engine > 0
