"""The classroom page: Mesa's SolaraViz (play, step, reset, settings) plus leadsim's own views.

Start it with ``leadsim demo [SCENARIO]`` (or ``solara run leadsim.demo.app``). SolaraViz gives the
sidebar: play/pause, step, reset, the play and render intervals, and the settings that apply on
reset (starting style, a second style for the side-by-side mode, size, span of control, decision
rate, seed). The main area holds what a class looks at: the scenario's story and questions, the
live style switch and shock buttons, the org chart and the live charts.
"""

from __future__ import annotations

import threading
from html import escape

import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import force_update, update_counter

import leadsim
from leadsim.demo.classroom import (
    DEMO_MAX_SIZE,
    NO_COMPARISON,
    SCENARIO_STYLE,
    SHOCK_BUTTONS,
    ClassroomModel,
    ShockButton,
    initial_choice,
    load_choice,
    scenario_choices,
)
from leadsim.demo.layout import OrgChart, live_series, shock_records
from leadsim.demo.svg import live_charts_svg, org_chart_svg

PLAY_INTERVAL_MS = 20  # the frame itself takes longer; this is only the pause between frames
RENDER_INTERVAL = 1
FRAME_TIMEOUT_S = 3.0  # never hold play longer than this for a frame that may not come
HEADLINE = ("latency_mean", "backlog", "engagement_mean", "output", "cash")
CSS = """
.leadsim-figure svg { max-width: 100%; height: auto; background: white; }
.leadsim-story p { margin-bottom: 4px; }
"""


class FrameGate:
    """Holds play until the page has drawn the frame last asked for.

    SolaraViz's play loop steps in a worker thread and asks for a redraw (``force_update``) after
    each step (or each ``render interval`` steps), but it does not wait for the drawing. Our frames
    take longer than a step, so without this the firm races through the year while the page
    shows a frame now and then. Steps inside one render interval are not held.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._drawn = -1
        self._seen: int | None = None

    def before_step(self) -> None:
        """Called by the model before a step: wait if a frame was asked for since the last step."""
        asked = update_counter.value
        if asked != self._seen:
            with self._condition:
                self._condition.wait_for(lambda: self._drawn >= asked, timeout=FRAME_TIMEOUT_S)
        self._seen = asked

    def drawn(self, frame: int) -> None:
        """Called by the view once it has drawn ``frame`` (the update counter it rendered)."""
        with self._condition:
            self._drawn = max(self._drawn, frame)
            self._condition.notify_all()


def model_params(choice: str) -> dict:
    """SolaraViz settings for a scenario, their starting values taken from the scenario."""
    try:
        scenario = load_choice(choice)
    except leadsim.ScenarioError:
        scenario = leadsim.Scenario()  # the page shows the error; the settings stay usable
    org, market = scenario.org, scenario.market
    return {
        "scenario_name": choice,
        "style": {
            "type": "Select",
            "label": "Style at start",
            "value": SCENARIO_STYLE,
            "values": [SCENARIO_STYLE, *leadsim.STYLE_NAMES],
        },
        "compare_style": {
            "type": "Select",
            "label": "Side by side: second style",
            "value": NO_COMPARISON,
            "values": [NO_COMPARISON, *leadsim.STYLE_NAMES],
        },
        "size": {
            "type": "SliderInt",
            "label": "People",
            "value": org.size,
            "min": 5,
            "max": max(250, min(org.size, DEMO_MAX_SIZE)),
            "step": 1,
        },
        "span_of_control": {
            "type": "SliderInt",
            "label": "Span of control",
            "value": org.span_of_control,
            "min": 2,
            "max": max(20, org.span_of_control),
            "step": 1,
        },
        "decision_rate": {
            "type": "SliderFloat",
            "label": "Decisions per person per day",
            "value": market.decision_rate,
            "min": 0.0,
            "max": max(1.0, market.decision_rate),
            "step": 0.01,
        },
        "seed": {
            "type": "SliderInt",
            "label": "Seed",
            "value": scenario.seed,
            "min": 0,
            "max": max(999, scenario.seed),
            "step": 1,
        },
    }


@solara.component
def ScenarioCard(choice: str, on_choice, model: ClassroomModel) -> None:
    """Pick a scenario; its story and questions; the error if it cannot be used."""
    scenario = model.leadsim_scenario
    with solara.Card("Scenario", classes=["leadsim-scenario"]):
        solara.Select(
            label="Scenario",
            value=choice,
            values=scenario_choices(),
            on_value=on_choice,
        )
        if model.error:
            with solara.Div(classes=["leadsim-error"]):
                solara.Error(f"This scenario cannot be used: {model.error}")
            return
        questions = "".join(f"<li>{escape(q)}</li>" for q in scenario.questions)
        solara.HTML(
            tag="div",
            unsafe_innerHTML=f"<p>{escape(scenario.story.strip())}</p>"
            + (f"<b>To discuss</b><ul>{questions}</ul>" if questions else ""),
            classes=["leadsim-story"],
        )


@solara.component
def LiveControls(model: ClassroomModel) -> None:
    """Switch the style now and fire shocks now, while the class watches."""
    update_counter.get()

    def set_style(firm: int, style: str) -> None:
        model.set_style(firm, style)
        force_update()

    def fire(button: ShockButton) -> None:
        model.fire_shock(button)
        force_update()

    with solara.Card("Live: change the style now, hit the firm with a shock"):
        for firm, label in enumerate(model.labels):
            if len(model.firms) > 1:
                solara.Text(f"Firm {label}")
            solara.ToggleButtonsSingle(
                value=model.current_style(firm),
                values=list(leadsim.STYLE_NAMES),
                on_value=lambda style, firm=firm: set_style(firm, style),
                classes=[f"leadsim-style-{firm}"],
            )
        with solara.Row(classes=["leadsim-shocks"]):
            for button in SHOCK_BUTTONS:
                solara.Button(
                    button.label,
                    on_click=lambda button=button: fire(button),
                    color="error",
                    outlined=True,
                    disabled=not model.running,
                )


@solara.component
def Numbers(model: ClassroomModel) -> None:
    """Today's headline numbers per firm, in words a class can read aloud."""
    update_counter.get()
    scenario = model.leadsim_scenario
    org = scenario.org
    lines = [
        f"{org.size} people, span of control {org.span_of_control}, "
        f"{scenario.market.decision_rate:g} decisions per person per day, seed {model.firms[0].seed}"
    ]
    for label, firm in zip(model.labels, model.firms, strict=True):
        latest = {name: live_series(firm, name) for name in HEADLINE}
        if firm.day == 0:
            lines.append(f"<b>{escape(label)}</b>: press step or play")
            continue
        latest = {name: values[-1] for name, values in latest.items()}
        ended = "" if firm.running or firm.day >= scenario.days else " — <b>out of cash</b>"
        lines.append(
            f"<b>{escape(label)}</b>: latency {latest['latency_mean']:.1f} days · backlog "
            f"{latest['backlog']:.0f} · engagement {latest['engagement_mean']:.2f} · output "
            f"{latest['output']:.0f}/day · cash {latest['cash']:,.0f}{away_note(firm)}{ended}"
        )
    shocks = shock_records(model.firms[0])
    if shocks:
        lines.append(
            "Shocks so far: <span class='leadsim-shock-list'>"
            + ", ".join(f"{s['type'].replace('_', ' ')} (day {s['day']})" for s in shocks)
            + "</span>"
        )
    solara.HTML(
        tag="div",
        unsafe_innerHTML=f"<h3>Day <span class='leadsim-day'>{model.day}</span></h3>" + "<br>".join(lines),
        classes=["leadsim-numbers"],
    )


