"""The scenario schema: every field a scenario file may hold, with its default and range.

A scenario is plain data. Unknown keys, wrong types, NaN and out-of-range values are rejected,
so a typo never silently falls back to a default.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Style = Literal[
    "autocratic",
    "democratic",
    "servant",
    "distributed",
    "laissez_faire",
    "transformational",
    "situational",
]
ShockType = Literal[
    "demand_drop",
    "turbulence",
    "key_person_loss",
    "capacity_disruption",
    "automation_rollout",
    "hiring_wave",
]
STYLE_NAMES: tuple[str, ...] = Style.__args__
"""The seven leadership styles, in the order the engine numbers them."""
SHOCK_TYPES: tuple[str, ...] = ShockType.__args__

Unit = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0.0, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Distribution(_Strict):
    """A normal distribution, clipped to [0, 1] where it is applied."""

    mean: Unit = Field(0.6, description="mean")
    sd: Annotated[float, Field(ge=0.0, le=0.5, allow_inf_nan=False)] = Field(
        0.15, description="standard deviation"
    )


class Network(_Strict):
    """The informal network: dense inside teams, sparse across."""

    within_team: Unit = Field(0.8, description="probability that two team mates are tied")
    cross_team_ties: Annotated[float, Field(ge=0.0, le=20.0, allow_inf_nan=False)] = Field(
        1.5, description="mean number of ties each person starts to people in other teams"
    )
    cross_team_reach: Annotated[int, Field(ge=1, le=1_000_000)] = Field(
        100,
        description="cross-team ties go to people at most this many places away in the org chart "
        "(people mostly know those near them; covers the whole of a small firm)",
    )


class Org(_Strict):
    """The organisation: size, hierarchy and the people in it."""

    size: Annotated[int, Field(ge=2, le=2_000_000)] = Field(50, description="people, owner included")
    span_of_control: Annotated[int, Field(ge=2, le=200)] = Field(
        7, description="direct reports per leader; sets the number of leaders and levels"
    )
    competence: Distribution = Field(
        Distribution(mean=0.6, sd=0.15),
        description="competence in [0, 1] of the people in post (each person's ceiling lies above it)",
    )
    engagement: Distribution = Field(
        Distribution(mean=0.65, sd=0.1), description="engagement before the warm-up, in [0, 1]"
    )
    alignment: Unit = Field(0.6, description="initial shared understanding of the strategy")
    power_distance: Unit = Field(
        0.3, description="how much people expect hierarchy; high values damp self-organising"
    )
    hire_delay_days: Annotated[int, Field(ge=0, le=365)] = Field(
        30, description="working days from a departure to the replacement's first day"
    )
    hire_competence: Distribution = Field(
        Distribution(mean=0.4, sd=0.12), description="competence of new hires from the labour market"
    )
    network: Network = Network()


class StyleParams(_Strict):
    """One leadership style as named parameters. Every field is optional in a scenario override.

    A style says who decides what and how a leader shares a working day; how many decisions get made
    comes from people's time and competence, not from the style.
    """

    authority_threshold: Unit | None = Field(
        None, description="decisions with stakes up to this are decided inside the team"
    )
    escalation_threshold: Unit | None = Field(
        None,
        description="decisions with stakes above this (and above the authority "
        "threshold) leave the team leader for the escalation target",
    )
    escalate_to: Literal["owner", "pool"] | None = Field(
        None, description="who decides escalated decisions: the owner or a shared leadership pool"
    )
    time_deciding: Unit | None = Field(None, description="share of a leader's day spent deciding")
    time_supporting: Unit | None = Field(
        None, description="share of a leader's day spent supporting people (shared by the team)"
    )
    time_coaching: Unit | None = Field(
        None, description="share of a leader's day spent coaching (shared by the team)"
    )
    time_directing: Unit | None = Field(
        None, description="share of a leader's day spent directing and checking work"
    )
    time_pool: Unit | None = Field(
        None, description="share of a leader's day given to the shared leadership pool"
    )
    consultation_days: Annotated[int, Field(ge=0, le=30)] | None = Field(
        None, description="days a leader-decided decision waits for consultation"
    )
    consultation_effort: NonNegative | None = Field(
        None, description="extra leader time per decision spent consulting (1 = doubles it)"
    )
    voice: Unit | None = Field(
        None, description="share of the team consulted on the leader's decisions (input and voice)"
    )
    vision: Unit | None = Field(None, description="how strongly a shared vision is communicated")
    pressure: Unit | None = Field(None, description="performance expectations (a challenge demand)")

    @model_validator(mode="after")
    def _a_day_has_room(self) -> StyleParams:
        shares = [
            self.time_deciding,
            self.time_supporting,
            self.time_coaching,
            self.time_directing,
            self.time_pool,
        ]
        if all(v is not None for v in shares) and sum(shares) > 1.0 + 1e-9:
            raise ValueError(f"the time_* shares add up to {sum(shares):.2f}; allowed: at most 1")
        return self


class SituationalLevel(_Strict):
    """How a situational leader treats one development level (Hersey–Blanchard).

    direction, support and coaching are relative weights: the leader's time for each is shared
    among the team in proportion to them.
    """

    authority_threshold: Unit = Field(description="stakes up to which the person decides in the team")
    direction: Unit = Field(description="weight of this person in the leader's directing time")
    support: Unit = Field(description="weight of this person in the leader's supporting time")
    coaching_share: Unit = Field(description="weight of this person in the leader's coaching time")


class Situational(_Strict):
    """Development levels D1–D4 from competence × commitment, and the S1–S4 response to each."""

    competence_cut: Unit = Field(0.5, description="competence at or above this is 'high'")
    commitment_cut: Unit = Field(0.55, description="engagement at or above this is 'high'")
    S1: SituationalLevel = Field(
        SituationalLevel(authority_threshold=0.0, direction=0.9, support=0.3, coaching_share=0.1),
        description="S1 directing, for D1 (enthusiastic beginner)",
    )
    S2: SituationalLevel = Field(
        SituationalLevel(authority_threshold=0.1, direction=0.7, support=0.8, coaching_share=0.3),
        description="S2 coaching, for D2 (disillusioned learner)",
    )
    S3: SituationalLevel = Field(
        SituationalLevel(authority_threshold=0.5, direction=0.3, support=0.8, coaching_share=0.1),
        description="S3 supporting, for D3 (capable but cautious)",
    )
    S4: SituationalLevel = Field(
        SituationalLevel(authority_threshold=0.8, direction=0.1, support=0.3, coaching_share=0.0),
        description="S4 delegating, for D4 (self-reliant achiever)",
    )


class Change(_Strict):
    """A change of leadership structure during the run, with what the change costs."""

    day: Annotated[int, Field(ge=0)] = Field(description="the day the new structure starts")
    style: Style = Field(description="every leader's style from that day, unless by_level is given")
    by_level: list[Style] | None = Field(
        None, description="styles by hierarchy level from that day, owner first", min_length=1
    )
    cost: NonNegative = Field(0.0, description="one-off cost of the change (training, hiring), in currency")
    duration: Annotated[int, Field(ge=0, le=2000)] = Field(
        60, description="working days of the learning dip after the switch"
    )
    learning_dip: Unit = Field(
        0.1, description="productivity lost on the first day of the change, fading over its duration"
    )


class Leadership(_Strict):
    """Who leads how: one style org-wide, or one per level, with per-style parameter overrides."""

    style: Style = Field("democratic", description="every leader's style, unless by_level is given")
    by_level: list[Style] | None = Field(
        None,
        description="styles by hierarchy level, owner first; deeper levels take the last one",
        min_length=1,
    )
    params: dict[Style, StyleParams] = Field(
        default_factory=dict, description="per-style parameter overrides (see the style table)"
    )
    situational: Situational = Field(
        Situational(), description="development levels and the situational leader's responses"
    )
    change: Change | None = Field(
        None, description="switch to another structure during the run (day, style, cost, dip)"
    )


class Range(_Strict):
    """A closed interval [low, high]."""

    low: NonNegative = Field(description="lower bound")
    high: NonNegative = Field(description="upper bound")

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) must be >= low ({self.low})")
        return self


class RandomShocks(_Strict):
    """A Poisson process of shocks, drawn once per run from the run's seed."""

    rate_per_year: Annotated[float, Field(ge=0.0, le=52.0, allow_inf_nan=False)] = Field(
        0.0, description="expected shocks per year (260 working days); 0 = none"
    )
    types: list[ShockType] = Field(
        default_factory=lambda: ["demand_drop", "turbulence", "key_person_loss"],
        min_length=1,
        description="types drawn with equal probability (hiring_wave is for scheduled shocks only)",
    )
    magnitude: Range = Field(Range(low=0.2, high=0.6), description="magnitude, drawn uniformly")
    duration: Range = Field(Range(low=10, high=60), description="duration in days, drawn uniformly")

    @model_validator(mode="after")
    def _no_random_hiring(self) -> RandomShocks:
        if "hiring_wave" in self.types:
            raise ValueError("hiring_wave is for scheduled shocks only; allowed here: other shock types")
        return self


