"""Paired comparison of leadership structures for one company profile.

Every structure runs the same seeds. Each seed fixes the organisation (people, competences,
network), the shock schedule and the daily draws, so replication i of every structure is the same
company in the same market: the structures differ only in who decides. Differences are taken
pair by pair (common random numbers), which removes the shared noise from the comparison.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import leadsim
from leadsim import Scenario
from leadsim.bundled import resolve_profile
from leadsim.compare import stats
from leadsim.compare.structures import Structure, parse_structures

DEFAULT_REPS = 30
"""Default replications per structure.

Thirty paired runs put the t-quantile within 5 % of the normal one (2.05 vs 1.96), make the
interval of a paired difference about ±0.37 standard deviations of the run-to-run differences,
resolve "how often does one beat the other" in steps of 1/30, and take seconds for an SMB.
Where that is not enough to decide, the report says so and estimates how many would be.
"""
DEFAULT_SIZES: tuple[int, ...] = (10, 25, 50, 100, 200)
DEFAULT_TURBULENCE: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0)
DEFAULT_GRID_REPS = 8
"""Replications per cell of the where-does-it-flip grid: enough to see a sign, kept cheap."""

SERIES = ("latency_mean", "backlog_age_mean", "engagement_mean", "output", "headcount")
"""Per-day measures drawn as time series with bands (the backlog's age is defined on every day,
also while nothing is decided and latency has no value)."""


@dataclass(frozen=True)
class Metric:
    """A summary measure compared between structures.

    Attributes:
        key: the column of :meth:`leadsim.RunResult.summary_row`.
        label: the name in tables and sentences.
        unit: the unit, for tables.
        higher_is_better: the direction of "better".
        margin: differences smaller than this do not matter in practice (absolute).
        relative_margin: the same as a share of the baseline's mean (the larger of both is used).
        binary: a yes/no outcome per run (shares get Wilson/Newcombe intervals).
        percent: shown as a percentage.
        better: the word for a better value (``faster`` for latency).
        worse: the word for a worse value.
    """

    key: str
    label: str
    unit: str
    higher_is_better: bool
    margin: float = 0.0
    relative_margin: float = 0.0
    binary: bool = False
    percent: bool = False
    better: str = "higher"
    worse: str = "lower"

    def margin_for(self, baseline_mean: float) -> float:
        """The margin of practical indifference around a baseline value."""
        relative = self.relative_margin * abs(baseline_mean) if math.isfinite(baseline_mean) else 0
        return max(self.margin, relative)


METRICS: tuple[Metric, ...] = (
    Metric("latency_mean", "decision latency", "days", False, 0.05, 0.05, better="faster", worse="slower"),
    Metric("engagement_mean", "engagement", "0–1", True, 0.01),
    Metric(
        "turnover_rate", "turnover", "per year", False, 0.01, percent=True, better="lower", worse="higher"
    ),
    Metric("output_total", "output", "units over the horizon", True, 0.0, 0.02),
    Metric("resilience_index", "resilience under shocks", "index 0–1", True, 0.02),
    Metric("survived", "survival", "share of runs", True, 0.05, binary=True, percent=True),
)
"""The headline measures: speed, engagement, turnover, output, resilience, survival."""
METRIC_BY_KEY = {m.key: m for m in METRICS}

ProgressCallback = Callable[[str], None]


@dataclass
class Comparison:
    """The result of :func:`compare`: tidy tables (pandas) and what produced them.

    Attributes:
        profile: the company profile as given.
        structures: the structures compared; the first is the baseline.
        scenarios: the profile under each structure (same order).
        seeds: the seeds every structure ran (replication i uses ``seeds[i]``).
        runs: one row per structure and seed: the run's summary.
        shocks: one row per structure, seed and shock: its resilience figures.
        series: one row per structure, day and per-day measure: mean, 95 % interval, p10, p90.
        means: one row per structure and metric: mean with 95 % interval and runs.
        differences: one row per challenger and metric: paired difference challenger − baseline,
            interval, effect size d_z, P(challenger better), verdict, runs, and the unpaired
            interval for comparison.
        headline: ``means`` and ``differences`` side by side, one row per challenger and metric.
        flip: one row per challenger, size, turbulence and metric (empty if not run).
        warnings: plain-language warnings (intervals too wide to decide, missing shocks...).
        provenance: version, profile and structure scenario hashes, seeds, days, time.
    """

    profile: Scenario
    structures: list[Structure]
    scenarios: list[Scenario]
    seeds: list[int]
    runs: pd.DataFrame
    shocks: pd.DataFrame
    series: pd.DataFrame
    means: pd.DataFrame
    differences: pd.DataFrame
    headline: pd.DataFrame
    flip: pd.DataFrame = field(default_factory=pd.DataFrame)
    warnings: list[str] = field(default_factory=list)
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def baseline(self) -> Structure:
        """The first structure, against which the others are compared."""
        return self.structures[0]

    def write(self, out_dir: str | Path) -> dict[str, Path]:
        """Write the report (HTML, CSV, Markdown) into ``out_dir``, all or nothing.

        See :func:`leadsim.compare.report.write_report`.
        """
        from leadsim.compare.report import write_report

        return write_report(self, out_dir)


def load_profile(
    profile: str | Path | Scenario | Mapping[str, Any],
    overrides: Mapping[str, Any] | None = None,
) -> Scenario:
    """A validated company profile from a YAML path, a scenario or a plain mapping.

    Raises:
        leadsim.ScenarioError: the profile fails validation (one line).
    """
    if isinstance(profile, Scenario):
        if not overrides:
            return profile
        return leadsim.validate_scenario(profile.model_dump(), f"profile '{profile.name}'", overrides)
    if isinstance(profile, Mapping):
        return leadsim.validate_scenario(profile, "profile", overrides)
    return leadsim.load_scenario(resolve_profile(profile), overrides)  # a path or a bundled name


def check_reps(reps: int, what: str = "reps") -> None:
    """Raise :class:`stats.TooFewReplications` unless ``reps`` allows an interval."""
    if reps < stats.MIN_REPS:
        raise stats.TooFewReplications(
            f"{what} {reps} is too few for a confidence interval; use at least {stats.MIN_REPS}"
        )


def compare(
    profile: str | Path | Scenario | Mapping[str, Any],
    structures: str | Sequence[str] = ("centralised", "distributed"),
    reps: int = DEFAULT_REPS,
    *,
    seed: int | None = None,
    days: int | None = None,
    overrides: Mapping[str, Any] | None = None,
    flip: bool = True,
    sizes: Sequence[int] = DEFAULT_SIZES,
    turbulence: Sequence[float] = DEFAULT_TURBULENCE,
    grid_reps: int = DEFAULT_GRID_REPS,
    progress: ProgressCallback | None = None,
) -> Comparison:
    """Compare leadership structures for one company profile with paired replications.

    Args:
        profile: a profile YAML path, a validated scenario or a plain mapping of fields.
        structures: names (list or comma-separated); the first is the baseline. Presets
            (``centralised``, ``distributed``, ``democratic``, ``servant``, ...), style names,
            or mixes by level such as ``autocratic/distributed``.
        reps: paired replications per structure (at least 3).
        seed: the first seed (replication i uses ``seed + i``); default the profile's seed.
        days: another horizon than the profile's.
        overrides: dotted field overrides applied to the profile (``{"org.size": 120}``).
        flip: also run the where-does-it-flip grid over company size and turbulence.
        sizes: company sizes of the grid.
        turbulence: market turbulence levels of the grid.
        grid_reps: paired replications per grid cell (at least 3).
        progress: called with a short message before each batch of runs.

    Returns:
        The comparison's tables; :meth:`Comparison.write` writes the report.

    Raises:
        leadsim.ScenarioError: the profile (or a grid cell of it) fails validation.
        leadsim.compare.structures.StructureError: an unknown or repeated structure.
        leadsim.compare.stats.TooFewReplications: ``reps`` or ``grid_reps`` below 3.
    """
    parsed = parse_structures(structures)
    check_reps(reps)
    if flip:
        check_reps(grid_reps, "grid_reps")
        if not sizes or not turbulence:
            raise ValueError("the flip grid needs at least one size and one turbulence level")
    base = load_profile(profile, overrides)
    if days is not None:
        base = leadsim.validate_scenario(base.model_dump(), f"profile '{base.name}'", {"days": days})
    scenarios = [s.apply(base) for s in parsed]
    cells = grid_cells(base, sizes, turbulence) if flip else []  # bad grid values fail before runs
    first = base.seed if seed is None else seed
    seeds = [first + i for i in range(reps)]
    say = progress or (lambda _message: None)

    results = []
    for structure, scenario in zip(parsed, scenarios, strict=True):
        say(f"{structure.label}: {reps} runs of {scenario.days} days, {scenario.org.size} people")
        results.append(leadsim.run_batch(scenario, seeds))

    runs = _runs_frame(parsed, results)
    means = means_frame(runs, parsed)
    differences = differences_frame(runs, parsed)
    comparison = Comparison(
        profile=base,
        structures=parsed,
        scenarios=scenarios,
        seeds=seeds,
        runs=runs,
        shocks=_shocks_frame(parsed, results),
        series=_series_frame(parsed, results),
        means=means,
        differences=differences,
        headline=headline_frame(means, differences),
    )
    if flip:
        grid_seeds = [first + i for i in range(grid_reps)]
        comparison.flip = flip_grid(cells, parsed, grid_seeds, say)
    comparison.provenance = _provenance(base, parsed, scenarios, seeds, grid_reps if flip else 0)
    comparison.warnings = _warnings(comparison)
    return comparison


def _runs_frame(structures: list[Structure], results: list[list]) -> pd.DataFrame:
    rows = []
    for structure, batch in zip(structures, results, strict=True):
        for rep, result in enumerate(batch):
            rows.append({"structure": structure.name, "rep": rep, **result.summary_row()})
    runs = pd.DataFrame(rows)
    runs["survived"] = runs["survived"].astype(float)
    return runs


def _shocks_frame(structures: list[Structure], results: list[list]) -> pd.DataFrame:
    rows = [
        {"structure": structure.name, "rep": rep, "seed": result.seed, "shock": i, **shock}
        for structure, batch in zip(structures, results, strict=True)
        for rep, result in enumerate(batch)
        for i, shock in enumerate(result.shocks)
    ]
    columns = ["structure", "rep", "seed", "shock", "type", "day", "duration", "magnitude"]
    return pd.DataFrame(rows) if rows else pd.DataFrame(columns=columns)


def _series_frame(structures: list[Structure], results: list[list]) -> pd.DataFrame:
    frames = []
    for structure, batch in zip(structures, results, strict=True):
        for name in SERIES:
            matrix = np.vstack([r.steps[name].to_numpy(dtype=float) for r in batch])
            mean, low, high, n = stats.band(matrix)
            with warnings.catch_warnings():  # days without a value (no decision yet) stay NaN
                warnings.simplefilter("ignore", RuntimeWarning)
                p10, p90 = np.nanpercentile(matrix, [10, 90], axis=0)
            frames.append(
                pd.DataFrame(
                    {
                        "structure": structure.name,
                        "measure": name,
                        "day": np.arange(matrix.shape[1]),
                        "mean": mean,
                        "low": low,
                        "high": high,
                        "p10": p10,
                        "p90": p90,
                        "n": n,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def _values(runs: pd.DataFrame, structure: str, key: str) -> np.ndarray:
    """One metric's values for one structure, ordered by replication (for pairing)."""
    rows = runs[runs["structure"] == structure].sort_values("rep")
    return rows[key].to_numpy(dtype=float)


