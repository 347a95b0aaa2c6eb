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
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

import leadsim
from leadsim.bundled import resolve_experiment, resolve_scenario
from leadsim.extras import import_extra
from leadsim.scenario import describe_error, read_yaml
from leadsim.scenario.loader import ScenarioSource

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

    type: Literal["grid", "lhs", "sobol", "morris", "points"] = "grid"
    points: list[dict[str, Any]] | None = Field(
        None, description="points: the design points themselves, one mapping of factor values each"
    )
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
    base: str | dict[str, Any] = Field(
        "default",
        description="the base scenario: a file (relative to the experiment file), a bundled "
        "scenario's name, or the scenario's fields inline",
    )
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
            design = data.get("design")
            if factors is None and isinstance(design, dict) and design.get("type") == "points":
                data["factors"] = factors = _factors_of_points(design.get("points"))
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


def _factors_of_points(points: Any) -> dict[str, Any]:
    """``{field: {levels: [values in order of appearance]}}`` for a design given point by point."""
    if not isinstance(points, list):
        return {}
    levels: dict[str, dict[str, Any]] = {}
    for point in points:
        if isinstance(point, dict):
            for name, value in point.items():
                levels.setdefault(name, {})[json.dumps(value, sort_keys=True)] = value
    return {name: {"levels": list(values.values())} for name, values in levels.items()}


@dataclass(frozen=True)
class Point:
    """One design point: the factor values, and for sampled designs the SALib sample row."""

    index: int
    values: dict[str, Any]
    group: int = 0
    sample: tuple[float, ...] = field(default=())


ExperimentSource = Experiment | Mapping[str, Any] | str | Path
BaseSource = Path | dict[str, Any]


def read_experiment(
    source: ExperimentSource, scenario: ScenarioSource | None = None
) -> tuple[Experiment, BaseSource]:
    """Read and validate an experiment; return it with its base scenario (a file or fields).

    Args:
        source: an experiment YAML file, a bundled experiment's name (``quick``), a mapping of
            experiment fields or an :class:`Experiment`.
        scenario: another base scenario than the experiment's ``base`` (a Scenario, a mapping
            of fields, a path or a bundled name).

    Raises:
        SweepError: one line naming the file, the field and what is allowed.
    """
    experiment, folder, label = _experiment_of(source)
    if scenario is not None:
        base = _base_of(scenario, Path.cwd(), label, "scenario")
    else:
        base = _base_of(experiment.base, folder, label, "base")
    check_design(experiment, label)
    return experiment, base


def source_label(source: ExperimentSource) -> str:
    """How messages and the manifest name an experiment: its file, or its name."""
    if isinstance(source, Experiment | Mapping):
        return f"experiment '{source.name if isinstance(source, Experiment) else source.get('name')}'"
    return str(source)


def _experiment_of(source: ExperimentSource) -> tuple[Experiment, Path, str]:
    """The experiment, the folder its relative ``base`` starts from, and its label."""
    label = source_label(source)
    if isinstance(source, Experiment):
        return source, Path.cwd(), label
    if isinstance(source, Mapping):
        return parse_experiment(dict(source), label), Path.cwd(), label
    if not isinstance(source, str | Path):
        raise SweepError(
            "expected an experiment (a YAML path, a bundled name, a mapping or an Experiment), "
            f"got {type(source).__name__}"
        )
    try:
        path = resolve_experiment(source)
        data = read_yaml(path, "experiment")
    except leadsim.ScenarioError as exc:
        raise SweepError(str(exc)) from None
    return parse_experiment(data, str(path)), path.parent, label


def _base_of(base: Any, folder: Path, label: str, field_name: str) -> BaseSource:
    """The base scenario as a file or as fields: a Scenario, a mapping, a path or a bundled name."""
    if isinstance(base, leadsim.Scenario):
        return base.model_dump(mode="json")
    if isinstance(base, Mapping):
        return dict(base)
    path = Path(base)
    candidate = path if path.is_absolute() else folder / path
    if candidate.is_file():
        return candidate
    try:
        return resolve_scenario(base)
    except leadsim.ScenarioError:
        raise SweepError(
            f"{label}: {field_name}: no such scenario file or bundled scenario '{base}' "
            f"(looked for {candidate})"
        ) from None


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
    if design.points is not None and design.type != "points":
        raise SweepError(f"{source}: design.points: only for design type points (got {design.type})")
    if design.type == "points":
        _check_points(experiment, source)
        return
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


