"""Calibration to the firm: which settings of the uncertain parameters reproduce today's figures.

Method: history matching followed by approximate Bayesian computation (ABC) with a Gaussian
kernel, on Latin-hypercube samples drawn with SALib.

1. **Wave 1.** Latin-hypercube points over the priors (SALib ``latin.sample``); at each point the
   status-quo structure runs a batch of replications (the engine's vectorised seed axis; the same
   seeds at every point, so differences between points are not seed noise).
2. **Implausibility** of each stated figure at each point (Craig et al. 1997; Vernon et al. 2010):
   ``I = |observed − simulated mean| / sqrt(observation variance + discrepancy + run-to-run
   variance (1 + 1/k))``. The run-to-run variance enters in full because the firm's year is one
   realisation, not an average. Points with every ``I < 3`` are *not implausible*.
3. **Wave 2.** New points over the box of not-implausible points (10 % margin), so the plausible
   region is sampled densely; if no point is not implausible, around the closest ones.
4. **Posterior.** Every point gets the weight ``prior / proposal × Π N(observed; mean, variance)``:
   ABC with a Gaussian kernel, exact inference if the model's error is that Gaussian (Wilkinson
   2013), whose width includes the point's own run-to-run variance (a synthetic likelihood, Wood
   2010); the deterministic-mixture proposal of both waves corrects for the denser wave 2.
   The posterior sample is a systematic resample of the weighted points.

Why this and not pyabc: with four parameters two waves of a few hundred points suffice; each point
is one vectorised batch, where pyabc's samplers call the model one replication at a time and need
a database and several more dependencies; and history matching's implausibility answers the
question a firm must hear first — "can the model reproduce your figures at all?" — directly.

The parameters and their priors are data (:data:`DEFAULT_PARAMETERS`); a profile overrides them
in its ``calibration:`` section, and a parameter this model version does not have is skipped with
a warning, so renaming one is a one-line change.
"""

from __future__ import annotations

import copy
import json
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

import leadsim
from leadsim import Scenario
from leadsim.compare.profile import FirmProfile, has_field, load_firm
from leadsim.compare.structures import parse_structure
from leadsim.extras import import_extra
from leadsim.results import DAYS_PER_YEAR

CUTOFF = 3.0
"""Implausibility above which a point cannot be the firm (Pukelsheim's three-sigma rule)."""
DEFAULT_SAMPLES = 60
"""Points per wave: 15 per parameter, 120 batches in all (one to three minutes on 2 cores)."""
DEFAULT_SEEDS = 8
"""Replications per point: a batch costs about the same for 1 or 8 (the engine's seed axis is
vectorised), and 8 give the run-to-run spread that enters the implausibility."""
POSTERIOR_SIZE = 400
CALIBRATION_DAYS = DAYS_PER_YEAR
"""The figures are annual: the status quo is simulated for one year (after the model's warm-up)."""
MIN_EFFECTIVE = 15.0
"""Fewer effective points than this and the posterior is rough (a warning says so)."""


@dataclass(frozen=True)
class Parameter:
    """An uncertain model parameter with a uniform prior.

    Attributes:
        path: the scenario field, dotted (``market.decision_rate``).
        label: what it means, in words a manager uses.
        low: the prior's lower end.
        high: the prior's upper end.
        unit: the unit shown beside values.
    """

    path: str
    label: str
    low: float
    high: float
    unit: str = ""

    @property
    def name(self) -> str:
        """The short name: the last part of the path."""
        return self.path.rsplit(".", 1)[-1]


DEFAULT_PARAMETERS: tuple[Parameter, ...] = (
    Parameter("org.competence.mean", "how much of their job people master", 0.35, 0.85, "0–1"),
    Parameter("market.decision_rate", "decisions raised per person per day", 0.05, 0.5, "per day"),
    Parameter(
        "dynamics.engagement.leader_sensitivity", "how strongly people respond to their leader", 0.5, 1.5
    ),
    Parameter("dynamics.quit_rate_per_year", "how readily people quit", 0.02, 0.3, "per year"),
)
"""What nobody at the firm knows well, with ranges wide enough for most small firms."""


