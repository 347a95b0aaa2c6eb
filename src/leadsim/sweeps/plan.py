"""The plan of a sweep: every run (design point × replication) with its scenario and seed.

Runs are cut into tasks of contiguous run ids. What to run is decided here, once, in the driver;
where it runs is the backends' business.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import pyarrow as pa

import leadsim
from leadsim.scenario.loader import ScenarioSource
from leadsim.sweeps.design import (
    BaseSource,
    Experiment,
    ExperimentSource,
    Point,
    SweepError,
    design_points,
    in_memory_experiment,
    point_label,
    read_experiment,
    source_label,
)
from leadsim.sweeps.seeds import SEED_RULE, point_seeds

RUN_KEYS = ("run_id", "point", "rep", "seed")
KEPT_ALWAYS = ("scenario", "version", "scenario_hash", "style", "size", "days")
ERROR_KEYS = ("error", "traceback")
FORMAT = 1  # of the output folder; bump when its layout changes


@dataclass(frozen=True)
class Group:
    """Runs of one design point inside a task: run together by ``leadsim.run_batch``."""

    point: int
    values: dict[str, Any]
    scenario: dict[str, Any]
    run_ids: tuple[int, ...]
    reps: tuple[int, ...]
    seeds: tuple[int, ...]


@dataclass(frozen=True)
class Task:
    """A contiguous range of run ids: the unit sent to a worker and written as one Parquet file."""

    id: int
    groups: tuple[Group, ...]
    summary: tuple[str, ...]
    steps: tuple[str, ...]
    factor_kinds: dict[str, str]
    runs_schema: pa.Schema
    steps_schema: pa.Schema | None

    @property
    def n_runs(self) -> int:
        """Runs in this task."""
        return sum(len(g.run_ids) for g in self.groups)


@dataclass
class Plan:
    """Everything a sweep will run, with the fingerprint that tells experiments apart."""

    experiment: Experiment
    source: str
    base: dict[str, Any]
    points: list[Point]
    scenarios: list[dict[str, Any]]
    hashes: list[str]
    seeds: list[list[int]]
    tasks: list[Task]
    fingerprint: str

    @property
    def n_runs(self) -> int:
        """Runs in the whole sweep."""
        return len(self.points) * self.experiment.replications

    def manifest(self) -> dict[str, Any]:
        """The manifest: design, seeds, version and scenario hashes (JSON-ready)."""
        exp = self.experiment
        return {
            "format": FORMAT,
            "experiment": exp.name,
            "source": self.source,
            "fingerprint": self.fingerprint,
            "version": leadsim.__version__,
            "config": exp.model_dump(mode="json"),
            "base_scenario": self.base,
            "design": {
                "type": exp.design.type,
                "factors": list(exp.factors),
                "range_factors": exp.range_factors,
                "level_factors": exp.level_factors,
                "points": len(self.points),
            },
            "replications": exp.replications,
            "runs": self.n_runs,
            "chunk_runs": exp.chunk_runs,
            "tasks": len(self.tasks),
            "seeds": {
                "root": exp.seed,
                "common_random_numbers": exp.common_random_numbers,
                "rule": SEED_RULE,
            },
            "scenario_hashes": sorted(set(self.hashes)),
            "points": [
                {
                    "point": p.index,
                    "group": p.group,
                    "values": p.values,
                    "sample": list(p.sample),
                    "scenario_hash": h,
                    "seeds": s,
                }
                for p, h, s in zip(self.points, self.hashes, self.seeds, strict=True)
            ],
        }


def load_plan(
    source: ExperimentSource | Any,
    scenario: ScenarioSource | None = None,
    *,
    replications: int | None = None,
    seed: int | None = None,
    samples: int | None = None,
) -> Plan:
    """Read an experiment, or a design given in memory, and plan its sweep.

    Args:
        source: an experiment YAML file, a bundled experiment's name, a mapping of experiment
            fields or an :class:`Experiment`; or a design in memory: a pandas DataFrame of
            points (one column per dotted scenario field) or a SALib ``ProblemSpec``.
        scenario: another base scenario than the experiment's (any form ``load_scenario`` takes;
            default for a design in memory: the bundled ``default``).
        replications: runs per point of a design in memory (default 10).
        seed: the root seed of a design in memory (default 0).
        samples: the Sobol base sample N of a ``ProblemSpec`` (a power of 2; default 64).

    Raises:
        SweepError: bad experiment, unknown factor path, value the scenario rejects, design that
            does not fit the factors, unknown output.
    """
    data = in_memory_experiment(
        source,
        base="default" if scenario is None else scenario,
        replications=10 if replications is None else replications,
        seed=0 if seed is None else seed,
        samples=samples,
    )
    if data is not None:
        source, scenario = data, None  # the base is inside the experiment now
    elif replications is not None or seed is not None or samples is not None:
        raise SweepError(
            "replications, seed and samples are for a design in memory (a DataFrame or a "
            "ProblemSpec); an experiment sets its own"
        )
    experiment, base = read_experiment(source, scenario)
    return make_plan(experiment, base, source_label(source))


def make_plan(experiment: Experiment, base: BaseSource, source: str) -> Plan:
    """Plan the sweep of a validated experiment over its base scenario (a file or fields)."""
    try:
        base_scenario = leadsim.load_scenario(base, overrides=experiment.set)
    except leadsim.ScenarioError as exc:
        raise SweepError(f"{source}: set: {exc}") from None
    base = base_scenario.model_dump(mode="json")
    _check_factor_paths(experiment, base, source)
    summary, steps = _check_outputs(experiment, source)
    points = design_points(experiment)
    scenarios, hashes = [], []
    for point in points:
        try:
            scenario = leadsim.validate_scenario(base, "scenario", point.values)
        except leadsim.ScenarioError as exc:
            raise SweepError(
                f"{source}: design point {point.index} ({point_label(point.values)}): {_strip(exc)}"
            ) from None
        scenarios.append(scenario.model_dump(mode="json"))
        hashes.append(leadsim.scenario_hash(scenario))
    reps = experiment.replications
    seeds = [point_seeds(experiment.seed, p.index, reps, experiment.common_random_numbers) for p in points]
    fingerprint = _fingerprint(experiment, hashes)
    kinds = {name: _factor_kind(experiment, name) for name in experiment.factors}
    runs_schema = _runs_schema(kinds, summary)
    steps_schema = _steps_schema(steps) if steps else None
    tasks = []
    total = len(points) * reps
    for task_id, start in enumerate(range(0, total, experiment.chunk_runs)):
        stop = min(start + experiment.chunk_runs, total)
        groups = []
        for p in range(start // reps, (stop - 1) // reps + 1):
            rep_range = range(max(start - p * reps, 0), min(stop - p * reps, reps))
            groups.append(
                Group(
                    point=p,
                    values=points[p].values,
                    scenario=scenarios[p],
                    run_ids=tuple(p * reps + j for j in rep_range),
                    reps=tuple(rep_range),
                    seeds=tuple(seeds[p][j] for j in rep_range),
                )
            )
        meta = _provenance(experiment, fingerprint, [hashes[g.point] for g in groups])
        tasks.append(
            Task(
                task_id,
                tuple(groups),
                summary,
                steps,
                kinds,
                runs_schema.with_metadata(meta),
                steps_schema.with_metadata(meta) if steps_schema is not None else None,
            )
        )
    return Plan(experiment, source, base, points, scenarios, hashes, seeds, tasks, fingerprint)


PROVENANCE_PREFIX = "leadsim."


def _provenance(experiment: Experiment, fingerprint: str, hashes: list[str]) -> dict[str, str]:
    """Schema metadata of a task's Parquet parts: where the rows came from.

    No time stamp: the parts must be the same bytes whatever runs them.
    """
    record = {
        "version": leadsim.__version__,
        "experiment": experiment.name,
        "fingerprint": fingerprint,
        "seed": str(experiment.seed),
        "seed_rule": SEED_RULE,
        "scenario_hashes": ",".join(dict.fromkeys(hashes)),
    }
    return {PROVENANCE_PREFIX + key: value for key, value in record.items()}


def _strip(exc: Exception) -> str:
    return str(exc).removeprefix("scenario: ")


def _check_factor_paths(experiment: Experiment, base: dict[str, Any], source: str) -> None:
    """Every factor path exists and every level (or both ends of a range) is a valid value."""
    for name, factor in experiment.factors.items():
        probes = factor.levels if factor.levels is not None else [factor.low, factor.high]
        for value in probes:
            if factor.is_range:
                value = factor.value(value)
            try:
                leadsim.validate_scenario(base, "scenario", {name: value})
            except leadsim.ScenarioError as exc:
                raise SweepError(f"{source}: factors.{name} = {value!r}: {_strip(exc)}") from None


@cache
def _probe() -> tuple[dict[str, Any], dict[str, str]]:
    """The summary record and per-day column types of a tiny run: the output vocabulary."""
    scenario = leadsim.validate_scenario({"org": {"size": 4}, "days": 2}, "probe")
    result = leadsim.run(scenario, 0)
    dtypes = {c: str(t) for c, t in result.steps.dtypes.items()}
    return result.summary_row(), dtypes


def summary_outputs() -> list[str]:
    """The names in a run's summary row (what an experiment or the EMA model can keep)."""
    summary_row, _ = _probe()
    return [k for k in summary_row if k != "seed"]


