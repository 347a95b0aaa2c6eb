"""Shocks act as described: who is lost, what happens to their work, what the figures show."""

from __future__ import annotations

import numpy as np

import leadsim
from leadsim.core import Engine


def engine_with(shocks: list[dict], **fields) -> Engine:
    data = {"days": 60, "org": {"size": 30}, "shocks": shocks} | fields
    engine = Engine(leadsim.validate_scenario(data), [4])
    engine.run()
    return engine


def test_owner_away_stalls_an_autocracy_and_top_load_is_undefined_meanwhile():
    away = [{"type": "key_person_loss", "who": "owner", "day": 20, "duration": 10}]
    engine = engine_with(away, leadership={"style": "autocratic"})
    m = engine.metrics
    assert np.isnan(m["top_load"][0, 20:30]).all() and np.isfinite(m["top_load"][0, :20]).all()
    assert (m["decided"][0, 20:30] == 0).all()  # nobody else may decide
    assert m["backlog"][0, 29] > m["backlog"][0, 19] + 20


def test_a_second_permanent_loss_does_not_delay_the_pending_hire():
    first = {"type": "key_person_loss", "who": "owner", "day": 10, "duration": 0}
    second = {"type": "key_person_loss", "who": "owner", "day": 20, "duration": 0}
    hire_delay = 30
    once = engine_with([first], org={"size": 30, "hire_delay_days": hire_delay})
    twice = engine_with([first, second], org={"size": 30, "hire_delay_days": hire_delay})
    for engine in (once, twice):
        assert engine.metrics["hires"][0, 10 + 1 + hire_delay] >= 1
        assert engine.active[0, 0]


def test_a_leaders_team_is_rerouted_to_the_next_leader_up():
    away = [{"type": "key_person_loss", "who": "leader", "day": 5, "duration": 40, "magnitude": 0.0}]
    engine = Engine(leadsim.validate_scenario({"days": 20, "org": {"size": 30}, "shocks": away}), [1])
    engine.run()
    lost = engine.events[0][0].leader_ranks
    assert len(lost) == 1
    assert engine.acting[0, lost[0]] == engine.leader_manager_rank[lost[0]]
