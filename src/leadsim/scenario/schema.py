"""The scenario schema: every field a scenario file may hold, with its default and range.

A scenario is plain data. Unknown keys, wrong types, NaN and out-of-range values are rejected,
so a typo never silently falls back to a default.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

STYLE_NAMES: tuple[str, ...] = (
    "autocratic",
    "democratic",
    "servant",
    "distributed",
    "laissez_faire",
    "transformational",
    "situational",
)
"""The seven leadership styles, in the order the engine numbers them."""

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
SHOCK_TYPES: tuple[str, ...] = ShockType.__args__

Unit = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0.0, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Distribution(_Strict):
    """A normal distribution, clipped to [0, 1] where it is applied."""

    mean: Unit = 0.6
    sd: Annotated[float, Field(ge=0.0, le=0.5, allow_inf_nan=False)] = 0.15


class Network(_Strict):
    """The informal network: dense inside teams, sparse across."""

    within_team: Unit = Field(0.8, description="probability that two team mates are tied")
    cross_team_ties: Annotated[float, Field(ge=0.0, le=20.0, allow_inf_nan=False)] = Field(
        1.5, description="mean number of ties each person starts to people in other teams"
    )


class Org(_Strict):
    """The organisation: size, hierarchy and the people in it."""

    size: Annotated[int, Field(ge=2, le=2_000_000)] = Field(50, description="people, owner included")
    span_of_control: Annotated[int, Field(ge=2, le=200)] = Field(
        7, description="direct reports per leader; sets the number of leaders and levels"
    )
    competence: Distribution = Distribution(mean=0.6, sd=0.15)
    engagement: Distribution = Distribution(mean=0.65, sd=0.1)
    alignment: Unit = Field(0.6, description="initial shared understanding of the strategy")
    power_distance: Unit = Field(
        0.3, description="how much people expect hierarchy; high values damp self-organising"
    )
    leader_work_share: Unit = Field(0.4, description="share of a leader's time left for productive work")
    hire_delay_days: Annotated[int, Field(ge=0, le=365)] = 30
    hire_competence: Distribution = Distribution(mean=0.4, sd=0.12)
    network: Network = Network()


class StyleParams(_Strict):
    """One leadership style as named parameters. Every field is optional in a scenario override."""

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
    leader_capacity: NonNegative | None = Field(
        None, description="decisions per day a fully competent leader can make"
    )
    member_capacity: NonNegative | None = Field(
        None, description="decisions per day a competent, engaged team member picks up"
    )
    pool_capacity: NonNegative | None = Field(
        None, description="decisions per day each leader gives the shared leadership pool"
    )
    consultation_days: Annotated[int, Field(ge=0, le=30)] | None = Field(
        None, description="days a leader-decided decision waits for consultation"
    )
    consultation_effort: NonNegative | None = Field(
        None, description="extra leader time per decision spent consulting (1 = doubles it)"
    )
    voice: Unit | None = Field(None, description="how much people's input shapes decisions")
    support: Unit | None = Field(None, description="emotional and practical support given")
    coaching_share: Unit | None = Field(None, description="share of leader time spent coaching")
    direction: Unit | None = Field(None, description="how closely the leader directs the work")
    vision: Unit | None = Field(None, description="how strongly a shared vision is communicated")
    pressure: Unit | None = Field(None, description="performance expectations (a demand)")


class SituationalLevel(_Strict):
    """How a situational leader treats one development level (Hersey–Blanchard)."""

    authority_threshold: Unit
    direction: Unit
    support: Unit
    coaching_share: Unit


class Situational(_Strict):
    """Development levels D1–D4 from competence × commitment, and the S1–S4 response to each."""

    competence_cut: Unit = Field(0.5, description="competence at or above this is 'high'")
    commitment_cut: Unit = Field(0.55, description="engagement at or above this is 'high'")
    S1: SituationalLevel = SituationalLevel(  # directing: D1 enthusiastic beginner
        authority_threshold=0.0, direction=0.9, support=0.3, coaching_share=0.1
    )
    S2: SituationalLevel = SituationalLevel(  # coaching: D2 disillusioned learner
        authority_threshold=0.1, direction=0.7, support=0.8, coaching_share=0.3
    )
    S3: SituationalLevel = SituationalLevel(  # supporting: D3 capable but cautious
        authority_threshold=0.5, direction=0.3, support=0.8, coaching_share=0.1
    )
    S4: SituationalLevel = SituationalLevel(  # delegating: D4 self-reliant achiever
        authority_threshold=0.8, direction=0.1, support=0.3, coaching_share=0.0
    )


class Leadership(_Strict):
    """Who leads how: one style org-wide, or one per level, with per-style parameter overrides."""

    style: Style = "democratic"
    by_level: list[Style] | None = Field(
        None,
        description="styles by hierarchy level, owner first; deeper levels take the last one",
        min_length=1,
    )
    params: dict[Style, StyleParams] = Field(default_factory=dict)
    situational: Situational = Situational()


class Range(_Strict):
    """A closed interval [low, high]."""

    low: NonNegative
    high: NonNegative

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) must be >= low ({self.low})")
        return self


class RandomShocks(_Strict):
    """A Poisson process of shocks, drawn once per run from the run's seed."""

    rate_per_year: Annotated[float, Field(ge=0.0, le=52.0, allow_inf_nan=False)] = 0.0
    types: list[ShockType] = Field(
        default_factory=lambda: ["demand_drop", "turbulence", "key_person_loss"], min_length=1
    )
    magnitude: Range = Range(low=0.2, high=0.6)
    duration: Range = Range(low=10, high=60)


