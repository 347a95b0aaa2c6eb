"""Global sensitivity analysis of a sweep with SALib: Sobol (first, total, second order) or Morris.

The sweep's sample is SALib's own (``design: sobol`` or ``morris``); the output of each design point
is its mean over the replications, which damps the model's own noise. Factors with levels split the
analysis: one set of indices per level combination (e.g. per leadership style).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from leadsim.scenario.loader import ScenarioSource
from leadsim.sweeps.api import run_sweep, sweep_folder
from leadsim.sweeps.design import ExperimentSource, SweepError, point_label, salib_problem
from leadsim.sweeps.plan import Plan, load_plan
from leadsim.sweeps.store import Store, atomic_write_text

COLUMNS = ["output", "group", "method", "index", "factor", "factor2", "value", "conf", "wide"]
MAIN_INDICES = ("S1", "ST", "mu_star")  # the indices whose precision is judged (S2 is always noisy)
PRECISION_FLOOR = 0.05  # an index near zero is precise enough once its interval is within ±0.05
MAX_SAMPLES = 1 << 16


class PrecisionWarning(UserWarning):
    """Some indices have a confidence interval wider than the estimate: raise the sample size."""


CSV_NAME = "sensitivity.csv"
FIGURE_NAME = "sensitivity.png"


def sensitivity(
    experiment: ExperimentSource | Mapping[str, Any],
    out: str | Path | None = None,
    *,
    scenario: ScenarioSource | None = None,
    samples: int | None = None,
    replications: int | None = None,
    seed: int | None = None,
    outputs: list[str] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
    connect_timeout: float = 5.0,
) -> pd.DataFrame:
    """Sensitivity indices of an experiment with a Sobol or Morris design.

    Runs whatever part of the sweep is missing in ``out`` first (as ``leadsim sweep --resume``),
    then writes ``sensitivity.csv`` and ``sensitivity.png`` there.

    Args:
        experiment: an experiment with ``design: sobol`` or ``design: morris`` (a YAML file, a
            bundled name, a mapping or an :class:`Experiment`), or a SALib ``ProblemSpec``
            (names and uniform bounds of dotted scenario fields) for a Sobol design.
        out: the sweep's folder; default a temporary folder removed afterwards.
        outputs: summary outputs to analyse; default the experiment's ``sensitivity.outputs``.
        workers: local worker processes for the missing runs.
        scheduler: a Dask scheduler address for the missing runs.
        progress: show a progress bar.
        connect_timeout: seconds to wait for the Dask scheduler.
        scenario: the base scenario instead of the experiment's (for a ProblemSpec, default
            the bundled ``default``).
        samples: the Sobol base sample N of a ProblemSpec (a power of 2; default 64).
        replications: runs per point of a ProblemSpec design (default 10).
        seed: the root seed of a ProblemSpec design (default 0).

    Returns:
        A tidy frame: output, group, method, index (S1, ST, S2 or mu_star, sigma, mu), factor,
        factor2 (second-order pairs), value, conf (half-width of the confidence interval).
    """
    plan = load_plan(experiment, scenario, replications=replications, seed=seed, samples=samples)
    design = plan.experiment.design.type
    if design not in ("sobol", "morris"):
        raise SweepError(f"{plan.source}: design: sensitivity needs a sobol or morris design (got {design})")
    outputs = list(outputs or plan.experiment.sensitivity.outputs)
    _check_outputs(plan, outputs)
    with sweep_folder(plan, out) as target:
        run_sweep(
            plan,
            target,
            workers=workers,
            scheduler=scheduler,
            resume=True,
            progress=progress,
            connect_timeout=connect_timeout,
        )
        table = analyse(plan, Store(target).runs(["point", *outputs]), outputs)
        advice = precision_advice(table, plan.experiment.design.samples or 0, plan.experiment.design.type)
        if advice:
            warnings.warn(advice, PrecisionWarning, stacklevel=2)
        if out is not None:  # results kept: save the table and the figure beside them
            atomic_write_text(target / CSV_NAME, table.to_csv(index=False))
            from leadsim.sweeps.figures import sensitivity_figure

            figure = sensitivity_figure(table, title=_title(plan))
            figure.savefig(target / FIGURE_NAME, dpi=150)
        return table


def precision_advice(table: pd.DataFrame, samples: int, design: str = "sobol") -> str | None:
    """One sentence when main indices are imprecise, with a sample size that should do; else None.

    An index is imprecise when the half-width of its interval exceeds both its absolute value and
    :data:`PRECISION_FLOOR`. Intervals shrink as 1/√N, so N grows by the square of the worst
    ratio (to the next power of two for Sobol).
    """
    main = table[table["index"].isin(MAIN_INDICES) & table["wide"]]
    if main.empty:
        return None
    ratio = float((main["conf"] / np.maximum(main["value"].abs(), PRECISION_FLOOR)).max())
    needed = math.ceil(samples * ratio**2)
    if design == "sobol":
        needed = 1 << max(needed - 1, 1).bit_length()
    needed = min(needed, MAX_SAMPLES)
    judged = int(table["index"].isin(MAIN_INDICES).sum())
    worst = main.loc[(main["conf"] / np.maximum(main["value"].abs(), PRECISION_FLOOR)).idxmax()]
    return (
        f"{len(main)} of {judged} indices have a confidence interval wider than the estimate "
        f"(worst: {worst['index']}({worst['factor']}) of {worst['output']} = {worst['value']:.3f} "
        f"± {worst['conf']:.3f}); raise design.samples from {samples} to about {needed} "
        "(intervals shrink as 1/√N), or read these indices as a ranking only"
    )


def _title(plan: Plan) -> str:
    return (
        f"{plan.experiment.name}: {plan.experiment.design.type} indices, "
        f"{len(plan.points)} points x {plan.experiment.replications} replications"
    )


def _check_outputs(plan: Plan, outputs: list[str]) -> None:
    kept = plan.tasks[0].runs_schema
    numeric = [
        f.name
        for f in kept
        if f.type in ("double", "int64")
        and f.name not in ("run_id", "point", "rep", "seed", *plan.experiment.factors)
    ]
    for name in outputs:
        if name not in numeric:
            raise SweepError(
                f"{plan.source}: sensitivity output '{name}' is not a kept numeric "
                f"output; allowed: {', '.join(numeric)}"
            )


def analyse(plan: Plan, runs: pd.DataFrame, outputs: list[str]) -> pd.DataFrame:
    """Indices from a finished sweep's runs (one frame row per index)."""
    experiment = plan.experiment
    problem = salib_problem(experiment)
    means = runs.groupby("point")[outputs].mean()
    missing = sorted(set(range(len(plan.points))) - set(means.index))
    if missing:
        raise SweepError(
            f"{plan.source}: the sweep lacks {len(missing)} design points; run it with --resume first"
        )
    records: list[dict[str, Any]] = []
    groups = sorted({p.group for p in plan.points})
    for g in groups:
        points = [p for p in plan.points if p.group == g]
        fixed = {k: points[0].values[k] for k in experiment.level_factors}
        label = point_label(fixed) if fixed else "all"
        x = np.array([p.sample for p in points])
        for output in outputs:
            y = means.loc[[p.index for p in points], output].to_numpy(dtype=float)
            bad = int(np.sum(~np.isfinite(y)))
            if bad:
                raise SweepError(
                    f"output '{output}' has no value at {bad} design points "
                    f"({label}); Sobol and Morris need one everywhere, choose "
                    "another output"
                )
            base = {"output": output, "group": label}
            records += _indices(experiment, problem, x, y, base)
    table = pd.DataFrame.from_records(records, columns=COLUMNS[:-1])
    table["wide"] = table["conf"] > np.maximum(table["value"].abs(), PRECISION_FLOOR)
    return table


