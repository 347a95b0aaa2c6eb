"""The readable reference: one working day of the model, written agent by agent in plain Python.

This is the model's specification in code. The vectorised engine (``leadsim.core``) computes the
same rules for whole arrays of people and replications at once; here they are spelt out for one
firm, one person, one leader and one decision queue at a time, in the order of ``Engine.step``:

1. a change of structure due today takes effect; shocks starting today act (absences, departures
   for good, the automation skill dip); the vacancies that are due are filled by hires, unless cash
   is short (a hiring freeze);
2. each person meets their manager's style: the authority they have, and their share of the
   leader's time for support, coaching and direction (situational managers weigh both by the
   person's development level); they split their decisions by stakes between their team, their
   leader (or whoever acts for an absent leader) and the escalation target (owner or pool);
3. shocks starting today raise response decisions in every team; decisions arrive (Poisson, at the
   summed rate of the people routed to a queue); each queue serves its response decisions first,
   then its oldest decisions (FIFO), up to a Poisson draw of a capacity set by its deciders' time
   and competence, never ones raised within the consultation lag; decisions older than the patience
   are taken locally (they *expire*); the responses resolved mitigate their shocks;
4. people wait on their share of the backlog, which blocks part of their day; the rest goes to
   deciding, meetings, being coached and work; capacity follows from competence, engagement,
   onboarding, adoption, the firm's knowledge at work and the quality of recent decisions; the
   market orders, the book is worked off, customers react;
5. engagement (job demands–resources and contagion), competence (bounded learning), knowledge,
   team alignment and adoption move;
6. some people quit; revenue, payroll, overheads, materials and replacement costs move the cash; a
   firm whose cash runs out fails.

Use it as a Mesa model::

    model = ReferenceModel(scenario, seed)   # an SMBModel whose step() runs these rules
    model.step()

where ``ReferenceDay(model).run()`` is the day itself (no data collection: what the benchmark
times). The people are the model's own ``Employee`` and ``Leader`` agents, which are views onto
the engine's arrays, so every agent property, the datacollector and the engine's metrics read the
same as with the engine. The reference writes the day's figures into ``engine.metrics`` itself.

The warm-up (``warmup_days`` unreported days before day 0) is the engine's: ``ReferenceModel``
builds its engine, which runs the warm-up in its constructor, and then copies the pending decisions
out of the engine's ring of days (``counts``/``response_counts``, ``head``, ``backlog``) into its own
``Queue`` objects (cohorts of ``[day raised, count]`` in a deque). From day 0 on the reference runs
every reported day itself; the engine's ring stays unused, only the backlogs are copied back at the
end of each day (``Leader.backlog`` reads them). Days raised are counted on the engine's ``clock``
(days run, warm-up included).

Agents never read what another agent writes in the same phase (the engagement update is computed for
everyone before anyone's is written), so the order of agents does not matter: ``shuffle=True`` walks
them in a random order (Mesa's ``AgentSet.shuffle``) and gives the same results.

The reference consumes exactly the engine's random numbers: the day's uniforms come from the
engine's ``draws.next_day()`` and are turned into Poisson counts and normal values by the engine's
own inversions, one element at a time. Given the same seed the two agree to float rounding;
``tests/test_reference.py`` holds them to that. ``time_per_day`` times both for the benchmark.

Comments marked ``ENGINE:`` would mark places where the reference follows the engine on a point
that is debatable as a rule of the model (changing such a rule means changing both); there are none
at present.

Shared with the engine (already written per replication): the shock schedule and each day's
shock effects (``shocks.effects_on``), crediting resolved responses to their shocks
(``shocks.credit_responses``), and the market's day (``market.trade``).
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from leadsim.core import market as markets
from leadsim.core.draws import normal_from_uniform, poisson_from_uniform
from leadsim.core.engine import (
    ENGAGED_BASE,
    ENGAGED_GAIN,
    MONTH,
    NEED_FLOOR,
    ONBOARDING_START,
    PILE_MEMORY,
    UNDEFINED_WHEN_CLOSED,
    Engine,
)
from leadsim.core.leaders import FULL_DOSE
from leadsim.core.people import CEILING_ABOVE, COACHED_KNOWLEDGE
from leadsim.core.shocks import AUTOMATION_SKILL_DIP, DayEffects, ShockEvent, credit_responses, effects_on
from leadsim.core.styles import ESCALATE_POOL, PARAMS, STYLES
from leadsim.model import Employee, Leader, SMBModel
from leadsim.scenario import validate_scenario

__all__ = ["Levers", "Queue", "ReferenceDay", "ReferenceModel", "ring_cohorts", "time_per_day"]

# The job resources and demands of the engagement update, in the order they are summed.
RESOURCE_WEIGHTS = {
    "autonomy": "w_autonomy",
    "voice": "w_voice",
    "support": "w_support",
    "vision": "w_vision",
    "growth": "w_growth",
    "challenge": "w_challenge",
}
DEMAND_WEIGHTS = {
    "blocked": "w_blocked",
    "workload": "w_workload",
    "shock": "w_shock",
    "ambiguity": "w_ambiguity",
    "micromanagement": "w_micromanagement",
    "overreach": "w_overreach",
    "hindrance": "w_hindrance",
}


# ---------------------------------------------------------------- decision queues


class Queue:
    """One decider's pending decisions, oldest first, as ``[day raised, count]`` cohorts.

    Args:
        name: what the queue is, for reading (``leader 3``, ``team 3``, ``pool``).
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.cohorts: deque[list[int]] = deque()

    def __repr__(self) -> str:
        return f"Queue({self.name!r}, backlog={self.backlog})"

    @classmethod
    def from_ring(cls, name: str, counts: np.ndarray, head: int, clock: int) -> Queue:
        """A queue holding the pending cohorts of one row of the engine's ring of days."""
        queue = cls(name)
        for day, count in ring_cohorts(counts, head, clock):
            queue.add(day, count)
        return queue

    @property
    def backlog(self) -> int:
        """Decisions pending."""
        return sum(count for _, count in self.cohorts)

    def add(self, day: int, count: int) -> None:
        """Decisions raised on ``day`` join the back of the queue."""
        if count == 0:
            return
        if self.cohorts and self.cohorts[-1][0] == day:
            self.cohorts[-1][1] += count
        else:
            self.cohorts.append([day, count])

    def take_over(self, other: Queue) -> None:
        """Take every pending decision of ``other`` (an absent leader's), keeping days in order."""
        merged: dict[int, int] = {}
        for day, count in [*self.cohorts, *other.cohorts]:
            merged[day] = merged.get(day, 0) + count
        self.cohorts = deque([day, merged[day]] for day in sorted(merged))
        other.cohorts.clear()

    def serve(self, capacity: int, newest_day: int) -> list[tuple[int, int]]:
        """Decide up to ``capacity`` of the oldest decisions raised on or before ``newest_day``.

        Returns:
            ``(day raised, how many)`` for each cohort decided from, oldest first.
        """
        decided = []
        while capacity > 0 and self.cohorts and self.cohorts[0][0] <= newest_day:
            day, count = self.cohorts[0]
            taken = min(count, capacity)
            decided.append((day, taken))
            capacity -= taken
            if taken == count:
                self.cohorts.popleft()
            else:
                self.cohorts[0][1] -= taken
        return decided

    def expire(self, oldest_kept: int) -> list[tuple[int, int]]:
        """Remove every decision raised before ``oldest_kept``: its patience has run out.

        Returns:
            ``(day raised, how many)`` for each cohort removed, oldest first.
        """
        gone = []
        while self.cohorts and self.cohorts[0][0] < oldest_kept:
            day, count = self.cohorts.popleft()
            gone.append((day, count))
        return gone

    def ages(self, today: int) -> tuple[int, int]:
        """Sum of the ages of the pending decisions at the end of ``today``, and the oldest age."""
        if not self.cohorts:
            return 0, 0
        return sum(count * (today - day) for day, count in self.cohorts), today - self.cohorts[0][0]