def _mean_interval(metric: Metric, values: np.ndarray) -> stats.Interval | None:
    if np.isfinite(values).sum() < stats.MIN_REPS:
        return None  # e.g. resilience without any shock: nothing to estimate
    return stats.share_ci(values) if metric.binary else stats.mean_ci(values)


def means_frame(runs: pd.DataFrame, structures: list[Structure]) -> pd.DataFrame:
    """Each structure's mean of each metric with a 95 % interval (NaN where not measured)."""
    rows = []
    for structure in structures:
        for metric in METRICS:
            interval = _mean_interval(metric, _values(runs, structure.name, metric.key))
            rows.append(
                {
                    "structure": structure.name,
                    "metric": metric.key,
                    "mean": interval.estimate if interval else math.nan,
                    "low": interval.low if interval else math.nan,
                    "high": interval.high if interval else math.nan,
                    "n": interval.n if interval else 0,
                }
            )
    return pd.DataFrame(rows)


def oriented(metric: Metric, diff: stats.Difference, margin: float) -> tuple[str, int | None, float]:
    """The verdict for the challenger (``better``/``worse``/``equivalent``/``undecided``).

    Returns:
        The verdict, the replications needed when undecided, and P(challenger better).
    """
    found = stats.verdict(diff, margin)
    code = found.code
    if code in ("higher", "lower"):
        code = "better" if (code == "higher") == metric.higher_is_better else "worse"
    p_better = diff.p_higher if metric.higher_is_better else 1.0 - diff.p_higher
    return code, found.reps_needed, p_better


