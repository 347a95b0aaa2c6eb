"""Paired comparison of leadership structures for one company profile, over plausible firms.

The profile is first calibrated to the firm's observed figures (:mod:`leadsim.compare.calibrate`);
each *plausible version* of the firm (a posterior draw, or a prior draw when nothing is observed)
then runs every structure on the same seeds, so intervals carry both run-to-run noise and what is
not known about the firm. Each seed fixes the organisation (people, competences, network), the
shock schedule and the daily draws, so run i of every structure is the same company in the same
market: the structures differ only in who decides. Differences are taken pair by pair (common
random numbers), which removes the shared noise from the comparison.
"""

from __future__ import annotations

import copy
import math
import sys
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

import leadsim
from leadsim import Scenario
from leadsim.compare import decision, stats
from leadsim.compare.calibrate import Calibration, calibrate
from leadsim.compare.profile import FirmProfile, Transition, has_field, load_firm
from leadsim.compare.structures import Structure, parse_structure, parse_structures
from leadsim.results import DAYS_PER_YEAR

DEFAULT_REPS = 6
"""Paired replications per plausible version of the firm.

Within a version the pairing removes most noise; six runs average out the rest well enough for
a version's vote, and cost about as much as one (the engine's seed axis is vectorised).
"""
DEFAULT_DRAWS = 12
"""Plausible versions of the firm: votes in steps of 1/12 ("8 of 10" is 10 of 12), each version
one batch per structure (a few seconds each for three years of a small firm)."""
DEFAULT_DAYS = 3 * DAYS_PER_YEAR
"""The horizon: three years, for the cash difference after one and after three years."""
DEFAULT_SIZES: tuple[int, ...] = (10, 25, 50, 100, 200)
DEFAULT_TURBULENCE: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0)
DEFAULT_GRID_REPS = 8
"""Replications per cell of the where-does-it-flip grid: enough to see a sign, kept cheap."""

SERIES = ("latency_mean", "engagement_mean", "output", "headcount")
"""Per-day measures drawn as time series with bands (``backlog_age_mean`` replaces latency where
the model records it: it is defined on every day, latency only on days with decisions)."""


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
    Metric("leavers_per_year", "people leaving", "people a year", False, 0.25, better="fewer", worse="more"),
    Metric("cash_1y", "cash after 1 year", "currency", True, 0.0, 0.005),
    Metric("cash_3y", "cash after 3 years", "currency", True, 0.0, 0.005),
)
"""The measures of the statistical appendix: speed, engagement, turnover, output, resilience,
survival, people and cash."""
METRIC_BY_KEY = {m.key: m for m in METRICS}

ProgressCallback = Callable[[str], None]