@dataclass(frozen=True)
class Target:
    """A figure a firm observes and the model output it is matched to.

    Attributes:
        name: the field of ``observed`` (see :class:`leadsim.compare.profile.Observed`).
        label: its name in the report.
        key: the run summary key it is matched to.
        unit: the unit shown.
        per_year: the summary value is a total over the horizon (converted to per year).
        relative_sd: observation error plus model discrepancy, as a share of the figure.
        absolute_sd: the same, in the figure's unit (both are added in quadrature).
    """

    name: str
    label: str
    key: str
    unit: str
    per_year: bool = False
    relative_sd: float = 0.0
    absolute_sd: float = 0.0

    def sd(self, observed: float) -> float:
        """Standard deviation of observation error and model discrepancy together."""
        return math.hypot(self.relative_sd * observed, self.absolute_sd)


TARGETS: tuple[Target, ...] = (
    # One year's leavers in a small firm are a handful: the rate itself is noisy.
    Target("turnover_per_year", "voluntary turnover", "turnover_rate", "per year", False, 0.15, 0.015),
    # "Typical wait" is a manager's estimate, and the model's latency is a mean.
    Target("decision_wait_days", "typical wait for a decision", "latency_mean", "days", False, 0.25, 0.1),
    # A survey mean mapped linearly onto 0–1: the mapping itself is uncertain.
    Target("engagement", "engagement (survey mapped to 0–1)", "engagement_mean", "0–1", False, 0.0, 0.05),
    Target("revenue_per_year", "revenue per year", "revenue_total", "currency", True, 0.08, 0.0),
)
TARGET_BY_NAME = {t.name: t for t in TARGETS}


class CalibrationError(ValueError):
    """Nothing to calibrate with (no parameter this model version has)."""


@dataclass
class Calibration:
    """The result of :func:`calibrate`.

    Attributes:
        firm: the company profile.
        structure: the status-quo structure the figures were observed under.
        parameters: the parameters calibrated (those this model version has).
        targets: the observed figures matched, by name (empty: the posterior is the prior).
        points: every simulated point: parameters, wave, simulated means and sds, implausibility
            per figure, the largest implausibility, and the normalised weight.
        runs: one row per point and replication: the simulated figures (for predictive intervals).
        posterior: the posterior sample (equal weights), one row per draw.
        fit: one row per figure: observed, simulated median and 90 % interval (posterior and
            prior), the closest any point came, and whether the firm is matched.
        summary: one row per parameter: prior range, posterior median and 90 % interval.
        warnings: plain-language warnings (figures the model cannot match, a thin posterior).
        notes: what this model version could not use (a missing parameter, money in output units).
        money_per_unit: currency per model money unit (1 if the model counts in currency).
        inputs: fields set from the stated figures before calibrating (wage, price per unit);
            :func:`leadsim.compare.compare` applies them to every structure.
        provenance: version, profile hash, seeds, settings, time.
    """

    firm: FirmProfile
    structure: str
    parameters: list[Parameter]
    targets: dict[str, float]
    points: pd.DataFrame
    runs: pd.DataFrame
    posterior: pd.DataFrame
    fit: pd.DataFrame
    summary: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    money_per_unit: float = math.nan
    inputs: dict[str, float] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)

    @property
    def calibrated(self) -> bool:
        """Whether any observed figure constrained the parameters."""
        return bool(self.targets)

    @property
    def matched(self) -> bool:
        """Whether every stated figure was matched."""
        return bool(self.fit.empty or self.fit["matched"].all())

    @property
    def effective_points(self) -> float:
        """Kish's effective sample size of the weighted points."""
        w = self.points["weight"].to_numpy(dtype=float)
        return float(w.sum() ** 2 / np.sum(w**2)) if w.sum() > 0 else 0.0

    def draws(self, n: int, seed: int = 0) -> pd.DataFrame:
        """``n`` plausible versions of the firm: parameter values from the posterior.

        Systematic resampling of the weighted points, so the draws spread over the posterior.
        """
        return resample(self.points, [p.path for p in self.parameters], n, seed)

    def write(self, out_dir: str | Path) -> dict[str, Path]:
        """Write posterior.csv, fit.csv, points.csv, parameters.csv, calibration.md and JSON sidecars."""
        from leadsim.compare.report import write_tables

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        tables = {
            "posterior": self.posterior,
            "fit": self.fit,
            "parameters": self.summary,
            "points": self.points,
        }
        paths = write_tables(tables, out, self.provenance)
        markdown = out / "calibration.md"
        markdown.write_text(render_markdown(self), encoding="utf-8")
        paths["calibration.md"] = markdown
        return paths


