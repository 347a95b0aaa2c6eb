"""A company profile: a scenario plus what the firm observes today and what a change would cost.

A profile YAML is a scenario with up to three extra sections that the model itself never reads::

    observed:                       # today's figures, for calibration (all optional)
      structure: centralised        # how the firm is led today (the status quo)
      headcount: 24
      turnover_per_year: 0.08       # voluntary leavers / average headcount
      decision_wait_days: 3         # typical wait for a decision
      engagement: {mean: 3.7, scale: [1, 5]}
      revenue_per_year: 2_400_000
      payroll_per_year: 1_450_000
      currency: EUR
    transition:                     # what switching structure costs (all optional)
      cost: {training: 18000, team_leads: 12000, owner_time: 9000}
      duration_days: 60
      learning_dip: 0.1
    calibration:                    # overrides of the default priors and effort
      parameters: {market.decision_rate: {low: 0.1, high: 0.4}}

The sections are split off before the scenario is validated, so a profile stays a valid
scenario for ``leadsim run`` once they are removed, and the model's schema is never touched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

import leadsim
from leadsim import Scenario
from leadsim.bundled import resolve_profile

PROFILE_SECTIONS = ("observed", "transition", "calibration")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Survey(_Strict):
    """An engagement survey mean and the scale it was asked on."""

    mean: float = Field(description="the survey's mean answer")
    scale: tuple[float, float] = Field((1.0, 5.0), description="lowest and highest answer")

    @model_validator(mode="after")
    def _inside(self) -> Survey:
        low, high = self.scale
        if not low < high:
            raise ValueError(f"scale {list(self.scale)}: the lowest answer must be below the highest")
        if not low <= self.mean <= high:
            raise ValueError(f"mean {self.mean} lies outside the scale {list(self.scale)}")
        return self

    @property
    def unit(self) -> float:
        """The mean on the model's 0–1 engagement scale (linear: lowest answer 0, highest 1)."""
        low, high = self.scale
        return (self.mean - low) / (high - low)


Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class Observed(_Strict):
    """What the firm observes today; every figure is optional."""

    structure: str | None = Field(None, description="how the firm is led today (a structure name)")
    headcount: Annotated[int, Field(ge=2)] | None = None
    turnover_per_year: Annotated[float, Field(ge=0, le=2)] | None = Field(
        None, description="voluntary leavers per year over average headcount"
    )
    decision_wait_days: NonNegative | None = Field(None, description="typical wait for a decision")
    engagement: Survey | None = None
    revenue_per_year: Positive | None = None
    payroll_per_year: Positive | None = None
    currency: str = "EUR"

    def figures(self) -> dict[str, float]:
        """The stated figures a calibration can target, by name."""
        values = {
            "turnover_per_year": self.turnover_per_year,
            "decision_wait_days": self.decision_wait_days,
            "engagement": self.engagement.unit if self.engagement else None,
            "revenue_per_year": self.revenue_per_year,
        }
        return {k: float(v) for k, v in values.items() if v is not None}


class Transition(_Strict):
    """What switching structure costs: money, time and a learning dip."""

    cost: dict[str, NonNegative] = Field(
        default_factory=dict, description="one-off costs by item (training, a hired lead, the owner's time)"
    )
    duration_days: Annotated[int, Field(ge=0, le=2000)] = Field(
        0, description="working days people need to learn the new way"
    )
    learning_dip: Annotated[float, Field(ge=0, le=1)] = Field(
        0.0, description="share of output lost while learning"
    )

    @property
    def total_cost(self) -> float:
        """All one-off costs together."""
        return float(sum(self.cost.values()))


class Prior(_Strict):
    """A uniform prior on a parameter's range."""

    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Prior:
        if not self.low < self.high:
            raise ValueError(f"low {self.low} must be below high {self.high}")
        return self


class CalibrationSettings(_Strict):
    """A profile's overrides of the calibration defaults."""

    parameters: dict[str, Prior | None] = Field(
        default_factory=dict, description="priors by dotted path; null removes a default parameter"
    )
    samples: Annotated[int, Field(ge=8)] | None = None
    seeds: Annotated[int, Field(ge=1)] | None = None
    days: Annotated[int, Field(ge=20, le=2000)] | None = Field(
        None, description="the simulated period the figures describe (default a year)"
    )


