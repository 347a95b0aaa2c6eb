"""The classroom demo without a browser: the model behind the page, its pictures, the slide, the CLI."""

from __future__ import annotations

import re
import socket
import string
from pathlib import Path

import numpy as np
import pytest
import yaml
from matplotlib.colors import to_rgb

import leadsim
from leadsim.bundled import bundled_scenarios, resolve_scenario
from leadsim.cli.main import UsageError, main
from leadsim.demo.app import caption_html, firm_numbers, story_html, year_html
from leadsim.demo.classroom import SHOCK_BUTTONS, ClassroomModel
from leadsim.demo.layout import OrgChart, PeopleState, org_layout
from leadsim.demo.slide import slide_figure
from leadsim.demo.svg import engagement_colours, live_charts_svg, org_chart_svg
from leadsim.demo.text import CATALOGUE, EN, number, text
from leadsim.scenario.schema import SHOCK_TYPES

SRC = Path(__file__).resolve().parents[1] / "src" / "leadsim" / "demo"


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
    assert [differ.label(0), differ.label(1)] == ["A: Autocratic", "B: Distributed"]
    assert differ.label(1, "de") == "B: Verteilt"


def test_live_style_change_and_shock_reach_every_firm():
    model = ClassroomModel("owner_away", compare_style="servant")
    model.step()
    model.set_style(0, "distributed")
    model.fire_shock(next(b for b in SHOCK_BUTTONS if b.kind == "key_person_loss"))
    model.step()
    assert model.current_style(0) == "distributed" and model.current_style(1) == "servant"
    assert model.label(0) == "A: Autocratic → Distributed"
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
    org = org_chart_svg(OrgChart(firm), PeopleState.of(firm), model.label(0))
    leaders = sum(p.is_leader for p in firm.people)
    assert org.count("<rect") == leaders + 1  # + the colour bar
    assert org.count("<circle") == len(firm.people) - leaders
    charts = live_charts_svg(model.firms, [model.label(0), model.label(1)], model.style_changes)
    assert "Demand drop" in charts and "→ Servant" in charts
    assert "A: Autocratic → Servant" in charts and "B: Distributed" in charts


def test_the_slide_has_the_story_and_four_charts_without_holes():
    scenario = leadsim.load_scenario(resolve_scenario("owner_away"), {"days": 90})
    result = leadsim.run(scenario)
    fig = slide_figure(result)
    texts = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
    assert "installation company" in texts and "To discuss" in texts
    charts = [ax for ax in fig.axes if ax.lines]
    assert len(charts) == 4
    # decision time: how long decisions took, and how long the pending ones waited, every day
    waited = charts[0].lines[1].get_ydata()
    assert np.isfinite(waited).all()  # lines[0] took, lines[1] waited (then the shock marks)
    german = slide_figure(result, "de")
    assert "Zur Diskussion" in " ".join(t.get_text() for ax in german.axes for t in ax.texts)
    assert "nan" not in " ".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))


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


# Machado, Oliveira & Fernandes (2009): full deuteranopia in linear RGB.
DEUTERANOPIA = np.array(
    [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
)


def _lightness(rgb: np.ndarray) -> np.ndarray:
    """CIE L* of sRGB colours (rows)."""
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    y = linear @ np.array([0.2126, 0.7152, 0.0722])
    return np.where(y > 216 / 24389, 116 * np.cbrt(y) - 16, y * 24389 / 27)


def _deuteranope(rgb: np.ndarray) -> np.ndarray:
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    seen = np.clip(linear @ DEUTERANOPIA.T, 0, 1)
    return np.where(seen <= 0.0031308, 12.92 * seen, 1.055 * seen ** (1 / 2.4) - 0.055)


def test_the_engagement_palette_reads_the_same_for_red_green_colour_blind_students():
    rgb = np.array([to_rgb(c) for c in engagement_colours(np.linspace(0, 1, 11))])
    for seen in (rgb, _deuteranope(rgb)):
        lightness = _lightness(seen)
        # more engaged is lighter, step by step, for everyone: the order survives colour blindness
        assert (np.diff(lightness) > 3).all(), lightness
        assert lightness[-1] - lightness[0] > 50  # and from a washed-out projector
    # the deuteranope sees nearly the same colours: cividis is built for it
    assert np.abs(_deuteranope(rgb) - rgb).max() < 0.12


def test_every_string_has_a_german_twin_with_the_same_placeholders():
    fields = lambda template: {f for _, f, _, _ in string.Formatter().parse(template) if f}  # noqa: E731
    for lang, catalogue in CATALOGUE.items():
        assert catalogue.keys() == EN.keys(), lang
        for key, template in catalogue.items():
            assert fields(template) == fields(EN[key]), (lang, key)
    # every key the page and the slide ask for exists (the dynamic ones are checked below)
    used = set()
    for path in SRC.glob("*.py"):
        used |= set(re.findall(r"""text\(\s*lang,\s*["']([a-z_.]+)["']""", path.read_text()))
    assert used and used <= EN.keys(), used - EN.keys()
    for style in leadsim.STYLE_NAMES:
        assert f"style.{style}" in EN
    for shock in SHOCK_TYPES:
        assert {f"shock.{shock}", f"happened.{shock}", f"ask.{shock}"} <= EN.keys()
    assert text("de", "head.day") == "Tag"
    assert text("en", "shock.meteor_strike") == "meteor strike"  # a shock type the text lacks
    assert number(1234.5, "money", "en") == "1,234" and number(12345.0, "money", "de") == "12k"
    assert number(0.25, ".2f", "de") == "0,25" and number(float("nan")) == "—"


@pytest.fixture
def short_year(tmp_path) -> Path:
    """A 40-day year with a demand drop on day 10 and an owner away on day 25."""
    path = tmp_path / "short.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "name": "short",
                "story": "A 30-person firm.",
                "days": 40,
                "org": {"size": 30},
                "shocks": [
                    {"type": "demand_drop", "day": 10, "duration": 10, "magnitude": 0.3},
                    {"type": "key_person_loss", "who": "owner", "day": 25, "duration": 5, "magnitude": 1.0},
                ],
            }
        )
    )
    return path