def _check_outputs(experiment: Experiment, source: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    _, step_types = _probe()
    known = summary_outputs()
    wanted = experiment.outputs.summary
    if wanted == "all":
        summary = tuple(known)
    else:
        for name in wanted:
            if name not in known:
                raise SweepError(
                    f"{source}: outputs.summary: unknown output '{name}'; allowed: {', '.join(known)}"
                )
        summary = tuple(dict.fromkeys([*KEPT_ALWAYS, *wanted]))
    for name in experiment.outputs.steps:
        if name not in step_types or name == "day":
            allowed = ", ".join(c for c in step_types if c != "day")
            raise SweepError(f"{source}: outputs.steps: unknown series '{name}'; allowed: {allowed}")
    return summary, tuple(experiment.outputs.steps)


def _factor_kind(experiment: Experiment, name: str) -> str:
    """How a factor's values are stored: int, float, str, bool, or json (lists, mappings)."""
    factor = experiment.factors[name]
    if factor.is_range:
        return "int" if factor.integer else "float"
    values = factor.levels or []
    for kind, types in (("bool", (bool,)), ("str", (str,))):
        if all(isinstance(v, types) for v in values):
            return kind
    if any(isinstance(v, bool) for v in values):
        return "json"
    if all(isinstance(v, int) for v in values):
        return "int"
    if all(isinstance(v, int | float) for v in values):
        return "float"
    return "json"


ARROW_TYPES = {
    "int": pa.int64(),
    "float": pa.float64(),
    "str": pa.string(),
    "bool": pa.bool_(),
    "json": pa.string(),
}


def _runs_schema(kinds: dict[str, str], summary: tuple[str, ...]) -> pa.Schema:
    summary_row, _ = _probe()
    fields = [pa.field(k, pa.int64()) for k in RUN_KEYS]
    fields += [pa.field(name, ARROW_TYPES[kind]) for name, kind in kinds.items()]
    taken = {f.name for f in fields}
    for key in summary:
        if key not in taken:
            fields.append(pa.field(key, _arrow_type(summary_row[key])))
    fields += [pa.field(k, pa.string()) for k in ERROR_KEYS]
    return pa.schema(fields)


def _arrow_type(value: Any) -> pa.DataType:
    if isinstance(value, bool):
        return pa.bool_()
    if isinstance(value, int):
        return pa.int64()
    if isinstance(value, str):
        return pa.string()
    return pa.float64()  # floats, and values that may be missing (None) such as failed_day


def _steps_schema(columns: tuple[str, ...]) -> pa.Schema:
    _, dtypes = _probe()
    fields = [pa.field("run_id", pa.int64()), pa.field("day", pa.int64())]
    for name in columns:
        kind = dtypes[name]
        dtype = (
            pa.int64()
            if kind.startswith("int")
            else (pa.float64() if kind.startswith("float") else pa.string())
        )
        fields.append(pa.field(name, dtype))
    return pa.schema(fields)


def _fingerprint(experiment: Experiment, hashes: list[str]) -> str:
    """Same fingerprint = same runs: the design, seeds, outputs and every point's scenario."""
    config = experiment.model_dump(mode="json", exclude={"description", "plots", "sensitivity"})
    text = json.dumps({"config": config, "hashes": hashes, "format": FORMAT}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