def paired_comparison(metric: Metric, a: np.ndarray, b: np.ndarray) -> dict[str, Any] | None:
    """The paired difference b − a of one metric with its verdict (None if not measurable)."""
    usable = np.isfinite(a) & np.isfinite(b)
    if usable.sum() < stats.MIN_REPS:
        return None
    if metric.binary:
        diff = stats.paired_share_difference(a, b)
    else:
        diff = stats.paired_difference(a, b)
    margin = metric.margin_for(float(np.nanmean(a)))
    code, needed, p_better = oriented(metric, diff, margin)
    return {
        "diff": diff.estimate,
        "diff_low": diff.low,
        "diff_high": diff.high,
        "effect_size_dz": diff.effect_size,
        "p_better": p_better,
        "verdict": code,
        "reps_needed": needed,
        "margin": margin,
        "n": diff.n,
    }


def differences_frame(runs: pd.DataFrame, structures: list[Structure]) -> pd.DataFrame:
    """Paired differences challenger − baseline for every metric, with the unpaired interval."""
    baseline = structures[0].name
    rows = []
    for challenger in structures[1:]:
        for metric in METRICS:
            a = _values(runs, baseline, metric.key)
            b = _values(runs, challenger.name, metric.key)
            found = paired_comparison(metric, a, b)
            row: dict[str, Any] = {"baseline": baseline, "challenger": challenger.name, "metric": metric.key}
            if found is None:
                rows.append({**row, "verdict": "not measured", "n": 0})
                continue
            unpaired = stats.unpaired_difference(a, b)
            rows.append({**row, **found, "unpaired_low": unpaired.low, "unpaired_high": unpaired.high})
    return pd.DataFrame(rows)