def _indices(experiment, problem: dict, x: np.ndarray, y: np.ndarray, base: dict) -> list[dict]:
    from SALib.analyze import morris, sobol

    spec = experiment.sensitivity
    names = problem["names"]
    rows = []
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # a constant output gives NaN indices, not a failure
        if experiment.design.type == "sobol":
            second = experiment.design.second_order
            si = sobol.analyze(
                problem,
                y,
                calc_second_order=second,
                num_resamples=spec.num_resamples,
                conf_level=spec.conf_level,
                seed=experiment.seed,
            )
            for index in ("S1", "ST"):
                for i, name in enumerate(names):
                    rows.append(
                        {
                            **base,
                            "method": "sobol",
                            "index": index,
                            "factor": name,
                            "factor2": "",
                            "value": float(si[index][i]),
                            "conf": float(si[f"{index}_conf"][i]),
                        }
                    )
            if second:
                for i, a in enumerate(names):
                    for j in range(i + 1, len(names)):
                        rows.append(
                            {
                                **base,
                                "method": "sobol",
                                "index": "S2",
                                "factor": a,
                                "factor2": names[j],
                                "value": float(si["S2"][i, j]),
                                "conf": float(si["S2_conf"][i, j]),
                            }
                        )
            return rows
        si = morris.analyze(
            problem,
            x,
            y,
            num_resamples=spec.num_resamples,
            conf_level=spec.conf_level,
            num_levels=experiment.design.levels,
            seed=experiment.seed,
        )
    for index, conf in (("mu_star", "mu_star_conf"), ("sigma", None), ("mu", None)):
        for i, name in enumerate(names):
            rows.append(
                {
                    **base,
                    "method": "morris",
                    "index": index,
                    "factor": name,
                    "factor2": "",
                    "value": float(si[index][i]),
                    "conf": float(si[conf][i]) if conf else float("nan"),
                }
            )
    return rows


def format_table(table: pd.DataFrame, conf_level: float = 0.95) -> str:
    """The indices as text: per output and group, one row per factor, 'value ± half-width'."""
    if table.empty:
        return "(no indices)"
    shown = table.assign(
        cell=[
            f"{v:7.3f}" + (f" ± {c:.3f}" if np.isfinite(c) else "") + (" *" if w else "")
            for v, c, w in zip(table["value"], table["conf"], table["wide"], strict=True)
        ],
        term=[
            f if not f2 else f"{f} × {f2}" for f, f2 in zip(table["factor"], table["factor2"], strict=True)
        ],
    )
    blocks = [
        f"(± half-width of the {conf_level:.0%} bootstrap confidence interval; * the interval is "
        f"wider than the estimate and than ±{PRECISION_FLOOR}: not a precise value)"
    ]
    for (output, group), part in shown.groupby(["output", "group"], sort=False):
        first = part[part["index"] != "S2"]
        wide = first.pivot(index="term", columns="index", values="cell")
        wide = wide.reindex(
            index=list(dict.fromkeys(first["term"])), columns=list(dict.fromkeys(first["index"]))
        )
        blocks.append(f"\n{output} — {group}\n{wide.to_string()}")
        pairs = part[part["index"] == "S2"]
        if not pairs.empty:
            blocks.append(pairs.set_index("term")[["cell"]].rename(columns={"cell": "S2"}).to_string())
    return "\n".join(blocks)