def ring_cohorts(counts: np.ndarray, head: int, clock: int) -> list[list[int]]:
    """The pending ``[day raised, count]`` cohorts of one row of the engine's ring of days.

    The decisions raised on day d sit in column d % width; at the end of a day (``clock`` days run)
    every pending cohort lies between ``head`` and the last day run, and the ring is wide enough
    that those days have distinct columns.
    """
    width = counts.shape[0]
    first = max(int(head), clock - width + 1, 0)
    return [[day, int(counts[day % width])] for day in range(first, clock) if counts[day % width] > 0]


def poisson(u: float, mean: float) -> int:
    """A Poisson count with ``mean`` from one uniform, by the engine's inversion."""
    return int(poisson_from_uniform(np.array([u]), np.array([mean]))[0])


# ---------------------------------------------------------------- what a person meets


@dataclass(frozen=True)
class Levers:
    """What one person meets from their manager's leadership style today."""

    authority: float  # stakes up to this are decided in the team
    escalation: float  # stakes above this (and above authority) go to the escalation target
    escalate_pool: bool  # the escalation target: the shared leadership pool, else the owner
    voice: float  # share of the team the manager consults
    vision: float
    pressure: float
    support: float  # dose of the manager's supporting time, in [0, 1]
    coaching: float  # dose of the manager's coaching time, in [0, 1]
    direction: float  # dose of the manager's directing time, in [0, 1]
    coaching_time: float  # share of the person's own day spent being coached


def style_row(engine: Engine, style: str) -> dict[str, float]:
    """One style's parameters, with the scenario's overrides (and the leader's own-work share)."""
    number = STYLES.index(style)
    return {name: float(engine.table[name][number]) for name in (*PARAMS, "time_own_work")}


def development_level(model: SMBModel, person: Employee) -> int:
    """Hersey–Blanchard development level, 0..3 for D1..D4, from competence and commitment.

    D1 low competence, high commitment; D2 low, low; D3 high competence, low commitment; D4 high, high.
    """
    cuts = model.leadsim_scenario.leadership.situational
    competent = person.competence >= cuts.competence_cut
    committed = person.engagement >= cuts.commitment_cut
    if competent:
        return 3 if committed else 2
    return 0 if committed else 1


def route_split(authority: float, escalation: float, stakes_shape: float) -> tuple[float, float, float]:
    """Shares of a person's decisions for their team, their leader and the escalation target.

    Stakes s have P(s > x) = (1 - x)^b: s <= authority stays in the team, s above
    max(authority, escalation) escalates, the rest goes to the leader.
    """
    above_authority = (1.0 - authority) ** stakes_shape
    escalated = (1.0 - max(authority, escalation)) ** stakes_shape
    return 1.0 - above_authority, max(above_authority - escalated, 0.0), escalated


def pooled(own: float, consulted: float, pooling: float) -> float:
    """Quality of a decision by a decider of competence ``own`` who consults ``consulted`` expertise.

    What the consulted know fills the gap to 1 with diminishing returns.
    """
    return own + (1.0 - own) * (1.0 - math.exp(-pooling * consulted))


def clip(value: float, low: float = 0.0, high: float = 1.0) -> float:
    """``value`` held within [low, high]."""
    return min(max(value, low), high)


# ---------------------------------------------------------------- the day


