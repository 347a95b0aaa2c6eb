"""The vectorised engine: a batch of replications of one scenario, advanced a day at a time.

State is a struct of arrays with a leading replication axis: people (R, N), team alignment (R, L),
decision queues (R*Q, ring of days), the market (R,). One ``step`` is one working day:

1. a change of structure due today takes effect; shocks starting today act (absences, skill dips)
   and raise their response decisions; vacancies due are filled (unless cash forces a freeze);
2. each person meets their leader's style: routing, consultation, and a share of the leader's time
   for support, coaching and direction;
3. decisions arrive; each queue serves response decisions first, then its oldest decisions, up to a
   capacity set by its deciders' time and competence; overdue decisions are taken locally;
4. waiting blocks people; capacity follows from competence, engagement, time at work, knowledge at
   work and decision quality; the market orders, the book is worked off, customers react;
5. money: revenue, payroll, overheads, materials, replacement costs, cash;
6. engagement (job demands–resources + contagion), competence, knowledge, alignment, adoption move;
7. people quit at a base rate plus an engagement term; a firm whose cash runs out fails.

Before day 0 the firm runs ``warmup_days`` unreported days of its status-quo structure, so it starts
in its own steady state (customers, queues, engagement, knowledge), and a change of structure on day
0 shows its transition. Everything random comes from each replication's own seeded streams (see
``draws``), so a batch gives exactly the results of its replications run one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse
from scipy.special import ndtri

from leadsim.core import leaders, market, people
from leadsim.core.decisions import (
    acting_leaders,
    expire_overdue,
    hand_over,
    latency_quantiles,
    overload_factor,
    pending_ages,
    route_shares,
    serve_fifo,
)
from leadsim.core.draws import DailyDraws, DayLayout, normal_from_uniform, poisson_from_uniform, streams
from leadsim.core.org import build_hierarchy, informal_network
from leadsim.core.shocks import AUTOMATION_SKILL_DIP, ShockEvent, credit_responses, effects_on, schedule
from leadsim.core.styles import ESCALATE_POOL, SITUATIONAL, STYLES, style_table
from leadsim.scenario.schema import Scenario

METRICS: tuple[str, ...] = (
    "arrivals",
    "decided",
    "expired",
    "backlog",
    "backlog_age_mean",
    "backlog_age_max",
    "latency_mean",
    "latency_p50",
    "latency_p95",
    "decision_quality",
    "engagement_mean",
    "engagement_sd",
    "engagement_p10",
    "competence_mean",
    "knowledge_at_work",
    "blocked_mean",
    "alignment_mean",
    "top_load",
    "headcount",
    "quits",
    "hires",
    "capacity",
    "orders",
    "order_book",
    "output",
    "delivery_delay",
    "customers",
    "revenue",
    "costs",
    "payroll",
    "replacement_costs",
    "cash",
    "active_shocks",
)
SORT_BELOW = 4096  # people per run below which a percentile sorts all runs at once
STARTING_TENURE_DAYS = 1000  # people in post at the start have finished onboarding long ago
ONBOARDING_START = 0.3  # a new hire's productivity on day one, relative to full
MONTH = 260 / 12
# Productivity of a person at engagement e is c (0.8 + 0.4 e): +50 % from e = 0 to e = 1, about +20 %
# between typical disengaged (0.35) and engaged (0.85) people, the order of the field's gaps.
ENGAGED_BASE, ENGAGED_GAIN = 0.8, 0.4
PILE_MEMORY = 30  # days over which people get used to a pile of work
NEED_FLOOR = 0.5  # a situational leader's time is shared by need among at least this much need
# Figures that describe people, decisions or deliveries: undefined once a failed firm has closed.
UNDEFINED_WHEN_CLOSED = (
    "latency_mean",
    "latency_p50",
    "latency_p95",
    "engagement_mean",
    "engagement_sd",
    "engagement_p10",
    "delivery_delay",
    "decision_quality",
)


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
        org, dyn = scenario.org, scenario.dynamics
        self.days = scenario.days
        self.warmup = scenario.warmup_days
        self.clock = 0  # days run, warm-up included
        self.runs = runs = len(self.seeds)

        waves = [
            (s.day + self.warmup, max(1, round(s.magnitude * org.size)))
            for s in scenario.shocks
            if s.type == "hiring_wave"
        ]
        self.hierarchy = h = build_hierarchy(org.size, org.span_of_control, waves)
        n, n_leaders, queues = h.people, h.leaders, h.queues
        self.manager_rank = h.manager_rank
        self.leader_manager_rank = h.leader_manager_rank

        org_rngs, shock_rngs, dynamics_rngs = zip(*(streams(s) for s in self.seeds), strict=True)
        self.competence = np.empty((runs, n))
        self.engagement = np.empty((runs, n))
        traits, sources, targets = [], [], []
        for r, rng in enumerate(org_rngs):
            self.competence[r] = np.clip(rng.normal(org.competence.mean, org.competence.sd, n), 0.05, 1)
            self.engagement[r] = np.clip(rng.normal(org.engagement.mean, org.engagement.sd, n), 0, 1)
            src, dst = informal_network(
                h, org.network.within_team, org.network.cross_team_ties, rng, org.network.cross_team_reach
            )
            sources.append(src + r * n)
            targets.append(dst + r * n)
            traits.append(people.Traits.draw(rng, n, dyn.engagement, self.competence[r]))
        self.traits = people.Traits.stack(traits)
        self.edge_source, self.edge_target = np.concatenate(sources), np.concatenate(targets)
        # Row i of the adjacency lists i's neighbours: a peer mean is one sparse product.
        self.network = sparse.csr_matrix(
            (np.ones(self.edge_source.size), (self.edge_target, self.edge_source)),
            shape=(runs * n, runs * n),
        )
        # Team of every person but the owner (slot 0), flattened over replications.
        self.team_index = ((np.arange(runs) * n_leaders)[:, None] + self.manager_rank[None, 1:]).ravel()

        shocks = [s.model_dump() for s in scenario.shocks]
        random_process = scenario.market.random_shocks.model_dump()
        self.events: list[list[ShockEvent]] = [
            schedule(shocks, random_process, self.days, n_leaders, rng) for rng in shock_rngs
        ]

        starting = h.join_day == 0
        self.active = np.broadcast_to(starting, (runs, n)).copy()
        self.hire_day = np.broadcast_to(np.where(starting, -1, h.join_day), (runs, n)).copy()
        self.absent_until = np.zeros((runs, n), dtype=np.int64)
        self.tenure = np.full((runs, n), STARTING_TENURE_DAYS, dtype=np.int64)
        self.adoption = np.zeros((runs, n))
        self.waiting = np.zeros((runs, n))
        self.knowledge = np.zeros((runs, n))
        self.alignment = np.full((runs, n_leaders), org.alignment)
        self.table = style_table({k: v.model_dump() for k, v in scenario.leadership.params.items()})
        self.situational_rows = people.situational_rows(scenario.leadership.situational)
        self.set_styles(scenario.leadership.style, scenario.leadership.by_level)

        # Nothing waits longer than the patience, so a ring of days holds every pending cohort.
        self.ring = dyn.patience_days + 2
        self.counts = np.zeros((runs * queues, self.ring), dtype=np.int32)
        self.response_counts = np.zeros_like(self.counts)
        self.head = np.zeros(runs * queues, dtype=np.int64)
        self.response_head = np.zeros(runs * queues, dtype=np.int64)
        self.backlog = np.zeros(runs * queues, dtype=np.int64)
        self.response_backlog = np.zeros(runs * queues, dtype=np.int64)

        self.wages = market.Wages.of(h.is_leader, scenario.economics)
        self.quality_memory = np.full(runs, market.REFERENCE_QUALITY)
        self.knowledge_reference = np.zeros(runs)
        self.workload = np.zeros(runs)
        self.utilisation = np.ones(runs)
        self.cash = np.full(runs, np.inf)  # no money worries in the warm-up
        self.daily_costs = np.zeros(runs)
        self.failed = np.zeros(runs, dtype=bool)
        self.failed_day = np.full(runs, -1)
        self.change_day = -1  # the day a change of structure took effect, if any
        self.market: market.MarketState | None = None  # opened on the first day, see _trade
        self.usual_pile: np.ndarray | None = None  # days of work people are used to (see _overtime)
        self.draws = DailyDraws(list(dynamics_rngs), DayLayout(n, queues))
        self._reset_records()
        for _ in range(self.warmup):
            self.step()
        self._start_reporting()

    # ---------------------------------------------------------------- configuration

    @property
    def day(self) -> int:
        """Days reported so far (day 0 is the first day after the warm-up)."""
        return max(self.clock - self.warmup, 0)

    def set_styles(self, style: str, by_level: Sequence[str] | None = None) -> None:
        """Give every leader a style: one for all, or one per level (owner first)."""
        h = self.hierarchy
        if by_level:
            levels = h.level[h.leader_ids]
            chosen = [by_level[min(level, len(by_level) - 1)] for level in levels]
            self.style = np.asarray([STYLES.index(s) for s in chosen], dtype=np.int64)
        else:
            self.style = np.full(h.leaders, STYLES.index(style), dtype=np.int64)
        lag = np.zeros(h.queues, dtype=np.int64)
        lag[: h.leaders] = self.table["consultation_days"][self.style].astype(np.int64)
        self.queue_lag = np.tile(lag, self.runs)
        # What each person meets from their manager's style, until the styles change again.
        manager_style = self.style[self.manager_rank]
        self.person_style = {
            name: self.table[name][manager_style]
            for name in ("authority_threshold", "escalation_threshold", "voice", "vision", "pressure")
        }
        self.escalates_to_pool = self.table["escalate_to"][manager_style] == ESCALATE_POOL
        self.situational_manager = manager_style == SITUATIONAL
        self.leader_time = {
            name: self.table[name][self.style] for name in self.table if name.startswith("time_")
        }

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
        t = self.clock - self.warmup  # the reported day; negative in the warm-up
        if t >= self.days:
            raise RuntimeError(f"the horizon of {self.days} days is reached")
        scenario, dyn = self.scenario, self.scenario.dynamics
        u = self.draws.next_day()
        effects = effects_on(t, self.events, dyn.mitigable)
        self._change_structure(t)
        self._start_shocks(t, effects.starting)
        hires = self._fill_vacancies(u["hire"], u["ceiling"], u["quit"])
        present = self.active & (self.absent_until <= self.clock) & ~self.failed[:, None]
        self.members = self._per_team(present.astype(float))  # present people per team today

        levers = self._levers(present)
        turbulence = 1.0 + scenario.market.turbulence + effects.turbulence  # more and harder decisions
        shares = route_shares(
            levers["authority"],
            self.person_style["escalation_threshold"],
            scenario.market.stakes_shape / turbulence,
        )
        # The owner (slot 0) decides their own decisions.
        shares[0][:, 0], shares[1][:, 0], shares[2][:, 0] = 0.0, 1.0, 0.0
        rate = scenario.market.decision_rate * turbulence[:, None] * present
        routes = self._queues_of_people(present)
        self._raise_responses(effects.starting, routes)

        load = self._queue_load(rate, shares, routes)
        arrivals = poisson_from_uniform(u["arrive"].ravel(), load)
        column = self.clock % self.ring
        self.counts[:, column] += arrivals
        self.backlog += arrivals

        capacity = self._capacity(present)
        served = poisson_from_uniform(u["serve"].ravel(), capacity)
        last_day = self.clock - self.queue_lag
        resolved = {
            "responses": serve_fifo(
                self.response_counts, self.response_head, served, last_day, self.response_backlog
            ),
            "decisions": serve_fifo(self.counts, self.head, served, last_day, self.backlog),
        }
        oldest_kept = self.clock - dyn.patience_days + 1
        expired = {
            "responses": expire_overdue(
                self.response_counts, self.response_head, oldest_kept, self.response_backlog
            ),
            "decisions": expire_overdue(self.counts, self.head, oldest_kept, self.backlog),
        }
        size = self.runs * self.hierarchy.queues
        per_queue = {}
        for kind, backlog in (("responses", self.response_backlog), ("decisions", self.backlog)):
            done = np.bincount(resolved[kind][0], resolved[kind][2], minlength=size)
            gone = np.bincount(expired[kind][0], expired[kind][2], minlength=size)
            backlog -= (done + gone).astype(np.int64)
            per_queue[kind] = (done, gone)
        today = self._latencies(resolved, expired)

        quality, local_quality = self._quality(present, capacity)
        response_done, response_gone = per_queue["responses"]
        if self.response_backlog.any() or response_done.any() or response_gone.any():
            counts = (response_done + response_gone).reshape(self.runs, -1).sum(axis=1)
            credits = (
                (response_done * quality + response_gone * local_quality).reshape(self.runs, -1).sum(axis=1)
            )
            for r in np.flatnonzero(counts):
                credit_responses(self.events[r], int(counts[r]), float(credits[r]))
        decided = sum(per_queue[k][0] for k in per_queue)
        taken_locally = sum(per_queue[k][1] for k in per_queue)
        quality_today = self._quality_today(decided, taken_locally, quality, local_quality)

        self.waiting = self._waiting(rate, shares, routes, load)
        blocked = dyn.max_blocked * (1.0 - np.exp(-dyn.block_per_decision * self.waiting))
        work = self._time_at_work(present, blocked, levers, decided, taken_locally)
        capacity_units = self._production(present, work, effects, t)
        if self.market is None:
            # The warm-up starts with the customers the firm could serve on its first day.
            self.market = market.MarketState.start(scenario.market.demand * capacity_units, scenario.market)
        capacity_units = capacity_units * self._overtime(present, capacity_units, effects.order_factor)
        trade = market.trade(
            self.market,
            capacity_units,
            effects.order_factor,
            effects.market_factor,
            quality_today,
            scenario.market,
        )
        self.utilisation = np.where(
            capacity_units > 0, trade["shipments"] / np.maximum(capacity_units, 1e-9), 0.0
        )
        self.workload = np.clip(trade["delivery_delay"] / scenario.market.normal_delivery_days - 1.0, 0, 1)
        revenue = trade["shipments"] * scenario.economics.price_per_unit

        self._update_people(present, levers, shares, blocked, work, effects, u["noise"])
        quits, replacement = self._quits(present, u["quit"])
        costs = market.daily_costs(self.wages, self.active, self._posts(), revenue, scenario.economics)
        spent = costs["payroll"] + costs["overhead"] + costs["materials"] + replacement
        if self.change_day >= 0 and t == self.change_day:
            spent = spent + scenario.leadership.change.cost
        closed_before = self.failed.copy()  # failed before today (revenue and costs stop)
        spent = np.where(self.failed, 0.0, spent)
        revenue = np.where(self.failed, 0.0, revenue)
        self.cash = self.cash + revenue - spent
        self.daily_costs = spent
        self._fail(t)

        if t >= 0:
            self._record(
                t,
                arrivals=arrivals.reshape(self.runs, -1).sum(axis=1) + self.responses_today,
                decided=decided.reshape(self.runs, -1).sum(axis=1),
                expired=taken_locally.reshape(self.runs, -1).sum(axis=1),
                today=today,
                quality=quality_today,
                present=present,
                blocked=blocked,
                load=load,
                capacity=capacity,
                quits=quits,
                hires=hires,
                capacity_units=capacity_units,
                trade=trade,
                revenue=revenue,
                costs=spent,
                payroll=costs["payroll"],
                replacement=replacement,
                effects=effects,
                closed_before=closed_before,
            )
        self.clock += 1

    # ---------------------------------------------------------------- the firm's people and leaders

    def _change_structure(self, t: int) -> None:
        """The scenario's change of structure, on its day."""
        change = self.scenario.leadership.change
        if change is not None and t == change.day:
            self.set_styles(change.style, change.by_level)
            self.change_day = t

    def _start_shocks(self, t: int, starting: list[list[ShockEvent]]) -> None:
        """Shocks that act once, on their first day: people lost, skills dipping."""
        for r, events in enumerate(starting):
            for e in events:
                if e.type == "key_person_loss":
                    for person in self._key_people(r, e):
                        if e.duration > 0:
                            self.absent_until[r, person] = self.clock + e.duration
                        else:
                            gone = np.zeros_like(self.active)
                            gone[r, person] = True
                            self._leave(gone)
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

    def _fill_vacancies(self, u_hire: np.ndarray, u_ceiling: np.ndarray, u_donor: np.ndarray) -> np.ndarray:
        """Hires from the labour market take the vacancies that are due, unless cash is short.

        A hire is a new person: competence and ceiling are drawn, and their disposition,
        sensitivities and rapport are those of a person drawn at random from the firm's slots (the
        slot's quit uniform picks who: a hire does not quit on their first day, so it is not used
        twice), so hires follow the population.
        """
        org, economics = self.scenario.org, self.scenario.economics
        short = self.cash < economics.hiring_freeze_months * MONTH * self.daily_costs
        due = ~self.active & (self.hire_day >= 0) & (self.hire_day <= self.clock) & ~self.failed[:, None]
        frozen = due & short[:, None] & (self.hierarchy.join_day[None, :] == 0)
        self.hire_day[frozen] = self.clock + 1  # the vacancy waits for better days
        due &= ~frozen
        if due.any():
            competence = normal_from_uniform(u_hire[due], org.hire_competence.mean, org.hire_competence.sd)
            self.competence[due] = np.clip(competence, 0.05, 1.0)
            u = np.clip(u_ceiling[due], 1e-12, 1 - 1e-12)
            ceiling = org.competence.mean + people.CEILING_ABOVE + org.competence.sd * ndtri(u)
            self.traits.ceiling[due] = np.clip(np.maximum(ceiling, self.competence[due]), 0.05, 1.0)
            runs, slots = np.nonzero(due)
            donors = np.minimum(
                (u_donor[due] * self.hierarchy.people).astype(np.int64), self.hierarchy.people - 1
            )
            self.traits.take(runs, slots, donors)
            self.engagement[due] = self.scenario.dynamics.new_hire_engagement
            self.tenure[due] = 0
            self.adoption[due] = 0.0
            self.knowledge[due] = 0.0
            self.absent_until[due] = 0
            self.active[due] = True
            self.hire_day[due] = -1
        return due.sum(axis=1)

    def _levers(self, present: np.ndarray) -> dict[str, np.ndarray]:
        """What each person meets from their leader, shape (R, N) per lever.

        Routing and consultation come from the leader's style; support, coaching and direction are
        the leader's time for them shared by the present team (situational leaders share it by each
        person's development level, and set the authority threshold per person too).
        """
        shape = self.competence.shape
        authority = np.broadcast_to(self.person_style["authority_threshold"], shape)
        weights = {"support": 1.0, "coaching": 1.0, "direction": 1.0}
        if self.situational_manager.any():
            rows = self.situational_rows
            level = people.development_level(
                self.competence, self.engagement, self.scenario.leadership.situational
            )
            situational = self.situational_manager
            authority = np.where(situational, rows["authority_threshold"][level], authority)
            for name, key in (
                ("support", "support"),
                ("coaching", "coaching_share"),
                ("direction", "direction"),
            ):
                weights[name] = np.where(situational, rows[key][level], 1.0)
        levers = {"authority": authority}
        for name, share in (
            ("support", "time_supporting"),
            ("coaching", "time_coaching"),
            ("direction", "time_directing"),
        ):
            weight = weights[name]
            # Situational leaders share their time by need; when the team needs little (weights
            # below one half on average), each person gets no more than their need's share.
            team_sum = self._per_team(np.broadcast_to(weight, shape) * present)
            if self.situational_manager.any():
                team_sum = np.maximum(team_sum, NEED_FLOOR * self.members)
            # Only a leader at work gives time, and only people at work receive it.
            given = self.leader_time[share] * present[:, self.hierarchy.leader_ids]
            dose, received = leaders.doses(given, team_sum, self.manager_rank, weight)
            dose = dose * present
            received = received * present
            dose[:, 0] = 0.0  # the owner has nobody above
            received[:, 0] = 0.0
            levers[name] = dose
            levers[f"{name}_time"] = received
        return levers

    def _queues_of_people(self, present: np.ndarray) -> dict[str, np.ndarray]:
        """Flat queue rows each person's decisions go to, per route, shape (R, N)."""
        h = self.hierarchy
        n_leaders, queues = h.leaders, h.queues
        present_leader = present[:, h.leader_ids]
        acting = acting_leaders(present_leader, self.leader_manager_rank, h.depth)
        self.acting = acting  # kept for inspection: who decides for each leader's queue today
        run_offset = (np.arange(self.runs) * queues)[:, None]

        # Absent leaders' pending decisions go to whoever acts for them.
        source = np.arange(n_leaders)[None, :]
        pending = (self.backlog + self.response_backlog).reshape(self.runs, queues)[:, :n_leaders]
        moving = (acting >= 0) & (acting != source) & (pending > 0)
        if moving.any():
            r, k = np.nonzero(moving)
            moves = np.stack([r * queues + k, r * queues + acting[r, k]], axis=1)
            hand_over(self.counts, self.backlog, self.head, moves)
            hand_over(self.response_counts, self.response_backlog, self.response_head, moves)

        leader_queue = np.where(acting >= 0, acting, np.arange(n_leaders))  # nobody: it waits
        team = run_offset + n_leaders + self.manager_rank[None, :]
        leader = run_offset + leader_queue[:, self.manager_rank]
        owner_queue = run_offset + leader_queue[:, :1]
        escalated = np.where(self.escalates_to_pool, run_offset + 2 * n_leaders, owner_queue)
        self.leader_queue = leader_queue
        return {"team": team, "leader": leader, "escalated": escalated}

    def _raise_responses(self, starting: list[list[ShockEvent]], routes: dict[str, np.ndarray]) -> None:
        """Each team raises its response decisions to a shock, routed by its leader's style."""
        dyn, h = self.scenario.dynamics, self.hierarchy
        stakes = dyn.response_stakes
        self.responses_today = np.zeros(self.runs, dtype=np.int64)
        for r, events in enumerate(starting):
            for e in events:
                per_team = max(1, round(dyn.response_decisions * e.magnitude))
                for k in range(h.leaders):
                    authority = self.table["authority_threshold"][self.style[k]]
                    escalation = self.table["escalation_threshold"][self.style[k]]
                    if stakes <= authority:
                        row = r * h.queues + h.leaders + k
                    elif stakes <= max(authority, escalation) or k == 0:
                        row = r * h.queues + self.leader_queue[r, k]
                    elif self.table["escalate_to"][self.style[k]] == ESCALATE_POOL:
                        row = r * h.queues + 2 * h.leaders
                    else:
                        row = r * h.queues + self.leader_queue[r, 0]
                    self.response_counts[row, self.clock % self.ring] += per_team
                    self.response_backlog[row] += per_team
                    e.responses_raised += per_team
                    self.responses_today[r] += per_team

    def _queue_load(self, rate: np.ndarray, shares: tuple, routes: dict) -> np.ndarray:
        """Expected arrivals per queue today (flat, R*Q)."""
        size = self.runs * self.hierarchy.queues
        load = np.zeros(size)
        for share, route in zip(shares, routes.values(), strict=True):
            load += np.bincount(route.ravel(), (rate * share).ravel(), minlength=size)
        return load

    def _capacity(self, present: np.ndarray) -> np.ndarray:
        """Decisions each queue can make today (flat, R*Q): its deciders' time and competence."""
        h, dyn = self.hierarchy, self.scenario.dynamics
        present_leader = present[:, h.leader_ids]
        leader_competence = self.competence[:, h.leader_ids]
        leader = leaders.leader_capacity(
            self.leader_time["time_deciding"],
            self.table["consultation_effort"][self.style],
            leader_competence,
            present_leader,
            dyn.decision_effort,
        )
        member = leaders.member_capacity(
            self.competence,
            self.engagement,
            present,
            dyn.member_decision_time,
            dyn.decision_effort,
            self.scenario.org.power_distance,
        )
        team = self._per_team(member)
        pool = leaders.pool_capacity(
            self.leader_time["time_pool"],
            leader_competence,
            present_leader,
            dyn.decision_effort,
            dyn.coordination_cost,
        )
        return np.concatenate([leader, team, pool[:, None]], axis=1).ravel()

    def _per_team(self, values: np.ndarray) -> np.ndarray:
        """Sum of per-person values over each leader's team, shape (R, L).

        The owner (slot 0) is nobody's team member.
        """
        n_leaders = self.hierarchy.leaders
        sums = np.bincount(self.team_index, values[:, 1:].ravel(), minlength=self.runs * n_leaders)
        return sums.reshape(self.runs, n_leaders)

    def _quality(self, present: np.ndarray, capacity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Quality of a decision made by each queue today, and of one taken locally instead (flat).

        A leader pools what the consulted part of the team knows (diminishing returns); a team's
        decision is as good as the expertise it holds; the pool pools its members. Misalignment and
        a decider's queued work cost quality.
        """
        h, dyn = self.hierarchy, self.scenario.dynamics
        competence = self.competence * present
        competence_sum = self._per_team(competence)
        members = np.maximum(self.members, 1)
        team_mean = competence_sum / members
        expertise = self._per_team(competence**2) / np.maximum(competence_sum, 1e-9)
        voice = self.table["voice"][self.style]
        present_leader = present[:, h.leader_ids]
        leader_competence = self.competence[:, h.leader_ids]
        aligned = 1.0 - dyn.misalignment_cost * (1.0 - self.alignment)
        aligned[:, 0] = 1.0  # the owner's own decisions define the strategy

        def pooled(own: np.ndarray, consulted: np.ndarray) -> np.ndarray:
            return own + (1.0 - own) * (1.0 - np.exp(-dyn.pooling * consulted))

        leader_quality = pooled(leader_competence, voice * competence_sum) * aligned
        team_quality = expertise * aligned
        in_pool = present_leader * (self.leader_time["time_pool"] > 0)
        pool_members = np.maximum(in_pool.sum(axis=1), 1)
        pool_mean = (leader_competence * in_pool).sum(axis=1) / pool_members
        pool_quality = pooled(pool_mean, (leader_competence * in_pool).sum(axis=1) - pool_mean)
        pool_quality = pool_quality * aligned.mean(axis=1)
        quality = np.concatenate([leader_quality, team_quality, pool_quality[:, None]], axis=1).ravel()
        quality = quality * overload_factor(
            self.backlog + self.response_backlog, capacity, dyn.overload_quality
        )

        firm_mean = competence.sum(axis=1) / np.maximum(present.sum(axis=1), 1)
        local_team = dyn.local_quality * team_mean * aligned
        local_firm = dyn.local_quality * firm_mean * aligned.mean(axis=1)
        local = np.concatenate([local_team, local_team, local_firm[:, None]], axis=1)
        local[:, 0] = local_firm  # the owner's queue: whoever in the firm waits on it
        return quality, local.ravel()

    def _quality_today(self, decided, taken_locally, quality, local_quality) -> np.ndarray:
        """Mean quality of today's resolved decisions per replication (NaN where none)."""
        weight = (decided * quality + taken_locally * local_quality).reshape(self.runs, -1).sum(axis=1)
        count = (decided + taken_locally).reshape(self.runs, -1).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            today = np.where(count > 0, weight / count, np.nan)
        self.quality_memory = np.where(
            count > 0,
            self.quality_memory + 0.1 * (np.nan_to_num(today) - self.quality_memory),
            self.quality_memory,
        )
        return today

    def _latencies(self, resolved: dict, expired: dict) -> np.ndarray:
        """Today's resolved decisions by latency, (R, span); adds them to the run's totals."""
        rows = np.concatenate([x[0] for x in (*resolved.values(), *expired.values())])
        days_raised = np.concatenate([x[1] for x in (*resolved.values(), *expired.values())])
        amounts = np.concatenate([x[2] for x in (*resolved.values(), *expired.values())])
        latency = self.clock - days_raised
        span = int(latency.max()) + 1 if latency.size else 1
        today = np.bincount(
            (rows // self.hierarchy.queues) * span + latency, amounts, minlength=self.runs * span
        ).reshape(self.runs, span)
        self.latency_histogram[:, :span] += today.astype(np.int64)
        self.latency_total += (today * np.arange(span)).sum(axis=1)
        self.decided_total += today.sum(axis=1).astype(np.int64)
        return today

    def _waiting(self, rate: np.ndarray, shares: tuple, routes: dict, load: np.ndarray) -> np.ndarray:
        """Decisions each person is waiting on: their share of each queue's backlog."""
        backlog = self.backlog + self.response_backlog
        waiting_per_rate = np.where(load > 0, backlog / np.where(load > 0, load, 1.0), 0.0)
        waiting = np.zeros_like(rate)
        for share, route in zip(shares, routes.values(), strict=True):
            waiting += rate * share * waiting_per_rate[route]
        return waiting

    def _time_at_work(
        self,
        present: np.ndarray,
        blocked: np.ndarray,
        levers: dict,
        decided: np.ndarray,
        taken_locally: np.ndarray,
    ) -> dict[str, np.ndarray]:
        """How each person's day is spent, and who took which decisions today.

        Team decisions are taken by whoever holds the expertise (in proportion to competence
        squared); overdue decisions by whoever waits on them; consulted decisions take meeting time
        of the consulted share of the team. Leaders work on their own tasks in the time their style
        leaves them.
        """
        h, dyn = self.hierarchy, self.scenario.dynamics
        n_leaders = h.leaders
        decided = decided.reshape(self.runs, -1)
        local = taken_locally.reshape(self.runs, -1)
        members = np.maximum(self.members, 1)
        competence = self.competence * present
        expertise_share = (
            competence**2 / np.maximum(self._per_team(competence**2), 1e-9)[:, self.manager_rank]
        )
        team_decided = decided[:, n_leaders : 2 * n_leaders]
        local_leader = local[:, :n_leaders].copy()
        local_leader[:, 0] = 0.0  # the owner's overdue decisions are taken across the firm
        local_team = (local_leader + local[:, n_leaders : 2 * n_leaders]) / members
        local_firm = (local[:, 2 * n_leaders] + local[:, 0]) / np.maximum(present.sum(axis=1), 1)
        taken = (
            team_decided[:, self.manager_rank] * expertise_share
            + local_team[:, self.manager_rank]
            + local_firm[:, None]
        ) * present
        taken[:, 0] = 0.0
        consulted = decided[:, :n_leaders] * self.table["voice"][self.style]
        meeting = dyn.meeting_time * consulted[:, self.manager_rank]
        deciding = taken * dyn.decision_effort / (0.5 + 0.5 * self.competence)
        busy = deciding + meeting + levers["coaching_time"]
        work = (1.0 - blocked) * np.clip(1.0 - busy, 0.0, 1.0)

        # Leaders: their own decisions and the pool's are in their day; what is left is own work.
        pool_share = np.zeros((self.runs, n_leaders))
        in_pool = self.leader_time["time_pool"] > 0
        if in_pool.any():
            giving = present[:, h.leader_ids] * in_pool
            pool_share = giving / np.maximum(giving.sum(axis=1, keepdims=True), 1)
        leader_taken = decided[:, :n_leaders] + pool_share * decided[:, 2 * n_leaders : 2 * n_leaders + 1]
        taken[:, h.leader_ids] += leader_taken
        work[:, h.leader_ids] = (1.0 - blocked[:, h.leader_ids]) * self.leader_time["time_own_work"]
        # Practice is the day spent on real work or decisions; idle capacity (no orders) forgets.
        practice = np.clip(1.0 - blocked - work * (1.0 - self.utilisation[:, None]), 0.0, 1.0)
        return {"work": work * present, "taken": taken, "practice": practice * present, "busy": busy}

    def _production(self, present: np.ndarray, work: dict, effects, t: int) -> np.ndarray:
        """Units of work the firm can deliver today.

        People's competence, engagement and onboarding, their time at work, the automation they
        have adopted, the share of the firm's knowledge at work, and the quality of recent decisions.
        """
        dyn = self.scenario.dynamics
        ramp_days = max(dyn.onboarding_days, 1) / (1.0 + effects.onboarding_help[:, None])
        ramp = np.minimum(1.0, ONBOARDING_START + (1 - ONBOARDING_START) * self.tenure / ramp_days)
        gain = 1.0 + dyn.automation_gain * effects.automation_level[:, None] * self.adoption
        person = (
            self.competence * (ENGAGED_BASE + ENGAGED_GAIN * self.engagement) * ramp * gain * work["work"]
        )
        at_work = (self.knowledge * present).sum(axis=1)
        held = (self.knowledge * self.active).sum(axis=1)
        self.knowledge_reference = np.where(
            self.clock == 0,
            held,
            self.knowledge_reference + (held - self.knowledge_reference) / dyn.knowledge_days,
        )
        # Before anyone has learnt anything there is nothing to miss.
        available = np.where(
            self.knowledge_reference > 0,
            np.minimum(at_work / np.maximum(self.knowledge_reference, 1e-9), 1.0),
            1.0,
        )
        available = available + (1.0 - available) * effects.knowledge_relief
        self.knowledge_available = available
        knowledge = 1.0 - dyn.knowledge_weight * (1.0 - available)
        capacity = person.sum(axis=1) * effects.productivity_factor * knowledge
        capacity = capacity * (0.75 + 0.5 * self.quality_memory) * self._change_dip(t)
        return np.where(self.failed, 0.0, capacity)

    def _overtime(self, present: np.ndarray, capacity: np.ndarray, order_factor: np.ndarray) -> np.ndarray:
        """Extra effort people put in when work piles up: engaged people more (discretionary effort).

        The pile is the book with today's orders, in days of today's capacity; people push when it
        is above what they are used to (its recent level, remembered over PILE_MEMORY days).
        """
        dyn, state = self.scenario.dynamics, self.market
        pile = (state.order_book + state.customers * order_factor) / np.maximum(capacity, 1e-9)
        if self.usual_pile is None:
            self.usual_pile = pile
        pressure = np.clip(pile / np.maximum(self.usual_pile, 1.0) - 1.0, 0.0, 1.0)
        self.usual_pile = self.usual_pile + (pile - self.usual_pile) / PILE_MEMORY
        engaged = (self.engagement * present).sum(axis=1) / np.maximum(present.sum(axis=1), 1)
        return 1.0 + dyn.overtime * pressure * engaged

    def _posts(self) -> int:
        """Posts that exist today (hiring-wave posts from their first day): each carries overheads."""
        return int((self.hierarchy.join_day <= self.clock).sum())

    def _change_dip(self, t: int) -> float:
        """Productivity kept while people learn a new structure: the dip fades over its duration."""
        change = self.scenario.leadership.change
        if change is None or self.change_day < 0 or change.duration == 0:
            return 1.0
        progress = (t - self.change_day) / change.duration
        return 1.0 - change.learning_dip * max(0.0, 1.0 - progress)

    def _update_people(
        self,
        present: np.ndarray,
        levers: dict,
        route: tuple,
        blocked: np.ndarray,
        work: dict,
        effects,
        u_noise: np.ndarray,
    ) -> None:
        """Engagement, competence, knowledge, alignment and adoption move (present people only)."""
        scenario, dyn = self.scenario, self.scenario.dynamics
        p = dyn.engagement
        perceived = np.minimum(self.traits.rapport * p.leader_sensitivity, 3.0)
        voice = self.person_style["voice"]
        autonomy = route[0] + voice * route[1]
        autonomy = np.broadcast_to(autonomy, self.competence.shape).copy()
        autonomy[:, 0] = 1.0
        readiness = self.competence * (1.0 - 0.5 * scenario.org.power_distance)
        support = np.minimum(levers["support"] * perceived, 1.0)
        strain = np.clip(self.workload[:, None] + blocked + work["busy"], 0.0, 1.0) * (1.0 - support)
        pressure = self.person_style["pressure"] * perceived
        team_alignment = self.alignment[:, self.manager_rank]
        change = self.scenario.leadership.change
        change_stress = 0.0
        if change is not None and self.change_day >= 0:
            change_stress = 1.0 - self._change_dip(self.clock - self.warmup)
        shock = np.zeros_like(support)  # most days of most runs: no shock, no change under way
        if effects.rollout_under_way.any() or effects.stress.any() or change_stress:
            rollout_stress = (
                effects.rollout_under_way[:, None]
                * effects.automation_level[:, None]
                * (1.0 - self.adoption)
                * (1.0 - effects.rollout_help[:, None])
            )
            shock = (effects.stress[:, None] + rollout_stress + change_stress) * (
                1.0 - 0.5 * np.maximum(support, voice)
            )
        resources = {
            "autonomy": np.minimum(autonomy, readiness),
            "voice": voice * perceived,
            "support": support,
            "vision": self.person_style["vision"] * perceived,
            "growth": levers["coaching"] * perceived,
            "challenge": pressure * (1.0 - strain),
        }
        demands = {
            "blocked": blocked,
            "workload": np.broadcast_to(self.workload[:, None], blocked.shape),
            "shock": shock,
            "ambiguity": 0.5 * (1.0 - team_alignment)
            + 0.5 * (1.0 - levers["direction"]) * (1.0 - self.competence),
            "micromanagement": levers["direction"] * perceived * np.maximum(readiness - autonomy, 0.0),
            "overreach": np.maximum(autonomy - readiness, 0.0) * (1.0 - support),
            "hindrance": pressure * strain,
        }
        peers = people.peer_mean(self.network, self.engagement, present)
        new = people.engagement_change(
            self.engagement, resources, demands, self.traits, support, peers, u_noise, p
        )
        self.engagement = np.where(present, new, self.engagement)

        competence = people.competence_change(
            self.competence, self.traits.ceiling, work["practice"], levers["coaching"], route[0], dyn
        )
        self.competence = np.where(present, competence, self.competence)
        self.knowledge = np.where(
            self.active,
            people.knowledge_change(self.knowledge, work["taken"], levers["coaching"], dyn.knowledge_days),
            self.knowledge,
        )
        local_share = self._per_team(np.broadcast_to(route[0], present.shape) * present) / np.maximum(
            self.members, 1
        )
        team_competence = self._per_team(self.competence * present) / np.maximum(self.members, 1)
        self.alignment = people.alignment_change(
            self.alignment, self.table["vision"][self.style], local_share, team_competence, dyn
        )
        if (effects.automation_level > 0).any():
            help_given = (support + voice + levers["coaching"]) / 3.0 + effects.rollout_help[:, None]
            grown = people.adoption_change(
                self.adoption, np.minimum(help_given, 1.0), self.engagement, dyn.adoption_rate
            )
            self.adoption = np.where(present & (effects.automation_level[:, None] > 0), grown, self.adoption)
        self.tenure += self.active

    def _quits(self, present: np.ndarray, u_quit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """People who quit today (the owner never does), and what replacing them costs."""
        # Today's hires stay today: their slot's quit uniform picked their traits (_fill_vacancies).
        started_today = self.tenure <= 1
        hazard = people.quit_hazard(self.engagement, self.scenario.dynamics)
        leaving = present & ~started_today & (u_quit < hazard)
        leaving[:, 0] = False
        self._leave(leaving)
        economics = self.scenario.economics
        yearly = self.wages.daily * market.DAYS_PER_YEAR
        cost = economics.recruiting_cost_share * (leaving.astype(float) @ yearly)
        return leaving.sum(axis=1), cost

    def _leave(self, leaving: np.ndarray) -> None:
        """People leave for good: their competence and knowledge go with them; hires follow later."""
        self.active[leaving] = False
        self.hire_day[leaving] = self.clock + 1 + self.scenario.org.hire_delay_days
        self.absent_until[leaving] = 0
        self.waiting[leaving] = 0.0
        self.knowledge[leaving] = 0.0

    def _fail(self, t: int) -> None:
        """A firm whose cash runs out fails: everyone leaves, nothing more happens."""
        newly_failed = (self.cash < 0) & ~self.failed
        if newly_failed.any():
            self.failed |= newly_failed
            self.failed_day[newly_failed] = t
            self.active[newly_failed] = False
            self.hire_day[newly_failed] = -1

    # ---------------------------------------------------------------- bookkeeping

    def _reset_records(self) -> None:
        self.latency_histogram = np.zeros((self.runs, self.ring + 1), dtype=np.int64)
        self.latency_total = np.zeros(self.runs)
        self.decided_total = np.zeros(self.runs, dtype=np.int64)
        self.metrics = {name: np.full((self.runs, self.days), np.nan) for name in METRICS}

    def _start_reporting(self) -> None:
        """Day 0: the warm-up's records are dropped, and the firm gets its starting cash."""
        self._reset_records()
        self.backlog_at_start = (self.backlog + self.response_backlog).reshape(self.runs, -1).sum(axis=1)
        economics = self.scenario.economics
        # Months of the costs the firm runs at (without a warm-up: its payroll and overheads).
        fixed = market.daily_costs(self.wages, self.active, self._posts(), np.zeros(self.runs), economics)
        monthly = np.maximum(self.daily_costs, fixed["payroll"] + fixed["overhead"]) * MONTH
        self.cash = economics.initial_cash_months * monthly
        self.failed[:] = False
        self.failed_day[:] = -1

    def _record(self, t: int, **day) -> None:
        m = self.metrics
        present = day["present"]
        count = present.sum(axis=1)
        some = np.maximum(count, 1)
        today = day["today"]
        resolved = day["decided"] + day["expired"]
        m["arrivals"][:, t] = day["arrivals"]
        m["decided"][:, t] = day["decided"]
        m["expired"][:, t] = day["expired"]
        backlog = (self.backlog + self.response_backlog).reshape(self.runs, -1)
        m["backlog"][:, t] = backlog.sum(axis=1)
        age_sum, oldest = pending_ages(self.counts, self.head, self.backlog, self.clock)
        response_age, response_oldest = pending_ages(
            self.response_counts, self.response_head, self.response_backlog, self.clock
        )
        total_age = (age_sum + response_age).reshape(self.runs, -1).sum(axis=1)
        m["backlog_age_mean"][:, t] = total_age / np.maximum(m["backlog"][:, t], 1)
        m["backlog_age_max"][:, t] = np.maximum(oldest, response_oldest).reshape(self.runs, -1).max(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            m["latency_mean"][:, t] = (today * np.arange(today.shape[1])).sum(axis=1) / resolved
        m["latency_p50"][:, t], m["latency_p95"][:, t] = latency_quantiles(today, (0.5, 0.95))
        m["decision_quality"][:, t] = day["quality"]
        engagement = np.where(present, self.engagement, 0.0)
        mean = engagement.sum(axis=1) / some
        m["engagement_mean"][:, t] = mean
        m["engagement_sd"][:, t] = np.sqrt(np.maximum((engagement**2).sum(axis=1) / some - mean**2, 0.0))
        m["engagement_p10"][:, t] = engagement_percentile(self.engagement, present, 0.10)
        m["competence_mean"][:, t] = (self.competence * present).sum(axis=1) / some
        m["knowledge_at_work"][:, t] = self.knowledge_available
        m["blocked_mean"][:, t] = (day["blocked"] * present).sum(axis=1) / some
        m["alignment_mean"][:, t] = self.alignment.mean(axis=1)
        top = np.arange(self.runs) * self.hierarchy.queues
        top_capacity = day["capacity"][top]
        with np.errstate(invalid="ignore", divide="ignore"):
            # Undefined (NaN) while nobody decides at the top, e.g. the owner is away.
            m["top_load"][:, t] = np.where(top_capacity > 0, day["load"][top] / top_capacity, np.nan)
        m["headcount"][:, t] = self.active.sum(axis=1)
        m["quits"][:, t] = day["quits"]
        m["hires"][:, t] = day["hires"]
        m["capacity"][:, t] = day["capacity_units"]
        trade = day["trade"]
        m["orders"][:, t] = trade["orders"]
        m["order_book"][:, t] = self.market.order_book
        m["output"][:, t] = np.where(day["closed_before"], 0.0, trade["shipments"])
        m["delivery_delay"][:, t] = trade["delivery_delay"]
        m["customers"][:, t] = self.market.customers
        m["revenue"][:, t] = day["revenue"]
        m["costs"][:, t] = day["costs"]
        m["payroll"][:, t] = day["payroll"]
        m["replacement_costs"][:, t] = day["replacement"]
        m["cash"][:, t] = self.cash
        m["active_shocks"][:, t] = day["effects"].active_count
        closed = self.failed & (count == 0)
        for name in UNDEFINED_WHEN_CLOSED:
            m[name][closed, t] = np.nan


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
