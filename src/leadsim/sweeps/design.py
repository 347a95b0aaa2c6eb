"""Experiments: the YAML schema, and the design points (grid, Latin hypercube, Sobol, Morris).

An experiment names a base scenario, fixed overrides (``set``), the factors (dotted scenario fields)
with levels or ranges, the design, the replications and the outputs to keep. Factors with ``levels``
are crossed with a sampled design (lhs, sobol, morris): a Sobol design over three ranges with a
``leadership.style`` factor of two levels is two Sobol designs, one per style, analysed apart.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

import leadsim
from leadsim.scenario import describe_error, read_yaml

Scalar = str | int | float | bool


class SweepError(leadsim.ScenarioError):
    """Bad input to a sweep: one line naming the file, the field and what is allowed.

    A :class:`leadsim.ScenarioError`, so every bad-input error of leadsim is caught alike.
    """


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Factor(_Strict):
    """One factor: ``levels``, or a range ``low``..``high`` (sampled, or ``num`` points for a grid)."""

    levels: Annotated[list[Any], Field(min_length=1)] | None = None
    low: Annotated[float, Field(allow_inf_nan=False)] | None = None
    high: Annotated[float, Field(allow_inf_nan=False)] | None = None
    num: Annotated[int, Field(ge=2, le=10_000)] | None = Field(
        None, description="grid designs: this many points from low to high"
    )
    integer: bool = Field(False, description="round sampled values to whole numbers")
    log: bool = Field(False, description="spread points evenly on a log scale (low > 0)")

    @model_validator(mode="after")
    def _one_kind(self) -> Factor:
        ranged = self.low is not None or self.high is not None
        if self.levels is not None and (ranged or self.num is not None):
            raise ValueError("give either levels or low/high, not both")
        if self.levels is None and not ranged:
            raise ValueError("give levels: [...] or a range low: ..., high: ...")
        if self.levels is not None:
            if self.integer or self.log:
                raise ValueError("integer and log are for ranges, not levels")
            keys = [json.dumps(v, sort_keys=True) for v in self.levels]
            if len(set(keys)) != len(keys):
                raise ValueError("levels repeat a value")
            return self
        if self.low is None or self.high is None:
            raise ValueError("a range needs both low and high")
        if not self.high > self.low:
            kind = "empty" if self.high == self.low else "inverted"
            raise ValueError(
                f"the range is {kind}: low {self.low:g}, high {self.high:g}; allowed: low < high"
            )
        if self.log and self.low <= 0:
            raise ValueError("a log range needs low > 0")
        if self.integer and math.floor(self.high) - math.ceil(self.low) < 1:
            raise ValueError(
                f"the integer range {self.low:g}..{self.high:g} holds fewer than two whole numbers"
            )
        return self

    @property
    def is_range(self) -> bool:
        """True for a range, False for levels."""
        return self.levels is None

    def grid_values(self) -> list[Any]:
        """The levels, or ``num`` points spread over the range (grid designs)."""
        if self.levels is not None:
            return list(self.levels)
        assert self.num is not None and self.low is not None and self.high is not None
        space = np.geomspace if self.log else np.linspace
        return [self.value(x) for x in space(self.low, self.high, self.num)]

    def value(self, x: float) -> Scalar:
        """A sampled number as the scenario gets it: a whole number for integer factors."""
        return round(x) if self.integer else float(x)

    def bounds(self) -> list[float]:
        """SALib bounds (in log space for log factors)."""
        assert self.low is not None and self.high is not None
        if self.log:
            return [math.log(self.low), math.log(self.high)]
        return [self.low, self.high]

    def from_sample(self, x: float) -> Scalar:
        """A value from a SALib sample column (which is in log space for log factors)."""
        return self.value(math.exp(x) if self.log else x)


def _design_shorthand(value: Any) -> Any:
    return {"type": value} if isinstance(value, str) else value


class Design(_Strict):
    """How design points are chosen from the factors."""

    type: Literal["grid", "lhs", "sobol", "morris"] = "grid"
    samples: Annotated[int, Field(ge=2, le=1_000_000)] | None = Field(
        None, description="lhs: points; sobol: base sample N (a power of 2); morris: trajectories"
    )
    second_order: bool = Field(True, description="sobol: also second-order indices")
    levels: Annotated[int, Field(ge=2, le=100)] = Field(4, description="morris: grid levels (even)")


class Outputs(_Strict):
    """What each run keeps: summary metrics (one row per run), optionally per-day series."""

    summary: Literal["all"] | Annotated[list[str], Field(min_length=1)] = "all"
    steps: list[str] = Field(default_factory=list, description="per-day columns to keep")


class PlotSpec(_Strict):
    """One standard figure: ``y`` (an output) against ``x`` (a factor), a line per ``by`` level."""

    y: str
    x: str
    by: str | None = None
    facet: str | None = None
    logx: bool = False
    title: str | None = None


class SensitivitySpec(_Strict):
    """Which outputs ``leadsim sensitivity`` analyses, and the bootstrap for confidence intervals."""

    outputs: list[str] = Field(default_factory=lambda: ["latency_mean", "engagement_final", "output_total"])
    num_resamples: Annotated[int, Field(ge=10, le=100_000)] = 200
    conf_level: Annotated[float, Field(gt=0.5, lt=1.0)] = 0.95


class Experiment(_Strict):
    """A validated experiment file."""

    name: str
    description: str = ""
    base: str = Field(description="the base scenario file, relative to the experiment file")
    set: dict[str, Any] = Field(default_factory=dict, description="fixed dotted overrides")
    factors: dict[str, Factor] = Field(
        default_factory=dict, description="none: replications of the base scenario alone"
    )
    design: Design = Design()
    replications: Annotated[int, Field(ge=1, le=1_000_000)] = 10
    seed: Annotated[int, Field(ge=0)] = 0
    common_random_numbers: bool = Field(
        False, description="the same seeds at every design point (paired comparisons)"
    )
    chunk_runs: Annotated[int, Field(ge=1, le=100_000)] = Field(
        128, description="runs per task and per Parquet file"
    )
    outputs: Outputs = Outputs()
    plots: list[PlotSpec] = Field(default_factory=list)
    sensitivity: SensitivitySpec = SensitivitySpec()

    @model_validator(mode="before")
    @classmethod
    def _shorthands(cls, data: Any) -> Any:
        """``design: sobol`` and ``factor: [a, b]`` for ``{type: sobol}`` and ``{levels: [a, b]}``."""
        if isinstance(data, dict):
            data = dict(data)
            if "design" in data:
                data["design"] = _design_shorthand(data["design"])
            factors = data.get("factors")
            if isinstance(factors, dict):
                data["factors"] = {k: {"levels": v} if isinstance(v, list) else v for k, v in factors.items()}
        return data

    @property
    def range_factors(self) -> list[str]:
        """Factors with a range, in file order."""
        return [name for name, f in self.factors.items() if f.is_range]

    @property
    def level_factors(self) -> list[str]:
        """Factors with levels, in file order."""
        return [name for name, f in self.factors.items() if not f.is_range]


@dataclass(frozen=True)
class Point:
    """One design point: the factor values, and for sampled designs the SALib sample row."""

    index: int
    values: dict[str, Any]
    group: int = 0
    sample: tuple[float, ...] = field(default=())


def read_experiment(path: str | Path) -> tuple[Experiment, Path]:
    """Read and validate an experiment file; return it with the base scenario's resolved path.

    Raises:
        SweepError: one line naming the file, the field and what is allowed.
    """
    path = Path(path)
    try:
        data = read_yaml(path, "experiment")
    except leadsim.ScenarioError as exc:
        raise SweepError(str(exc)) from None
    experiment = parse_experiment(data, str(path))
    base = Path(experiment.base)
    if not base.is_absolute():
        base = path.parent / base
    if not base.is_file():
        raise SweepError(f"{path}: base: no such scenario file '{experiment.base}' (looked for {base})")
    check_design(experiment, str(path))
    return experiment, base


def parse_experiment(data: Any, source: str) -> Experiment:
    """Validate raw experiment data, or raise a one-line :class:`SweepError`."""
    if not isinstance(data, dict):
        raise SweepError(f"{source}: expected a mapping with name, base, factors, design, ...")
    try:
        return Experiment.model_validate(data)
    except ValidationError as exc:
        raise SweepError(f"{source}: {describe_error(exc, Experiment)}") from None


def check_design(experiment: Experiment, source: str) -> None:
    """Raise :class:`SweepError` when the design does not fit the factors."""
    design = experiment.design
    if "seed" in experiment.factors:
        raise SweepError(
            f"{source}: factors.seed: seeds come from the experiment's 'seed'; use 'replications' instead"
        )
    if design.type == "grid":
        for name, factor in experiment.factors.items():
            if factor.is_range and factor.num is None:
                raise SweepError(
                    f"{source}: factors.{name}: a grid design needs levels, or a "
                    "range with num (points); sampled ranges are for lhs, sobol, morris"
                )
        if design.samples is not None:
            raise SweepError(f"{source}: design.samples: not used by a grid design")
        return
    ranges = experiment.range_factors
    for name in ranges:
        if experiment.factors[name].num is not None:
            raise SweepError(
                f"{source}: factors.{name}.num: only for grid designs; "
                f"a {design.type} design samples the range"
            )
    if not ranges:
        raise SweepError(
            f"{source}: design {design.type} needs at least one factor with a range "
            "(low, high); every factor has levels, so use design: grid"
        )
    if design.samples is None:
        raise SweepError(f"{source}: design.samples: required for a {design.type} design")
    if design.type == "sobol":
        n = design.samples
        if n & (n - 1):
            raise SweepError(
                f"{source}: design.samples: sobol needs a power of 2 (got {n}; "
                f"allowed e.g. {1 << (n.bit_length() - 1)} or {1 << n.bit_length()})"
            )
        if design.second_order and len(ranges) < 2:
            raise SweepError(
                f"{source}: design.second_order: needs at least two range factors (set second_order: false)"
            )
    if design.type == "morris" and design.levels % 2:
        raise SweepError(
            f"{source}: design.levels: morris needs an even number of levels (got {design.levels})"
        )


def salib_problem(experiment: Experiment) -> dict[str, Any]:
    """The SALib problem over the range factors (bounds in log space for log factors)."""
    names = experiment.range_factors
    return {
        "num_vars": len(names),
        "names": names,
        "bounds": [experiment.factors[n].bounds() for n in names],
    }


def design_points(experiment: Experiment) -> list[Point]:
    """Every design point in a fixed order (the first factor varies slowest)."""
    factors = experiment.factors
    if experiment.design.type == "grid":
        names = list(factors)
        combos = itertools.product(*(factors[n].grid_values() for n in names))
        return [Point(i, dict(zip(names, combo, strict=True))) for i, combo in enumerate(combos)]
    sample = _sample(experiment)
    range_names = experiment.range_factors
    level_names = experiment.level_factors
    groups = itertools.product(*(factors[n].levels or [] for n in level_names))
    points = []
    for g, combo in enumerate(groups):
        fixed = dict(zip(level_names, combo, strict=True))
        for row in sample:
            values = {**fixed}
            values.update({n: factors[n].from_sample(x) for n, x in zip(range_names, row, strict=True)})
            # keep the file's factor order in every record
            ordered = {n: values[n] for n in factors}
            points.append(Point(len(points), ordered, g, tuple(float(x) for x in row)))
    return points


def _sample(experiment: Experiment) -> np.ndarray:
    """The SALib sample matrix: one row per point of one group; seeded by the experiment."""
    from SALib.sample import latin, morris, sobol

    design = experiment.design
    problem = salib_problem(experiment)
    seed = experiment.seed
    if design.type == "lhs":
        return latin.sample(problem, design.samples, seed=seed)
    if design.type == "sobol":
        return sobol.sample(problem, design.samples, calc_second_order=design.second_order, seed=seed)
    return morris.sample(problem, design.samples, num_levels=design.levels, seed=seed)


def point_label(values: dict[str, Any]) -> str:
    """'org.size=20, leadership.style=servant' for messages."""
    return ", ".join(f"{k}={v}" for k, v in values.items())