def headline_frame(means: pd.DataFrame, differences: pd.DataFrame) -> pd.DataFrame:
    """One row per challenger and metric: both means with intervals and the paired difference."""
    indexed = means.set_index(["structure", "metric"])
    rows = []
    for record in differences.to_dict("records"):
        metric = METRIC_BY_KEY[record["metric"]]
        row: dict[str, Any] = {
            "metric": metric.key,
            "label": metric.label,
            "unit": metric.unit,
            "better_is": "higher" if metric.higher_is_better else "lower",
            "baseline": record["baseline"],
            "challenger": record["challenger"],
        }
        for role in ("baseline", "challenger"):
            values = indexed.loc[(record[role], metric.key)]
            row.update({f"{role}_{k}": values[k] for k in ("mean", "low", "high")})
        for key in (
            "diff",
            "diff_low",
            "diff_high",
            "effect_size_dz",
            "p_better",
            "verdict",
            "reps_needed",
            "n",
        ):
            row[key] = record.get(key, math.nan)
        rows.append(row)
    return pd.DataFrame(rows)


def grid_cells(
    profile: Scenario, sizes: Sequence[int], turbulence: Sequence[float]
) -> list[tuple[int, float, Scenario]]:
    """The profile at every company size × market turbulence of the flip grid (validated).

    Raises:
        leadsim.ScenarioError: a size or turbulence level the profile cannot take.
    """
    return [
        (
            int(size),
            float(turb),
            leadsim.validate_scenario(
                profile.model_dump(),
                f"profile '{profile.name}' at size {size}, turbulence {turb}",
                {"org.size": int(size), "market.turbulence": float(turb)},
            ),
        )
        for size in sizes
        for turb in turbulence
    ]