class Market(_Strict):
    """Customers, orders and turbulence (Forrester's market-growth structure)."""

    decision_rate: Annotated[float, Field(ge=0.0, le=50.0, allow_inf_nan=False)] = Field(
        0.2, description="decisions raised per person per day in a calm market"
    )
    turbulence: Annotated[float, Field(ge=0.0, le=10.0, allow_inf_nan=False)] = Field(
        0.0, description="0 = calm; raises the decision rate and the stakes"
    )
    stakes_shape: Positive = Field(
        3.0, description="stakes ~ Kumaraswamy(1, b): P(stakes > x) = (1-x)^b; mean 1/(1+b)"
    )
    demand: Positive = Field(
        1.0, description="orders before the warm-up, relative to the firm's capacity then"
    )
    headroom: Annotated[float, Field(ge=1.0, le=10.0, allow_inf_nan=False)] = Field(
        1.15, description="the market's potential: orders customers would place at a normal delivery delay"
    )
    trend: Annotated[float, Field(ge=-1.0, le=5.0, allow_inf_nan=False)] = Field(
        0.0, description="relative growth of the market's potential per year"
    )
    normal_delivery_days: Positive = Field(
        10.0, description="delivery delay customers accept without looking elsewhere, in days"
    )
    perception_days: Positive = Field(
        10.0, description="days customers take to perceive a change in delivery delay and quality"
    )
    loss_days: Positive = Field(40.0, description="time constant of losing customers, in days")
    regain_days: Positive = Field(60.0, description="time constant of winning customers (back), in days")
    delay_elasticity: NonNegative = Field(
        0.5, description="how strongly orders fall as perceived delivery delay exceeds the normal one"
    )
    quality_elasticity: NonNegative = Field(
        0.5, description="how strongly orders follow perceived decision quality"
    )
    random_shocks: RandomShocks = RandomShocks()