class ReferenceDay:
    """One working day of a ``ReferenceModel``, agent by agent.

    Build it and call ``run()``; each phase method reads what earlier phases left in ``self``.
    Per-person figures of the day are lists indexed by the person's slot (``person.index``),
    per-queue figures lists indexed like the engine's queues: leaders' own queues by rank, then
    their teams' queues by rank, then the shared leadership pool.

    Args:
        model: the model to advance.
        shuffle: walk the agents in a random order in every phase.
    """

    def __init__(self, model: ReferenceModel, shuffle: bool = False) -> None:
        engine = model.engine
        self.model = model
        self.engine = engine
        self.shuffle = shuffle
        self.scenario = model.leadsim_scenario
        self.dyn = self.scenario.dynamics
        self.clock = engine.clock  # days run, warm-up included: decisions are dated on it
        self.t = engine.clock - engine.warmup  # the reported day
        self.queues = model.queues  # decisions: L leader queues, L team queues, the pool
        self.responses = model.response_queues  # shock response decisions, the same layout
        h = engine.hierarchy
        self.people: list[Employee] = model.people
        self.leaders: list[Leader] = [self.people[i] for i in h.leader_ids]  # by rank
        self.owner: Leader = self.leaders[0]
        self.pool = len(self.queues) - 1  # the pool's queue number
        # What the agents do not expose as properties: replication 0 of the engine's arrays.
        self.active, self.hire_day = engine.active[0], engine.hire_day[0]
        self.absent_until, self.tenure = engine.absent_until[0], engine.tenure[0]
        self.adoption, self.waiting = engine.adoption[0], engine.waiting[0]
        self.knowledge, self.alignment = engine.knowledge[0], engine.alignment[0]
        self.traits = engine.traits
        self.rows = {style: style_row(engine, style) for style in STYLES}

    # -------------------------------------------------------- who is who

    def everyone(self) -> list[Employee]:
        """All people, in slot order or shuffled."""
        return list(self.model.agents.shuffle()) if self.shuffle else self.people

    def manager_of(self, person: Employee) -> Leader:
        """A person's manager; the owner answers to themself."""
        return self.people[person.manager_index] if person.manager_index >= 0 else self.owner

    def team(self, leader: Leader) -> list[Employee]:
        """A leader's direct reports (the owner is nobody's team member)."""
        return self.model.teams[leader.rank]

    def present_team(self, leader: Leader) -> list[Employee]:
        """The direct reports at work today."""
        return [p for p in self.team(leader) if self.present[p.index]]

    def row(self, leader: Leader) -> dict[str, float]:
        """The parameters of a leader's style."""
        return self.rows[leader.style]

    def leader_queue(self, leader: Leader) -> int:
        """The number of the queue of what a leader decides."""
        return leader.rank

    def team_queue(self, leader: Leader) -> int:
        """The number of the queue of what a leader's team decides itself."""
        return len(self.leaders) + leader.rank

    # -------------------------------------------------------- the phases

    def run(self) -> None:
        """Advance the model by one day."""
        engine = self.engine
        if self.t >= engine.days:
            raise RuntimeError(f"the horizon of {engine.days} days is reached")
        # The engine's uniforms for today (replication 0): the same numbers, in the same places.
        self.u = {name: values[0] for name, values in engine.draws.next_day().items()}
        self.effects: DayEffects = effects_on(self.t, engine.events, self.dyn.mitigable)
        self.change_structure()
        self.start_shocks()
        self.hires = self.fill_vacancies()
        self.failed = bool(engine.failed[0])
        self.present = [p.present and not self.failed for p in self.people]
        self.meet_leaders()
        self.route_decisions()
        self.raise_responses()
        self.arrive()
        self.decide()
        self.judge_quality()
        self.wait()
        self.spend_the_day()
        self.produce()
        self.trade()
        self.update_people()
        self.quits, self.replacement = self.leave_or_stay()
        self.pay()
        self.record()
        for q in range(len(self.queues)):  # Leader.backlog and the engine's views read these
            engine.backlog[q] = self.queues[q].backlog
            engine.response_backlog[q] = self.responses[q].backlog
        engine.clock += 1

    def change_structure(self) -> None:
        """The scenario's change of structure, on its day: every leader takes the new style."""
        change = self.scenario.leadership.change
        if change is not None and self.t == change.day:
            self.engine.set_styles(change.style, change.by_level)
            self.engine.change_day = self.t

    def start_shocks(self) -> None:
        """Shocks that act once, on their first day: people lost, skills dipping."""
        for event in self.effects.starting[0]:
            if event.type == "key_person_loss":
                for person in self.key_people(event):
                    if event.duration > 0:
                        self.absent_until[person.index] = self.clock + event.duration
                    else:
                        self.leave(person)
            elif event.type == "automation_rollout":
                for person in self.everyone():  # every slot, filled or not
                    person.competence *= 1.0 - AUTOMATION_SKILL_DIP * event.magnitude

    def key_people(self, event: ShockEvent) -> list[Employee]:
        """Who a key-person loss takes: the owner, some leaders, or the most competent employee.

        Only people in post can be lost (a vacant slot keeps its hiring date).
        """
        if event.who == "leader":
            chosen = [self.leaders[rank] for rank in event.leader_ranks]
        elif event.who == "top_expert":
            candidates = [p for p in self.people if p.employed and not p.is_leader]
            chosen = [max(candidates, key=lambda p: p.competence)] if candidates else []
        else:
            chosen = [self.owner]
        return [person for person in chosen if person.employed]

    def leave(self, person: Employee) -> None:
        """A person leaves for good, taking their competence and knowledge; a hire follows later."""
        i = person.index
        self.active[i] = False
        self.hire_day[i] = self.clock + 1 + self.scenario.org.hire_delay_days
        self.absent_until[i] = 0
        self.waiting[i] = 0.0
        self.knowledge[i] = 0.0

    def fill_vacancies(self) -> int:
        """Hires take the vacancies due today, unless cash covers too few months of costs.

        A frozen vacancy waits a day and asks again; hiring-wave slots (new posts) are never frozen.
        A hire arrives with their own competence and ceiling, keen and knowing nothing yet. Their
        disposition, sensitivities and rapport are those of a slot drawn at random (the vacant
        slot's own quit uniform of the day picks it), as that slot's were before today's hires:
        every hire draws from the firm as it stood this morning, so the order of hiring does not
        matter (the donor may be vacant, hired today, or the slot itself).
        """
        engine, org = self.engine, self.scenario.org
        if engine.failed[0]:
            return 0
        short = engine.cash[0] < self.scenario.economics.hiring_freeze_months * MONTH * engine.daily_costs[0]
        n = len(self.people)
        traits = self.traits
        disposition, rapport = traits.disposition[0].copy(), traits.rapport[0].copy()  # this morning's
        sensitivity = {name: values[0].copy() for name, values in traits.sensitivity.items()}
        hires = 0
        for person in self.everyone():
            i = person.index
            if person.employed or not 0 <= self.hire_day[i] <= self.clock:
                continue
            if short and engine.hierarchy.join_day[i] == 0:
                self.hire_day[i] = self.clock + 1
                continue
            skill = float(
                normal_from_uniform(self.u["hire"][i], org.hire_competence.mean, org.hire_competence.sd)
            )
            person.competence = clip(skill, 0.05, 1.0)
            room = float(
                normal_from_uniform(
                    self.u["ceiling"][i], org.competence.mean + CEILING_ABOVE, org.competence.sd
                )
            )
            traits.ceiling[0, i] = clip(max(room, person.competence), 0.05, 1.0)
            donor = min(int(self.u["quit"][i] * n), n - 1)
            traits.disposition[0, i] = disposition[donor]
            traits.rapport[0, i] = rapport[donor]
            for name, values in traits.sensitivity.items():
                values[0, i] = sensitivity[name][donor]
            person.engagement = self.dyn.new_hire_engagement
            self.tenure[i] = 0
            self.adoption[i] = 0.0
            self.knowledge[i] = 0.0
            self.absent_until[i] = 0
            self.active[i] = True
            self.hire_day[i] = -1
            hires += 1
        return hires

    def meet_leaders(self) -> None:
        """What each person meets from their manager: authority, and a share of the leader's time.

        A leader at work shares their time for supporting, coaching and directing among the present
        team in proportion to each person's weight: 1, or for a situational manager the S1–S4 weight
        of the person's development level (which sets the person's authority too; a team needing
        little gets no more than its need's share: the weights count as at least ``NEED_FLOOR`` per
        person present). An absent leader gives no time, and people away receive none. A dose of 1
        is ``FULL_DOSE`` of a day or more.
        """
        situational = self.scenario.leadership.situational
        n = len(self.people)
        weights = {"support": [1.0] * n, "coaching": [1.0] * n, "direction": [1.0] * n}
        authority = [0.0] * n
        for person in self.everyone():
            i = person.index
            manager = self.manager_of(person)
            authority[i] = self.row(manager)["authority_threshold"]
            if manager.style == "situational":
                response = getattr(situational, f"S{development_level(self.model, person) + 1}")
                authority[i] = response.authority_threshold
                weights["support"][i] = response.support
                weights["coaching"][i] = response.coaching_share
                weights["direction"][i] = response.direction

        received = {}  # share of a day each person receives of their manager's time, per activity
        for activity, share in (
            ("support", "time_supporting"),
            ("coaching", "time_coaching"),
            ("direction", "time_directing"),
        ):
            weight = weights[activity]
            per_weight = {}
            for leader in self.leaders:
                team = self.present_team(leader)
                team_weight = sum(weight[p.index] for p in team)
                if leader.style == "situational":  # shared by need, among at least NEED_FLOOR each
                    team_weight = max(team_weight, NEED_FLOOR * len(team))
                given = self.row(leader)[share] * self.present[leader.index]  # only a leader at work
                per_weight[leader.rank] = given / max(team_weight, 1e-9)
            received[activity] = [
                0.0
                if person is self.owner or not self.present[person.index]  # only people at work
                else per_weight[self.manager_of(person).rank] * weight[person.index]
                for person in self.people
            ]

        self.levers: list[Levers] = [None] * n  # type: ignore[list-item]
        for person in self.everyone():
            i = person.index
            row = self.row(self.manager_of(person))
            self.levers[i] = Levers(
                authority=authority[i],
                escalation=row["escalation_threshold"],
                escalate_pool=row["escalate_to"] == ESCALATE_POOL,
                voice=row["voice"],
                vision=row["vision"],
                pressure=row["pressure"],
                support=min(received["support"][i] / FULL_DOSE, 1.0),
                coaching=min(received["coaching"][i] / FULL_DOSE, 1.0),
                direction=min(received["direction"][i] / FULL_DOSE, 1.0),
                coaching_time=received["coaching"][i],
            )

    def acting_for(self, leader: Leader) -> Leader | None:
        """The nearest present leader up the line (the leader themself if present); None if nobody."""
        while not self.present[leader.index]:
            if leader is self.owner:
                return None
            leader = self.manager_of(leader)
        return leader

    def route_decisions(self) -> None:
        """Absent leaders hand over; each person's decisions are split by stakes among three queues.

        Turbulent times bring more decisions and higher stakes.
        """
        market = self.scenario.market
        self.turbulence = 1.0 + market.turbulence + float(self.effects.turbulence[0])
        stakes_shape = market.stakes_shape / self.turbulence

        self.deciding_queue: list[int] = []  # per leader rank: the queue their decisions join
        for leader in self.leaders:
            acting = self.acting_for(leader)
            if acting is None:  # nobody above is at work either: decisions wait in the queue
                self.deciding_queue.append(self.leader_queue(leader))
                continue
            if acting is not leader:
                mine, theirs = self.leader_queue(leader), self.leader_queue(acting)
                self.queues[theirs].take_over(self.queues[mine])
                self.responses[theirs].take_over(self.responses[mine])
            self.deciding_queue.append(self.leader_queue(acting))

        n = len(self.people)
        self.split = [(0.0, 0.0, 0.0)] * n
        self.rate = [0.0] * n  # decisions raised per day
        self.routes: list[tuple[int, int, int]] = [(0, 0, 0)] * n
        for person in self.everyone():
            i, levers = person.index, self.levers[person.index]
            manager = self.manager_of(person)
            # The owner decides their own decisions; nothing is above them.
            if person is self.owner:
                self.split[i] = (0.0, 1.0, 0.0)
            else:
                self.split[i] = route_split(levers.authority, levers.escalation, stakes_shape)
            self.rate[i] = market.decision_rate * self.turbulence * self.present[i]
            escalated = self.pool if levers.escalate_pool else self.deciding_queue[0]
            self.routes[i] = (self.team_queue(manager), self.deciding_queue[manager.rank], escalated)

    def raise_responses(self) -> None:
        """Each team raises the response decisions to a shock starting today.

        They have the stakes ``response_stakes`` and are routed by the team leader's style
        (the owner's team's go to the owner).
        """
        stakes = self.dyn.response_stakes
        self.responses_raised = 0
        for event in self.effects.starting[0]:
            per_team = max(1, round(self.dyn.response_decisions * event.magnitude))
            for leader in self.leaders:
                row = self.row(leader)
                authority, escalation = row["authority_threshold"], row["escalation_threshold"]
                if stakes <= authority:
                    q = self.team_queue(leader)
                elif stakes <= max(authority, escalation) or leader is self.owner:
                    q = self.deciding_queue[leader.rank]
                elif row["escalate_to"] == ESCALATE_POOL:
                    q = self.pool
                else:
                    q = self.deciding_queue[0]
                self.responses[q].add(self.clock, per_team)
                event.responses_raised += per_team
                self.responses_raised += per_team

    def arrive(self) -> None:
        """Each queue receives Poisson arrivals at the summed rate of the people routed to it."""
        self.load = [0.0] * len(self.queues)  # decisions expected today per queue
        for person in self.everyone():
            i = person.index
            for q, share in zip(self.routes[i], self.split[i], strict=True):
                self.load[q] += self.rate[i] * share
        self.arrivals = 0
        for q, queue in enumerate(self.queues):
            count = poisson(self.u["arrive"][q], self.load[q])
            queue.add(self.clock, count)
            self.arrivals += count

    def capacities(self) -> list[float]:
        """Decisions each queue can make today (the mean of its Poisson service).

        A leader decides in the time their style gives to deciding, at a pace set by competence,
        slowed by consultation. Team members decide their own matters in part of their day, as far
        as their initiative goes. The pool is its members' time, less coordination.
        """
        org, dyn = self.scenario.org, self.dyn
        initiative_damping = 1.0 - 0.5 * org.power_distance

        def speed(competence: float) -> float:  # decisions per full day
            return (0.5 + 0.5 * competence) / dyn.decision_effort

        leader_capacity, team_capacity = [], []
        pool_raw, pool_members = 0.0, 0
        for leader in self.leaders:
            row = self.row(leader)
            at_work = self.present[leader.index]
            leader_capacity.append(
                row["time_deciding"] * speed(leader.competence) / (1.0 + row["consultation_effort"]) * at_work
            )
            team_capacity.append(
                sum(
                    dyn.member_decision_time * p.engagement * initiative_damping * speed(p.competence)
                    for p in self.present_team(leader)
                )
            )
            if at_work and row["time_pool"] > 0:
                pool_raw += row["time_pool"] * speed(leader.competence)
                pool_members += 1
        pool_capacity = pool_raw / (1.0 + dyn.coordination_cost * max(pool_members - 1, 0))
        return [*leader_capacity, *team_capacity, pool_capacity]

    def decide(self) -> None:
        """Each queue decides response decisions first, then its oldest decisions; overdue ones expire.

        Leaders hold back the decisions raised within their style's consultation lag (the lag of the
        queue's own leader, also while someone acts for them).
        """
        self.capacity = self.capacities()
        size = len(self.queues)
        self.decided = [0] * size
        self.taken_locally = [0] * size
        self.responses_done = [0] * size
        self.responses_gone = [0] * size
        self.latencies: dict[int, int] = {}  # decisions resolved today, by latency
        oldest_kept = self.clock - self.dyn.patience_days + 1
        for q in range(size):
            lag = int(self.row(self.leaders[q])["consultation_days"]) if q < len(self.leaders) else 0
            can_decide = poisson(self.u["serve"][q], self.capacity[q])
            for kind, queue in (("responses", self.responses[q]), ("decisions", self.queues[q])):
                for day, count in queue.serve(can_decide, self.clock - lag):
                    can_decide -= count
                    self.decided[q] += count
                    self.responses_done[q] += count if kind == "responses" else 0
                    self.latencies[self.clock - day] = self.latencies.get(self.clock - day, 0) + count
        for q in range(size):
            for kind, queue in (("responses", self.responses[q]), ("decisions", self.queues[q])):
                for day, count in queue.expire(oldest_kept):  # whoever waits on it takes it
                    self.taken_locally[q] += count
                    self.responses_gone[q] += count if kind == "responses" else 0
                    self.latencies[self.clock - day] = self.latencies.get(self.clock - day, 0) + count

    def judge_quality(self) -> None:
        """The quality of each queue's decisions today, of those taken locally, and of the day.

        A leader pools what the consulted part of the team knows; a team's decision is as good as
        the expertise it holds (the expert weighs more); the pool pools its members. Misalignment
        and a decider's queued work cost quality. Resolved responses mitigate their shocks.
        """
        dyn = self.dyn
        leader_quality, team_quality, local_team, aligned = [], [], [], []
        for leader in self.leaders:
            skills = [p.competence for p in self.present_team(leader)]
            team_mean = sum(skills) / max(len(skills), 1)
            expertise = sum(c * c for c in skills) / max(sum(skills), 1e-9)
            # The owner's own decisions define the strategy: they are never misaligned.
            fit = (
                1.0
                if leader is self.owner
                else 1.0 - dyn.misalignment_cost * (1.0 - self.alignment[leader.rank])
            )
            aligned.append(fit)
            consulted = self.row(leader)["voice"] * sum(skills)
            leader_quality.append(pooled(leader.competence, consulted, dyn.pooling) * fit)
            team_quality.append(expertise * fit)
            local_team.append(dyn.local_quality * team_mean * fit)
        in_pool = [
            leader.competence
            for leader in self.leaders
            if self.present[leader.index] and self.row(leader)["time_pool"] > 0
        ]
        firm_alignment = sum(aligned) / len(aligned)
        pool_mean = sum(in_pool) / max(len(in_pool), 1)
        pool_quality = pooled(pool_mean, sum(in_pool) - pool_mean, dyn.pooling) * firm_alignment
        quality = [*leader_quality, *team_quality, pool_quality]
        for q in range(len(quality)):  # rushed: a decider with days of work queued
            backlog = self.queues[q].backlog + self.responses[q].backlog
            days_queued = min(backlog / max(self.capacity[q], 0.1), 30.0)
            quality[q] *= 1.0 / (1.0 + dyn.overload_quality * days_queued)

        at_work = [p.competence for p in self.people if self.present[p.index]]
        firm_mean = sum(at_work) / max(len(at_work), 1)
        local_firm = dyn.local_quality * firm_mean * firm_alignment
        # Overdue decisions are taken by whoever waits on them: a leader's by their team, the
        # owner's and the pool's by anyone in the firm.
        local = [local_firm, *local_team[1:], *local_team, local_firm]
        self.quality, self.local_quality = quality, local

        responses = sum(self.responses_done) + sum(self.responses_gone)
        if responses:
            credit = sum(
                done * qu + gone * lo
                for done, gone, qu, lo in zip(
                    self.responses_done, self.responses_gone, quality, local, strict=True
                )
            )
            credit_responses(self.engine.events[0], responses, credit)

        resolved = sum(self.decided) + sum(self.taken_locally)
        if resolved:
            weight = sum(
                d * qu + k * lo
                for d, k, qu, lo in zip(self.decided, self.taken_locally, quality, local, strict=True)
            )
            self.quality_today = weight / resolved
            memory = self.engine.quality_memory
            memory[0] = memory[0] + 0.1 * (self.quality_today - memory[0])
        else:
            self.quality_today = math.nan

    def wait(self) -> None:
        """People wait on their share of the backlog of each queue their decisions go to."""
        dyn = self.dyn
        pending_per_rate = []  # a queue's backlog, shared out by arrival rate
        for q in range(len(self.queues)):
            backlog = self.queues[q].backlog + self.responses[q].backlog
            pending_per_rate.append(backlog / self.load[q] if self.load[q] > 0 else 0.0)
        self.blocked = [0.0] * len(self.people)
        for person in self.everyone():
            i = person.index
            self.waiting[i] = sum(
                self.rate[i] * share * pending_per_rate[q]
                for q, share in zip(self.routes[i], self.split[i], strict=True)
            )
            self.blocked[i] = dyn.max_blocked * (1.0 - math.exp(-dyn.block_per_decision * self.waiting[i]))

    def spend_the_day(self) -> None:
        """How each person's day is spent, and who took which decisions today.

        Team decisions are taken by whoever holds the expertise (in proportion to competence
        squared); overdue decisions by whoever waits on them; consulted decisions take meeting time
        of the team; coaching takes the time received. Leaders also take their own queue's
        decisions and a share of the pool's, and work on their own tasks in the time their style
        leaves them. Practice is the day spent on real work or decisions: idle capacity (too few
        orders yesterday) forgets.
        """
        dyn, L = self.dyn, len(self.leaders)
        n_present = sum(self.present)
        expertise_pool, local_per_member, meetings = {}, {}, {}
        for leader in self.leaders:
            k, members = leader.rank, self.present_team(leader)
            expertise_pool[k] = sum(p.competence**2 for p in members)
            from_leader_queue = 0 if leader is self.owner else self.taken_locally[k]
            local_per_member[k] = (from_leader_queue + self.taken_locally[L + k]) / max(len(members), 1)
            meetings[k] = dyn.meeting_time * (self.decided[k] * self.row(leader)["voice"])
        local_firm = (self.taken_locally[self.pool] + self.taken_locally[0]) / max(n_present, 1)
        givers = [p for p in self.leaders if self.present[p.index] and self.row(p)["time_pool"] > 0]

        n = len(self.people)
        self.work, self.taken, self.practice, self.busy = [0.0] * n, [0.0] * n, [0.0] * n, [0.0] * n
        utilisation = float(self.engine.utilisation[0])
        for person in self.everyone():
            i, c = person.index, person.competence
            k = self.manager_of(person).rank
            taken = 0.0
            if self.present[i] and person is not self.owner:
                share = c**2 / max(expertise_pool[k], 1e-9)
                taken = self.decided[L + k] * share + local_per_member[k] + local_firm
            deciding = taken * dyn.decision_effort / (0.5 + 0.5 * c)
            busy = deciding + meetings[k] + self.levers[i].coaching_time
            work = (1.0 - self.blocked[i]) * clip(1.0 - busy)
            if person.is_leader:
                own = person.rank
                pool_share = 1.0 / len(givers) if person in givers else 0.0
                taken += self.decided[own] + pool_share * self.decided[self.pool]
                work = (1.0 - self.blocked[i]) * self.row(person)["time_own_work"]
            practice = clip(1.0 - self.blocked[i] - work * (1.0 - utilisation))
            self.taken[i] = taken
            self.busy[i] = busy
            self.work[i] = work * self.present[i]
            self.practice[i] = practice * self.present[i]

    def change_dip(self, t: int) -> float:
        """Productivity kept while people learn a new structure: the dip fades over its duration."""
        change, since = self.scenario.leadership.change, self.engine.change_day
        if change is None or since < 0 or change.duration == 0:
            return 1.0
        return 1.0 - change.learning_dip * max(0.0, 1.0 - (t - since) / change.duration)

    def produce(self) -> None:
        """Units of work the firm can deliver today.

        Each person gives competence × engagement × onboarding × automation × time at work; the
        firm loses part of it when its knowledge is not at work, and gains or loses with the
        quality of recent decisions and a change of structure's learning dip.
        """
        engine, dyn, effects = self.engine, self.dyn, self.effects
        ramp_days = max(dyn.onboarding_days, 1) / (1.0 + float(effects.onboarding_help[0]))
        automation = float(effects.automation_level[0])
        units, at_work, held = 0.0, 0.0, 0.0
        for person in self.everyone():
            i = person.index
            ramp = min(1.0, ONBOARDING_START + (1 - ONBOARDING_START) * self.tenure[i] / ramp_days)
            gain = 1.0 + dyn.automation_gain * automation * self.adoption[i]
            engaged = ENGAGED_BASE + ENGAGED_GAIN * person.engagement
            units += person.competence * engaged * ramp * gain * self.work[i]
            at_work += self.knowledge[i] * self.present[i]
            held += self.knowledge[i] * self.active[i]
        reference = engine.knowledge_reference
        if engine.clock == 0:
            reference[0] = held
        else:
            reference[0] = reference[0] + (held - reference[0]) / dyn.knowledge_days
        if reference[0] > 0:
            available = min(at_work / max(reference[0], 1e-9), 1.0)
        else:  # before anyone has learnt anything there is nothing to miss
            available = 1.0
        available = available + (1.0 - available) * float(effects.knowledge_relief[0])
        engine.knowledge_available = np.array([available])
        knowledge = 1.0 - dyn.knowledge_weight * (1.0 - available)
        units = units * float(effects.productivity_factor[0]) * knowledge
        units = units * (0.75 + 0.5 * float(engine.quality_memory[0])) * self.change_dip(self.t)
        self.capacity_units = 0.0 if self.failed else units

    def trade(self) -> None:
        """The market's day (shared with the engine): orders, shipments, customers; workload follows.

        People put in overtime when work piles up; idle capacity shows as low utilisation.
        """
        engine, market = self.engine, self.scenario.market
        if engine.market is None:  # no warm-up: the market opens on the first day
            engine.market = markets.MarketState.start(np.array([market.demand * self.capacity_units]), market)
        self.capacity_units *= self.overtime()
        trade = markets.trade(
            engine.market,
            np.array([self.capacity_units]),
            self.effects.order_factor,
            self.effects.market_factor,
            np.array([self.quality_today]),
            market,
        )
        self.orders = float(trade["orders"][0])
        self.shipments = float(trade["shipments"][0])
        self.delivery_delay = float(trade["delivery_delay"][0])
        capacity = self.capacity_units
        engine.utilisation[0] = self.shipments / max(capacity, 1e-9) if capacity > 0 else 0.0
        engine.workload[0] = clip(self.delivery_delay / market.normal_delivery_days - 1.0)
        self.revenue = self.shipments * self.scenario.economics.price_per_unit

    def overtime(self) -> float:
        """Extra effort people put in when work piles up: engaged people more (discretionary effort).

        The pile is the book with today's orders, in days of today's capacity; people push when it
        is above what they are used to (its recent level, remembered over ``PILE_MEMORY`` days).
        """
        engine, state = self.engine, self.engine.market
        orders = state.customers[0] * float(self.effects.order_factor[0])
        pile = (state.order_book[0] + orders) / max(self.capacity_units, 1e-9)
        if engine.usual_pile is None:
            engine.usual_pile = np.array([pile])
        usual = engine.usual_pile
        pressure = clip(pile / max(usual[0], 1.0) - 1.0)
        usual[0] = usual[0] + (pile - usual[0]) / PILE_MEMORY
        here = [p.engagement for p in self.people if self.present[p.index]]
        engaged = sum(here) / max(len(here), 1)
        return 1.0 + self.dyn.overtime * pressure * engaged

    def update_people(self) -> None:
        """Engagement, competence, knowledge, team alignment and adoption move for the day."""
        dyn, effects = self.dyn, self.effects
        new_engagement = {
            person.index: self.engagement_after(person)
            for person in self.everyone()
            if self.present[person.index]
        }
        for person in self.everyone():  # written only now: contagion reads today's old values
            if person.index in new_engagement:
                person.engagement = new_engagement[person.index]

        for person in self.everyone():
            i = person.index
            if self.present[i]:  # bounded learning: growth toward one's ceiling, forgetting idle
                c, practice = person.competence, self.practice[i]
                growth = (
                    dyn.learning_rate * practice
                    + dyn.coaching_gain * self.levers[i].coaching
                    + dyn.autonomy_learning * self.split[i][0]  # deciding one's own matters
                ) * max(self.traits.ceiling[0, i] - c, 0.0)
                forgetting = dyn.forgetting_rate * (1.0 - practice) * c
                person.competence = clip(c + growth - forgetting)
            if self.active[i]:
                gained = self.taken[i] + COACHED_KNOWLEDGE * self.levers[i].coaching
                self.knowledge[i] += (gained - self.knowledge[i]) / dyn.knowledge_days

        for leader in self.leaders:
            members = self.present_team(leader)
            local_share = sum(self.split[p.index][0] for p in members) / max(len(members), 1)
            skill = sum(p.competence for p in members) / max(len(members), 1)  # after today's learning
            # Local decisions erode alignment as far as the team still has to learn.
            drift = dyn.alignment_drift * local_share * 2.0 * (1.0 - skill)
            a, vision = self.alignment[leader.rank], self.row(leader)["vision"]
            a = a + dyn.alignment_rate * vision * (1.0 - a) - drift * a
            self.alignment[leader.rank] = clip(a)

        automation = float(effects.automation_level[0])
        if automation > 0:
            for person in self.everyone():
                i = person.index
                if self.present[i]:
                    levers = self.levers[i]
                    help_given = (self.perceived_support(person) + levers.voice + levers.coaching) / 3.0
                    help_given = min(help_given + float(effects.rollout_help[0]), 1.0)
                    pace = dyn.adoption_rate * (0.3 + 0.7 * help_given) * person.engagement
                    self.adoption[i] += pace * (1.0 - self.adoption[i])

        for person in self.everyone():
            self.tenure[person.index] += person.employed

    def perceived(self, person: Employee) -> float:
        """How strongly a person perceives what their leader does (rapport, capped)."""
        rapport = self.traits.rapport[0, person.index]
        return min(rapport * self.dyn.engagement.leader_sensitivity, 3.0)

    def perceived_support(self, person: Employee) -> float:
        """The support a person perceives: the dose received, seen through rapport (at most 1)."""
        return min(self.levers[person.index].support * self.perceived(person), 1.0)

    def job(self, person: Employee) -> tuple[dict[str, float], dict[str, float]]:
        """The job resources and demands a present person meets today, each in [0, 1] or so.

        Resources: autonomy (as far as the person is ready for it), voice, support, vision, growth
        (coaching) and pressure as a challenge while not strained. Demands: time blocked, orders
        beyond capacity, shock stress (softened by support and voice), ambiguity, micromanagement,
        autonomy beyond readiness without support, and pressure turned to strain. What comes from
        the leader is perceived through the person's rapport with them.
        """
        effects, engine = self.effects, self.engine
        i, levers = person.index, self.levers[person.index]
        competence = person.competence
        perceived = self.perceived(person)
        share_team, share_leader, _ = self.split[i]
        autonomy = 1.0 if person is self.owner else share_team + levers.voice * share_leader
        readiness = competence * (1.0 - 0.5 * self.scenario.org.power_distance)
        support = self.perceived_support(person)
        workload = float(engine.workload[0])
        strain = clip(workload + self.blocked[i] + self.busy[i]) * (1.0 - support)
        pressure = levers.pressure * perceived
        change_stress = 0.0
        if self.scenario.leadership.change is not None and engine.change_day >= 0:
            change_stress = 1.0 - self.change_dip(self.t)
        rollout_stress = (
            float(effects.rollout_under_way[0])
            * float(effects.automation_level[0])
            * (1.0 - self.adoption[i])
            * (1.0 - float(effects.rollout_help[0]))
        )
        buffer = 1.0 - 0.5 * max(support, levers.voice)  # leaders soften a shock's stress
        resources = {
            "autonomy": min(autonomy, readiness),  # autonomy helps as far as one is ready
            "voice": levers.voice * perceived,
            "support": support,
            "vision": levers.vision * perceived,
            "growth": levers.coaching * perceived,
            "challenge": pressure * (1.0 - strain),
        }
        team_alignment = self.alignment[self.manager_of(person).rank]
        demands = {
            "blocked": self.blocked[i],
            "workload": workload,
            "shock": (float(effects.stress[0]) + rollout_stress + change_stress) * buffer,
            "ambiguity": 0.5 * (1.0 - team_alignment) + 0.5 * (1.0 - levers.direction) * (1.0 - competence),
            "micromanagement": levers.direction * perceived * max(readiness - autonomy, 0.0),
            "overreach": max(autonomy - readiness, 0.0) * (1.0 - support),
            "hindrance": pressure * strain,
        }
        return resources, demands

    def engagement_after(self, person: Employee) -> float:
        """One day of the job demands–resources update of a present person's engagement.

        Resources pull engagement up toward 1 and demands down toward 0, each weighted by the
        person's own sensitivity, on top of the person's disposition (trait engagement); support
        buffers demands; peers on the informal network pull toward their mean; plus a little noise.
        """
        p, i, e = self.dyn.engagement, person.index, person.engagement
        resources, demands = self.job(person)
        support = resources["support"]
        temper = math.sqrt(self.traits.disposition[0, i])  # trait engagement, on both sides of the job
        sensitivity = {name: values[0, i] for name, values in self.traits.sensitivity.items()}
        total_resources = p.base_resources * temper
        for name, weight in RESOURCE_WEIGHTS.items():
            total_resources += getattr(p, weight) * sensitivity[name] * resources[name]
        total_demands = p.base_demands / temper
        for name, weight in DEMAND_WEIGHTS.items():
            total_demands += getattr(p, weight) * sensitivity[name] * demands[name]
        total_demands *= 1.0 - p.support_buffer * support  # support buffers demands

        peers = [self.people[j].engagement for j in self.model.neighbours[i] if self.present[j]]
        peer_mean = sum(peers) / len(peers) if peers else e
        noise = p.noise * math.sqrt(3.0) * (2.0 * self.u["noise"][i] - 1.0)  # uniform, sd = p.noise
        change = (
            p.resource_gain * total_resources * (1.0 - e)
            - p.demand_gain * total_demands * e
            + p.contagion * (peer_mean - e)
            + noise
        )
        return clip(e + change)

    def leave_or_stay(self) -> tuple[int, float]:
        """Present people quit with a hazard that rises as engagement falls (the owner stays).

        Returns:
            How many quit, and what replacing them costs (a share of a year's wage each).
        """
        dyn, economics = self.dyn, self.scenario.economics
        wages = self.engine.wages.daily
        quits, cost = 0, 0.0
        for person in self.everyone():
            i = person.index
            if not self.present[i] or person is self.owner or person.tenure <= 1:
                continue  # the owner stays; today's hires stay today
            gap = dyn.quit_reference_engagement - person.engagement
            hazard = min(dyn.quit_rate_per_year / 260.0 * math.exp(dyn.quit_sensitivity * gap), 1.0)
            if self.u["quit"][i] < hazard:
                self.leave(person)
                quits += 1
                cost += economics.recruiting_cost_share * wages[i] * markets.DAYS_PER_YEAR
        return quits, cost

    def pay(self) -> None:
        """Revenue in; payroll, overheads of the posts, materials, replacements out; cash runs out?

        Every post that exists today carries overheads, filled or not (a hiring wave's posts from
        their first day); a change of structure costs its price on its own day.
        """
        engine, economics = self.engine, self.scenario.economics
        wages = engine.wages.daily
        self.payroll = sum(wages[p.index] for p in self.people if p.employed)
        join_day = engine.hierarchy.join_day
        posts = sum(1 for p in self.people if join_day[p.index] <= self.clock)
        overhead = posts * economics.overhead_per_person_year / markets.DAYS_PER_YEAR
        materials = economics.materials_share * self.revenue
        spent = self.payroll + overhead + materials + self.replacement
        if engine.change_day >= 0 and self.t == engine.change_day:
            spent += self.scenario.leadership.change.cost
        if self.failed:  # a closed firm neither earns nor spends
            spent, self.revenue = 0.0, 0.0
        self.costs = spent
        engine.cash[0] = engine.cash[0] + self.revenue - spent
        engine.daily_costs[0] = spent
        if engine.cash[0] < 0 and not self.failed:
            self.fail()

    def fail(self) -> None:
        """Cash ran out: the firm closes, everyone goes and nobody is hired."""
        engine = self.engine
        engine.failed[0] = True
        engine.failed_day[0] = self.t
        for person in self.everyone():
            self.active[person.index] = False
            self.hire_day[person.index] = -1

    def record(self) -> None:
        """Write the day's figures into the engine's metrics (and its run totals of latencies)."""
        engine, t = self.engine, self.t
        resolved = sum(self.decided) + sum(self.taken_locally)
        for latency, count in self.latencies.items():
            engine.latency_histogram[0, latency] += count
            engine.latency_total[0] += latency * count
        engine.decided_total[0] += resolved
        if t < 0:
            return
        m = {name: values[0] for name, values in engine.metrics.items()}
        here = [p for p in self.people if self.present[p.index]]
        some = max(len(here), 1)

        m["arrivals"][t] = self.arrivals + self.responses_raised  # decisions and responses raised
        m["decided"][t] = sum(self.decided)
        m["expired"][t] = sum(self.taken_locally)
        pending = [*self.queues, *self.responses]
        backlog = sum(queue.backlog for queue in pending)
        ages = [queue.ages(self.clock) for queue in pending]
        m["backlog"][t] = backlog
        m["backlog_age_mean"][t] = sum(age for age, _ in ages) / max(backlog, 1)
        m["backlog_age_max"][t] = max(oldest for _, oldest in ages)
        latency_sum = sum(latency * count for latency, count in self.latencies.items())
        m["latency_mean"][t] = latency_sum / resolved if resolved else math.nan
        m["latency_p50"][t] = lower_quantile(self.latencies, 0.5)
        m["latency_p95"][t] = lower_quantile(self.latencies, 0.95)
        m["decision_quality"][t] = self.quality_today

        engagement = [p.engagement for p in here]
        mean = sum(engagement) / some
        m["engagement_mean"][t] = mean
        m["engagement_sd"][t] = math.sqrt(max(sum(e * e for e in engagement) / some - mean**2, 0.0))
        m["engagement_p10"][t] = lower_percentile(engagement, 0.10)
        m["competence_mean"][t] = sum(p.competence for p in here) / some
        m["knowledge_at_work"][t] = engine.knowledge_available[0]
        m["blocked_mean"][t] = sum(self.blocked[p.index] for p in here) / some
        m["alignment_mean"][t] = sum(self.alignment) / len(self.alignment)
        top = self.capacity[0]  # the owner's queue; undefined while nobody decides there
        m["top_load"][t] = self.load[0] / top if top > 0 else math.nan
        m["headcount"][t] = sum(p.employed for p in self.people)
        m["quits"][t] = self.quits
        m["hires"][t] = self.hires
        m["capacity"][t] = self.capacity_units
        m["orders"][t] = self.orders
        m["order_book"][t] = engine.market.order_book[0]
        m["output"][t] = 0.0 if self.failed else self.shipments  # shipped unless closed before today
        m["delivery_delay"][t] = self.delivery_delay
        m["customers"][t] = engine.market.customers[0]
        m["revenue"][t] = self.revenue
        m["costs"][t] = self.costs
        m["payroll"][t] = self.payroll
        m["replacement_costs"][t] = self.replacement
        m["cash"][t] = engine.cash[0]
        m["active_shocks"][t] = self.effects.active_count[0]
        if engine.failed[0] and not here:  # a closed firm has no people, decisions or deliveries
            for name in UNDEFINED_WHEN_CLOSED:
                m[name][t] = math.nan


