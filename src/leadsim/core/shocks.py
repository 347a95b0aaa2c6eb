"""Shocks: typed events from the scenario, a random shock process, and their effects on a day.

Effects are mechanisms, not outcomes: a demand drop lowers demand, turbulence raises the number
and the stakes of decisions, a capacity disruption lowers productivity, a key-person loss takes
people out (for a time or for good), an automation rollout brings stress and a skill dip first and
a productivity gain as people adopt it, a hiring wave brings in beginners. Each also adds some stress
(job insecurity, change fatigue) that leaders' support and voice buffer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from leadsim.scenario.schema import SHOCK_TYPES

WHO: tuple[str, ...] = ("owner", "leader", "top_expert")

# Stress per unit magnitude while a shock lasts (before leaders' buffering).
STRESS = {
    "demand_drop": 0.5,
    "turbulence": 0.3,
    "key_person_loss": 0.2,
    "capacity_disruption": 0.3,
    "automation_rollout": 0.0,  # per person, by how little they have adopted (see people.py)
    "hiring_wave": 0.1,
}
TURBULENCE_PER_MAGNITUDE = 2.0  # a turbulence shock of magnitude 1 triples the decision rate
AUTOMATION_SKILL_DIP = 0.2  # competence lost at the start of a rollout of magnitude 1


@dataclass
class ShockEvent:
    """One shock in one replication."""

    type: str
    day: int
    duration: int
    magnitude: float
    who: str | None = None
    leader_ranks: tuple[int, ...] = ()  # key_person_loss of leaders: which ones
    random: bool = False  # drawn by the random shock process

    def active(self, day: int) -> bool:
        """Whether the shock is under way on ``day`` (a permanent loss counts on its first day)."""
        return self.day <= day < self.day + max(self.duration, 1)

    def as_dict(self) -> dict:
        """Plain data for outputs."""
        return {
            "type": self.type,
            "day": self.day,
            "duration": self.duration,
            "magnitude": self.magnitude,
            "who": self.who,
            "random": self.random,
        }


@dataclass
class DayEffects:
    """What the shocks under way do on one day, per replication (arrays of shape (R,))."""

    demand_factor: np.ndarray
    turbulence: np.ndarray
    productivity_factor: np.ndarray
    stress: np.ndarray
    automation_level: np.ndarray  # sum of the magnitudes of rollouts begun, capped at 1
    rollout_under_way: np.ndarray  # bool
    active_count: np.ndarray
    starting: list[list[ShockEvent]] = field(default_factory=list)  # per replication


def schedule(
    scheduled: list[dict],
    random_process: dict,
    days: int,
    leaders: int,
    rng: np.random.Generator,
) -> list[ShockEvent]:
    """The shocks of one replication: the scenario's events plus the random process's draws.

    Args:
        scheduled: the scenario's shocks as dicts (type, day, duration, magnitude, who).
        random_process: rate_per_year, types, magnitude {low, high}, duration {low, high}.
        days: the horizon.
        leaders: number of leaders (the owner is rank 0).
        rng: the replication's shock stream.
    """
    events = [_event(spec, leaders, rng) for spec in scheduled]
    rate = float(random_process.get("rate_per_year", 0.0))
    if rate > 0:
        count = int(rng.poisson(rate * days / 260.0))
        types = list(random_process["types"])
        for _ in range(count):
            spec = {
                "type": types[int(rng.integers(len(types)))],
                "day": int(rng.integers(days)),
                "magnitude": float(rng.uniform(*_bounds(random_process["magnitude"]))),
                "duration": round(rng.uniform(*_bounds(random_process["duration"]))),
            }
            if spec["type"] == "key_person_loss":
                spec["who"] = WHO[int(rng.integers(len(WHO)))]
            event = _event(spec, leaders, rng)
            event.random = True
            events.append(event)
    events.sort(key=lambda e: (e.day, SHOCK_TYPES.index(e.type)))
    return events


def _bounds(interval: dict) -> tuple[float, float]:
    return float(interval["low"]), float(interval["high"])


def _event(spec: dict, leaders: int, rng: np.random.Generator) -> ShockEvent:
    event = ShockEvent(
        type=spec["type"],
        day=int(spec["day"]),
        duration=int(spec.get("duration", 30)),
        magnitude=float(spec.get("magnitude", 0.5)),
        who=spec.get("who"),
    )
    if event.type == "key_person_loss" and event.who == "leader":
        candidates = np.arange(1, leaders) if leaders > 1 else np.arange(leaders)
        lost = max(1, round(event.magnitude * candidates.size))
        picked = rng.choice(candidates, size=min(lost, candidates.size), replace=False)
        event.leader_ranks = tuple(sorted(int(k) for k in picked))
    return event


def effects_on(day: int, events: list[list[ShockEvent]]) -> DayEffects:
    """Sum the shocks under way on ``day`` for each replication."""
    runs = len(events)
    demand = np.ones(runs)
    turbulence = np.zeros(runs)
    productivity = np.ones(runs)
    stress = np.zeros(runs)
    automation = np.zeros(runs)
    rollout = np.zeros(runs, dtype=bool)
    count = np.zeros(runs, dtype=np.int64)
    starting: list[list[ShockEvent]] = []
    for r, run_events in enumerate(events):
        starting.append([e for e in run_events if e.day == day])
        for e in run_events:
            if e.type == "automation_rollout" and day >= e.day:
                automation[r] += e.magnitude
            if not e.active(day):
                continue
            count[r] += 1
            stress[r] += STRESS[e.type] * e.magnitude
            if e.type == "demand_drop":
                demand[r] *= 1.0 - e.magnitude
            elif e.type == "turbulence":
                turbulence[r] += TURBULENCE_PER_MAGNITUDE * e.magnitude
            elif e.type == "capacity_disruption":
                productivity[r] *= 1.0 - e.magnitude
            elif e.type == "automation_rollout":
                rollout[r] = True
    return DayEffects(
        demand_factor=demand,
        turbulence=turbulence,
        productivity_factor=productivity,
        stress=stress,
        automation_level=np.minimum(automation, 1.0),
        rollout_under_way=rollout,
        active_count=count,
        starting=starting,
    )
