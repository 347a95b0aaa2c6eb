"""Results of runs: tidy frames, the per-run summary, provenance, and the files a run writes."""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from leadsim import __version__
from leadsim.core import METRICS, Engine
from leadsim.core.resilience import shock_resilience
from leadsim.core.shocks import ShockEvent
from leadsim.scenario import Scenario, scenario_hash

if TYPE_CHECKING:
    from collections.abc import Mapping

    from matplotlib.figure import Figure

RESILIENCE_FIGURES = ("depth", "recovery_days", "loss", "index")
DAYS_PER_YEAR = 260
FINAL_WINDOW = 30  # days averaged for "final" figures: the last ones the firm operated


def style_label(scenario: Scenario) -> str:
    """The style name, or 'mixed:a/b' for styles set per level."""
    by_level = scenario.leadership.by_level
    if by_level and len(set(by_level)) > 1:
        return "mixed:" + "/".join(by_level)
    return by_level[0] if by_level else scenario.leadership.style


@dataclass
class RunResult:
    """One run: its per-day frame, its summary and where it came from."""

    scenario: Scenario
    seed: int
    steps: pd.DataFrame
    summary: dict[str, Any]
    shocks: list[dict[str, Any]] = field(default_factory=list)

    @property
    def provenance(self) -> dict[str, Any]:
        """Version, scenario name and hash, and seed."""
        return {key: self.summary[key] for key in ("version", "scenario", "scenario_hash", "seed")}

    def summary_row(self) -> dict[str, Any]:
        """The summary without the per-shock list: one flat record for tables and Parquet."""
        return {k: v for k, v in self.summary.items() if k != "shocks"}

    def write(
        self, out_dir: str | Path, figure: bool = True, extra_figures: Mapping[str, Figure] | None = None
    ) -> dict[str, Path]:
        """Write steps.csv, summary.json (and figure.png) into ``out_dir``, all or nothing.

        Files are written to a temporary folder beside ``out_dir`` and moved in at the end, so an
        error never leaves a half-written folder.

        Args:
            out_dir: the output folder (created if needed).
            figure: also draw figure.png.
            extra_figures: more figures to save with the outputs, by file name (e.g. a slide).
        """
        out_dir = Path(out_dir)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
        try:
            names = {"steps": "steps.csv", "summary": "summary.json"}
            header = "".join(f"# {k}: {v}\n" for k, v in self.provenance.items())
            with open(staging / names["steps"], "w", encoding="utf-8") as fh:
                fh.write(header)
                self.steps.to_csv(fh, index=False, float_format="%.6g")
            record = {**self.summary, "written_at": datetime.now(UTC).isoformat(timespec="seconds")}
            (staging / names["summary"]).write_text(json.dumps(_jsonable(record), indent=2) + "\n")
            if figure:
                from leadsim.plots import run_figure

                names["figure"] = "figure.png"
                run_figure(self).savefig(staging / names["figure"], dpi=110)
            for name, extra in (extra_figures or {}).items():
                names[Path(name).stem] = name
                extra.savefig(staging / name, dpi=150)
            out_dir.mkdir(exist_ok=True)
            paths = {}
            for key, name in names.items():
                os.replace(staging / name, out_dir / name)
                paths[key] = out_dir / name
            return paths
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def read_steps(path: str | Path) -> pd.DataFrame:
    """Read a steps.csv written by :meth:`RunResult.write` (provenance lines are comments)."""
    return pd.read_csv(path, comment="#", keep_default_na=False, na_values=[""])


def results_from_engine(engine: Engine, keep_steps: bool = True) -> list[RunResult]:
    """One RunResult per replication of a finished engine."""
    scenario = engine.scenario
    digest = scenario_hash(scenario)
    days = engine.day
    results = []
    for r, seed in enumerate(engine.seeds):
        series = {name: engine.metrics[name][r, :days] for name in METRICS}
        failed_day = int(engine.failed_day[r]) if engine.failed_day[r] >= 0 else None
        shocks = _shock_records(engine.events[r], series, days, failed_day)
        steps = _steps_frame(series, engine.events[r], days) if keep_steps else pd.DataFrame()
        summary = _summary(engine, r, series, shocks, digest, seed)
        results.append(RunResult(scenario, seed, steps, summary, shocks))
    return results


def _steps_frame(series: dict[str, np.ndarray], events: list[ShockEvent], days: int) -> pd.DataFrame:
    frame = pd.DataFrame({"day": np.arange(days), **series})
    for name in (
        "arrivals",
        "decided",
        "expired",
        "backlog",
        "backlog_age_max",
        "headcount",
        "quits",
        "hires",
    ):
        frame[name] = frame[name].astype(np.int64)
    labels = []
    for t in range(days):
        labels.append("+".join(e.type for e in events if e.active(t)))
    frame["active_shocks"] = labels
    return frame


