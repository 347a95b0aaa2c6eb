"""The classroom demo without a browser: the model behind the page, its pictures, the slide, the CLI."""

from __future__ import annotations

import socket

import numpy as np
import pytest

import leadsim
from leadsim.bundled import resolve_scenario
from leadsim.cli.main import UsageError, main
from leadsim.demo.classroom import SHOCK_BUTTONS, ClassroomModel
from leadsim.demo.layout import OrgChart, org_layout
from leadsim.demo.slide import slide_figure
from leadsim.demo.svg import live_charts_svg, org_chart_svg


def test_side_by_side_firms_are_the_same_firm_until_their_styles_differ():
    same = ClassroomModel("default", style="autocratic", compare_style="autocratic", size=60)
    for _ in range(15):
        same.step()
    a, b = (np.asarray(f.datacollector.model_vars["backlog"]) for f in same.firms)
    np.testing.assert_array_equal(a, b)

    differ = ClassroomModel("default", style="autocratic", compare_style="distributed", size=60)
    for _ in range(15):
        differ.step()
    a, b = (np.asarray(f.datacollector.model_vars["backlog"]) for f in differ.firms)
    assert not np.array_equal(a, b)
    assert differ.labels == ["A: autocratic", "B: distributed"]


def test_live_style_change_and_shock_reach_every_firm():
    model = ClassroomModel("owner_away", compare_style="servant")
    model.step()
    model.set_style(0, "distributed")
    model.fire_shock(next(b for b in SHOCK_BUTTONS if b.kind == "key_person_loss"))
    model.step()
    assert model.current_style(0) == "distributed" and model.current_style(1) == "servant"
    assert model.labels[0] == "A: autocratic → distributed"
    for firm in model.firms:
        owner = firm.people[0]
        assert owner.manager_index == -1 and not owner.present


@pytest.mark.parametrize(
    ("choice", "kwargs", "expected"),
    [
        ("no_such_scenario", {}, "no such scenario"),
        ("default", {"span_of_control": 1}, "org.span_of_control"),
        ("default", {"size": 10**6}, "too many people to draw"),
    ],
)
def test_a_bad_scenario_is_an_error_message_not_an_exception(choice, kwargs, expected, capsys):
    model = ClassroomModel(choice, **kwargs)
    assert expected in model.error
    assert not model.running and model.firms == []
    model.step()  # SolaraViz may still press step: nothing happens
    assert "leadsim demo: error:" in capsys.readouterr().err


def test_org_layout_puts_everyone_in_a_distinct_place_below_their_manager():
    model = leadsim.SMBModel(size=250, span_of_control=7)
    people = model.people
    managers = [p.manager_index for p in people]
    pos = org_layout(managers, [p.is_leader for p in people], [p.level for p in people])
    assert len(np.unique(np.round(pos, 6), axis=0)) == len(people)
    below = [pos[i, 1] < pos[m, 1] for i, m in enumerate(managers) if m >= 0]
    assert all(below)
    assert np.ptp(pos[:, 0]) < 40  # teams are stacked: about 30 columns, not 200


def test_the_pictures_show_people_shocks_and_style_changes():
    model = ClassroomModel("owner_away", compare_style="distributed")
    for _ in range(5):
        model.step()
    model.set_style(0, "servant")
    model.fire_shock(SHOCK_BUTTONS[0])
    model.step()
    firm = model.firms[0]
    org = org_chart_svg(OrgChart(firm), firm, model.labels[0])
    leaders = sum(p.is_leader for p in firm.people)
    assert org.count("<rect") == leaders + 1  # + the colour bar
    assert org.count("<circle") == len(firm.people) - leaders
    charts = live_charts_svg(model.firms, model.labels, model.style_changes)
    assert charts.count("<polyline") == 6 * 2 + 1  # two firms in six panels, plus demand
    assert "demand drop" in charts and "→ servant" in charts


def test_the_slide_has_the_story_and_four_charts():
    scenario = leadsim.load_scenario(resolve_scenario("owner_away"), {"days": 90})
    fig = slide_figure(leadsim.run(scenario))
    texts = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
    assert "installation company" in texts and "To discuss" in texts
    assert sum(bool(ax.lines) for ax in fig.axes) == 4


def test_run_report_writes_the_slide(tmp_path):
    out = tmp_path / "out"
    assert main(["run", "owner_away", "--days", "80", "--out", str(out), "--quiet", "--report"]) == 0
    assert (out / "slide.png").stat().st_size > 10_000


def test_demo_refuses_a_port_in_use():
    from leadsim.cli.demo import free_port

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(UsageError, match="cannot listen"):
            free_port("127.0.0.1", busy.getsockname()[1])