def parameters_for(firm: FirmProfile, scenario: Scenario) -> tuple[list[Parameter], list[str]]:
    """The default parameters with the profile's overrides, and warnings for skipped ones."""
    chosen = {p.path: p for p in DEFAULT_PARAMETERS}
    for path, prior in firm.calibration.parameters.items():
        if prior is None:
            chosen.pop(path, None)
            continue
        known = chosen.get(path)
        label = known.label if known else path
        chosen[path] = Parameter(path, label, prior.low, prior.high, known.unit if known else "")
    kept, notes = [], []
    for parameter in chosen.values():
        if has_field(scenario, parameter.path):
            kept.append(parameter)
        else:
            notes.append(
                f"{parameter.path} ({parameter.label}) is not in this model version; it stays fixed "
                "and its uncertainty is not carried into the comparison."
            )
    return kept, notes


def _set(scenario: Scenario, values: Mapping[str, float], where: str) -> Scenario:
    return leadsim.validate_scenario(scenario.model_dump(), where, dict(values))


def status_quo(
    firm: FirmProfile, structure: str | None = None, days: int = CALIBRATION_DAYS
) -> tuple[str, Scenario]:
    """The status-quo structure's name and the profile under it without its feared shocks.

    Today's figures describe ordinary times: the scheduled shocks are removed, random ones stay.
    """
    name = structure or firm.observed.structure
    scenario = firm.scenario
    if name:
        scenario = parse_structure(name).apply(scenario)
    else:
        name = scenario.leadership.style
    return name, leadsim.validate_scenario(
        scenario.model_dump(), f"profile '{firm.name}' today", {"shocks": [], "days": days}
    )


def run_values(results: list, keys: Sequence[str]) -> pd.DataFrame:
    """One row per run with the summary keys asked for.

    ``revenue_total`` falls back to the sum of the per-day revenue where the summary lacks it.
    """
    rows = []
    for result in results:
        summary = result.summary_row()
        row = {}
        for key in keys:
            if key in summary:
                row[key] = summary[key]
            elif key == "revenue_total" and result.steps is not None and "revenue" in result.steps:
                row[key] = float(result.steps["revenue"].sum())
            else:
                row[key] = math.nan
        rows.append(row)
    return pd.DataFrame(rows, columns=list(keys), dtype=float)


def _simulate(
    scenario: Scenario,
    parameters: list[Parameter],
    points: np.ndarray,
    seeds: list[int],
    keys: list[str],
    bar: tqdm,
) -> list[pd.DataFrame]:
    frames = []
    for x in points:
        values = {p.path: float(v) for p, v in zip(parameters, x, strict=True)}
        sample = _set(scenario, values, "calibration point")
        frames.append(run_values(leadsim.run_batch(sample, seeds), keys))
        bar.update(1)
    return frames


def _latin(parameters: list[Parameter], box: np.ndarray, n: int, seed: int) -> np.ndarray:
    latin = import_extra("SALib.sample.latin", "calibrate", "calibrating a profile (leadsim compare)")
    problem = {"num_vars": len(parameters), "names": [p.path for p in parameters], "bounds": box.tolist()}
    return np.asarray(latin.sample(problem, n, seed=seed), dtype=float)