def lower_quantile(histogram: dict[int, int], q: float) -> float:
    """The smallest latency whose cumulative share of today's resolved decisions reaches q."""
    total = sum(histogram.values())
    if total == 0:
        return math.nan
    cumulative = 0
    for latency in sorted(histogram):
        cumulative += histogram[latency]
        if cumulative >= q * total:
            return float(latency)
    return math.nan  # not reached: q <= 1


def lower_percentile(values: list[float], q: float) -> float:
    """The smallest value with at least a share q of the values at or below it (NaN if none)."""
    if not values:
        return math.nan
    rank = max(math.ceil(q * len(values)) - 1, 0)
    return sorted(values)[rank]


# ---------------------------------------------------------------- the Mesa model


class ReferenceModel(SMBModel):
    """An ``SMBModel`` whose ``step()`` runs the per-agent reference rules instead of the engine.

    The engine inside runs the warm-up and holds the people, the shocks, the market, the random
    streams and the metrics; from day 0 the pending decisions live in ``queues`` and
    ``response_queues`` (copied from the engine's ring once), so step the model, never
    ``model.engine`` itself.

    Args:
        scenario: a validated Scenario, or a dict of scenario fields.
        rng: the seed; default the scenario's seed.
        shuffle: walk the agents in a random order in every phase (the results do not change).
        **kwargs: the other ``SMBModel`` arguments.
    """

    def __init__(
        self, scenario: Any = None, rng: int | None = None, shuffle: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(scenario, rng=rng, **kwargs)
        self.shuffle = shuffle
        engine = self.engine
        h = engine.hierarchy
        names = [*(f"leader {k}" for k in range(h.leaders)), *(f"team {k}" for k in range(h.leaders)), "pool"]
        self.queues: list[Queue] = [
            Queue.from_ring(name, engine.counts[q], engine.head[q], engine.clock)
            for q, name in enumerate(names)
        ]
        self.response_queues: list[Queue] = [
            Queue.from_ring(
                f"{name} (responses)", engine.response_counts[q], engine.response_head[q], engine.clock
            )
            for q, name in enumerate(names)
        ]
        self.teams: list[list[Employee]] = [[] for _ in range(h.leaders)]
        for person in self.people[1:]:
            self.teams[int(h.leader_rank[person.manager_index])].append(person)
        # Informal ties of replication 0: row i of the network lists i's neighbours, each as
        # often as the network holds the tie (a pair may be tied twice).
        network = engine.network.tocsr()
        self.neighbours: list[list[int]] = []
        for i in range(h.people):
            row = slice(network.indptr[i], network.indptr[i + 1])
            ties = zip(network.indices[row].tolist(), network.data[row].tolist(), strict=True)
            self.neighbours.append([j for j, times in ties for _ in range(round(times))])

    def step(self) -> None:
        """Simulate one working day by the reference rules and collect its figures."""
        engine = self.engine
        if engine.day >= engine.days:
            self.running = False
            return
        ReferenceDay(self, shuffle=self.shuffle).run()
        self.datacollector.collect(self)
        self.running = engine.day < engine.days and not engine.failed[0]


# ---------------------------------------------------------------- timing for the benchmark


class DayTimes(NamedTuple):
    """Seconds per simulated day."""

    reference: float
    engine: float


def time_per_day(size: int, days: int, seed: int = 0, scenario: dict | None = None) -> DayTimes:
    """Time ``days`` days of the reference and of the vectorised engine on the same firm.

    Both start after the same warm-up (run by each one's engine when it is built, not timed).

    Args:
        size: people.
        days: days to step each (alternately, so both see the same machine).
        seed: the run's seed.
        scenario: scenario fields to start from; default all defaults.

    Returns:
        The median seconds per day of each.
    """
    scenario = validate_scenario(scenario or {}, "time_per_day", {"org.size": size, "days": days})
    engine = Engine(scenario, [seed])
    reference = ReferenceModel(scenario, seed)
    slow, fast = [], []
    for _ in range(days):
        start = time.perf_counter()
        engine.step()
        middle = time.perf_counter()
        ReferenceDay(reference).run()
        slow.append(time.perf_counter() - middle)
        fast.append(middle - start)
    return DayTimes(float(np.median(slow)), float(np.median(fast)))
