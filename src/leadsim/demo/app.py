"""The classroom page, made for a projector: controls on the left, the firm on the right.

Start it with ``leadsim demo [SCENARIO]`` (or ``solara run leadsim.demo.app``). The page fills
the window without scrolling: on top the day and the headline numbers with play, step and the
presenter switch; below them the org chart next to the decision-time and engagement charts. The
left column holds what a trainer changes: the speed, the style now, shocks now, the settings that
apply on Reset, the scenario's story and the language.

Mesa's SolaraViz sidebar is not used: its play loop cannot pause at a shock, its settings say
"Render Interval" and "Use Threads", and as a drawer it covers half the page at 150 % zoom. The
model is still a Mesa model; play steps it in a worker thread the way SolaraViz does.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from html import escape

import ipyvuetify
import numpy as np
import solara
import traitlets
from mesa.visualization.utils import force_update, update_counter

import leadsim
from leadsim.demo.classroom import (
    DEMO_MAX_SIZE,
    NO_COMPARISON,
    SCENARIO_STYLE,
    SHOCK_BUTTONS,
    Caption,
    ClassroomModel,
    initial_choice,
    load_choice,
    scenario_choices,
)
from leadsim.demo.layout import OrgChart, last_finite, live_series, shock_records
from leadsim.demo.svg import live_charts_svg, org_chart_svg
from leadsim.demo.text import DEFAULT_LANGUAGE, LANGUAGES, number, style_name, text

SPEEDS = {"slow": 0.6, "normal": 0.15, "fast": 0.0}  # seconds between days while playing
FRAME_TIMEOUT_S = 3.0  # never hold play longer than this for a frame that may not come
CSS = """
.leadsim-page { position: fixed; inset: 0; display: grid; background: white; z-index: 1;
  grid-template-columns: clamp(230px, 22vw, 340px) minmax(0, 1fr); }
