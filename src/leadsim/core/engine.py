"""The vectorised engine: a batch of replications of one scenario, advanced a day at a time.

State is a struct of arrays with a leading replication axis: people (R, N), team alignment (R, L),
decision queues (R*Q, days + padding). One ``step`` is one working day:

1. shocks starting today act (absences, skill dips); vacancies due today are filled;
2. routing: each person's decisions go to their team, their (acting) leader or the escalation target;
3. arrivals join the queues; each queue serves its oldest decisions up to its capacity;
4. waiting on decisions blocks people; output, revenue, costs and cash follow;
5. engagement (job demands–resources + contagion), competence, alignment and adoption move;
6. low engagement raises the quit hazard; leavers leave vacancies that are filled after a delay.

Everything random comes from each replication's own seeded streams (see ``draws``), so a batch gives
exactly the results of its replications run one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse

from leadsim.core import people
from leadsim.core.decisions import (
    acting_leaders,
    hand_over,
    latency_quantiles,
    overload_factor,
    route_shares,
    serve_fifo,
)
from leadsim.core.draws import (
    DailyDraws,
    DayLayout,
    normal_from_uniform,
    poisson_from_uniform,
    streams,
)
from leadsim.core.org import build_hierarchy, informal_network
from leadsim.core.shocks import (
    AUTOMATION_SKILL_DIP,
    ShockEvent,
    effects_on,
    schedule,
)
from leadsim.core.styles import ESCALATE_POOL, SITUATIONAL, STYLES, style_table
from leadsim.scenario.schema import Scenario

METRICS: tuple[str, ...] = (
    "arrivals",
    "decided",
    "backlog",
    "latency_mean",
    "latency_p50",
    "latency_p95",
    "decision_quality",
    "engagement_mean",
    "engagement_p10",
    "competence_mean",
    "blocked_mean",
    "alignment_mean",
    "top_load",
    "headcount",
    "quits",
    "hires",
    "output",
    "demand",
    "revenue",
    "cash",
    "active_shocks",
)
# Lever a person meets -> the style parameter that sets it.
STYLE_LEVERS = {
    "authority": "authority_threshold",
    "escalation": "escalation_threshold",
    "escalate_pool": "escalate_to",
    "voice": "voice",
    "support": "support",
    "coaching": "coaching_share",
    "direction": "direction",
    "vision": "vision",
    "pressure": "pressure",
}
SORT_BELOW = 4096  # people per run below which a percentile sorts all runs at once
FIXED_COST_SHARE = 0.3  # share of costs that do not shrink with headcount


class Engine:
    """A batch of replications of one scenario, one per seed.

    Args:
        scenario: the validated scenario.
        seeds: one seed per replication.
    """

    def __init__(self, scenario: Scenario, seeds: Sequence[int]) -> None:
        self.scenario = scenario
        self.seeds = [int(s) for s in seeds]
        if not self.seeds:
            raise ValueError("at least one seed is needed")
        org, market = scenario.org, scenario.market
        self.days = scenario.days
        self.day = 0
        self.runs = runs = len(self.seeds)

        waves = [
            (s.day, max(1, round(s.magnitude * org.size))) for s in scenario.shocks if s.type == "hiring_wave"
        ]
        self.hierarchy = h = build_hierarchy(org.size, org.span_of_control, waves)
        n, leaders, queues = h.people, h.leaders, h.queues
        self.manager_rank = h.manager_rank
        self.leader_manager_rank = h.leader_manager_rank
        self.work_share = np.where(h.is_leader, org.leader_work_share, 1.0)

        org_rngs, shock_rngs, dynamics_rngs = zip(*(streams(s) for s in self.seeds), strict=True)
        self.competence = np.empty((runs, n))
        self.engagement = np.empty((runs, n))
        sources, targets = [], []
        for r, rng in enumerate(org_rngs):
            self.competence[r] = np.clip(rng.normal(org.competence.mean, org.competence.sd, n), 0.05, 1)
            self.engagement[r] = np.clip(rng.normal(org.engagement.mean, org.engagement.sd, n), 0, 1)
            src, dst = informal_network(
                h, org.network.within_team, org.network.cross_team_ties, rng, org.network.cross_team_reach
            )
            sources.append(src + r * n)
            targets.append(dst + r * n)
        self.edge_source = np.concatenate(sources)
        self.edge_target = np.concatenate(targets)
        # Row i of the adjacency lists i's neighbours: a peer mean is one sparse product.
        self.network = sparse.csr_matrix(
            (np.ones(self.edge_source.size), (self.edge_target, self.edge_source)),
            shape=(runs * n, runs * n),
        )
        # Team of every person but the owner (slot 0), flattened over replications.
        self.team_index = ((np.arange(runs) * leaders)[:, None] + self.manager_rank[None, 1:]).ravel()

        shocks = [s.model_dump() for s in scenario.shocks]
        random_process = market.random_shocks.model_dump()
        self.events: list[list[ShockEvent]] = [
            schedule(shocks, random_process, self.days, leaders, rng) for rng in shock_rngs
        ]

        starting = h.join_day == 0
        self.active = np.broadcast_to(starting, (runs, n)).copy()
        self.hire_day = np.broadcast_to(np.where(starting, -1, h.join_day), (runs, n)).copy()
        self.absent_until = np.zeros((runs, n), dtype=np.int64)
        self.tenure = np.zeros((runs, n), dtype=np.int64)
        self.adoption = np.zeros((runs, n))
        self.waiting = np.zeros((runs, n))
        self.alignment = np.full((runs, leaders), org.alignment)
        self.table = style_table({k: v.model_dump() for k, v in scenario.leadership.params.items()})
        self.situational_rows = people.situational_rows(self)
        self.set_styles(scenario.leadership.style, scenario.leadership.by_level)

        # int32: a cohort never holds 2^31 decisions, and at 10^6 people this table is the largest.
        self.counts = np.zeros((runs * queues, self.days + 1), dtype=np.int32)
        self.head = np.zeros(runs * queues, dtype=np.int64)
        self.backlog = np.zeros(runs * queues, dtype=np.int64)
        self.latency_histogram = np.zeros((runs, self.days + 1), dtype=np.int64)
        self.latency_total = np.zeros(runs)
        self.decided_total = np.zeros(runs, dtype=np.int64)

        self.quality_memory = np.full(runs, org.competence.mean)
        present = self.active
        self.capacity_at_start = self._potential(present).sum(axis=1)
        self.headcount_at_start = present.sum(axis=1)
        self.daily_cost = market.cost_ratio * self.capacity_at_start
        self.cash = market.initial_cash_days * self.daily_cost
        self.failed = np.zeros(runs, dtype=bool)
        self.failed_day = np.full(runs, -1)
        self.workload = np.zeros(runs)

        self.metrics = {name: np.full((runs, self.days), np.nan) for name in METRICS}
        self.draws = DailyDraws(list(dynamics_rngs), DayLayout(n, queues))

    # ---------------------------------------------------------------- configuration

    def set_styles(self, style: str, by_level: Sequence[str] | None = None) -> None:
        """Give every leader a style: one for all, or one per level (owner first)."""
        h = self.hierarchy
        if by_level:
            levels = h.level[h.leader_ids]
            chosen = [by_level[min(level, len(by_level) - 1)] for level in levels]
            self.style = np.asarray([STYLES.index(s) for s in chosen], dtype=np.int64)
        else:
            self.style = np.full(h.leaders, STYLES.index(style), dtype=np.int64)
        leaders = h.leaders
        lag = np.zeros(h.queues, dtype=np.int64)
        lag[:leaders] = self.table["consultation_days"][self.style].astype(np.int64)
        self.queue_lag = np.tile(lag, self.runs)
        # What each person meets from their manager's style, until the styles change again.
        manager_style = self.style[self.manager_rank]
        self.style_levers = {lever: self.table[param][manager_style] for lever, param in STYLE_LEVERS.items()}
        self.style_levers["escalate_pool"] = self.style_levers["escalate_pool"] == ESCALATE_POOL
        self.situational_manager = manager_style == SITUATIONAL

    def add_shock(self, shock: ShockEvent) -> None:
        """Add a shock to every replication (e.g. fired live from the demo)."""
        for events in self.events:
            events.append(ShockEvent(**{**shock.__dict__}))
            events.sort(key=lambda e: e.day)

    # ---------------------------------------------------------------- running

    def run(self, days: int | None = None, on_day: Callable[[int], None] | None = None) -> None:
        """Advance ``days`` days (default: to the horizon), calling ``on_day(day)`` after each."""
        end = self.days if days is None else min(self.days, self.day + days)
        while self.day < end:
            self.step()
            if on_day is not None:
                on_day(self.day)

    def step(self) -> None:
        """Advance every replication by one working day."""
        if self.day >= self.days:
            raise RuntimeError(f"the horizon of {self.days} days is reached")
        t = self.day
        u = self.draws.next_day()
        effects = effects_on(t, self.events)
        self._start_shocks(t, effects.starting)
        hires = self._fill_vacancies(t, u["hire"])
        present = self.active & (self.absent_until <= t) & ~self.failed[:, None]
        self.members = self._per_team(present.astype(float))  # present people per team today

        levers = self._levers()
        market = self.scenario.market
        turbulence = 1.0 + market.turbulence + effects.turbulence  # more and harder decisions
        share_team, share_leader, share_escalated = route_shares(
            levers["authority"], levers["escalation"], market.stakes_shape / turbulence
        )
        # The owner (slot 0) decides their own decisions.
        share_team[:, 0], share_leader[:, 0], share_escalated[:, 0] = 0.0, 1.0, 0.0

        rate = market.decision_rate * turbulence[:, None] * present
        routes = self._queues_of_people(present, levers)
        load = self._queue_load(rate, (share_team, share_leader, share_escalated), routes)
        arrivals = poisson_from_uniform(u["arrive"].ravel(), load)
        self.counts[:, t] += arrivals  # today's cohort; every queue's head is at or before it
        self.backlog += arrivals

        capacity = self._capacity(present, levers)
        decided_rows, decided_cols, decided_amount = serve_fifo(
            self.counts,
            self.head,
            poisson_from_uniform(u["serve"].ravel(), capacity),
            t - self.queue_lag,
            self.backlog,
        )
        queues = self.hierarchy.queues
        decided_per_queue = np.bincount(decided_rows, decided_amount, minlength=self.runs * queues)
        self.backlog -= decided_per_queue.astype(np.int64)
        latency = t - decided_cols
        # Today's decisions by latency, up to today's longest (not the whole horizon).
        span = int(latency.max()) + 1 if latency.size else 1
        today = np.bincount(
            (decided_rows // queues) * span + latency, decided_amount, minlength=self.runs * span
        ).reshape(self.runs, span)
        self.latency_histogram[:, :span] += today.astype(np.int64)
        self.latency_total += (today * np.arange(span)).sum(axis=1)
        self.decided_total += today.sum(axis=1).astype(np.int64)

        quality = self._quality(present, levers, capacity)
        decided = decided_per_queue.reshape(self.runs, queues)
        decided_count = decided.sum(axis=1)
        quality_today = np.where(
            decided_count > 0,
            (decided * quality.reshape(self.runs, queues)).sum(axis=1) / np.maximum(decided_count, 1),
            np.nan,
        )
        self.quality_memory = np.where(
            decided_count > 0,
            self.quality_memory + 0.1 * (np.nan_to_num(quality_today) - self.quality_memory),
            self.quality_memory,
        )

        self.waiting = self._waiting(rate, (share_team, share_leader, share_escalated), routes, load)
        dyn = self.scenario.dynamics
        blocked = dyn.max_blocked * (1.0 - np.exp(-dyn.block_per_decision * self.waiting))
        time_at_work = self._time_at_work(present, blocked, levers, decided)
        output, demand = self._output(t, present, time_at_work, effects)
        revenue = output
        headcount = self.active.sum(axis=1)
        costs = self.daily_cost * (
            FIXED_COST_SHARE + (1 - FIXED_COST_SHARE) * headcount / self.headcount_at_start
        )
        costs = np.where(self.failed, 0.0, costs)
        self.cash = self.cash + revenue - costs
        self.workload = np.clip(demand / np.maximum(output, 1e-9) - 1.0, 0.0, 1.0)
        self.workload[self.failed] = 0.0

        autonomy = share_team + levers["voice"] * share_leader
        autonomy[:, 0] = 1.0
        people.update_engagement(self, present, levers, autonomy, blocked, effects, u["noise"])
        people.update_competence(self, present, levers, share_team)
        people.update_alignment(self, present, levers, share_team)
        people.update_adoption(self, present, levers, effects)
        self.tenure += self.active
        quits = people.quits(self, present, u["quit"])

        newly_failed = (self.cash < 0) & ~self.failed
        if newly_failed.any():
            self.failed |= newly_failed
            self.failed_day[newly_failed] = t
            self.active[newly_failed] = False
            self.hire_day[newly_failed] = -1

        self._record(
            t,
            arrivals=arrivals.reshape(self.runs, queues).sum(axis=1),
            decided=decided_count,
            today=today,
            quality=quality_today,
            present=present,
            blocked=blocked,
            load=load,
            capacity=capacity,
            quits=quits,
            hires=hires,
            output=output,
            demand=demand,
            revenue=revenue,
            effects=effects,
        )
        self.day += 1

    # ---------------------------------------------------------------- mechanisms

    def _start_shocks(self, t: int, starting: list[list[ShockEvent]]) -> None:
        """Shocks that act once, on their first day: people lost, skills dipping."""
        for r, events in enumerate(starting):
            for e in events:
                if e.type == "key_person_loss":
                    for person in self._key_people(r, e):
                        if e.duration > 0:
                            self.absent_until[r, person] = t + e.duration
                        else:
                            gone = np.zeros_like(self.active)
                            gone[r, person] = True
                            people.leave(self, gone, t)
                elif e.type == "automation_rollout":
                    self.competence[r] *= 1.0 - AUTOMATION_SKILL_DIP * e.magnitude

    def _key_people(self, r: int, e: ShockEvent) -> list[int]:
        """Who a key-person loss takes in replication r; only people in post can be lost."""
        h = self.hierarchy
        if e.who == "leader":
            chosen = [int(h.leader_ids[k]) for k in e.leader_ranks]
        elif e.who == "top_expert":
            candidates = np.flatnonzero(self.active[r] & ~h.is_leader)
            chosen = [int(candidates[np.argmax(self.competence[r, candidates])])] if candidates.size else []
        else:
            chosen = [0]
        return [person for person in chosen if self.active[r, person]]

    def _fill_vacancies(self, t: int, u_hire: np.ndarray) -> np.ndarray:
        """Hires take the vacancies that are due; they arrive less competent and keen."""
        org = self.scenario.org
        due = ~self.active & (self.hire_day >= 0) & (self.hire_day <= t) & ~self.failed[:, None]
        if due.any():
            competence = normal_from_uniform(u_hire[due], org.hire_competence.mean, org.hire_competence.sd)
            self.competence[due] = np.clip(competence, 0.05, 1.0)
            self.engagement[due] = self.scenario.dynamics.new_hire_engagement
            self.tenure[due] = 0
            self.adoption[due] = 0.0
            self.absent_until[due] = 0
            self.active[due] = True
            self.hire_day[due] = -1
        return due.sum(axis=1)

    def _levers(self) -> dict[str, np.ndarray]:
        """What each person meets from their manager's style, shape (R, N) per lever.

        Situational managers pick the S1–S4 row by each person's development level.
        """
        shape = self.competence.shape
        levers = {k: np.broadcast_to(v, shape) for k, v in self.style_levers.items()}
        situational = self.situational_manager
        if situational.any():
            rows = self.situational_rows
            level = people.development_level(self)
            for name, key in (
                ("authority", "authority_threshold"),
                ("direction", "direction"),
                ("support", "support"),
                ("coaching", "coaching_share"),
            ):
                levers[name] = np.where(situational, rows[key][level], levers[name])
        return levers

    def _queues_of_people(self, present: np.ndarray, levers: dict) -> dict[str, np.ndarray]:
        """Flat queue rows each person's decisions go to, per route, shape (R, N)."""
        h = self.hierarchy
        leaders, queues = h.leaders, h.queues
        present_leader = present[:, h.leader_ids]
        acting = acting_leaders(present_leader, self.leader_manager_rank, h.depth)
        self.acting = acting  # kept for inspection: who decides for each leader's queue today
        run_offset = (np.arange(self.runs) * queues)[:, None]

        # Absent leaders' pending decisions go to whoever acts for them.
        source = np.arange(leaders)[None, :]
        moving = (
            (acting >= 0) & (acting != source) & (self.backlog.reshape(self.runs, queues)[:, :leaders] > 0)
        )
        if moving.any():
            r, k = np.nonzero(moving)
            hand_over(
                self.counts,
                self.backlog,
                self.head,
                np.stack([r * queues + k, r * queues + acting[r, k]], axis=1),
            )

        leader_queue = np.where(acting >= 0, acting, np.arange(leaders))  # nobody: it waits
        team = run_offset + leaders + self.manager_rank[None, :]
        leader = run_offset + np.take_along_axis(
            leader_queue, np.broadcast_to(self.manager_rank, present.shape), axis=1
        )
        owner_queue = run_offset + leader_queue[:, :1]
        escalated = np.where(levers["escalate_pool"], run_offset + 2 * leaders, owner_queue)
        return {"team": team, "leader": leader, "escalated": escalated}

    def _queue_load(self, rate: np.ndarray, shares: tuple, routes: dict) -> np.ndarray:
        """Expected arrivals per queue today (flat, R*Q)."""
        size = self.runs * self.hierarchy.queues
        load = np.zeros(size)
        for share, route in zip(shares, routes.values(), strict=True):
            load += np.bincount(route.ravel(), (rate * share).ravel(), minlength=size)
        return load

    def _capacity(self, present: np.ndarray, levers: dict) -> np.ndarray:
        """Decisions each queue can make today (flat, R*Q)."""
        h, table, dyn = self.hierarchy, self.table, self.scenario.dynamics
        style = self.style
        present_leader = present[:, h.leader_ids]
        leader_competence = self.competence[:, h.leader_ids]

        coaching = self._per_team(levers["coaching"] * present) / np.maximum(self.members, 1)
        leader_capacity = (
            table["leader_capacity"][style]
            * (0.5 + 0.5 * leader_competence)
            * (1.0 - coaching)
            / (1.0 + table["consultation_effort"][style])
            * present_leader
        )
        readiness = self.competence * (0.5 + 0.5 * self.engagement) * present
        initiative = 1.0 - 0.5 * self.scenario.org.power_distance
        team_capacity = table["member_capacity"][style] * self._per_team(readiness) * initiative
        pool_members = present_leader.sum(axis=1)
        pool_capacity = (table["pool_capacity"][style] * present_leader).sum(axis=1) / (
            1.0 + dyn.coordination_cost * np.maximum(pool_members - 1, 0)
        )
        return np.concatenate([leader_capacity, team_capacity, pool_capacity[:, None]], axis=1).ravel()

    def _per_team(self, values: np.ndarray) -> np.ndarray:
        """Sum of per-person values over each leader's team, shape (R, L).

        The owner (slot 0) is nobody's team member.
        """
        leaders = self.hierarchy.leaders
        sums = np.bincount(self.team_index, values[:, 1:].ravel(), minlength=self.runs * leaders)
        return sums.reshape(self.runs, leaders)

    def _quality(self, present: np.ndarray, levers: dict, capacity: np.ndarray) -> np.ndarray:
        """Quality of a decision made by each queue today (flat, R*Q)."""
        h, table, dyn = self.hierarchy, self.table, self.scenario.dynamics
        competence = self.competence * present
        competence_sum = self._per_team(competence)
        team_mean = competence_sum / np.maximum(self.members, 1)
        expertise = self._per_team(competence**2) / np.maximum(competence_sum, 1e-9)
        voice = table["voice"][self.style]
        leader_competence = self.competence[:, h.leader_ids]
        misaligned = 1.0 - dyn.misalignment_cost * (1.0 - self.alignment)

        leader_quality = ((1 - voice) * leader_competence + voice * team_mean) * misaligned
        leader_quality[:, 0] = (1 - voice[0]) * leader_competence[:, 0] + voice[0] * team_mean[:, 0]
        team_quality = expertise * misaligned
        present_leader = present[:, h.leader_ids]
        pool_quality = (leader_competence * present_leader).sum(axis=1) / np.maximum(
            present_leader.sum(axis=1), 1
        )
        pool_quality = pool_quality * (1.0 - dyn.misalignment_cost * (1.0 - self.alignment.mean(axis=1)))
        quality = np.concatenate([leader_quality, team_quality, pool_quality[:, None]], axis=1).ravel()
        return quality * overload_factor(self.backlog, capacity, dyn.overload_quality)

    def _waiting(self, rate: np.ndarray, shares: tuple, routes: dict, load: np.ndarray) -> np.ndarray:
        """Decisions each person is waiting on: their share of each queue's backlog."""
        waiting_per_rate = np.where(load > 0, self.backlog / np.where(load > 0, load, 1.0), 0.0)
        waiting = np.zeros_like(rate)
        for share, route in zip(shares, routes.values(), strict=True):
            waiting += rate * share * waiting_per_rate[route]
        return waiting

    def _time_at_work(
        self, present: np.ndarray, blocked: np.ndarray, levers: dict, decided: np.ndarray
    ) -> np.ndarray:
        """Share of each person's day spent on productive work."""
        h, table, dyn = self.hierarchy, self.table, self.scenario.dynamics
        leaders = h.leaders
        members = np.maximum(self.members, 1)
        team_decisions = decided[:, leaders : 2 * leaders]
        consulted = decided[:, :leaders] * table["consultation_effort"][self.style]
        meeting_time = dyn.decision_time * (team_decisions + consulted) / members
        per_person = np.take_along_axis(
            meeting_time, np.broadcast_to(self.manager_rank, present.shape), axis=1
        )
        training = 0.2 * levers["coaching"]
        time = (1.0 - blocked) * np.clip(1.0 - per_person - training, 0.0, 1.0)
        return time * self.work_share * present

    def _potential(self, present: np.ndarray) -> np.ndarray:
        """Output a person would give with no friction at all."""
        return self.competence * (0.6 + 0.8 * self.engagement) * self.work_share * present

    def _output(self, t: int, present: np.ndarray, time_at_work: np.ndarray, effects) -> tuple:
        """Firm output (capped by demand) and demand, per replication."""
        market = self.scenario.market
        gain = (
            1.0 + self.scenario.dynamics.automation_gain * effects.automation_level[:, None] * self.adoption
        )
        capacity = (self.competence * (0.6 + 0.8 * self.engagement) * time_at_work * gain).sum(
            axis=1
        ) * effects.productivity_factor
        capacity *= 0.75 + 0.5 * self.quality_memory
        demand = (
            market.demand
            * self.capacity_at_start
            * (1.0 + market.trend) ** (t / 260.0)
            * effects.demand_factor
        )
        output = np.where(self.failed, 0.0, np.minimum(capacity, demand))
        return output, demand

    # ---------------------------------------------------------------- bookkeeping

    def _record(self, t: int, **day) -> None:
        m = self.metrics
        present = day["present"]
        count = present.sum(axis=1)
        some = np.maximum(count, 1)
        today = day["today"]
        decided = day["decided"]
        m["arrivals"][:, t] = day["arrivals"]
        m["decided"][:, t] = decided
        m["backlog"][:, t] = self.backlog.reshape(self.runs, -1).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            m["latency_mean"][:, t] = (today * np.arange(today.shape[1])).sum(axis=1) / decided
        m["latency_p50"][:, t], m["latency_p95"][:, t] = latency_quantiles(today, (0.5, 0.95))
        m["decision_quality"][:, t] = day["quality"]
        m["engagement_mean"][:, t] = (self.engagement * present).sum(axis=1) / some
        m["engagement_p10"][:, t] = engagement_percentile(self.engagement, present, 0.10)
        m["competence_mean"][:, t] = (self.competence * present).sum(axis=1) / some
        m["blocked_mean"][:, t] = (day["blocked"] * present).sum(axis=1) / some
        m["alignment_mean"][:, t] = self.alignment.mean(axis=1)
        queues = self.hierarchy.queues
        top = np.arange(self.runs) * queues
        top_capacity = day["capacity"][top]
        with np.errstate(invalid="ignore", divide="ignore"):
            # Undefined (NaN) while nobody decides at the top, e.g. the owner is away.
            m["top_load"][:, t] = np.where(top_capacity > 0, day["load"][top] / top_capacity, np.nan)
        m["headcount"][:, t] = self.active.sum(axis=1)
        m["quits"][:, t] = day["quits"]
        m["hires"][:, t] = day["hires"]
        m["output"][:, t] = day["output"]
        m["demand"][:, t] = day["demand"]
        m["revenue"][:, t] = day["revenue"]
        m["cash"][:, t] = self.cash
        m["active_shocks"][:, t] = day["effects"].active_count
        for name in (
            "latency_mean",
            "latency_p50",
            "latency_p95",
            "engagement_mean",
            "engagement_p10",
        ):
            m[name][self.failed & (count == 0), t] = np.nan


def engagement_percentile(engagement: np.ndarray, present: np.ndarray, q: float) -> np.ndarray:
    """The lower q-percentile of engagement among present people, per replication.

    The smallest value with at least a share q of present people at or below it; NaN where
    nobody is present.
    """
    count = present.sum(axis=1)
    rank = np.maximum(np.ceil(q * count).astype(np.int64) - 1, 0)  # 0-based
    values = np.where(present, engagement, np.inf)  # absent people sort last
    if values.shape[1] <= SORT_BELOW:
        chosen = np.sort(values, axis=1)[np.arange(values.shape[0]), rank]
    else:
        chosen = np.array([np.partition(row, k)[k] for row, k in zip(values, rank, strict=True)])
    return np.where(count > 0, chosen, np.nan)