def test_play_stops_at_each_scheduled_shock_and_at_the_end_of_the_year(short_year):
    model = ClassroomModel(str(short_year))
    stops = []
    while model.running:
        model.step()
        if model.caption:
            stops.append((model.caption.kind, model.day))
    assert stops == [("shock", 11), ("shock", 26), ("year", 40)]
    caption_kind, card = caption_html(model, model.caption, "en")
    assert caption_kind == "leadsim-yearend" and "The year is over: day 40" in card


def test_a_live_shock_does_not_stop_play(short_year):
    model = ClassroomModel(str(short_year))
    model.step()
    model.fire_shock(SHOCK_BUTTONS[2])
    model.step()
    assert model.caption is None


def test_no_nan_in_any_words_of_the_page_over_an_owner_away_year():
    model = ClassroomModel("owner_away", compare_style="distributed")
    labels = [model.label(0), model.label(1)]
    while model.running:
        model.step()
        words = [firm_numbers(model, which, lang) for which in (0, 1) for lang in CATALOGUE]
        if model.caption:
            words.append(caption_html(model, model.caption, "en")[1])
        if model.day % 20 == 0:  # the pictures are slower to build
            words.append(live_charts_svg(model.firms, labels, model.style_changes))
        assert not re.search(r"\bnan\b", " ".join(words), re.IGNORECASE), model.day
    assert "nan" not in year_html(model, model.day, "en").lower()


def test_a_failed_firm_keeps_its_last_open_day_on_the_org_chart(tmp_path):
    broke = tmp_path / "broke.yaml"
    broke.write_text(
        yaml.safe_dump(
            {
                "name": "broke",
                "days": 120,
                "org": {"size": 20, "span_of_control": 5},
                "economics": {"price_per_unit": 150, "initial_cash_months": 0.5},
            }
        )
    )
    model = ClassroomModel(str(broke))
    while model.running:
        model.step()
    assert model.caption.kind == "failed" and model.closed[0].day == model.day
    people = model.people_shown(0)
    assert people.employed.any()  # not "0 at work, 20 vacant"
    svg = org_chart_svg(OrgChart(model.firms[0]), people, "t", closed_day=model.closed[0].day)
    assert f"Closed on day {model.day}: out of cash" in svg
    _, card = caption_html(model, model.caption, "en")
    assert "run out of cash" in card and "decisions waiting" in card


def test_the_story_follows_the_size_of_the_firm():
    assert "A 80-person installation company" in story_html(ClassroomModel("owner_away", size=80), "en")


@pytest.mark.parametrize("name", [path.stem for path in bundled_scenarios()])
def test_every_bundled_scenario_plays_to_its_end_with_words_for_each_stop(name):
    model = ClassroomModel(name)
    if model.error:  # the scenario library's own tests report it
        pytest.skip(f"the scenario does not load: {model.error}")
    while model.running:
        model.step()
        if model.caption:
            for lang in CATALOGUE:
                words = caption_html(model, model.caption, lang)[1] + firm_numbers(model, 0, lang)
                assert not re.search(r"\bnan\b", words, re.IGNORECASE), (name, model.day)
    assert model.caption.kind in ("year", "failed")


def test_play_stops_when_the_scenarios_change_of_leadership_takes_effect(short_year):
    scenario = leadsim.load_scenario(short_year).model_dump()
    scenario["leadership"]["change"] = {"day": 5, "style": "distributed"}
    short_year.write_text(yaml.safe_dump(scenario))
    model = ClassroomModel(str(short_year))
    while model.caption is None:
        model.step()
    assert (model.caption.kind, model.day) == ("change", 6)
    assert model.label(0) == "Democratic → Distributed"
    _, card = caption_html(model, model.caption, "de")
    assert "Tag 6:" in card and "„Verteilt“" in card