@dataclass
class Comparison:
    """The result of :func:`compare`: tidy tables (pandas) and what produced them.

    Attributes:
        profile: the company profile's scenario (headcount applied).
        structures: the structures compared; the first is the baseline (the status quo).
        scenarios: the profile under each structure (same order), before any version's values.
        seeds: every run's seed (run i of every structure uses ``seeds[i]``).
        runs: one row per structure and run: plausible version (``draw``), the run's summary,
            people leaving a year and cash after 1 and 3 years (currency, transition included).
        shocks: one row per structure, run and shock: its resilience figures.
        series: one row per structure, day and per-day measure: mean, 95 % interval, p10, p90.
        means: one row per structure and metric: mean with 95 % interval over all runs.
        differences: one row per challenger and metric: paired difference over all runs,
            interval, effect size d_z, P(better), verdict (the statistical appendix).
        headline: ``means`` and ``differences`` side by side (the statistical appendix).
        firm: the company profile with observed figures and transition.
        calibration: the calibration the versions were drawn from.
        draws: one row per plausible version: its parameter values.
        versions: per challenger, outcome and version: the mean paired difference.
        answers: per challenger and outcome: ranges and votes over versions (the answer).
        jcurve: per challenger and month: cumulative cash difference (median, range).
        sensitivity: per challenger, outcome and parameter: where the answer flips.
        switch_day: the working day the firm switches structure.
        transition: the cost of the switch.
        transition_modelled: the model itself switched mid-run (else laid over paired runs).
        flip: one row per challenger, size, turbulence and metric (empty if not run).
        warnings: plain-language warnings (calibration, failed firms, flip grid).
        provenance: version, profile and structure scenario hashes, seeds, settings, time.
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
    firm: FirmProfile
    calibration: Calibration
    draws: pd.DataFrame
    versions: pd.DataFrame = field(default_factory=pd.DataFrame)
    answers: pd.DataFrame = field(default_factory=pd.DataFrame)
    jcurve: pd.DataFrame = field(default_factory=pd.DataFrame)
    sensitivity: pd.DataFrame = field(default_factory=pd.DataFrame)
    switch_day: int = 0
    transition: Transition = field(default_factory=Transition)
    transition_modelled: bool = False
    flip: pd.DataFrame = field(default_factory=pd.DataFrame)
    warnings: list[str] = field(default_factory=list)
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def baseline(self) -> Structure:
        """The first structure, against which the others are compared."""
        return self.structures[0]

    @property
    def currency(self) -> str:
        """The currency of money figures (``units`` when no revenue gives them a value)."""
        return self.firm.currency if math.isfinite(self.calibration.money_per_unit) else "units"

    @property
    def revenue_per_year(self) -> float:
        """The firm's yearly revenue in :attr:`currency` (stated, or the status quo's median)."""
        if self.firm.observed.revenue_per_year:
            return float(self.firm.observed.revenue_per_year)
        values = self.runs.loc[self.runs["structure"] == self.baseline.name, "revenue_per_year"]
        return float(values.median()) if len(values) else math.nan

    def write(self, out_dir: str | Path, pdf: bool = False) -> dict[str, Path]:
        """Write the report (HTML, CSV, Markdown, optionally PDF) into ``out_dir``, all or nothing.

        See :func:`leadsim.compare.report.write_report`.
        """
        from leadsim.compare.report import write_report

        return write_report(self, out_dir, pdf=pdf)


def load_profile(
    profile: str | Path | Scenario | Mapping[str, Any],
    overrides: Mapping[str, Any] | None = None,
) -> Scenario:
    """A validated company profile's scenario from a YAML path, a scenario or a plain mapping.

    Raises:
        leadsim.ScenarioError: the profile fails validation (one line).
    """
    return load_firm(profile, overrides).scenario


def check_reps(reps: int, what: str = "reps") -> None:
    """Raise :class:`stats.TooFewReplications` unless ``reps`` allows an interval."""
    if reps < stats.MIN_REPS:
        raise stats.TooFewReplications(
            f"{what} {reps} is too few for a confidence interval; use at least {stats.MIN_REPS}"
        )


def default_structures(firm: FirmProfile) -> list[str]:
    """The status quo (``observed.structure``, else centralised) and distributed (or centralised)."""
    today = firm.observed.structure or "centralised"
    distributed = parse_structure(today).by_level == parse_structure("distributed").by_level
    return [today, "centralised" if distributed else "distributed"]


def compare(
    profile: str | Path | Scenario | FirmProfile | Mapping[str, Any],
    structures: str | Sequence[str] | None = None,
    reps: int = DEFAULT_REPS,
    *,
    draws: int = DEFAULT_DRAWS,
    calibration: Calibration | None = None,
    samples: int | None = None,
    seed: int | None = None,
    days: int | None = None,
    overrides: Mapping[str, Any] | None = None,
    switch_day: int = 0,
    transition: Transition | Mapping[str, Any] | None = None,
    flip: bool = False,
    sizes: Sequence[int] = DEFAULT_SIZES,
    turbulence: Sequence[float] = DEFAULT_TURBULENCE,
    grid_reps: int = DEFAULT_GRID_REPS,
    progress: ProgressCallback | None = None,
    bars: bool = False,
) -> Comparison:
    """Compare leadership structures for one firm over its plausible versions, paired within each.

    Args:
        profile: a profile YAML path, a loaded profile, a scenario or a plain mapping.
        structures: names (list or comma-separated); the first is the baseline, the status quo.
            Default: the profile's ``observed.structure`` (or centralised) and distributed.
        reps: paired replications per plausible version (at least 1; the appendix's pooled
            intervals need ``draws × reps`` of at least 3).
        draws: plausible versions of the firm (posterior draws; prior draws if nothing is observed).
        calibration: a calibration to draw from; default: calibrate the profile now.
        samples: calibration points per wave (default the calibration's own).
        seed: the first seed (run i uses ``seed + i``); default the profile's seed.
        days: another horizon than three years.
        overrides: dotted field overrides applied to the profile (``{"org.size": 120}``).
        switch_day: the working day the firm switches to the challenger.
        transition: the switch's cost, duration and learning dip (default the profile's).
        flip: also run the where-does-it-flip grid over company size and turbulence.
        sizes: company sizes of the grid.
        turbulence: market turbulence levels of the grid.
        grid_reps: paired replications per grid cell (at least 3).
        progress: called with a short message before each long step.
        bars: show progress bars (calibration, runs) on stderr.

    Returns:
        The comparison's tables; :meth:`Comparison.write` writes the report.

    Raises:
        leadsim.ScenarioError: the profile (or a grid cell of it) fails validation.
        leadsim.compare.structures.StructureError: an unknown or repeated structure.
        leadsim.compare.stats.TooFewReplications: too few runs for an interval.
    """
    firm = copy.copy(load_firm(profile, overrides))  # its scenario is replaced below, not the caller's
    parsed = parse_structures(structures or default_structures(firm))
    if reps < 1 or draws < 1:
        raise stats.TooFewReplications("reps and draws must be at least 1")
    check_reps(reps * draws, "draws × reps")
    if flip:
        check_reps(grid_reps, "grid_reps")
        if not sizes or not turbulence:
            raise ValueError("the flip grid needs at least one size and one turbulence level")
    horizon = DEFAULT_DAYS if days is None else days
    if horizon != firm.scenario.days:
        firm.scenario = leadsim.validate_scenario(
            firm.scenario.model_dump(), f"profile '{firm.name}'", {"days": horizon}
        )
    if switch_day < 0 or switch_day >= horizon:
        raise ValueError(f"switch day {switch_day} lies outside the horizon of {horizon} days")
    if transition is not None and not isinstance(transition, Transition):
        transition = Transition.model_validate(transition)
    change = transition or firm.transition
    cells = grid_cells(firm.scenario, sizes, turbulence) if flip else []  # bad values fail before runs
    first = firm.scenario.seed if seed is None else seed
    say = progress or (lambda _message: None)
    if calibration is None:
        say(f"calibrating {firm.name} under {parsed[0].label}")
        calibration = calibrate(firm, structure=parsed[0].name, samples=samples, seed=first, progress=bars)
    base = firm.scenario
    if calibration.inputs:  # the wage and price that reproduce the stated payroll and revenue
        base = leadsim.validate_scenario(base.model_dump(), f"profile '{firm.name}'", calibration.inputs)
    versions = calibration.draws(draws, first)
    paths = [p.path for p in calibration.parameters]
    modelled = has_field(base, "leadership.change")
    money = calibration.money_per_unit if math.isfinite(calibration.money_per_unit) else 1.0

    def under(i: int, firm_version: Scenario) -> Scenario:
        """Structure i for one version: the status quo, or the status quo switching (model v2)."""
        if i == 0 or not modelled:
            return parsed[i].apply(firm_version)
        return _switching(parsed[0].apply(firm_version), parsed[i], switch_day, change, money)

    scenarios = [under(i, base) for i in range(len(parsed))]
    say(f"{draws} plausible versions × {len(parsed)} structures × {reps} runs of {horizon} days")
    results: list[list] = [[] for _ in parsed]
    seeds: list[int] = []
    with tqdm(
        total=draws * len(parsed), desc="comparing", unit="batch", disable=not bars, file=sys.stderr
    ) as bar:
        for version in versions.to_dict("records"):
            values = {path: float(version[path]) for path in paths}
            version_seeds = [first + int(version["draw"]) * reps + i for i in range(reps)]
            seeds += version_seeds
            firm_version = leadsim.validate_scenario(
                base.model_dump(), f"profile '{firm.name}', version {version['draw']}", values
            )
            for i in range(len(parsed)):
                scenario = under(i, firm_version)
                results[i].extend(leadsim.run_batch(scenario, version_seeds))
                bar.update(1)

    runs = _runs_frame(parsed, results, reps)
    cash = _cash_paths(results, runs, parsed, switch_day, change, money, modelled)
    _add_outcomes(runs, parsed, cash, money)
    for path in paths:
        runs[path] = versions.set_index("draw")[path].reindex(runs["draw"]).to_numpy()
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
        firm=firm,
        calibration=calibration,
        draws=versions,
        switch_day=switch_day,
        transition=change,
        transition_modelled=modelled,
    )
    comparison.versions = decision.versions_frame(comparison)
    comparison.answers = decision.answers_frame(comparison)
    draw_of_run = runs.loc[runs["structure"] == parsed[0].name].sort_values("rep")["draw"].to_numpy()
    comparison.jcurve = decision.jcurve_frame(
        {s.name: (cash[s.name] - cash[parsed[0].name]) * money for s in parsed[1:]}, draw_of_run
    )
    comparison.sensitivity = decision.sensitivity_frame(comparison)
    if flip:
        grid_seeds = [first + i for i in range(grid_reps)]
        comparison.flip = flip_grid(cells, parsed, grid_seeds, say)
    comparison.provenance = _provenance(comparison, grid_reps if flip else 0)
    comparison.warnings = _warnings(comparison)
    return comparison


def _switching(
    status_quo: Scenario, structure: Structure, day: int, transition: Transition, money: float
) -> Scenario:
    """The status quo switching to ``structure`` on ``day`` (a model with ``leadership.change``)."""
    change = {
        "day": day,
        "style": structure.by_level[0],
        "by_level": list(structure.by_level),
        "cost": transition.total_cost / money,
        "duration": transition.duration_days,
        "learning_dip": transition.learning_dip,
    }
    return leadsim.validate_scenario(
        status_quo.model_dump(), f"switch to {structure.name}", {"leadership.change": change}
    )


def _runs_frame(structures: list[Structure], results: list[list], reps: int) -> pd.DataFrame:
    rows = []
    for structure, batch in zip(structures, results, strict=True):
        for rep, result in enumerate(batch):
            rows.append(
                {"structure": structure.name, "draw": rep // reps, "rep": rep, **result.summary_row()}
            )
    runs = pd.DataFrame(rows)
    runs["survived"] = runs["survived"].astype(float)
    return runs


def _steps_matrix(batch: list, column: str) -> np.ndarray:
    return np.vstack([r.steps[column].to_numpy(dtype=float) for r in batch])


def _cash_paths(
    results: list[list],
    runs: pd.DataFrame,
    structures: list[Structure],
    switch_day: int,
    transition: Transition,
    money: float,
    modelled: bool,
) -> dict[str, np.ndarray]:
    """Each structure's cash path (runs × days, model units), the switch laid over if not modelled."""
    base = _steps_matrix(results[0], "cash")
    paths = {structures[0].name: base}
    revenue = _steps_matrix(results[0], "revenue")
    for structure, batch in zip(structures[1:], results[1:], strict=True):
        own = _steps_matrix(batch, "cash")
        paths[structure.name] = (
            own if modelled else decision.transition_cash(base, own, revenue, switch_day, transition, money)
        )
    return paths