class Economics(_Strict):
    """Money: wages, prices, costs and cash, in a currency (defaults: a typical European SMB)."""

    currency: str = Field("EUR", description="the currency of all money figures")
    wage_per_year: Positive = Field(
        52_000.0, description="employer cost of an employee per year (wage and social charges)"
    )
    leader_wage_factor: Positive = Field(1.4, description="a leader's wage cost relative to an employee's")
    owner_wage_factor: Positive = Field(2.0, description="the owner's pay relative to an employee's")
    price_per_unit: Positive = Field(
        600.0, description="revenue per unit of work delivered (a competent, engaged person-day ≈ 1 unit)"
    )
    materials_share: Unit = Field(0.2, description="variable costs as a share of revenue")
    overhead_per_person_year: NonNegative = Field(
        9_000.0, description="rent, IT and other fixed costs per post per year"
    )
    initial_cash_months: NonNegative = Field(3.0, description="cash at the start, in months of costs")
    recruiting_cost_share: NonNegative = Field(
        0.21, description="cost of replacing a leaver (recruiting, vacancy), share of a year's wage"
    )
    hiring_freeze_months: NonNegative = Field(
        1.0, description="vacancies stay open while cash covers fewer months of costs than this"
    )


class Shock(_Strict):
    """One typed market or organisational event."""

    type: ShockType = Field(description="what happens (see Shocks in docs/ODD.md)")
    day: Annotated[int, Field(ge=0)] = Field(description="the first day, inside the horizon")
    duration: Annotated[int, Field(ge=0)] = Field(
        30, description="days the shock lasts; 0 with key_person_loss means for good"
    )
    magnitude: Unit = Field(0.5, description="strength in [0, 1]; its meaning depends on the type")
    who: Literal["owner", "leader", "top_expert"] | None = Field(
        None, description="key_person_loss only: who is lost"
    )

    @model_validator(mode="after")
    def _who_fits(self) -> Shock:
        if self.type == "key_person_loss" and self.who is None:
            self.who = "owner"
        elif self.type != "key_person_loss" and self.who is not None:
            raise ValueError("'who' is only for key_person_loss shocks")
        return self


