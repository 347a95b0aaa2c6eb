"""The Mesa face of leadsim: ``SMBModel`` owns the engine; agents are thin views onto its arrays.

``SMBModel`` is an ordinary Mesa model: it steps, it has a ``datacollector``, ``mesa.batch_run``
drives it, and SolaraViz shows it. The numbers live in the vectorised engine (replication 0);
an ``Employee`` or ``Leader`` reads and writes its own slot of the arrays.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import mesa
import numpy as np

from leadsim.core import METRICS, STYLES, Engine
from leadsim.core.shocks import SHOCK_TYPES, ShockEvent
from leadsim.scenario import Scenario, validate_scenario


class Employee(mesa.Agent):
    """A person in the firm: a view onto slot ``index`` of the engine's arrays."""

    def __init__(self, model: SMBModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def _engine(self) -> Engine:
        return self.model.engine

    @property
    def competence(self) -> float:
        """Skill in [0, 1]."""
        return float(self._engine.competence[0, self.index])

    @competence.setter
    def competence(self, value: float) -> None:
        self._engine.competence[0, self.index] = value

    @property
    def engagement(self) -> float:
        """Engagement (commitment) in [0, 1]."""
        return float(self._engine.engagement[0, self.index])

    @engagement.setter
    def engagement(self, value: float) -> None:
        self._engine.engagement[0, self.index] = value

    @property
    def tenure(self) -> int:
        """Days in the current job."""
        return int(self._engine.tenure[0, self.index])

    @property
    def employed(self) -> bool:
        """Whether the slot is filled (False while a vacancy waits for a hire)."""
        return bool(self._engine.active[0, self.index])

    @property
    def present(self) -> bool:
        """Employed and not away (a key-person absence; absences are dated on the engine's clock)."""
        return self.employed and self._engine.absent_until[0, self.index] <= self._engine.clock

    @property
    def waiting(self) -> float:
        """Decisions this person is waiting on."""
        return float(self._engine.waiting[0, self.index])

    @property
    def manager_index(self) -> int:
        """Slot of this person's manager; -1 for the owner."""
        return int(self._engine.hierarchy.manager[self.index])

    @property
    def level(self) -> int:
        """Levels below the owner."""
        return int(self._engine.hierarchy.level[self.index])

    @property
    def is_leader(self) -> bool:
        """Whether this person leads a team."""
        return False


class Leader(Employee):
    """A person who leads a team (the owner is the leader at level 0)."""

    @property
    def is_leader(self) -> bool:
        """Always True for a leader."""
        return True

    @property
    def rank(self) -> int:
        """The leader's number among leaders (0 is the owner)."""
        return int(self._engine.hierarchy.leader_rank[self.index])

    @property
    def style(self) -> str:
        """This leader's leadership style."""
        return STYLES[int(self._engine.style[self.rank])]

    @property
    def backlog(self) -> int:
        """Decisions waiting in this leader's own queue."""
        queues = self._engine.hierarchy.queues
        return int(self._engine.backlog[:queues][self.rank])


class SMBModel(mesa.Model):
    """A small or medium business as a Mesa model.

    Args:
        scenario: a validated Scenario, or a dict of scenario fields; default all defaults.
        rng: the seed (an int); default the scenario's seed.
        size, span_of_control, style, decision_rate, turbulence, days: shortcuts for the
            scenario fields of the same name (handy with ``mesa.batch_run``).
        overrides: any other dotted scenario fields, e.g. ``{"market.demand": 0.8}``.
        collect_agents: also collect per-agent engagement and waiting each step.
    """

    def __init__(
        self,
        scenario: Scenario | Mapping[str, Any] | None = None,
        *,
        rng: int | None = None,
        size: int | None = None,
        span_of_control: int | None = None,
        style: str | None = None,
        decision_rate: float | None = None,
        turbulence: float | None = None,
        days: int | None = None,
        overrides: Mapping[str, Any] | None = None,
        collect_agents: bool = False,
    ) -> None:
        shortcuts = {
            "org.size": size,
            "org.span_of_control": span_of_control,
            "leadership.style": style,
            "market.decision_rate": decision_rate,
            "market.turbulence": turbulence,
            "days": days,
        }
        changes = {k: v for k, v in shortcuts.items() if v is not None} | dict(overrides or {})
        if isinstance(scenario, Scenario):
            base = scenario.model_dump()
        else:
            base = dict(scenario or {})
        # Mesa's Model has a ``scenario`` of its own; ours is kept apart under a clear name.
        scenario = validate_scenario(base, "SMBModel", changes)
        seed = scenario.seed if rng is None else int(rng)
        super().__init__(rng=seed)
        self.leadsim_scenario = scenario
        self.seed = seed
        self.engine = Engine(scenario, [seed])
        hierarchy = self.engine.hierarchy
        for index in range(hierarchy.people):
            kind = Leader if hierarchy.is_leader[index] else Employee
            kind(self, index)
        self.people = sorted(self.agents, key=lambda a: a.index)
        agent_reporters = {"engagement": "engagement", "waiting": "waiting"} if collect_agents else None
        self.datacollector = mesa.DataCollector(
            model_reporters={name: _latest(name) for name in METRICS},
            agent_reporters=agent_reporters,
        )
        self.running = True

    @property
    def day(self) -> int:
        """Days simulated so far."""
        return self.engine.day

    def step(self) -> None:
        """Simulate one working day and collect its figures."""
        if self.engine.day >= self.engine.days:
            self.running = False
            return
        self.engine.step()
        self.datacollector.collect(self)
        self.running = self.engine.day < self.engine.days and not self.engine.failed[0]

    def set_style(self, style: str, by_level: list[str] | None = None) -> None:
        """Change every leader's style from now on (one for all, or one per level)."""
        if style not in STYLES:
            raise ValueError(f"style '{style}' is unknown; allowed: {', '.join(STYLES)}")
        self.engine.set_styles(style, by_level)

    def fire_shock(
        self, kind: str, magnitude: float = 0.5, duration: int = 30, who: str | None = None
    ) -> None:
        """Hit the firm with a shock starting today (as a trainer's button would)."""
        if kind not in SHOCK_TYPES or kind == "hiring_wave":
            allowed = [s for s in SHOCK_TYPES if s != "hiring_wave"]
            raise ValueError(f"shock '{kind}' is unknown; allowed: {', '.join(allowed)}")
        if kind == "key_person_loss" and who is None:
            who = "owner"
        event = ShockEvent(kind, self.engine.day, int(duration), float(magnitude), who)
        if who == "leader":
            event.leader_ranks = (1,) if self.engine.hierarchy.leaders > 1 else (0,)
        self.engine.add_shock(event)

    def network_edges(self) -> np.ndarray:
        """The informal network's ties as (k, 2) slot pairs, each tie once."""
        n = self.engine.hierarchy.people
        source, target = self.engine.edge_source, self.engine.edge_target
        mine = (source < n) & (source < target)
        return np.unique(np.stack([source[mine], target[mine]], axis=1), axis=0)


def _latest(name: str):
    def report(model: SMBModel) -> float:
        day = model.engine.day - 1
        return float(model.engine.metrics[name][0, day]) if day >= 0 else float("nan")

    return report
