"""The readable reference: one working day of the model, written agent by agent in plain Python.

This is the model's specification in code. The vectorised engine (``leadsim.core``) computes the
same rules for whole arrays of people and replications at once; here they are spelt out for one
firm, one person, one leader and one decision queue at a time, in the order of a working day:

1. shocks starting today act (absences, departures for good, the automation skill dip), and the
   vacancies that are due are filled by hires;
2. each person meets their manager's style (its levers; situational managers pick S1–S4 by the
   person's development level) and splits their decisions by stakes between their team, their
   leader (or whoever acts for an absent leader) and the escalation target (owner or pool);
3. each queue receives Poisson arrivals at the summed rate of the people routed to it, then decides
   Poisson-many of its oldest decisions (FIFO), never ones raised within the consultation lag;
4. people wait on their share of the backlog, which blocks part of their day; output (capped by
   demand), revenue, costs and cash follow;
5. engagement (job demands–resources and contagion), competence, team alignment and adoption move;
6. some people quit; a firm whose cash runs out fails.

Use it as a Mesa model::

    model = ReferenceModel(scenario, seed)   # an SMBModel whose step() runs these rules
    model.step()

where ``ReferenceDay(model).run()`` is the day itself (no data collection: what the benchmark
times). The people are the model's own ``Employee`` and ``Leader`` agents, which are views onto
the engine's arrays, so every agent property, the datacollector and the engine's metrics read the
same as with the engine. Only the decision queues differ: the reference keeps them as ``Queue``
objects (cohorts of ``[day raised, count]`` in a deque) and copies their backlogs to the engine.

Agents never read what another agent writes in the same phase (the engagement update is computed for
everyone before anyone's is written), so the order of agents does not matter: ``shuffle=True`` walks
them in a random order (Mesa's ``AgentSet.shuffle``) and gives the same results.

The reference consumes exactly the engine's random numbers: the day's uniforms come from the
engine's ``draws.next_day()`` and are turned into Poisson counts and normal values by the engine's
own inversions, one element at a time. Given the same seed the two agree to float rounding;
``tests/test_reference.py`` holds them to that. ``time_per_day`` times both for the benchmark.
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import numpy as np

from leadsim.core.draws import normal_from_uniform, poisson_from_uniform
from leadsim.core.engine import FIXED_COST_SHARE, Engine
from leadsim.core.shocks import AUTOMATION_SKILL_DIP, DayEffects, ShockEvent, effects_on
from leadsim.core.styles import ESCALATE_POOL, PARAMS, STYLES
from leadsim.model import Employee, Leader, SMBModel
from leadsim.scenario import validate_scenario

__all__ = ["Levers", "Queue", "ReferenceDay", "ReferenceModel", "time_per_day"]


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


def poisson(u: float, mean: float) -> int:
    """A Poisson count with ``mean`` from one uniform, by the engine's inversion."""
    return int(poisson_from_uniform(np.array([u]), np.array([mean]))[0])


# ---------------------------------------------------------------- what a person meets


@dataclass(frozen=True)
class Levers:
    """What one person meets from their manager's leadership style."""

    authority: float  # stakes up to this are decided in the team
    escalation: float  # stakes above this (and above authority) go to the escalation target
    escalate_pool: bool  # the escalation target: the shared leadership pool, else the owner
    voice: float
    support: float
    coaching: float
    direction: float
    vision: float
    pressure: float


def style_row(engine: Engine, style: str) -> dict[str, float]:
    """One style's parameters, with the scenario's overrides."""
    number = STYLES.index(style)
    return {name: float(engine.table[name][number]) for name in PARAMS}


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


def levers_of(model: SMBModel, person: Employee, manager: Leader, rows: dict) -> Levers:
    """The levers ``person`` meets from ``manager`` (the owner is their own manager)."""
    row = rows[manager.style]
    levers = Levers(
        authority=row["authority_threshold"],
        escalation=row["escalation_threshold"],
        escalate_pool=row["escalate_to"] == ESCALATE_POOL,
        voice=row["voice"],
        support=row["support"],
        coaching=row["coaching_share"],
        direction=row["direction"],
        vision=row["vision"],
        pressure=row["pressure"],
    )
    if manager.style == "situational":
        situational = model.leadsim_scenario.leadership.situational
        response = getattr(situational, f"S{development_level(model, person) + 1}")
        levers = replace(
            levers,
            authority=response.authority_threshold,
            direction=response.direction,
            support=response.support,
            coaching=response.coaching_share,
        )
    return levers