class Engagement(_Strict):
    """Job demands–resources update of engagement (per day), with people who differ."""

    resource_gain: NonNegative = Field(0.025, description="daily pull of resources toward engagement 1")
    demand_gain: NonNegative = Field(0.025, description="daily pull of demands toward engagement 0")
    contagion: Unit = Field(0.01, description="daily pull toward the mean of informal-network neighbours")
    noise: Annotated[float, Field(ge=0.0, le=0.2, allow_inf_nan=False)] = Field(
        0.015, description="standard deviation of daily noise"
    )
    trait_sd: Annotated[float, Field(ge=0.0, le=3.0, allow_inf_nan=False)] = Field(
        1.6,
        description="spread (log scale) of each person's disposition (trait engagement): its root "
        "scales their baseline resources up and their baseline demands down",
    )
    sensitivity_sd: Annotated[float, Field(ge=0.0, le=3.0, allow_inf_nan=False)] = Field(
        0.5, description="spread (log scale) of each person's sensitivity to each resource and demand"
    )
    rapport_sd: Annotated[float, Field(ge=0.0, le=3.0, allow_inf_nan=False)] = Field(
        0.4, description="spread (log scale) of how each person perceives their own leader"
    )
    leader_sensitivity: NonNegative = Field(
        1.0, description="how strongly people respond to what their leader does (1 = as calibrated)"
    )
    base_resources: NonNegative = Field(0.3, description="resources every job offers (median person)")
    base_demands: NonNegative = Field(0.35, description="demands every job makes (median person)")
    w_autonomy: NonNegative = Field(0.4, description="weight of autonomy that fits readiness (a resource)")
    w_voice: NonNegative = Field(0.3, description="weight of being consulted (a resource)")
    w_support: NonNegative = Field(
        0.3, description="weight of support as a resource (it also buffers demands)"
    )
    support_buffer: Unit = Field(
        0.4, description="share of demands full support buffers (JD-R buffering hypothesis)"
    )
    w_vision: NonNegative = Field(0.25, description="weight of a communicated vision (a resource)")
    w_growth: NonNegative = Field(0.3, description="weight of coaching received (a resource)")
    w_challenge: NonNegative = Field(
        0.3, description="weight of pressure as a challenge (a resource while the person is not strained)"
    )
    w_hindrance: NonNegative = Field(
        0.6, description="weight of pressure turned to strain under workload without support (a demand)"
    )
    w_blocked: NonNegative = Field(0.6, description="weight of time blocked waiting on decisions (a demand)")
    w_workload: NonNegative = Field(0.25, description="weight of orders beyond capacity (a demand)")
    w_shock: NonNegative = Field(0.6, description="weight of shock stress (a demand)")
    w_ambiguity: NonNegative = Field(
        0.4, description="weight of role ambiguity: misalignment, no direction for novices (a demand)"
    )
    w_micromanagement: NonNegative = Field(
        0.5, description="weight of direction given to people readier than their autonomy (a demand)"
    )
    w_overreach: NonNegative = Field(
        0.6, description="weight of autonomy beyond readiness, unsupported (a demand)"
    )