def _check_points(experiment: Experiment, source: str) -> None:
    points = experiment.design.points
    if not points:
        raise SweepError(f"{source}: design.points: give at least one point (a mapping of field values)")
    if experiment.design.samples is not None:
        raise SweepError(f"{source}: design.samples: not used by a points design")
    names = list(experiment.factors)
    for i, point in enumerate(points):
        if sorted(point) != sorted(names):
            raise SweepError(
                f"{source}: design.points.{i}: has fields {', '.join(point) or 'none'}; "
                f"every point needs exactly {', '.join(names)}"
            )
    for name, factor in experiment.factors.items():
        if factor.is_range:
            raise SweepError(f"{source}: factors.{name}: a points design takes no ranges")


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
    if experiment.design.type == "points":
        points = experiment.design.points or []
        return [Point(i, {n: point[n] for n in factors}) for i, point in enumerate(points)]
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
    design = experiment.design
    import_extra("SALib.sample", "sensitivity", f"a {design.type} design")
    from SALib.sample import latin, morris, sobol

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


def in_memory_experiment(
    design: Any,
    *,
    base: ScenarioSource = "default",
    name: str | None = None,
    replications: int = 10,
    seed: int = 0,
    samples: int | None = None,
    second_order: bool = True,
) -> dict[str, Any] | None:
    """Experiment fields for a design given in memory; None when ``design`` is not one.

    Args:
        design: a pandas DataFrame of design points (one column per dotted scenario field, one
            row per point), or a SALib ``ProblemSpec`` (or its plain mapping: ``names``,
            ``bounds``) for a Sobol design over uniform ranges.
        base: the base scenario; a problem's fields that are whole numbers there (``org.size``)
            are sampled as whole numbers.
        name: the experiment's name (default ``points`` or ``problem``).
        replications: runs per design point.
        seed: the root of every run's seed.
        samples: the Sobol base sample N (a power of 2) for a problem; default 64.
        second_order: for a problem, also the second-order indices.

    Raises:
        SweepError: a problem with other than uniform distributions, or malformed.
    """
    import pandas as pd

    if isinstance(design, pd.DataFrame):
        if design.empty or not len(design.columns):
            raise SweepError("points: the DataFrame has no rows or no columns; give one row per point")
        points = design.to_dict(orient="records")
        return {
            "name": name or "points",
            "base": _inline(base),
            "design": {"type": "points", "points": points},
            "replications": replications,
            "seed": seed,
        }
    if isinstance(design, Mapping) and "bounds" in design and "names" in design and "factors" not in design:
        names, bounds = list(design["names"]), list(design["bounds"])
        dists = design.get("dists") or ["unif"] * len(names)
        if any(d != "unif" for d in dists):
            raise SweepError(f"problem: dists: only uniform ranges are supported (got {', '.join(dists)})")
        if len(bounds) != len(names) or any(len(b) != 2 for b in bounds):
            raise SweepError("problem: bounds: give one [low, high] per name")
        return {
            "name": name or "problem",
            "base": _inline(base),
            "factors": {
                n: {"low": float(lo), "high": float(hi), "integer": whole_number_field(base, n)}
                for n, (lo, hi) in zip(names, bounds, strict=True)
            },
            "design": {
                "type": "sobol",
                "samples": samples or 64,
                "second_order": second_order and len(names) > 1,  # S2 needs two factors
            },
            "replications": replications,
            "seed": seed,
        }
    return None


def _inline(base: ScenarioSource) -> str | dict[str, Any]:
    """The experiment's ``base`` field for a scenario given in any form (a name or path as text)."""
    if isinstance(base, str | Path):
        return str(Path(base).resolve()) if Path(base).is_file() else str(base)
    return leadsim.load_scenario(base).model_dump(mode="json")


def whole_number_field(base: ScenarioSource, path: str) -> bool:
    """Whether the base scenario holds a whole number (not a flag) at a dotted path."""
    node: Any = leadsim.load_scenario(base).model_dump()
    for key in path.split("."):
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return False  # an unknown path: the plan names it in its one-line error
    return isinstance(node, int) and not isinstance(node, bool)