def _add_outcomes(
    runs: pd.DataFrame, structures: list[Structure], cash: dict[str, np.ndarray], money: float
) -> None:
    """People leaving a year, revenue a year and cash after 1 and 3 years (currency), per run."""
    runs["leavers_per_year"] = runs["turnover_rate"] * runs["size"]
    for key, day in (("cash_1y", DAYS_PER_YEAR), ("cash_3y", 3 * DAYS_PER_YEAR)):
        values = np.full(len(runs), np.nan)
        for structure in structures:
            rows = np.nonzero((runs["structure"] == structure.name).to_numpy())[0]
            order = runs["rep"].to_numpy()[rows]
            matrix = cash[structure.name]
            if matrix.shape[1] >= day:
                values[rows] = matrix[order, day - 1] * money
        runs[key] = values
    if "revenue_total" not in runs:
        runs["revenue_total"] = runs["output_total"]  # this model version's revenue is its output
    runs["revenue_per_year"] = runs["revenue_total"] * money * DAYS_PER_YEAR / runs["days"]


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
            column = (
                "backlog_age_mean"
                if name == "latency_mean" and "backlog_age_mean" in batch[0].steps
                else name
            )
            matrix = _steps_matrix(batch, column)
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
                if metric.key not in base:  # people and cash are computed from full runs only
                    continue
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


def _provenance(comparison: Comparison, grid_reps: int) -> dict[str, Any]:
    profile, seeds = comparison.profile, comparison.seeds
    return {
        "leadsim_version": leadsim.__version__,
        "profile": profile.name,
        "profile_source": comparison.firm.source,
        "profile_hash": leadsim.scenario_hash(profile),
        "structures": {
            s.name: {"by_level": list(s.by_level), "scenario_hash": leadsim.scenario_hash(sc)}
            for s, sc in zip(comparison.structures, comparison.scenarios, strict=True)
        },
        "seeds": seeds,
        "seed_range": seed_range(seeds),
        "versions": len(comparison.draws),
        "reps_per_version": len(seeds) // max(len(comparison.draws), 1),
        "reps": len(seeds),
        "grid_reps": grid_reps,
        "grid_seeds": seed_range(range(seeds[0], seeds[0] + grid_reps)) if grid_reps else "",
        "days": profile.days,
        "size": profile.org.size,
        "switch_day": comparison.switch_day,
        "transition": comparison.transition.model_dump(),
        "transition_modelled": comparison.transition_modelled,
        "currency": comparison.currency,
        "calibration": comparison.calibration.provenance,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