@dataclass
class FirmProfile:
    """A validated company profile.

    Attributes:
        scenario: the model scenario (headcount and payroll from ``observed`` already applied).
        observed: today's figures (empty if the profile states none).
        transition: the cost of a change of structure.
        calibration: overrides of the calibration defaults.
        source: where the profile came from (a path or a description).
        notes: what was applied from ``observed`` to the scenario, for the report.
    """

    scenario: Scenario
    observed: Observed = field(default_factory=Observed)
    transition: Transition = field(default_factory=Transition)
    calibration: CalibrationSettings = field(default_factory=CalibrationSettings)
    source: str = "profile"
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The profile's name."""
        return self.scenario.name

    @property
    def currency(self) -> str:
        """The currency money is shown in."""
        return self.observed.currency


def _section(model: type[BaseModel], raw: Any, where: str) -> Any:
    try:
        return model.model_validate(raw or {})
    except ValidationError as exc:
        first = exc.errors()[0]
        path = ".".join(str(p) for p in first["loc"])
        raise leadsim.ScenarioError(
            f"{where}: {path + ': ' if path else ''}{first['msg']}".replace("Value error, ", "")
        ) from None


def has_field(scenario: Scenario, dotted: str) -> bool:
    """Whether this model version's scenario has the field at a dotted path."""
    node: Any = scenario.model_dump()
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def split_profile(raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The scenario fields and the profile-only sections of a raw profile mapping."""
    scenario = {k: v for k, v in raw.items() if k not in PROFILE_SECTIONS}
    extra = {k: raw[k] for k in PROFILE_SECTIONS if k in raw}
    return scenario, extra


def load_firm(
    profile: str | Path | Scenario | FirmProfile | Mapping[str, Any],
    overrides: Mapping[str, Any] | None = None,
) -> FirmProfile:
    """A validated company profile from a YAML path, a mapping, a scenario or a profile.

    ``observed.headcount`` sets ``org.size``; ``observed.payroll_per_year`` / headcount is the
    first estimate of the wage where the model has ``economics.wage_per_year`` (calibration then
    matches the payroll exactly). Explicit ``overrides`` win.

    Raises:
        leadsim.ScenarioError: the profile or one of its sections fails validation (one line).
    """
    if isinstance(profile, FirmProfile):
        if not overrides:
            return profile
        scenario = leadsim.validate_scenario(profile.scenario.model_dump(), profile.source, overrides)
        return FirmProfile(
            scenario, profile.observed, profile.transition, profile.calibration, profile.source
        )
    if isinstance(profile, Scenario):
        raw, source = profile.model_dump(), f"profile '{profile.name}'"
    elif isinstance(profile, Mapping):
        raw, source = dict(profile), "profile"
    else:
        path = resolve_profile(profile)  # a path, or a bundled profile's or scenario's name
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise leadsim.ScenarioError(f"{path}: {exc.strerror}") from None
        except yaml.YAMLError as exc:
            raise leadsim.ScenarioError(f"{path}: not valid YAML ({exc})") from None
        if not isinstance(raw, dict):
            raise leadsim.ScenarioError(f"{path}: a profile is a mapping of fields")
        source = str(path)
    fields, extra = split_profile(raw)
    observed = _section(Observed, extra.get("observed"), f"{source}: observed")
    firm = FirmProfile(
        scenario=leadsim.validate_scenario(fields, source),
        observed=observed,
        transition=_section(Transition, extra.get("transition"), f"{source}: transition"),
        calibration=_section(CalibrationSettings, extra.get("calibration"), f"{source}: calibration"),
        source=source,
    )
    applied: dict[str, Any] = {}
    if observed.headcount is not None:
        applied["org.size"] = observed.headcount
        firm.notes.append(f"headcount {observed.headcount} sets the model's company size")
    if observed.payroll_per_year is not None:
        size = observed.headcount or firm.scenario.org.size
        if has_field(firm.scenario, "economics.wage_per_year"):
            # A first estimate; calibration scales it so the model's payroll (leaders and the
            # owner cost more) equals the stated one.
            applied["economics.wage_per_year"] = observed.payroll_per_year / size
    if has_field(firm.scenario, "economics.currency"):
        applied["economics.currency"] = observed.currency
    applied.update(overrides or {})
    if applied:
        firm.scenario = leadsim.validate_scenario(fields, source, applied)
    return firm