def flip_grid(
    cells: list[tuple[int, float, Scenario]],
    structures: list[Structure],
    seeds: Sequence[int],
    progress: ProgressCallback | None = None,
) -> pd.DataFrame:
    """Paired differences challenger − baseline across company size and market turbulence.

    Each cell runs every structure with the same seeds (a batch per structure and cell).

    Args:
        cells: (size, turbulence, profile at that size and turbulence), see :func:`grid_cells`.
        structures: the structures; the first is the baseline.
        seeds: the seeds every structure runs in every cell.
        progress: called with a short message before the grid runs.

    Returns:
        One row per challenger, size, turbulence and metric, as in :func:`differences_frame`
        plus both means.
    """
    say = progress or (lambda _message: None)
    check_reps(len(seeds), "grid_reps")
    rows = []
    say(f"flip grid: {len(cells)} conditions × {len(structures)} structures × {len(seeds)} runs")
    for size, turb, cell in cells:
        batches = {
            s.name: leadsim.summaries_frame(leadsim.run_batch(s.apply(cell), list(seeds), keep_steps=False))
            for s in structures
        }
        base = batches[structures[0].name]
        for challenger in structures[1:]:
            other = batches[challenger.name]
            for metric in METRICS:
                a = base[metric.key].to_numpy(dtype=float)
                b = other[metric.key].to_numpy(dtype=float)
                found = paired_comparison(metric, a, b)
                if found is None:
                    continue
                rows.append(
                    {
                        "challenger": challenger.name,
                        "baseline": structures[0].name,
                        "size": size,
                        "turbulence": turb,
                        "metric": metric.key,
                        "baseline_mean": float(np.nanmean(a)),
                        "challenger_mean": float(np.nanmean(b)),
                        **found,
                    }
                )
    return pd.DataFrame(rows)


def _warnings(comparison: Comparison) -> list[str]:
    from leadsim.compare.narrative import warnings_for

    return warnings_for(comparison)


def seed_range(seeds: Sequence[int]) -> str:
    """Seeds as a compact text: ``42–71`` for consecutive seeds, else a list."""
    seeds = list(seeds)
    if seeds and seeds == list(range(seeds[0], seeds[0] + len(seeds))):
        return f"{seeds[0]}–{seeds[-1]}" if len(seeds) > 1 else str(seeds[0])
    return ", ".join(map(str, seeds))


def _provenance(
    profile: Scenario,
    structures: list[Structure],
    scenarios: list[Scenario],
    seeds: list[int],
    grid_reps: int,
) -> dict[str, Any]:
    return {
        "leadsim_version": leadsim.__version__,
        "profile": profile.name,
        "profile_hash": leadsim.scenario_hash(profile),
        "structures": {
            s.name: {"by_level": list(s.by_level), "scenario_hash": leadsim.scenario_hash(sc)}
            for s, sc in zip(structures, scenarios, strict=True)
        },
        "seeds": seeds,
        "seed_range": seed_range(seeds),
        "reps": len(seeds),
        "grid_reps": grid_reps,
        "grid_seeds": seed_range(range(seeds[0], seeds[0] + grid_reps)) if grid_reps else "",
        "days": profile.days,
        "size": profile.org.size,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
