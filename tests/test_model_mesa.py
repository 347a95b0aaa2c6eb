"""SMBModel is an ordinary Mesa model: agents, steps, a datacollector, batch_run."""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd

import leadsim


def test_model_steps_and_collects():
    model = leadsim.SMBModel(size=30, style="autocratic", rng=3, days=20)
    while model.running:
        model.step()
    frame = model.datacollector.get_model_vars_dataframe()
    assert len(frame) == 20 and model.day == 20
    assert {"latency_mean", "engagement_mean", "output", "backlog"} <= set(frame.columns)
    assert len(model.agents) == 30
    leaders = [a for a in model.agents if a.is_leader]
    assert leaders and all(a.style == "autocratic" for a in leaders)


def test_agents_are_views_onto_the_engine():
    model = leadsim.SMBModel(size=20, rng=1)
    person = model.people[7]
    person.engagement = 0.123
    assert model.engine.engagement[0, 7] == 0.123
    assert person.manager_index == (7 - 1) // model.leadsim_scenario.org.span_of_control


def test_model_matches_the_api_run():
    scenario = leadsim.validate_scenario({"days": 40, "org": {"size": 25}})
    model = leadsim.SMBModel(scenario, rng=8)
    for _ in range(40):
        model.step()
    frame = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    steps = leadsim.run(scenario, seed=8).steps
    np.testing.assert_allclose(frame["output"], steps["output"])
    np.testing.assert_allclose(frame["engagement_mean"], steps["engagement_mean"])


def test_live_style_change_and_shock():
    model = leadsim.SMBModel(size=30, style="autocratic", rng=2)
    for _ in range(5):
        model.step()
    model.set_style("distributed")
    model.fire_shock("key_person_loss", duration=10)
    model.step()
    assert not model.people[0].present
    assert model.people[0].style == "distributed"
    assert model.engine.metrics["active_shocks"][0, model.day - 1] == 1


def test_batch_run_drives_it():
    results = mesa.batch_run(
        leadsim.SMBModel,
        {"size": [15, 30], "style": ["autocratic", "distributed"], "days": 15},
        rng=[1, 2],
        max_steps=15,
        number_processes=1,
        display_progress=False,
    )
    frame = pd.DataFrame(results)
    assert len(frame) == 8
    assert set(frame["style"]) == {"autocratic", "distributed"}
    # How long pending decisions have waited is defined every day, even when none was decided.
    assert frame["backlog_age_mean"].notna().all()