def route_split(levers: Levers, stakes_shape: float) -> tuple[float, float, float]:
    """Shares of a person's decisions for their team, their leader and the escalation target.

    Stakes s have P(s > x) = (1 - x)^b: s <= authority stays in the team, s above
    max(authority, escalation) escalates, the rest goes to the leader.
    """
    above_authority = (1.0 - levers.authority) ** stakes_shape
    escalated = (1.0 - max(levers.authority, levers.escalation)) ** stakes_shape
    return 1.0 - above_authority, max(above_authority - escalated, 0.0), escalated


# ---------------------------------------------------------------- the day


class ReferenceDay:
    """One working day of a ``ReferenceModel``, agent by agent.

    Build it and call ``run()``; each phase method reads what earlier phases left in ``self``.

    Args:
        model: the model to advance.
        shuffle: walk the agents in a random order in every phase.
    """

    def __init__(self, model: ReferenceModel, shuffle: bool = False) -> None:
        engine = model.engine
        self.model = model
        self.engine = engine
        self.queues = model.queues  # L leader queues, L team queues, the pool: the engine's order
        self.shuffle = shuffle
        self.scenario = model.leadsim_scenario
        self.t = engine.day
        h = engine.hierarchy
        self.people: list[Employee] = model.people
        self.leaders: list[Leader] = [self.people[i] for i in h.leader_ids]  # by rank
        self.owner: Leader = self.leaders[0]
        self.pool: Queue = self.queues[-1]
        # Fields the agents do not expose as settable: replication 0 of the engine's arrays.
        self.active, self.hire_day = engine.active[0], engine.hire_day[0]
        self.absent_until, self.tenure = engine.absent_until[0], engine.tenure[0]
        self.adoption, self.waiting, self.alignment = (
            engine.adoption[0],
            engine.waiting[0],
            engine.alignment[0],
        )
        self.rows = {style: style_row(engine, style) for style in STYLES}

    # -------------------------------------------------------- who is who

    def everyone(self) -> list[Employee]:
        """All people, in index order or shuffled."""
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

    def leader_queue(self, leader: Leader) -> Queue:
        """What a leader decides."""
        return self.queues[leader.rank]

    def team_queue(self, leader: Leader) -> Queue:
        """What a leader's team decides itself."""
        return self.queues[len(self.leaders) + leader.rank]

    # -------------------------------------------------------- the phases

    def run(self) -> None:
        """Advance the model by one day."""
        engine = self.engine
        if self.t >= engine.days:
            raise RuntimeError(f"the horizon of {engine.days} days is reached")
        # The engine's uniforms for today (replication 0): the same numbers, in the same places.
        self.u = {name: values[0] for name, values in engine.draws.next_day().items()}
        self.effects: DayEffects = effects_on(self.t, engine.events)
        self.start_shocks()
        self.hires = self.fill_vacancies()
        failed = bool(engine.failed[0])
        self.present = [p.present and not failed for p in self.people]
        self.meet_styles()
        self.route_decisions()
        self.decide()
        self.work()
        self.update_people()
        self.quits = self.leave_or_stay()
        if engine.cash[0] < 0 and not failed:
            self.fail()
        self.record()
        engine.day += 1

    def start_shocks(self) -> None:
        """Shocks that act once, on their first day: people lost, skills dipping."""
        for event in self.effects.starting[0]:
            if event.type == "key_person_loss":
                for person in self.key_people(event):
                    if event.duration > 0:
                        self.absent_until[person.index] = self.t + event.duration
                    else:
                        self.leave(person)
            elif event.type == "automation_rollout":
                for person in self.everyone():
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
        """A person leaves for good, taking their competence; a hire follows after the delay."""
        i = person.index
        self.active[i] = False
        self.hire_day[i] = self.t + 1 + self.scenario.org.hire_delay_days
        self.absent_until[i] = 0
        self.waiting[i] = 0.0

    def fill_vacancies(self) -> int:
        """Hires take the vacancies due today; they arrive less competent and keen."""
        if self.engine.failed[0]:
            return 0
        hire = self.scenario.org.hire_competence
        hires = 0
        for person in self.everyone():
            i = person.index
            if person.employed or not 0 <= self.hire_day[i] <= self.t:
                continue
            skill = float(normal_from_uniform(self.u["hire"][i], hire.mean, hire.sd))
            person.competence = min(max(skill, 0.05), 1.0)
            person.engagement = self.scenario.dynamics.new_hire_engagement
            self.tenure[i] = 0
            self.adoption[i] = 0.0
            self.absent_until[i] = 0
            self.active[i] = True
            self.hire_day[i] = -1
            hires += 1
        return hires

    def meet_styles(self) -> None:
        """Each person's levers and how they split their decisions by stakes."""
        market = self.scenario.market
        turbulence = 1.0 + market.turbulence + float(self.effects.turbulence[0])
        stakes_shape = market.stakes_shape / turbulence  # turbulent times bring higher stakes
        n = len(self.people)
        self.levers: list[Levers] = [None] * n  # type: ignore[list-item]
        self.split = [(0.0, 0.0, 0.0)] * n
        self.rate = [0.0] * n  # decisions raised per day
        for person in self.everyone():
            i = person.index
            levers = self.levers[i] = levers_of(self.model, person, self.manager_of(person), self.rows)
            # The owner decides their own decisions; nothing is above them.
            self.split[i] = (0.0, 1.0, 0.0) if person is self.owner else route_split(levers, stakes_shape)
            self.rate[i] = market.decision_rate * turbulence * self.present[i]

    def acting_for(self, leader: Leader) -> Leader | None:
        """The nearest present leader up the line (the leader themself if present); None if nobody."""
        while not self.present[leader.index]:
            if leader is self.owner:
                return None
            leader = self.manager_of(leader)
        return leader

    def route_decisions(self) -> None:
        """Absent leaders hand over; each person's decisions go to three queues; arrivals join them."""
        self.deciding_queue: dict[int, Queue] = {}  # per leader rank: whose queue their decisions join
        for leader in self.leaders:
            acting = self.acting_for(leader)
            if acting is None:  # nobody above is at work either: decisions wait in the queue
                self.deciding_queue[leader.rank] = self.leader_queue(leader)
                continue
            if acting is not leader:
                self.leader_queue(acting).take_over(self.leader_queue(leader))
            self.deciding_queue[leader.rank] = self.leader_queue(acting)

        expected = dict.fromkeys(self.queues, 0.0)
        self.routes: list[tuple[Queue, Queue, Queue]] = [None] * len(self.people)  # type: ignore[list-item]
        for person in self.everyone():
            manager = self.manager_of(person)
            escalated = self.pool if self.levers[person.index].escalate_pool else self.deciding_queue[0]
            route = (self.team_queue(manager), self.deciding_queue[manager.rank], escalated)
            self.routes[person.index] = route
            for queue, share in zip(route, self.split[person.index], strict=True):
                expected[queue] += self.rate[person.index] * share
        self.load = list(expected.values())

        self.arrivals = 0
        for q, queue in enumerate(self.queues):
            count = poisson(self.u["arrive"][q], self.load[q])
            queue.add(self.t, count)
            self.arrivals += count

    def capacities(self) -> list[float]:
        """Decisions each queue can make today (the mean of its Poisson service)."""
        org, dyn = self.scenario.org, self.scenario.dynamics
        initiative = 1.0 - 0.5 * org.power_distance
        leader_capacity, team_capacity = [], []
        pool_capacity, pool_members = 0.0, 0
        for leader in self.leaders:
            row = self.row(leader)
            at_work = self.present[leader.index]
            members = self.present_team(leader)
            coaching = sum(self.levers[p.index].coaching for p in members) / max(len(members), 1)
            leader_capacity.append(
                row["leader_capacity"]
                * (0.5 + 0.5 * leader.competence)
                * (1.0 - coaching)  # time spent coaching is not spent deciding
                / (1.0 + row["consultation_effort"])
                * at_work
            )
            readiness = sum(p.competence * (0.5 + 0.5 * p.engagement) for p in members)
            team_capacity.append(row["member_capacity"] * readiness * initiative)
            pool_capacity += row["pool_capacity"] * at_work
            pool_members += at_work
        pool_capacity /= 1.0 + dyn.coordination_cost * max(pool_members - 1, 0)
        return [*leader_capacity, *team_capacity, pool_capacity]

    def decide(self) -> None:
        """Each queue decides its oldest decisions up to a Poisson draw of its capacity."""
        self.capacity = self.capacities()
        leaders = len(self.leaders)
        self.decided = [0] * len(self.queues)
        self.latencies = [0] * (self.engine.days + 1)  # decisions made today by latency
        for q, queue in enumerate(self.queues):
            lag = 0
            if q < leaders:  # leaders hold back the newest decisions while they consult
                lag = int(self.row(self.leaders[q])["consultation_days"])
            can_decide = poisson(self.u["serve"][q], self.capacity[q])
            for day, count in queue.serve(can_decide, self.t - lag):
                self.decided[q] += count
                self.latencies[self.t - day] += count

        quality = self.qualities()
        decided = sum(self.decided)
        if decided:
            self.quality = sum(d * qu for d, qu in zip(self.decided, quality, strict=True)) / decided
            self.engine.quality_memory[0] += 0.1 * (self.quality - self.engine.quality_memory[0])
        else:
            self.quality = math.nan

    def qualities(self) -> list[float]:
        """Quality of a decision made by each queue today."""
        dyn = self.scenario.dynamics
        leader_quality, team_quality = [], []
        for leader in self.leaders:
            voice = self.row(leader)["voice"]
            skills = [p.competence for p in self.present_team(leader)]
            team_mean = sum(skills) / max(len(skills), 1)
            expertise = sum(c * c for c in skills) / max(sum(skills), 1e-9)  # the expert weighs more
            misaligned = 1.0 - dyn.misalignment_cost * (1.0 - self.alignment[leader.rank])
            pooled = (1 - voice) * leader.competence + voice * team_mean
            # The owner's view is the strategy: their own decisions are never misaligned.
            leader_quality.append(pooled if leader is self.owner else pooled * misaligned)
            team_quality.append(expertise * misaligned)
        at_work = [leader.competence for leader in self.leaders if self.present[leader.index]]
        mean_alignment = sum(self.alignment) / len(self.leaders)
        pool_quality = sum(at_work) / max(len(at_work), 1)
        pool_quality *= 1.0 - dyn.misalignment_cost * (1.0 - mean_alignment)
        quality = [*leader_quality, *team_quality, pool_quality]
        for q, queue in enumerate(self.queues):  # rushed: a decider with days of work queued
            days_queued = min(queue.backlog / max(self.capacity[q], 0.1), 30.0)
            quality[q] /= 1.0 + dyn.overload_quality * days_queued
        return quality

    def work(self) -> None:
        """Waiting blocks people; their time at work gives output, capped by demand; cash moves."""
        engine, dyn, market = self.engine, self.scenario.dynamics, self.scenario.market
        org, effects = self.scenario.org, self.effects
        pending_per_rate = {}  # a queue's backlog, shared by arrival rate
        for q, queue in enumerate(self.queues):
            pending_per_rate[queue] = queue.backlog / self.load[q] if self.load[q] > 0 else 0.0
        meeting_time = {}
        for leader in self.leaders:
            members = max(len(self.present_team(leader)), 1)
            effort = self.row(leader)["consultation_effort"]
            consulted = self.decided[leader.rank] * effort
            team_decided = self.decided[len(self.leaders) + leader.rank]
            meeting_time[leader.rank] = dyn.decision_time * (team_decided + consulted) / members

        n = len(self.people)
        self.blocked = [0.0] * n
        capacity = 0.0  # output the people could give today
        automation = float(effects.automation_level[0])
        for person in self.everyone():
            i = person.index
            self.waiting[i] = sum(
                self.rate[i] * share * pending_per_rate[queue]
                for queue, share in zip(self.routes[i], self.split[i], strict=True)
            )
            self.blocked[i] = dyn.max_blocked * (1.0 - math.exp(-dyn.block_per_decision * self.waiting[i]))
            meetings = meeting_time[self.manager_of(person).rank]
            training = 0.2 * self.levers[i].coaching
            work_share = org.leader_work_share if person.is_leader else 1.0
            time_at_work = (1.0 - self.blocked[i]) * min(max(1.0 - meetings - training, 0.0), 1.0)
            time_at_work *= work_share * self.present[i]
            gain = 1.0 + dyn.automation_gain * automation * self.adoption[i]
            capacity += person.competence * (0.6 + 0.8 * person.engagement) * time_at_work * gain
        capacity *= float(effects.productivity_factor[0])
        capacity *= 0.75 + 0.5 * engine.quality_memory[0]  # good decisions make work count

        failed = bool(engine.failed[0])
        growth = (1.0 + market.trend) ** (self.t / 260.0)
        self.demand = market.demand * engine.capacity_at_start[0] * growth * float(effects.demand_factor[0])
        self.output = 0.0 if failed else min(capacity, self.demand)
        headcount = sum(p.employed for p in self.people)
        costs = engine.daily_cost[0] * (
            FIXED_COST_SHARE + (1 - FIXED_COST_SHARE) * headcount / engine.headcount_at_start[0]
        )
        engine.cash[0] += self.output - (0.0 if failed else costs)
        unmet = min(max(self.demand / max(self.output, 1e-9) - 1.0, 0.0), 1.0)
        engine.workload[0] = 0.0 if failed else unmet

    def update_people(self) -> None:
        """Engagement, competence, team alignment and adoption move for the day."""
        dyn, effects = self.scenario.dynamics, self.effects
        new_engagement = {
            person.index: self.engagement_after(person)
            for person in self.everyone()
            if self.present[person.index]
        }
        for person in self.everyone():  # written only now: contagion reads yesterday's peers
            if person.index in new_engagement:
                person.engagement = new_engagement[person.index]

        for person in self.everyone():
            i = person.index
            if not self.present[i]:
                continue
            levers = self.levers[i]
            learning = (
                dyn.learning_rate
                + dyn.coaching_gain * levers.coaching * levers.support
                + dyn.autonomy_learning * self.split[i][0]  # learning by deciding oneself
            )
            person.competence = min(max(person.competence + learning * (1.0 - person.competence), 0.0), 1.0)

        for leader in self.leaders:
            vision = self.row(leader)["vision"]
            members = self.present_team(leader)
            local_share = sum(self.split[p.index][0] for p in members) / max(len(members), 1)
            a = self.alignment[leader.rank]
            a += dyn.alignment_rate * vision * (1.0 - a) - dyn.alignment_drift * local_share * a
            self.alignment[leader.rank] = min(max(a, 0.0), 1.0)

        if effects.automation_level[0] > 0:
            for person in self.everyone():
                i = person.index
                if self.present[i]:
                    levers = self.levers[i]
                    help_given = (levers.support + levers.voice + levers.coaching) / 3.0
                    pace = dyn.adoption_rate * (0.3 + 0.7 * help_given) * person.engagement
                    self.adoption[i] += pace * (1.0 - self.adoption[i])

        for person in self.everyone():
            self.tenure[person.index] += person.employed

    def engagement_after(self, person: Employee) -> float:
        """One day of the job demands–resources update of a present person's engagement."""
        p = self.scenario.dynamics.engagement
        i, levers, effects = person.index, self.levers[person.index], self.effects
        e, competence = person.engagement, person.competence
        share_team, share_leader, _ = self.split[i]
        autonomy = 1.0 if person is self.owner else share_team + levers.voice * share_leader
        readiness = competence * (1.0 - 0.5 * self.scenario.org.power_distance)
        team_alignment = self.alignment[self.manager_of(person).rank]
        rollout_stress = (
            float(effects.rollout_under_way[0])
            * float(effects.automation_level[0])
            * (1.0 - self.adoption[i])
        )
        buffer = 1.0 - 0.5 * max(levers.support, levers.voice)  # leaders soften a shock's stress
        shock_stress = (float(effects.stress[0]) + rollout_stress) * buffer
        resources = (
            p.base_resources
            + p.w_autonomy * min(autonomy, readiness)  # autonomy helps as far as one is ready
            + p.w_voice * levers.voice
            + p.w_support * levers.support
            + p.w_vision * levers.vision
            + p.w_growth * levers.coaching
        )
        ambiguity = 0.5 * (1.0 - team_alignment) + 0.5 * (1.0 - levers.direction) * (1.0 - competence)
        demands = (1.0 - p.support_buffer * levers.support) * (
            p.base_demands
            + p.w_blocked * self.blocked[i]
            + p.w_workload * self.engine.workload[0]
            + p.w_shock * shock_stress
            + p.w_ambiguity * ambiguity
            + p.w_micromanagement * levers.direction * max(readiness - autonomy, 0.0)
            + p.w_overreach * max(autonomy - readiness, 0.0) * (1.0 - levers.support)
            + p.w_pressure * levers.pressure
        )
        peers = [self.people[j].engagement for j in self.model.neighbours[i] if self.present[j]]
        peer_mean = sum(peers) / len(peers) if peers else e
        noise = p.noise * math.sqrt(3.0) * (2.0 * self.u["noise"][i] - 1.0)  # uniform, sd = p.noise
        change = (
            p.resource_gain * resources * (1.0 - e)
            - p.demand_gain * demands * e
            + p.contagion * (peer_mean - e)
            + noise
        )
        return min(max(e + change, 0.0), 1.0)

    def leave_or_stay(self) -> int:
        """Present people quit with a hazard that rises as engagement falls (the owner stays)."""
        dyn = self.scenario.dynamics
        quits = 0
        for person in self.everyone():
            i = person.index
            if not self.present[i] or person is self.owner:
                continue
            gap = dyn.quit_reference_engagement - person.engagement
            hazard = dyn.quit_rate_per_year / 260.0 * math.exp(dyn.quit_sensitivity * gap)
            if self.u["quit"][i] < min(hazard, 1.0):
                self.leave(person)
                quits += 1
        return quits

    def fail(self) -> None:
        """Cash ran out: the firm closes, everyone goes and nobody is hired."""
        engine = self.engine
        engine.failed[0] = True
        engine.failed_day[0] = self.t
        for person in self.everyone():
            self.active[person.index] = False
            self.hire_day[person.index] = -1

    def record(self) -> None:
        """Copy the queues' backlogs and today's latencies to the engine; its bookkeeping records the day."""
        engine = self.engine
        engine.backlog[:] = [queue.backlog for queue in self.queues]
        today = np.asarray(self.latencies, dtype=np.int64)[None, :]
        engine.latency_histogram += today
        engine.latency_total += float(sum(lat * n for lat, n in enumerate(self.latencies)))
        engine.decided_total += sum(self.decided)
        one = np.asarray  # the bookkeeping takes arrays with a replication axis of 1
        engine._record(
            self.t,
            arrivals=one([self.arrivals]),
            decided=one([sum(self.decided)]),
            today=today,
            quality=one([self.quality]),
            present=one([self.present]),
            blocked=one([self.blocked]),
            load=one(self.load),
            capacity=one(self.capacity),
            quits=one([self.quits]),
            hires=one([self.hires]),
            output=one([self.output]),
            demand=one([self.demand]),
            revenue=one([self.output]),
            effects=self.effects,
        )


# ---------------------------------------------------------------- the Mesa model


class ReferenceModel(SMBModel):
    """An ``SMBModel`` whose ``step()`` runs the per-agent reference rules instead of the engine.

    The engine inside holds the people, the shocks, the random streams and the metrics; the pending
    decisions live in ``queues`` (the engine's cohort table stays unused), so step the model, never
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
        self.queues: list[Queue] = [
            *(Queue(f"leader {k}") for k in range(h.leaders)),
            *(Queue(f"team {k}") for k in range(h.leaders)),
            Queue("pool"),
        ]
        self.teams: list[list[Employee]] = [[] for _ in range(h.leaders)]
        for person in self.people[1:]:
            self.teams[int(h.leader_rank[person.manager_index])].append(person)
        # Informal ties, each as often as the network holds it (a pair may be tied twice).
        self.neighbours: list[list[int]] = [[] for _ in self.people]
        for source, target in zip(engine.edge_source.tolist(), engine.edge_target.tolist(), strict=True):
            self.neighbours[target].append(source)

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