.leadsim-page.leadsim-presenter-on { grid-template-columns: minmax(0, 1fr); }
.leadsim-page.leadsim-presenter-on .leadsim-controls { display: none; }
.leadsim-controls { overflow-y: auto; padding: 8px 10px; border-right: 1px solid #ddd; }
.leadsim-controls .v-card { margin-bottom: 8px; }
.leadsim-controls .v-card__title { font-size: 17px; padding: 8px 12px 2px; }
.leadsim-controls .v-btn-toggle { flex-wrap: wrap; }
.leadsim-controls .v-btn { text-transform: none; letter-spacing: normal; }
.leadsim-main { display: grid; grid-template-rows: auto auto minmax(0, 1fr); min-width: 0;
  min-height: 0; padding: 6px 12px 8px; gap: 4px; }
.leadsim-head { display: flex; align-items: flex-start; gap: 8px; }
.leadsim-buttons { display: flex; flex-wrap: wrap; gap: 4px; margin-bottom: 6px; }
.leadsim-buttons .v-btn, .leadsim-controls .v-btn { text-transform: none; letter-spacing: normal; }
.leadsim-main .leadsim-buttons .v-btn { font-size: 16px; }
.leadsim-numbers { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 16px;
  font-size: clamp(14px, 1.15vw, 22px);
  flex: 1 1 auto; min-width: 0; }
.leadsim-firm-row { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 16px; }
.leadsim-page:not(.leadsim-two) .leadsim-firm-row { display: contents; }  /* one firm: one flowing line */
.leadsim-num { font-size: clamp(22px, 1.95vw, 40px); font-weight: bold; }  /* 25 px at 1280 */
.leadsim-shocks-so-far { flex-basis: 100%; font-size: 16px; }
.leadsim-presenter-on .leadsim-num { font-size: clamp(30px, 3.5vw, 64px); }
.leadsim-presenter-on .leadsim-numbers { font-size: clamp(18px, 1.9vw, 34px); }
.leadsim-label { color: #444; }
.leadsim-views { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 12px;
  min-height: 0; }
.leadsim-orgcharts { display: grid; grid-auto-rows: minmax(0, 1fr); gap: 6px; min-height: 0; }
.leadsim-two .leadsim-views { grid-template-columns: minmax(0, 2fr) minmax(0, 1.2fr); }
.leadsim-two .leadsim-orgcharts { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
.leadsim-two .leadsim-num { font-size: 22px; }
.leadsim-two .leadsim-numbers { font-size: 14px; }
.leadsim-figure { min-height: 0; min-width: 0; height: 100%; }
.leadsim-figure svg { width: 100%; height: 100%; display: block; background: white; }
.leadsim-card { border-radius: 6px; padding: 6px 14px; font-size: 20px; }
.leadsim-card b.leadsim-card-title { font-size: 22px; }
.leadsim-caption { background: #fff4d6; border-left: 6px solid #d55e00; }
.leadsim-failed { background: #fde2d6; border-left: 6px solid #b03000; }
.leadsim-yearend { background: #e3effa; border-left: 6px solid #0072b2; }
.leadsim-yearend table td { padding: 0 14px 0 0; }
.leadsim-ask { font-style: italic; }
.leadsim-story { font-size: 15px; }
.leadsim-story p { margin-bottom: 4px; }
.leadsim-pending { color: #b03000; font-weight: bold; }
.leadsim-setup .v-input__slider .v-input__slot { flex-wrap: wrap; }
.leadsim-setup .v-input__slider .v-label { flex-basis: 100%; white-space: normal; height: auto; }
.leadsim-note { color: #555; font-size: 14px; }
@media (max-height: 560px) {  /* a zoomed-in or small window: the pictures keep most of the height */
  .leadsim-num, .leadsim-presenter-on .leadsim-num { font-size: 21px; }
  .leadsim-numbers, .leadsim-presenter-on .leadsim-numbers, .leadsim-shocks-so-far { font-size: 14px; }
  .leadsim-card { font-size: 15px; padding: 3px 10px; }
  .leadsim-card b.leadsim-card-title { font-size: 16px; }
}
"""


class FrameGate:
    """Holds play until the page has drawn the frame last asked for.

    The play loop steps in a worker thread and asks for a redraw (``force_update``) after each
    step, but it does not wait for the drawing. Our frames take longer than a step on a busy
    machine, so without this the firm races through the year while the page shows a frame now
    and then.
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


class KeyPress(ipyvuetify.VuetifyTemplate):
    """Tells the server which shortcut key was pressed anywhere on the page (outside text fields).

    ``pressed`` becomes ``"<key>|<time>"``, so pressing the same key twice is two changes.
    """

    pressed = traitlets.Unicode("").tag(sync=True)
    template = traitlets.Unicode(
        """<template><span style="display: none"></span></template>
<script>
module.exports = {
  mounted() {
    this.listener = (event) => {
      const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(event.target.tagName);
      if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && KEYS.includes(event.key)) {
        this.pressed = event.key + "|" + Date.now();
      }
    };
    document.addEventListener("keydown", this.listener);
  },
  destroyed() {
    document.removeEventListener("keydown", this.listener);
  },
};
</script>""".replace("KEYS", '["p", "P", "n", "N"]')
    ).tag(sync=True)


def initial_settings(choice: str) -> tuple[dict, dict]:
    """The settings that apply on Reset, from the scenario, and each slider's (min, max, step)."""
    try:
        scenario = load_choice(choice)
    except leadsim.ScenarioError:
        scenario = leadsim.Scenario()  # the page shows the error; the settings stay usable
    org, market = scenario.org, scenario.market
    values = {
        "style": SCENARIO_STYLE,
        "compare_style": NO_COMPARISON,
        "size": org.size,
        "span_of_control": org.span_of_control,
        "decision_rate": market.decision_rate,
        "seed": scenario.seed,
    }
    limits = {
        "size": (5, max(250, min(org.size, DEMO_MAX_SIZE)), 1),
        "span_of_control": (2, max(20, org.span_of_control), 1),
        "decision_rate": (0.0, max(1.0, market.decision_rate), 0.01),
        "seed": (0, max(999, scenario.seed), 1),
    }
    return values, limits


def story_html(model: ClassroomModel, lang: str) -> str:
    """The scenario's story and questions, the firm's size as it is now (not as first written)."""
    scenario = model.leadsim_scenario
    story = re.sub(r"\b\d+-person\b", f"{scenario.org.size}-person", " ".join(scenario.story.split()))
    questions = "".join(f"<li>{escape(q)}</li>" for q in scenario.questions)
    return f"<p>{escape(story)}</p>" + (
        f"<b>{escape(text(lang, 'story.discuss'))}</b><ul>{questions}</ul>" if questions else ""
    )


def _select(
    label: str,
    value: str,
    codes: list[str],
    names: list[str],
    on_code: Callable[[str], None],
    classes: list[str],
) -> None:
    """A select showing human names for code values."""
    by_name = dict(zip(names, codes, strict=True))
    solara.Select(
        label=label,
        value=names[codes.index(value)] if value in codes else names[0],
        values=names,
        on_value=lambda name: on_code(by_name[name]),
        classes=classes,
    )


@solara.component
def SetupCard(
    choice: str,
    on_choice: Callable[[str], None],
    settings: solara.Reactive[dict],
    limits: dict,
    pending: bool,
    lang: str,
) -> None:
    """The scenario and the settings that apply on Reset, with a note saying so."""
    values = settings.value

    def change(name: str, value: object) -> None:
        settings.value = {**settings.value, name: value}

    with solara.Card(text(lang, "reset.title"), classes=["leadsim-setup"]):
        choices = scenario_choices()
        _select(
            text(lang, "reset.scenario"),
            choice,
            choices,
            [c.replace("_", " ") for c in choices],
            on_choice,
            ["leadsim-scenario"],
        )
        if pending:
            solara.HTML(
                tag="div", unsafe_innerHTML=escape(text(lang, "reset.pending")), classes=["leadsim-pending"]
            )
        else:
            solara.HTML(
                tag="div", unsafe_innerHTML=escape(text(lang, "reset.note")), classes=["leadsim-note"]
            )
        styles = list(leadsim.STYLE_NAMES)
        _select(
            text(lang, "reset.style"),
            values["style"],
            [SCENARIO_STYLE, *styles],
            [text(lang, "choice.as_in_scenario"), *(style_name(lang, s) for s in styles)],
            lambda code: change("style", code),
            ["leadsim-start-style"],
        )
        _select(
            text(lang, "reset.compare"),
            values["compare_style"],
            [NO_COMPARISON, *styles],
            [text(lang, "choice.none"), *(style_name(lang, s) for s in styles)],
            lambda code: change("compare_style", code),
            ["leadsim-compare-style"],
        )
        for name, key in (
            ("size", "reset.size"),
            ("span_of_control", "reset.span"),
            ("decision_rate", "reset.rate"),
            ("seed", "reset.seed"),
        ):
            low, high, step = limits[name]
            slider = solara.SliderFloat if isinstance(step, float) else solara.SliderInt
            shown = number(values[name], ".2f", lang=lang) if slider is solara.SliderFloat else values[name]
            slider(
                text(lang, key, value=shown),  # the value in the label: readable from the back
                value=values[name],
                min=low,
                max=high,
                step=step,
                on_value=lambda value, name=name: change(name, value),
            )


@solara.component
def LiveCard(model: ClassroomModel, lang: str) -> None:
    """Switch the style now and fire shocks now, while the class watches: these apply at once."""
    update_counter.get()

    def set_style(firm: int, style: str) -> None:
        model.set_style(firm, style)
        force_update()

    def fire(button) -> None:
        model.fire_shock(button)
        force_update()

    with solara.Card(text(lang, "live.title")):
        for firm in range(len(model.firms)):
            solara.Text(
                text(lang, "live.style_firm", label="AB"[firm])
                if len(model.firms) > 1
                else text(lang, "live.style")
            )
            solara.ToggleButtonsSingle(
                value=model.current_style(firm),
                on_value=lambda style, firm=firm: set_style(firm, style),
                children=[solara.Button(style_name(lang, s), value=s) for s in leadsim.STYLE_NAMES],
                dense=True,
                classes=[f"leadsim-style-{firm}"],
            )
        solara.Text(text(lang, "live.shocks"))
        with solara.Div(classes=["leadsim-shocks"]):
            for button in SHOCK_BUTTONS:
                solara.Button(
                    text(lang, f"shock.{button.kind}"),
                    on_click=lambda button=button: fire(button),
                    color="error",
                    outlined=True,
                    small=True,
                    disabled=not model.running,
                    style={"margin": "2px"},
                )


def _num(value: str, label: str, extra: str = "") -> str:
    return (
        f"<span><span class='leadsim-label'>{escape(label)}</span> "
        f"<span class='leadsim-num'>{escape(value)}</span>{extra}</span>"
    )


def firm_numbers(model: ClassroomModel, which: int, lang: str) -> str:
    """One firm's headline: how long decisions took today, how long the pending ones have waited."""
    firm = model.firms[which]
    latest = {
        name: last_finite(live_series(firm, name))
        for name in ("backlog", "backlog_age_mean", "backlog_age_max", "engagement_mean", "cash")
    }
    today = live_series(firm, "latency_mean")
    took = float(today[-1]) if today.size else float("nan")
    days = lambda value: text(lang, "head.days_unit", value=number(value, lang=lang))  # noqa: E731
    cells = (
        [f"<b class='leadsim-firm'>{escape(model.label(which, lang))}</b>"] if len(model.firms) > 1 else []
    )
    oldest = text(
        lang,
        "head.oldest",
        days=text(lang, "head.days_unit", value=number(latest["backlog_age_max"], ".0f", lang=lang)),
    )
    cells += [
        _num(
            days(took) if np.isfinite(took) else text(lang, "head.none_decided"), text(lang, "head.decided")
        ),
        _num(
            days(latest["backlog_age_mean"]),
            text(lang, "head.waiting"),
            f" <span class='leadsim-label'>({escape(oldest)})</span>",
        ),
        _num(number(latest["backlog"], ".0f", lang=lang), text(lang, "head.backlog")),
        _num(number(latest["engagement_mean"], ".2f", lang=lang), text(lang, "head.engagement")),
        _num(number(latest["cash"], "money", lang=lang), text(lang, "head.cash"), _currency(firm)),
    ]
    if which in model.closed:
        cells.append(f"<b class='leadsim-closed'>{escape(text(lang, 'head.closed'))}</b>")
    away = away_note(firm, lang)
    if away:
        cells.append(f"<span class='leadsim-away'>{escape(away)}</span>")
    return f"<div class='leadsim-firm-row'>{''.join(cells)}</div>"


def _currency(firm: leadsim.SMBModel) -> str:
    """' EUR' after money figures when the scenario names a currency."""
    economics = getattr(firm.leadsim_scenario, "economics", None)
    return f" <span class='leadsim-label'>{escape(economics.currency)}</span>" if economics else ""


def away_note(firm: leadsim.SMBModel, lang: str) -> str:
    """'owner away' or '3 away' while people are out (a key-person loss), else ''."""
    away = [p for p in firm.people if p.employed and not p.present]
    if not away:
        return ""
    owner = any(p.manager_index < 0 for p in away)
    others = len(away) - owner
    parts = ([text(lang, "head.away_owner")] if owner else []) + (
        [text(lang, "head.away_others", count=others)] if others else []
    )
    return ", ".join(parts)


@solara.component
def Headline(model: ClassroomModel, lang: str) -> None:
    """The day and each firm's headline numbers, big enough for the back row."""
    update_counter.get()
    day = (
        f"<span class='leadsim-daybox'><span class='leadsim-label'>{escape(text(lang, 'head.day'))}</span> "
        f"<span class='leadsim-num leadsim-day'>{model.day}</span> <span class='leadsim-label'>"
        f"{escape(text(lang, 'head.of_days', days=model.horizon))}</span></span>"
    )
    if model.day == 0:
        rows = [f"<span>{escape(text(lang, 'head.press_play'))}</span>"]
    else:
        rows = [firm_numbers(model, which, lang) for which in range(len(model.firms))]
    shocks = shock_records(model.firms[0])
    if shocks:
        listed = ", ".join(
            text(lang, "head.shock_on", name=text(lang, f"shock.{s['type']}"), day=s["day"] + 1)
            for s in shocks
        )
        rows.append(
            f"<div class='leadsim-label leadsim-shocks-so-far'>{escape(text(lang, 'head.shocks'))}: "
            f"<span class='leadsim-shock-list'>{escape(listed)}</span></div>"
        )
    solara.HTML(tag="div", unsafe_innerHTML=day + "".join(rows), classes=["leadsim-numbers"])


def caption_html(model: ClassroomModel, caption: Caption, lang: str) -> tuple[str, str]:
    """The card play stopped for, as (CSS class, HTML): a shock, a closure or the year's end."""
    if caption.kind in ("shock", "change"):
        if caption.kind == "shock":
            said = [_happened(shock, lang) for shock in caption.shocks]
            ask = [text(lang, f"ask.{kind}") for kind in dict.fromkeys(s["type"] for s in caption.shocks)]
        else:
            said = [text(lang, "happened.style_change", style=style_name(lang, caption.style))]
            ask = [text(lang, "ask.style_change")]
        what = " ".join(line[:1].upper() + line[1:] for line in said)  # not str.capitalize: German nouns
        body = (
            f"<b class='leadsim-card-title'>{escape(text(lang, 'caption.shock_title', day=caption.day))}</b> "
            f"{escape(what)}<br><span class='leadsim-ask'>{escape(text(lang, 'caption.question'))}: "
            f"{escape(' '.join(ask))}</span> <span class='leadsim-note'>"
            f"{escape(text(lang, 'caption.continue'))}</span>"
        )
        return "leadsim-caption", body
    if caption.kind == "failed":
        firm = model.firms[caption.firm]
        values = {
            name: last_finite(live_series(firm, name)) for name in ("cash", "backlog", "backlog_age_max")
        }
        title = text(lang, "failed.title", day=caption.day, label=model.label(caption.firm, lang))
        why = text(
            lang,
            "failed.why",
            cash=number(values["cash"], "money", lang=lang),
            backlog=number(values["backlog"], ".0f", lang=lang),
            oldest=number(values["backlog_age_max"], ".0f", lang=lang),
        )
        body = (
            f"<b class='leadsim-card-title'>{escape(title)}</b><br>{escape(why)}<br>"
            f"<span class='leadsim-ask'>{escape(text(lang, 'failed.ask'))}</span>"
        )
        return "leadsim-failed", body
    return "leadsim-yearend", year_html(model, caption.day, lang)


def _happened(shock: dict, lang: str) -> str:
    key = f"happened.{shock['type']}"
    if shock["type"] == "key_person_loss" and shock.get("who") in ("leader", "top_expert"):
        key += f"_{shock['who']}"
    return text(lang, key, pct=round(100 * shock["magnitude"]), days=shock["duration"])


def year_summary(firm: leadsim.SMBModel) -> dict[str, float]:
    """The year's key numbers of one firm, from its daily series (nan where undefined)."""
    series = {name: live_series(firm, name) for name in ("decided", "latency_mean", "output", "quits")}
    decided = np.nan_to_num(series["decided"])
    latency = np.nan_to_num(series["latency_mean"])
    demand = np.nansum(live_series(firm, "orders"))  # what customers asked for
    return {
        "latency": float((decided * latency).sum() / decided.sum()) if decided.sum() else float("nan"),
        "oldest": float(np.nanmax(live_series(firm, "backlog_age_max"), initial=0.0)),
        "engagement": last_finite(live_series(firm, "engagement_mean")),
        "output": float(np.nansum(series["output"]) / demand) if demand else float("nan"),
        "cash": last_finite(live_series(firm, "cash")),
        "quits": float(np.nansum(series["quits"])),
    }


def year_html(model: ClassroomModel, day: int, lang: str) -> str:
    """The year-over card: a row of key numbers per firm, and a question."""
    rows = []
    for which, firm in enumerate(model.firms):
        s = year_summary(firm)
        closed = model.closed.get(which)
        cells = [
            (text(lang, "year.latency"), text(lang, "unit.days", value=number(s["latency"], lang=lang))),
            (text(lang, "year.oldest"), text(lang, "unit.days", value=number(s["oldest"], ".0f", lang=lang))),
            (text(lang, "year.engagement"), number(s["engagement"], ".2f", lang=lang)),
            (text(lang, "year.output"), f"{number(100 * s['output'], '.0f', lang=lang)} %"),
            (text(lang, "year.cash"), number(s["cash"], "money", lang=lang)),
            (text(lang, "year.quits"), number(s["quits"], ".0f", lang=lang)),
        ]
        head = f"<td><b>{escape(model.label(which, lang))}</b></td>" if len(model.firms) > 1 else ""
        body = "".join(
            f"<td><span class='leadsim-label'>{escape(k)}</span> <b>{escape(v)}</b></td>"
            for k, v in cells
            if "—" not in v  # a figure this model version does not have is left out
        )
        if closed:
            body += f"<td><b>{escape(text(lang, 'year.failed', day=closed.day))}</b></td>"
        rows.append(f"<tr>{head}{body}</tr>")
    return (
        f"<b class='leadsim-card-title'>{escape(text(lang, 'year.title', day=day))}</b>"
        f"<table>{''.join(rows)}</table><span class='leadsim-ask'>{escape(text(lang, 'year.ask'))}</span>"
    )


@solara.component
def CaptionCard(model: ClassroomModel, lang: str) -> None:
    """What just happened and a question for the class, while play is stopped for it."""
    update_counter.get()
    shown = model.caption
    if shown is None and not model.running and model.day >= model.horizon:
        shown = Caption("year", model.day)  # the year card stays until Reset
    if shown is None:
        solara.HTML(tag="div", unsafe_innerHTML="")
        return
    kind, body = caption_html(model, shown, lang)
    solara.HTML(tag="div", unsafe_innerHTML=body, classes=["leadsim-card", kind])


@solara.component
def LiveView(model: ClassroomModel, lang: str) -> None:
    """The org chart(s) next to the two key charts, redrawn after every step."""
    frame = update_counter.get()
    charts = solara.use_memo(lambda: [OrgChart(firm) for firm in model.firms], [model])
    gate = solara.use_memo(FrameGate, [model])
    model.before_step = gate.before_step
    with solara.Div(classes=["leadsim-views"]):
        with solara.Div(classes=["leadsim-orgcharts"]):
            for which, (chart, firm) in enumerate(zip(charts, model.firms, strict=True)):
                closure = model.closed.get(which)
                title = text(lang, "org.title", label=model.label(which, lang), day=firm.day)
                solara.HTML(
                    tag="div",
                    unsafe_innerHTML=org_chart_svg(
                        chart,
                        model.people_shown(which),
                        title,
                        lang,
                        closed_day=closure.day if closure else None,
                    ),
                    classes=["leadsim-figure", "leadsim-orgchart"],
                )
        labels = [model.label(which, lang) for which in range(len(model.firms))]
        solara.HTML(
            tag="div",
            unsafe_innerHTML=live_charts_svg(model.firms, labels, model.style_changes, lang),
            classes=["leadsim-figure", "leadsim-charts"],
        )
    gate.drawn(frame)


@solara.component
def Classroom(
    choice: str, on_choice: Callable[[str], None], lang: str, on_lang: Callable[[str], None]
) -> None:
    """One scenario's page: the trainer's column on the left, the firm on the right."""
    start, limits = solara.use_memo(lambda: initial_settings(choice), [])
    model = solara.use_reactive(solara.use_memo(lambda: ClassroomModel(choice), []))
    settings = solara.use_reactive(start)
    applied = solara.use_reactive(start)
    playing = solara.use_reactive(False)
    speed = solara.use_reactive("normal")
    presenter = solara.use_reactive(False)
    current = model.value

    def play() -> None:
        # stops at the horizon, when a firm closes and at a scheduled shock (current.caption)
        while playing.value and model.value.running:
            time.sleep(SPEEDS[speed.value])
            if not playing.value:
                break
            model.value.step()
            force_update()
            if model.value.caption is not None:
                break
        playing.value = False

    solara.lab.use_task(play, dependencies=[playing.value], prefer_threaded=True)

    def step() -> None:
        current.step()
        force_update()

    def reset() -> None:
        playing.value = False
        model.value = ClassroomModel(choice, **settings.value)
        applied.value = dict(settings.value)
        force_update()

    def play_buttons(with_reset: bool) -> None:
        solara.Button(
            text(lang, "play.pause" if playing.value else "play.play"),
            on_click=lambda: playing.set(not playing.value),
            color="primary",
            disabled=not current.running,
            classes=["leadsim-play"],
        )
        solara.Button(
            text(lang, "play.step"),
            on_click=step,
            color="primary",
            outlined=True,
            disabled=playing.value or not current.running,
            classes=["leadsim-step"],
        )
        if with_reset:
            solara.Button(text(lang, "play.reset"), on_click=reset, outlined=True, classes=["leadsim-reset"])

    def shortcut(pressed: str) -> None:
        key = pressed.split("|")[0].lower()
        if key == "p":  # presenter mode on and off, from a presenter's remote or the keyboard
            presenter.set(not presenter.value)
        elif key == "n" and not playing.value and current.running:  # the next day
            step()

    solara.Style(CSS)
    KeyPress.element(on_pressed=shortcut)
    page_classes = ["leadsim-page"] + (["leadsim-presenter-on"] if presenter.value else [])
    if len(current.firms) > 1:  # two firms side by side: two org charts next to each other
        page_classes.append("leadsim-two")
    with solara.Div(classes=page_classes):
        with solara.Div(classes=["leadsim-controls"]):
            with solara.Div(classes=["leadsim-buttons"]):
                play_buttons(with_reset=True)
            solara.Text(text(lang, "play.speed"))
            solara.ToggleButtonsSingle(
                value=speed.value,
                on_value=speed.set,
                children=[solara.Button(text(lang, f"speed.{s}"), value=s) for s in SPEEDS],
                dense=True,
                classes=["leadsim-speed"],
            )
            if current.firms:
                LiveCard(current, lang)
                with solara.Card(text(lang, "story.title")):
                    solara.HTML(
                        tag="div", unsafe_innerHTML=story_html(current, lang), classes=["leadsim-story"]
                    )
            else:
                with solara.Div(classes=["leadsim-error"]):
                    solara.Error(text(lang, "story.error", error=current.error))
            SetupCard(choice, on_choice, settings, limits, settings.value != applied.value, lang)
            _select(
                text(lang, "page.language"),
                lang,
                list(LANGUAGES),
                list(LANGUAGES.values()),
                on_lang,
                ["leadsim-language"],
            )
        with solara.Div(classes=["leadsim-main"]):
            with solara.Div(classes=["leadsim-head"]):
                if current.firms:
                    Headline(current, lang)
                with solara.Div(classes=["leadsim-buttons"]):
                    if presenter.value:  # the controls are hidden: keep play and step at hand
                        play_buttons(with_reset=False)
                    solara.Button(
                        text(lang, "page.presenter_exit" if presenter.value else "page.presenter"),
                        on_click=lambda: presenter.set(not presenter.value),
                        outlined=True,
                        classes=["leadsim-presenter"],
                    )
            if current.firms:
                CaptionCard(current, lang)
                LiveView(current, lang)


@solara.component
def Page() -> None:
    """The app: a new Classroom whenever another scenario is picked; the language stays."""
    choice, set_choice = solara.use_state(initial_choice())
    lang, set_lang = solara.use_state(DEFAULT_LANGUAGE)
    Classroom(choice, set_choice, lang, set_lang).key(f"classroom-{choice}")