def performance_series(series: dict[str, np.ndarray], shock_type: str) -> tuple[str, np.ndarray]:
    """The series a shock's resilience is measured on, and its name.

    Output delivered (the revenue the firm earns) for every shock that harms the firm: leadership
    moves it through capacity, decision quality and the customers it keeps. A hiring wave adds
    people, so more output is no recovery; its cost is the productivity lost while beginners are
    onboarded, so it is measured on output per head.
    """
    if shock_type == "hiring_wave":
        with np.errstate(invalid="ignore", divide="ignore"):
            return "output_per_head", series["output"] / np.maximum(series["headcount"], 1)
    return "output", series["output"]


def _shock_records(
    events: list[ShockEvent], series: dict[str, np.ndarray], days: int, failed_day: int | None
) -> list[dict]:
    records = []
    started = [e for e in events if e.day < days]
    for i, event in enumerate(started):
        later = [e.day for e in started[i + 1 :] if e.day > event.day]
        measured_on, performance = performance_series(series, event.type)
        figures = shock_resilience(performance, event.day, later[0] if later else None, failed_day)
        records.append({**event.as_dict(), "measured_on": measured_on, **figures})
    return records


def _summary(
    engine: Engine, r: int, series: dict, shocks: list[dict], digest: str, seed: int
) -> dict[str, Any]:
    scenario = engine.scenario
    days = engine.day
    decided = int(engine.decided_total[r])
    failed_day = int(engine.failed_day[r])
    headcount_mean = float(np.mean(series["headcount"])) if days else 0.0
    quits = float(np.sum(series["quits"]))
    operated = days if failed_day < 0 else failed_day + 1
    final = slice(max(0, operated - FINAL_WINDOW), operated)

    def mean_over_shocks(key: str) -> float:
        values = [s[key] for s in shocks if not math.isnan(s[key])]
        return float(np.mean(values)) if values else float("nan")

    histogram = engine.latency_histogram[r]
    resolved = series["decided"] + series["expired"]
    with np.errstate(invalid="ignore", divide="ignore"):
        coverage = series["capacity"] / series["orders"]
    p95 = float(np.argmax(np.cumsum(histogram) >= 0.95 * decided)) if decided else float("nan")
    return {
        "scenario": scenario.name,
        "seed": int(seed),
        "version": __version__,
        "scenario_hash": digest,
        "style": style_label(scenario),
        "size": scenario.org.size,
        "days": days,
        "decisions": decided,  # resolved: decided by their decider or taken locally when overdue
        "latency_mean": float(engine.latency_total[r] / decided) if decided else float("nan"),
        "latency_p95": p95,
        "backlog_final": int(series["backlog"][-1]) if days else 0,
        "backlog_age_mean": _nanmean(series["backlog_age_mean"]),
        "backlog_age_max": float(np.nanmax(series["backlog_age_max"])) if days else float("nan"),
        "taken_locally_share": float(np.sum(series["expired"]) / max(np.sum(resolved), 1)),
        "decision_quality": _nanmean(series["decision_quality"]),
        "engagement_mean": _nanmean(series["engagement_mean"]),
        "engagement_final": _nanmean(series["engagement_mean"][final]),
        "engagement_sd": _nanmean(series["engagement_sd"]),
        "competence_final": _nanmean(series["competence_mean"][final]),
        "turnover_rate": quits / max(headcount_mean, 1e-9) * DAYS_PER_YEAR / max(days, 1),
        "output_total": float(np.sum(series["output"])),
        "output_final": _nanmean(series["output"][final]),
        "orders_total": float(np.sum(series["orders"])),
        "capacity_per_order_median": float(np.nanmedian(coverage[:operated])) if days else float("nan"),
        "delivery_delay_mean": _nanmean(series["delivery_delay"]),
        "customers_final": _nanmean(series["customers"][final]),
        "currency": scenario.economics.currency,
        "revenue_total": float(np.sum(series["revenue"])),
        "costs_total": float(np.sum(series["costs"])),
        "payroll_total": float(np.sum(series["payroll"])),
        "replacement_costs": float(np.sum(series["replacement_costs"])),
        "profit_total": float(np.sum(series["revenue"]) - np.sum(series["costs"])),
        "cash_final": float(series["cash"][-1]) if days else float("nan"),
        "survived": failed_day < 0,
        "failed_day": failed_day if failed_day >= 0 else None,
        "shock_count": len(shocks),
        **{f"resilience_{k}": mean_over_shocks(k) for k in ("index", "loss", "depth")},
        "recovery_days": mean_over_shocks("recovery_days"),  # over the shocks that recovered
        "shocks_recovered": sum(1 for s in shocks if not math.isnan(s["recovery_days"])),
        "shocks": shocks,
    }


def _nanmean(values: np.ndarray) -> float:
    values = np.asarray(values, dtype=float)
    return float(np.nanmean(values)) if np.isfinite(values).any() else float("nan")


def _jsonable(value: Any) -> Any:
    """JSON-ready: NaN becomes null, numpy scalars become Python numbers."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def summaries_frame(results: list[RunResult]) -> pd.DataFrame:
    """One row per run (summary without the shock list)."""
    return pd.DataFrame([r.summary_row() for r in results])