def _implausibility(
    targets: dict[str, float], frames: list[pd.DataFrame], seeds: int, money: float, days: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Simulated means, sds, implausibilities and their variances, points × targets."""
    names = list(targets)
    mean = np.full((len(frames), len(names)), np.nan)
    sd = np.full_like(mean, np.nan)
    for i, frame in enumerate(frames):
        for j, name in enumerate(names):
            values = frame[TARGET_BY_NAME[name].key].to_numpy(dtype=float) * _scale(name, money, days)
            mean[i, j] = np.nanmean(values) if np.isfinite(values).any() else np.nan
            sd[i, j] = np.nanstd(values, ddof=1) if np.isfinite(values).sum() > 1 else 0.0
    observed = np.array([targets[n] for n in names])
    error = np.array([TARGET_BY_NAME[n].sd(targets[n]) for n in names])
    variance = error**2 + sd**2 * (1 + 1 / seeds)
    with np.errstate(invalid="ignore", divide="ignore"):
        implausibility = np.abs(observed - mean) / np.sqrt(variance)
    return mean, sd, np.where(np.isfinite(implausibility), implausibility, np.inf), variance


def _scale(name: str, money: float, days: int) -> float:
    """Model units to the figure's units: a year's total for revenue, in currency."""
    if TARGET_BY_NAME[name].per_year:
        return DAYS_PER_YEAR / days * money
    return 1.0


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """Quantiles of weighted values (NaN values dropped); NaN if nothing is left."""
    keep = np.isfinite(values) & (weights > 0)
    if not keep.any():
        return np.full(len(qs), np.nan)
    order = np.argsort(values[keep])
    v, w = values[keep][order], weights[keep][order]
    cumulative = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(qs, cumulative, v)


def resample(points: pd.DataFrame, columns: list[str], n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` rows drawn from weighted points by systematic resampling (equal weights after)."""
    w = points["weight"].to_numpy(dtype=float)
    cumulative = np.cumsum(w / w.sum())
    start = np.random.default_rng(seed).uniform(0, 1 / n)
    picks = np.searchsorted(cumulative, start + np.arange(n) / n)
    picks = np.minimum(picks, len(points) - 1)
    drawn = points.iloc[picks][columns].reset_index(drop=True)
    drawn.insert(0, "draw", np.arange(n))
    drawn["point"] = picks
    return drawn


def calibrate(
    profile: str | Path | FirmProfile | Mapping[str, Any],
    *,
    structure: str | None = None,
    samples: int | None = None,
    seeds: int | None = None,
    seed: int | None = None,
    days: int | None = None,
    overrides: Mapping[str, Any] | None = None,
    progress: bool = False,
) -> Calibration:
    """Fit the uncertain parameters so the status quo reproduces the firm's observed figures.

    Without observed figures the "posterior" is the prior: one Latin-hypercube wave, equal
    weights, nothing run.

    Args:
        profile: a profile YAML path, a mapping or a loaded profile.
        structure: the status-quo structure; default the profile's ``observed.structure`` or
            its leadership as written.
        samples: points per wave (default the profile's setting or :data:`DEFAULT_SAMPLES`).
        seeds: replications per point (default the profile's setting or :data:`DEFAULT_SEEDS`).
        seed: the first seed; default the profile's.
        days: the simulated period the figures describe (default the profile's setting or a year).
        overrides: dotted field overrides applied to the profile.
        progress: show a progress bar on stderr.

    Returns:
        The calibration; :meth:`Calibration.write` writes its tables.

    Raises:
        leadsim.ScenarioError: the profile fails validation.
        CalibrationError: none of the parameters exists in this model version.
    """
    firm = copy.copy(load_firm(profile, overrides))  # its scenario is replaced below, not the caller's
    horizon = days or firm.calibration.days or CALIBRATION_DAYS
    name, today = status_quo(firm, structure, horizon)
    parameters, notes = parameters_for(firm, today)
    if not parameters:
        raise CalibrationError("none of the calibration parameters exists in this model version")
    n = samples or firm.calibration.samples or DEFAULT_SAMPLES
    k = seeds or firm.calibration.seeds or DEFAULT_SEEDS
    first = firm.scenario.seed if seed is None else seed
    run_seeds = list(range(first, first + k))
    targets = firm.observed.figures()
    skipped_targets = []
    in_currency = has_field(firm.scenario, "economics.currency")
    if not in_currency and targets.pop("revenue_per_year", None) is not None:
        notes.append(
            "This model version counts money in units of output: revenue sets their value in currency."
        )
    keys = [t.key for t in TARGETS]
    probe_runs = leadsim.run_batch(today, run_seeds)
    probe = run_values(probe_runs, [*keys, "payroll_total"])
    inputs = _money_inputs(firm, today, probe, horizon) if in_currency else {}
    if inputs:
        today = _set(today, inputs, "calibration inputs")
        firm.scenario = _set(firm.scenario, inputs, "calibration inputs")
        notes.append(
            "Stated payroll and revenue set the wage and the price per unit of work: "
            + ", ".join(f"{k} = {v:,.0f}" for k, v in inputs.items())
            + "."
        )
    for target_name in list(targets):
        if not np.isfinite(probe[TARGET_BY_NAME[target_name].key].iloc[0]):
            skipped_targets.append(target_name)
            targets.pop(target_name)
    money = 1.0
    prior_box = np.array([[p.low, p.high] for p in parameters])
    columns = [p.path for p in parameters]
    names = list(targets)

    if not targets:
        wave = _latin(parameters, prior_box, n, first)
        points = pd.DataFrame(wave, columns=columns)
        points["wave"] = 1
        points["weight"] = 1.0 / n
        runs = pd.DataFrame(columns=["point", "rep", *keys])
        if not in_currency:
            money = _money_per_unit(firm, [probe], np.ones(1), horizon)
        fit = pd.DataFrame(columns=["figure", "label", "unit", "observed", "matched"])
    else:
        with tqdm(
            total=2 * n, desc="calibrating", unit="point", disable=not progress, file=sys.stderr
        ) as bar:
            wave1 = _latin(parameters, prior_box, n, first)
            frames1 = _simulate(today, parameters, wave1, run_seeds, keys, bar)
            imp1 = _implausibility(targets, frames1, k, money, horizon)[2]
            box2 = _refine(wave1, imp1.max(axis=1), prior_box)
            wave2 = _latin(parameters, box2, n, first + 1)
            frames2 = _simulate(today, parameters, wave2, run_seeds, keys, bar)
        frames = frames1 + frames2
        mean, sd, imp, variance = _implausibility(targets, frames, k, money, horizon)
        points = pd.DataFrame(np.vstack([wave1, wave2]), columns=columns)
        points["wave"] = [1] * n + [2] * n
        for j, target_name in enumerate(names):
            points[f"sim_{target_name}"] = mean[:, j]
            points[f"sd_{target_name}"] = sd[:, j]
            points[f"implausibility_{target_name}"] = imp[:, j]
        points["implausibility"] = imp.max(axis=1)
        points["weight"] = _weights(np.vstack([wave1, wave2]), imp, variance, prior_box, box2, n)
        if not in_currency:
            money = _money_per_unit(firm, frames, points["weight"].to_numpy(dtype=float), horizon)
        runs = pd.concat(
            [f.assign(point=i, rep=range(len(f))) for i, f in enumerate(frames)], ignore_index=True
        )[["point", "rep", *keys]]
        fit = _fit(targets, points, runs, money, horizon)
    posterior = resample(points, columns, POSTERIOR_SIZE, first) if len(points) else points
    calibration = Calibration(
        firm=firm,
        structure=name,
        parameters=parameters,
        targets=targets,
        points=points,
        runs=runs,
        posterior=posterior,
        fit=fit,
        summary=_parameter_summary(parameters, points),
        money_per_unit=money,
        inputs=inputs,
    )
    calibration.notes = notes + [
        f"{TARGET_BY_NAME[name].label} is stated but this model version does not simulate it; not used."
        for name in skipped_targets
    ]
    calibration.warnings = _warnings(calibration)
    calibration.provenance = {
        "leadsim_version": leadsim.__version__,
        "profile": firm.name,
        "profile_hash": leadsim.scenario_hash(firm.scenario),
        "status_quo": name,
        "method": "history matching (2 waves, cutoff 3) + ABC with a Gaussian kernel, SALib Latin hypercube",
        "samples_per_wave": n,
        "seeds": run_seeds,
        "days": horizon,
        "inputs": calibration.inputs,
        "parameters": {p.path: [p.low, p.high] for p in parameters},
        "targets": targets,
        "money_per_unit": money,
        "effective_points": round(calibration.effective_points, 1),
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return calibration


def _money_inputs(firm: FirmProfile, today: Scenario, probe: pd.DataFrame, days: int) -> dict[str, float]:
    """The wage and price per unit that make the status quo's payroll and revenue the stated ones.

    Both are proportional (payroll to the wage at a given headcount, revenue to the price at
    given shipments), so one probe batch at the profile's values scales them; the calibration
    then checks revenue like any other figure, over the plausible settings.
    """
    observed = firm.observed
    per_year = DAYS_PER_YEAR / days
    inputs = {}
    payroll = float(probe["payroll_total"].mean()) * per_year
    if observed.payroll_per_year and payroll > 0 and has_field(today, "economics.wage_per_year"):
        inputs["economics.wage_per_year"] = (
            today.economics.wage_per_year * observed.payroll_per_year / payroll
        )
    revenue = float(probe["revenue_total"].mean()) * per_year
    if observed.revenue_per_year and revenue > 0 and has_field(today, "economics.price_per_unit"):
        inputs["economics.price_per_unit"] = (
            today.economics.price_per_unit * observed.revenue_per_year / revenue
        )
    return inputs


def _money_per_unit(firm: FirmProfile, frames: list[pd.DataFrame], weights: np.ndarray, days: int) -> float:
    """Currency per model money unit.

    A model that counts in currency (``economics`` section) needs no conversion. Otherwise the
    model's revenue unit is scaled so the status quo's revenue (weighted over the plausible
    settings) equals the stated revenue; NaN when no revenue is stated.
    """
    if has_field(firm.scenario, "economics.currency"):
        return 1.0
    revenue = firm.observed.revenue_per_year
    means = np.array([np.nanmean(f["revenue_total"].to_numpy(dtype=float)) for f in frames])
    simulated = float(np.sum(weights * means) / np.sum(weights))
    if revenue is None or not np.isfinite(simulated) or simulated <= 0:
        return math.nan
    return revenue / (simulated * DAYS_PER_YEAR / days)


def _refine(points: np.ndarray, worst: np.ndarray, prior_box: np.ndarray) -> np.ndarray:
    """The box of not-implausible points (or the closest tenth), 10 % of the prior wider each side."""
    keep = worst < CUTOFF
    if keep.sum() < 2:
        keep = worst <= np.quantile(worst, 0.1)
    chosen = points[keep]
    width = prior_box[:, 1] - prior_box[:, 0]
    low = np.maximum(chosen.min(axis=0) - 0.1 * width, prior_box[:, 0])
    high = np.minimum(chosen.max(axis=0) + 0.1 * width, prior_box[:, 1])
    return np.column_stack([low, np.maximum(high, low + 1e-6 * width)])


def _weights(
    points: np.ndarray,
    imp: np.ndarray,
    variance: np.ndarray,
    prior_box: np.ndarray,
    box2: np.ndarray,
    n: int,
) -> np.ndarray:
    """Normalised ABC weights: Gaussian kernel over the deterministic-mixture proposal density.

    The kernel is the normal density with the point's own variance (a synthetic likelihood,
    Wood 2010): without its ``1/sqrt(variance)`` a setting whose runs scatter widely would look
    as plausible as one whose runs sit on the observed figure.
    """
    volume1 = np.prod(prior_box[:, 1] - prior_box[:, 0])
    volume2 = np.prod(box2[:, 1] - box2[:, 0])
    inside = np.all((points >= box2[:, 0]) & (points <= box2[:, 1]), axis=1)
    proposal = (n / volume1 + inside * n / volume2) / (2 * n)
    finite = np.isfinite(imp) & np.isfinite(variance) & (variance > 0)
    log_kernel = -0.5 * np.sum(
        np.where(finite, imp**2 + np.log(np.where(finite, variance, 1.0)), 1e12), axis=1
    )
    w = np.exp(log_kernel - log_kernel.max()) / proposal
    return w / w.sum()


def _fit(
    targets: dict[str, float], points: pd.DataFrame, runs: pd.DataFrame, money: float, days: int
) -> pd.DataFrame:
    rows = []
    weights = points["weight"].to_numpy(dtype=float)
    per_run = weights[runs["point"].to_numpy(dtype=int)]
    for name, observed in targets.items():
        target = TARGET_BY_NAME[name]
        values = runs[target.key].to_numpy(dtype=float) * _scale(name, money, days)
        post = weighted_quantiles(values, per_run, [0.05, 0.5, 0.95])
        prior_w = (points["wave"] == 1).to_numpy(dtype=float)[runs["point"].to_numpy(dtype=int)]
        prior = weighted_quantiles(values, prior_w, [0.05, 0.95])
        imp = points[f"implausibility_{name}"].to_numpy(dtype=float)
        best = int(np.argmin(imp))
        rows.append(
            {
                "figure": name,
                "label": target.label,
                "unit": target.unit,
                "observed": observed,
                "simulated_median": post[1],
                "simulated_low": post[0],
                "simulated_high": post[2],
                "prior_low": prior[0],
                "prior_high": prior[1],
                "closest": float(points[f"sim_{name}"].iloc[best]),
                "implausibility_min": float(imp[best]),
                "matched": bool(imp[best] < CUTOFF),
            }
        )
    return pd.DataFrame(rows)


def _parameter_summary(parameters: list[Parameter], points: pd.DataFrame) -> pd.DataFrame:
    weights = points["weight"].to_numpy(dtype=float)
    rows = []
    for p in parameters:
        low, median, high = weighted_quantiles(
            points[p.path].to_numpy(dtype=float), weights, [0.05, 0.5, 0.95]
        )
        rows.append(
            {
                "parameter": p.path,
                "label": p.label,
                "unit": p.unit,
                "prior_low": p.low,
                "prior_high": p.high,
                "posterior_median": median,
                "posterior_low": low,
                "posterior_high": high,
                "narrowed_to": (high - low) / (0.9 * (p.high - p.low)),
            }
        )
    return pd.DataFrame(rows)


def _warnings(calibration: Calibration) -> list[str]:
    from leadsim.compare.narrative import figure_value

    notes: list[str] = []
    if not calibration.calibrated:
        notes.append(
            "The profile states no observed figures: the comparison spans the full prior ranges "
            "(add an observed: section to narrow them)."
        )
        return notes
    unmatched = []
    for row in calibration.fit.to_dict("records"):
        if row["matched"]:
            continue
        unmatched.append(row["label"])
        notes.append(
            f"The model cannot match your {row['label']} of {figure_value(row, row['observed'])}: "
            f"under {calibration.structure} the closest any plausible setting came is "
            f"{figure_value(row, row['closest'])}. Treat the comparison with caution: it describes "
            "a firm somewhat unlike yours."
        )
    points = calibration.points
    if not unmatched and not (points["implausibility"] < CUTOFF).any() and len(calibration.targets) > 1:
        notes.append(
            "Each figure can be matched alone, but no single setting matches them all together: "
            "the model's firm is a compromise between your figures."
        )
    if calibration.effective_points < MIN_EFFECTIVE:
        notes.append(
            f"Only about {calibration.effective_points:.0f} simulated settings fit your figures well; "
            "the ranges are rough (raise calibration samples)."
        )
    return notes


def render_markdown(calibration: Calibration) -> str:
    """The fit and the posterior as Markdown tables, with the warnings."""
    from leadsim.compare.narrative import fit_table, parameter_table
    from leadsim.compare.report import markdown_table

    lines = [f"# Calibration: {calibration.firm.name} (today: {calibration.structure})", ""]
    if calibration.calibrated:
        lines += ["## Your figures against the model", "", markdown_table(fit_table(calibration)), ""]
    lines += ["## What the figures say about the uncertain parameters", ""]
    lines += [markdown_table(parameter_table(calibration)), ""]
    if calibration.warnings or calibration.notes:
        lines += [
            "## Warnings and notes",
            "",
            *[f"- {w}" for w in calibration.warnings + calibration.notes],
            "",
        ]
    lines += ["```", json.dumps(calibration.provenance, indent=1), "```", ""]
    return "\n".join(lines)
