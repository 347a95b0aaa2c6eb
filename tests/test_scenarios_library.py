"""The bundled scenario library: every file loads, tells its story and runs."""

from __future__ import annotations

import pytest

import leadsim
from leadsim.bundled import bundled_scenarios

PATHS = bundled_scenarios()


def test_the_library_has_at_least_eight_scenarios_besides_the_default():
    assert len([p for p in PATHS if p.stem != "default"]) >= 8


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_each_scenario_loads_tells_a_story_and_runs(path):
    scenario = leadsim.load_scenario(path)
    assert scenario.name == path.stem  # `leadsim run NAME` and the demo's picker use the name
    assert len(scenario.story.split()) >= 25
    assert len(scenario.questions) >= 2 and all("?" in q for q in scenario.questions)
    # a short horizon that still reaches the first scripted shock keeps this fast
    first_shock = min((s.day for s in scenario.shocks), default=0)
    result = leadsim.run(scenario, days=min(scenario.days, first_shock + 20))
    assert len(result.steps) == min(scenario.days, first_shock + 20)
    assert result.steps["decided"].sum() > 0
    assert result.steps["output"].gt(0).all()


def _by_name() -> dict[str, leadsim.Scenario]:
    return {p.stem: leadsim.load_scenario(p) for p in PATHS}


def test_the_library_covers_the_situations_the_trainers_asked_for():
    library = _by_name()

    def shocks(name: str) -> set[tuple[str, str | None]]:
        return {(s.type, s.who) for s in library[name].shocks}

    assert library["founder_bottleneck"].leadership.style == "autocratic"
    assert library["founder_bottleneck"].org.size >= 40
    assert ("demand_drop", None) in shocks("demand_collapse")
    owner = [s for s in library["owner_away"].shocks if s.type == "key_person_loss"]
    assert owner and owner[0].who == "owner" and 15 <= owner[0].duration <= 25
    assert ("hiring_wave", None) in shocks("hiring_wave")
    assert library["power_distance"].org.power_distance >= 0.8
    # the firm that expects hierarchy switches to distributed leadership during the run
    power = library["power_distance"].leadership
    assert power.change is not None and power.change.style == "distributed"
    assert power.change.day < library["power_distance"].days
    assert ("automation_rollout", None) in shocks("automation_rollout")
    assert library["misaligned_departments"].org.alignment <= 0.3
    assert library["expert_team"].leadership.style == "laissez_faire"
    assert library["expert_team"].org.competence.mean >= 0.8
