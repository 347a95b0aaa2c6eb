"""Shocks: typed events from the scenario, a random shock process, and their effects on a day.

Effects are mechanisms, not outcomes: a demand drop makes customers order less and shrinks the
market they come from, turbulence raises the number and the stakes of decisions, a capacity
disruption lowers productivity, a key-person loss takes people out (for a time or for good), an
automation rollout brings stress and a skill dip first and a productivity gain as people adopt it, a
hiring wave brings in beginners. Each also adds some stress (job insecurity, change fatigue) that
leaders' support and voice buffer.

Every shock needs answers. On its first day each team raises high-stakes *response decisions*
(replan, renegotiate, re-staff, retrain) that the structure routes like any other decision. As they
are decided, the shock's damage is mitigated in proportion to their quality: a firm that decides its
response fast and well takes less damage. The damage that outlasts a shock (customers lost, skills
forgotten, morale) is repaired by the firm's own mechanisms, not by the end of the shock.
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
# One shock of each type at a typical strength (a key-person loss takes the owner), for side-by-side
# comparisons of structures: the README's resilience table and the calibration tests use these.
TYPICAL_SHOCKS: dict[str, dict] = {
    "demand_drop": {"magnitude": 0.5},
    "turbulence": {"magnitude": 0.5},
    "key_person_loss": {"who": "owner", "magnitude": 1.0},
    "capacity_disruption": {"magnitude": 0.5},
    "automation_rollout": {"magnitude": 0.5},
    "hiring_wave": {"magnitude": 0.3},
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
    responses_raised: int = 0  # response decisions raised on the first day
    responses_resolved: int = 0  # ... decided (or taken locally) so far
    response_quality: float = 0.0  # sum of the qualities of the resolved ones

    @property
    def mitigation(self) -> float:
        """Share of the response decided so far, weighted by quality, in [0, 1]."""
        return self.response_quality / self.responses_raised if self.responses_raised else 0.0

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
            "responses": self.responses_raised,
            "responses_resolved": self.responses_resolved,
            "mitigation": self.mitigation,
        }


@dataclass
class DayEffects:
    """What the shocks under way do on one day, per replication (arrays of shape (R,)).

    Every effect is the shock's magnitude less the share its decided responses have mitigated.
    """

    order_factor: np.ndarray  # customers' orders
    market_factor: np.ndarray  # the market the firm can reach
    turbulence: np.ndarray
    productivity_factor: np.ndarray
    stress: np.ndarray
    automation_level: np.ndarray  # sum of the magnitudes of rollouts begun, capped at 1
    rollout_under_way: np.ndarray  # bool
    rollout_help: np.ndarray  # mitigation of the rollouts under way (a retraining plan)
    knowledge_relief: np.ndarray  # mitigation of key-person losses (hand-over, acting roles)
    onboarding_help: np.ndarray  # mitigation of hiring waves (an onboarding plan)
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


def effects_on(day: int, events: list[list[ShockEvent]], mitigable: float) -> DayEffects:
    """Sum the shocks under way on ``day`` for each replication, less what responses mitigate.

    Args:
        day: the day.
        events: each replication's shocks.
        mitigable: share of a shock's damage that fully decided responses of quality 1 undo.
    """
    runs = len(events)
    orders = np.ones(runs)
    reach = np.ones(runs)
    turbulence = np.zeros(runs)
    productivity = np.ones(runs)
    stress = np.zeros(runs)
    automation = np.zeros(runs)
    rollout = np.zeros(runs, dtype=bool)
    rollout_help = np.zeros(runs)
    relief = np.zeros(runs)
    onboarding = np.zeros(runs)
    count = np.zeros(runs, dtype=np.int64)
    starting: list[list[ShockEvent]] = []
    for r, run_events in enumerate(events):
        starting.append([e for e in run_events if e.day == day])
        for e in run_events:
            if e.type == "automation_rollout" and day >= e.day:
                automation[r] += e.magnitude
            if not e.active(day):
                continue
            relieved = mitigable * e.mitigation
            felt = e.magnitude * (1.0 - relieved)
            count[r] += 1
            stress[r] += STRESS[e.type] * felt
            if e.type == "demand_drop":
                orders[r] *= 1.0 - felt
                reach[r] *= 1.0 - felt
            elif e.type == "turbulence":
                turbulence[r] += TURBULENCE_PER_MAGNITUDE * felt
            elif e.type == "capacity_disruption":
                productivity[r] *= 1.0 - felt
            elif e.type == "automation_rollout":
                rollout[r] = True
                rollout_help[r] = max(rollout_help[r], relieved)
            elif e.type == "key_person_loss":
                relief[r] = max(relief[r], relieved)
            elif e.type == "hiring_wave":
                onboarding[r] = max(onboarding[r], relieved)
    return DayEffects(
        order_factor=orders,
        market_factor=reach,
        turbulence=turbulence,
        productivity_factor=productivity,
        stress=stress,
        automation_level=np.minimum(automation, 1.0),
        rollout_under_way=rollout,
        rollout_help=rollout_help,
        knowledge_relief=relief,
        onboarding_help=onboarding,
        active_count=count,
        starting=starting,
    )


def credit_responses(events: list[ShockEvent], resolved: int, quality_sum: float) -> None:
    """Credit one replication's responses resolved today to its shocks, oldest shock first.

    Queues serve the oldest decisions first, so today's resolved responses belong to the shocks that
    raised the oldest outstanding ones; each takes its share of today's mean quality.
    """
    if resolved <= 0:
        return
    mean_quality = quality_sum / resolved
    for e in events:
        outstanding = e.responses_raised - e.responses_resolved
        if outstanding <= 0:
            continue
        taken = min(outstanding, resolved)
        e.responses_resolved += taken
        e.response_quality += taken * mean_quality
        resolved -= taken
        if resolved == 0:
            break
