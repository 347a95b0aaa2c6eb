"""The model behind the classroom page: one firm, or two side by side, and the trainer's buttons.

``ClassroomModel`` is the Mesa model the page drives. It holds one :class:`leadsim.SMBModel`
(or two: the same scenario and seed under two styles) and never raises on a bad scenario: it
keeps the one-line error in :attr:`ClassroomModel.error`, prints it on the terminal and stops,
so the page can show the error and the server keeps running.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import mesa

import leadsim
from leadsim.bundled import bundled_scenarios, resolve_scenario
from leadsim.demo.layout import PeopleState
from leadsim.demo.text import style_name

SCENARIO_ENV = "LEADSIM_DEMO_SCENARIO"
"""Environment variable through which ``leadsim demo SCENARIO`` tells the app what to open."""

DEFAULT_SCENARIO = "default"
NO_COMPARISON = "none"
SCENARIO_STYLE = "as in scenario"
DEMO_MAX_SIZE = 2_000  # the page draws every person; beyond this use `leadsim run`


@dataclass(frozen=True)
class ShockButton:
    """A shock the trainer can fire with one click (its label is ``shock.<kind>`` in the text)."""

    kind: str
    magnitude: float
    duration: int
    who: str | None = None


SHOCK_BUTTONS: tuple[ShockButton, ...] = (
    ShockButton("demand_drop", magnitude=0.4, duration=40),
    ShockButton("key_person_loss", magnitude=1.0, duration=21, who="owner"),
    ShockButton("turbulence", magnitude=0.7, duration=30),
    ShockButton("automation_rollout", magnitude=0.6, duration=60),
)


@dataclass(frozen=True)
class Caption:
    """Why play stopped, for the page to tell the class.

    ``kind`` is ``"shock"`` (a scheduled shock has just begun; ``shocks`` holds them as dicts),
    ``"change"`` (the scenario's change of leadership has just taken effect; ``style`` is the new
    one), ``"failed"`` (firm ``firm`` ran out of cash) or ``"year"`` (the horizon is reached).
    ``day`` is the page's day counter when it happened.
    """

    kind: str
    day: int
    firm: int = 0
    shocks: tuple[dict, ...] = field(default_factory=tuple)
    style: str = ""


@dataclass(frozen=True)
class Closure:
    """A firm that ran out of cash: the day, and its people as they were on its last open day."""

    day: int
    people: PeopleState


def scenario_choices() -> list[str]:
    """The bundled scenario names, with the one given to ``leadsim demo`` (maybe a file) first."""
    names = [path.stem for path in bundled_scenarios()]
    extra = os.environ.get(SCENARIO_ENV)
    if extra and extra not in names:
        names.insert(0, extra)
    return names


def initial_choice() -> str:
    """The scenario to open: the one given to ``leadsim demo``, else the bundled default."""
    return os.environ.get(SCENARIO_ENV) or DEFAULT_SCENARIO


def load_choice(choice: str) -> leadsim.Scenario:
    """Load a scenario by bundled name or path.

    Raises:
        leadsim.ScenarioError: the file is missing or invalid (one line).
    """
    return leadsim.load_scenario(resolve_scenario(choice))


class ClassroomModel(mesa.Model):
    """One firm, or two firms side by side, stepped together.

    Args:
        scenario_name: a bundled scenario's name or a scenario file.
        style: the style every leader starts with; None or ``"as in scenario"`` keeps the
            scenario's (including styles set per level).
        compare_style: a second style for a side-by-side firm (same scenario and seed);
            ``"none"`` for one firm only.
        size, span_of_control, decision_rate: override the scenario's values.
        seed: the seed of both firms; default the scenario's.
    """

    def __init__(
        self,
        scenario_name: str = DEFAULT_SCENARIO,
        style: str | None = None,
        compare_style: str = NO_COMPARISON,
        size: int | None = None,
        span_of_control: int | None = None,
        decision_rate: float | None = None,
        seed: int | None = None,
    ) -> None:
        super().__init__(rng=seed)
        self.scenario_name = scenario_name
        self.firms: list[leadsim.SMBModel] = []
        self.styles: list[list[str]] = []  # per firm: its styles so far ("a/b" = by level)
        self.style_changes: list[tuple[int, int, str]] = []  # (firm, day, new style)
        self.error: str | None = None
        self.caption: Caption | None = None  # set by a step that should stop play
        self.closed: dict[int, Closure] = {}  # firms that ran out of cash
        # The page sets this to pace play to its drawing: called before each step.
        self.before_step: Callable[[], None] | None = None
        # Play steps in a worker thread while buttons run in the server's: one at a time.
        self._lock = threading.Lock()
        if style == SCENARIO_STYLE:
            style = None
        try:
            scenario = load_choice(scenario_name)
            if size is not None and size > DEMO_MAX_SIZE:
                raise leadsim.ScenarioError(
                    f"org.size: {size} is too many people to draw; the demo allows up to "
                    f"{DEMO_MAX_SIZE} (use `leadsim run` for larger firms)"
                )
            styles = [style or scenario.leadership.style]
            if compare_style and compare_style != NO_COMPARISON:
                styles.append(compare_style)
            for which, firm_style in enumerate(styles):
                # A style chosen on the page replaces per-level styles; none keeps the scenario's.
                overrides = {"leadership.by_level": None} if (style or which) else {}
                if which:  # the comparison firm keeps its style: no scheduled change of structure
                    overrides["leadership.change"] = None
                firm = leadsim.SMBModel(
                    scenario,
                    rng=seed,
                    size=size,
                    span_of_control=span_of_control,
                    decision_rate=decision_rate,
                    style=firm_style,
                    overrides=overrides,
                )
                self.firms.append(firm)
                by_level = firm.leadsim_scenario.leadership.by_level
                self.styles.append(["/".join(by_level) if by_level else firm_style])
        except leadsim.ScenarioError as exc:
            self.firms, self.styles = [], []
            self.error = str(exc)
            print(f"leadsim demo: error: {exc}", file=sys.stderr, flush=True)
        self.running = bool(self.firms)

    @property
    def leadsim_scenario(self) -> leadsim.Scenario | None:
        """The first firm's validated scenario (None when the scenario failed to load)."""
        return self.firms[0].leadsim_scenario if self.firms else None

    @property
    def day(self) -> int:
        """Days simulated so far (by the firm that got furthest: one may have closed)."""
        return max((firm.day for firm in self.firms), default=0)

    @property
    def horizon(self) -> int:
        """The working days the scenario covers."""
        return self.leadsim_scenario.days if self.firms else 0

    def label(self, firm: int, lang: str = "en") -> str:
        """A firm's name on the page: "A: Autocratic → Distributed" (no letter for one firm)."""
        names = ["/".join(style_name(lang, s) for s in styles.split("/")) for styles in self.styles[firm]]
        prefix = f"{'AB'[firm]}: " if len(self.firms) > 1 else ""
        return prefix + " → ".join(names)

    def step(self) -> None:
        """Simulate one working day in every firm still open; set :attr:`caption` to pause play."""
        if self.before_step is not None:
            self.before_step()
        with self._lock:
            self.caption = None
            for which, firm in enumerate(self.firms):
                if not firm.running:
                    continue
                before = PeopleState.of(firm)
                firm.step()
                if firm.engine.failed[0] and which not in self.closed:
                    self.closed[which] = Closure(firm.day, before)
                    self.caption = Caption("failed", firm.day, firm=which)
                if "/" not in self.styles[which][-1] and self.current_style(which) != self.styles[which][-1]:
                    self.styles[which].append(self.current_style(which))  # a scheduled change
            self.running = any(firm.running for firm in self.firms)
            change = self.leadsim_scenario.leadership.change if self.firms else None
            if self.caption is None and self.firms and self.day >= self.horizon:
                self.caption = Caption("year", self.day)
            elif self.caption is None and (begun := self.scheduled_shocks_begun()):
                self.caption = Caption("shock", self.day, shocks=begun)
            elif self.caption is None and change is not None and change.day == self.day - 1:
                self.caption = Caption("change", self.day, style=change.style)

    def scheduled_shocks_begun(self) -> tuple[dict, ...]:
        """The scenario's shocks whose first day was the day just simulated."""
        if not self.firms:
            return ()
        just = self.day - 1
        return tuple(s.model_dump() for s in self.leadsim_scenario.shocks if s.day == just)

    def set_style(self, firm: int, style: str) -> None:
        """Change every leader's style in one firm from today on."""
        with self._lock:
            model = self.firms[firm]
            model.set_style(style)
            self.style_changes.append((firm, model.day, style))
            self.styles[firm].append(style)

    def fire_shock(self, button: ShockButton) -> None:
        """Hit every firm with the same shock, starting today."""
        with self._lock:
            for firm in self.firms:
                firm.fire_shock(
                    button.kind, magnitude=button.magnitude, duration=button.duration, who=button.who
                )

    def current_style(self, firm: int) -> str:
        """The style the firm's owner leads with now."""
        leaders = [p for p in self.firms[firm].people if p.is_leader]
        return leaders[0].style

    def people_shown(self, firm: int) -> PeopleState:
        """The people the org chart shows: today's, or a closed firm's on its last open day."""
        closure = self.closed.get(firm)
        return closure.people if closure else PeopleState.of(self.firms[firm])