class Market(_Strict):
    """Demand, turbulence and money."""

    decision_rate: Annotated[float, Field(ge=0.0, le=50.0, allow_inf_nan=False)] = Field(
        0.2, description="decisions raised per person per day in a calm market"
    )
    turbulence: Annotated[float, Field(ge=0.0, le=10.0, allow_inf_nan=False)] = Field(
        0.0, description="0 = calm; raises the decision rate and the stakes"
    )
    stakes_shape: Positive = Field(
        3.0, description="stakes ~ Kumaraswamy(1, b): P(stakes > x) = (1-x)^b; mean 1/(1+b)"
    )
    demand: Positive = Field(1.0, description="demand relative to the firm's starting capacity")
    trend: Annotated[float, Field(ge=-1.0, le=5.0, allow_inf_nan=False)] = Field(
        0.0, description="relative demand growth per year"
    )
    cost_ratio: Positive = Field(0.85, description="daily costs relative to the starting capacity's revenue")
    initial_cash_days: NonNegative = Field(60.0, description="starting cash, in days of costs")
    random_shocks: RandomShocks = RandomShocks()


class Shock(_Strict):
    """One typed market or organisational event."""

    type: ShockType
    day: Annotated[int, Field(ge=0)]
    duration: Annotated[int, Field(ge=0)] = Field(
        30, description="days the shock lasts; 0 with key_person_loss means for good"
    )
    magnitude: Unit = 0.5
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
    """Job demands–resources update of engagement (per day)."""

    resource_gain: NonNegative = 0.015
    demand_gain: NonNegative = 0.015
    contagion: Unit = 0.02
    noise: Annotated[float, Field(ge=0.0, le=0.2, allow_inf_nan=False)] = 0.01
    base_resources: NonNegative = 0.25
    base_demands: NonNegative = 0.15
    w_autonomy: NonNegative = 0.6
    w_voice: NonNegative = 0.4
    w_support: NonNegative = 0.2
    support_buffer: Unit = Field(
        0.5, description="share of demands full support buffers (JD-R buffering hypothesis)"
    )
    w_vision: NonNegative = 0.3
    w_growth: NonNegative = 0.3
    w_blocked: NonNegative = 0.8
    w_workload: NonNegative = 0.4
    w_shock: NonNegative = 0.6
    w_ambiguity: NonNegative = 0.5
    w_micromanagement: NonNegative = 0.7
    w_overreach: NonNegative = 0.6
    w_pressure: NonNegative = 0.4


class Dynamics(_Strict):
    """Rates and weights of the mechanisms that are the same for every style."""

    engagement: Engagement = Engagement()
    quit_rate_per_year: Unit = Field(0.08, description="quit hazard at reference engagement")
    quit_sensitivity: NonNegative = Field(
        5.0, description="log-hazard slope: each 0.1 below reference engagement adds ~65 %"
    )
    quit_reference_engagement: Unit = 0.6
    learning_rate: NonNegative = Field(0.0015, description="competence growth by experience")
    coaching_gain: NonNegative = Field(0.012, description="competence growth from coaching")
    autonomy_learning: NonNegative = Field(0.003, description="learning by deciding oneself")
    block_per_decision: NonNegative = Field(0.25, description="how much of a day one awaited decision blocks")
    max_blocked: Unit = Field(
        0.6, description="most of a day waiting can block: people find other work meanwhile"
    )
    overload_quality: NonNegative = Field(
        0.03, description="quality lost per day of work a decider has queued"
    )
    coordination_cost: NonNegative = Field(0.15, description="pool capacity divisor per extra pool member")
    decision_time: NonNegative = Field(
        0.1, description="share of a day a team member spends per decision they take"
    )
    alignment_rate: NonNegative = Field(0.01, description="daily pull of vision on alignment")
    alignment_drift: NonNegative = Field(
        0.006, description="daily loss of alignment per unit share of decisions made locally"
    )
    misalignment_cost: Unit = Field(0.6, description="quality lost by a fully misaligned team")
    new_hire_engagement: Unit = 0.7
    automation_gain: NonNegative = Field(0.3, description="productivity gain at full adoption")
    adoption_rate: NonNegative = Field(0.02, description="daily adoption speed at full support")


class Scenario(_Strict):
    """A complete, validated scenario."""

    name: str = "unnamed"
    story: str = Field("", description="the situation and the questions to discuss (for demos)")
    questions: list[str] = Field(default_factory=list)
    days: Annotated[int, Field(ge=1, le=20_000)] = 260
    seed: Annotated[int, Field(ge=0)] = 0
    org: Org = Org()
    leadership: Leadership = Leadership()
    market: Market = Market()
    shocks: list[Shock] = Field(default_factory=list)
    dynamics: Dynamics = Dynamics()

    @model_validator(mode="after")
    def _shocks_inside_horizon(self) -> Scenario:
        for i, shock in enumerate(self.shocks):
            if shock.day >= self.days:
                raise ValueError(
                    f"shocks.{i}.day: {shock.day} is outside the horizon; allowed 0..{self.days - 1}"
                )
        return self