class Dynamics(_Strict):
    """Rates and weights of the mechanisms that are the same for every style."""

    engagement: Engagement = Engagement()
    quit_rate_per_year: Unit = Field(
        0.15, description="base quit hazard (industry, labour market) at reference engagement"
    )
    quit_sensitivity: NonNegative = Field(
        2.2, description="log-hazard slope: each 0.1 below reference engagement adds ~25 %"
    )
    quit_reference_engagement: Unit = Field(
        0.65, description="engagement at which the quit hazard is quit_rate_per_year"
    )
    learning_rate: NonNegative = Field(
        0.004, description="daily growth of competence toward one's ceiling, with full practice"
    )
    forgetting_rate: NonNegative = Field(
        0.0004, description="daily loss of competence without practice (idle time forgets)"
    )
    coaching_gain: NonNegative = Field(0.01, description="extra daily growth from full coaching")
    autonomy_learning: NonNegative = Field(
        0.002, description="extra daily growth from deciding one's own matters"
    )
    onboarding_days: Annotated[int, Field(ge=0, le=1000)] = Field(
        60, description="days a new hire takes to reach full productivity (from 30 %)"
    )
    decision_effort: Positive = Field(
        0.05, description="share of a day one decision takes a fully competent decider"
    )
    member_decision_time: Unit = Field(
        0.15, description="most of a team member's day spent on decisions within their authority"
    )
    patience_days: Annotated[int, Field(ge=1, le=1000)] = Field(
        10, description="days a decision waits before whoever waits on it takes it locally"
    )
    local_quality: Unit = Field(
        0.7,
        description="quality of an overdue decision taken locally, relative to the mean competence of "
        "the team that waits (the firm's, for the owner's queue and the pool)",
    )
    overtime: NonNegative = Field(
        0.25, description="most extra effort a fully engaged firm puts in while work piles up"
    )
    block_per_decision: NonNegative = Field(0.15, description="how much of a day one awaited decision blocks")
    max_blocked: Unit = Field(
        0.4, description="most of a day waiting can block: people find other work meanwhile"
    )
    overload_quality: NonNegative = Field(
        0.03, description="quality lost per day of work a decider has queued"
    )
    pooling: NonNegative = Field(
        0.2, description="information pooled per unit of consulted expertise (diminishing returns)"
    )
    coordination_cost: NonNegative = Field(0.15, description="pool capacity divisor per extra pool member")
    meeting_time: NonNegative = Field(
        0.02, description="share of a day a consulted team member spends per consulted decision"
    )
    alignment_rate: NonNegative = Field(0.01, description="daily pull of vision on alignment")
    alignment_drift: NonNegative = Field(
        0.006,
        description="daily loss of alignment per unit share of decisions made locally, at team "
        "competence 0.5 (scaled by 2 × (1 − competence): experts stay aligned)",
    )
    misalignment_cost: Unit = Field(0.6, description="quality lost by a fully misaligned team")
    knowledge_days: Positive = Field(
        60.0, description="memory of client and process knowledge: who decided and was coached lately"
    )
    knowledge_weight: Unit = Field(
        0.3, description="productivity lost when none of the firm's knowledge is at work"
    )
    new_hire_engagement: Unit = Field(0.7, description="engagement of a new hire on day one")
    automation_gain: NonNegative = Field(0.3, description="productivity gain at full adoption")
    adoption_rate: NonNegative = Field(0.02, description="daily adoption speed at full support")
    response_decisions: NonNegative = Field(
        3.0, description="response decisions each team raises per unit shock magnitude"
    )
    response_stakes: Unit = Field(0.85, description="stakes of a shock's response decisions")
    mitigable: Unit = Field(
        0.8, description="share of a shock's damage that decided responses can undo (at quality 1)"
    )


class Scenario(_Strict):
    """A complete, validated scenario."""

    name: str = Field("unnamed", description="short name, used for output folders")
    story: str = Field("", description="the situation and the questions to discuss (for demos)")
    questions: list[str] = Field(default_factory=list, description="questions for discussion")
    days: Annotated[int, Field(ge=1, le=20_000)] = Field(260, description="horizon in working days")
    warmup_days: Annotated[int, Field(ge=0, le=5_000)] = Field(
        200, description="days run (not reported) before day 0 so the firm starts in its steady state"
    )
    seed: Annotated[int, Field(ge=0)] = Field(0, description="seed used when none is given")
    org: Org = Org()
    leadership: Leadership = Leadership()
    market: Market = Market()
    economics: Economics = Economics()
    shocks: list[Shock] = Field(default_factory=list, description="scheduled shocks (fields below)")
    dynamics: Dynamics = Dynamics()

    @model_validator(mode="after")
    def _shocks_inside_horizon(self) -> Scenario:
        for i, shock in enumerate(self.shocks):
            if shock.day >= self.days:
                raise ValueError(
                    f"shocks.{i}.day: {shock.day} is outside the horizon; allowed 0..{self.days - 1}"
                )
        return self