def away_note(firm: leadsim.SMBModel) -> str:
    """' · owner away' or ' · 3 away' while people are out (a key-person loss), else ''."""
    away = [p for p in firm.people if p.employed and not p.present]
    if not away:
        return ""
    owner = any(p.manager_index < 0 for p in away)
    others = len(away) - owner
    parts = (["owner"] if owner else []) + ([f"{others} others"] if others else [])
    return f" · <span class='leadsim-away'>away: {' and '.join(parts)}</span>"


@solara.component
def LiveView(model: ClassroomModel) -> None:
    """The org chart and the live charts, redrawn after every rendered step."""
    frame = update_counter.get()
    charts = solara.use_memo(lambda: [OrgChart(firm) for firm in model.firms], [model])
    gate = solara.use_memo(FrameGate, [model])
    model.before_step = gate.before_step
    # side by side on a wide screen: org chart | charts, or org chart A | org chart B, then charts
    with solara.ColumnsResponsive(12, large=6):
        for chart, firm, label in zip(charts, model.firms, model.labels, strict=True):
            solara.HTML(
                tag="div",
                unsafe_innerHTML=org_chart_svg(chart, firm, f"{label} — day {firm.day}"),
                classes=["leadsim-figure", "leadsim-orgchart"],
            )
        solara.HTML(
            tag="div",
            unsafe_innerHTML=live_charts_svg(model.firms, model.labels, model.style_changes),
            classes=["leadsim-figure", "leadsim-charts"],
        )
    gate.drawn(frame)


@solara.component
def Classroom(choice: str, on_choice) -> None:
    """One scenario's page: SolaraViz's controls in the sidebar, leadsim's views in the main area."""
    first = solara.use_memo(lambda: ClassroomModel(choice), [])
    model = solara.use_reactive(first)
    params = solara.use_memo(lambda: model_params(choice), [])
    solara.Style(CSS)
    SolaraViz(
        model,
        components=[],
        model_params=params,
        name="leadsim classroom",
        play_interval=PLAY_INTERVAL_MS,
        render_interval=RENDER_INTERVAL,
    )
    with solara.Column(style={"padding": "8px 16px", "width": "100%"}):
        ScenarioCard(choice, on_choice, model.value)
        if model.value.firms:
            LiveControls(model.value)
            Numbers(model.value)
            LiveView(model.value)


@solara.component
def Page() -> None:
    """The app: a new Classroom (and a fresh SolaraViz) whenever another scenario is picked."""
    choice, set_choice = solara.use_state(initial_choice())
    Classroom(choice, set_choice).key(f"classroom-{choice}")
