"""What a worker does with one task: run it and return Arrow tables.

Each design point's replications run together through ``leadsim.run_batch``; only the public
``leadsim`` API is used, so any worker with leadsim installed can import this.
"""

from __future__ import annotations

import json
import traceback
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

import leadsim
from leadsim.sweeps.plan import Group, Task


@dataclass
class TaskResult:
    """The rows of one task's runs (and per-day series), ready to be written."""

    task_id: int
    runs: pa.Table
    steps: pa.Table | None
    failed: int


def run_task(task: Task) -> TaskResult:
    """Run every run of a task. A run that raises becomes a row with its error; the rest go on."""
    rows: list[dict[str, Any]] = []
    step_frames: list[pd.DataFrame] = []
    failed = 0
    for group in task.groups:
        for run_id, rep, seed, (result, error) in zip(
            group.run_ids,
            group.reps,
            group.seeds,
            _run_group(group, bool(task.steps)),
            strict=True,
        ):
            row = {"run_id": run_id, "point": group.point, "rep": rep, "seed": seed}
            row.update(_factor_cells(group.values, task.factor_kinds))
            if result is None:
                failed += 1
                row.update(_error_cells(group, error))
            else:
                summary = result.summary_row()
                row.update({k: summary[k] for k in task.summary if k not in row})
                if task.steps:
                    frame = result.steps[["day", *task.steps]].copy()
                    frame.insert(0, "run_id", run_id)
                    step_frames.append(frame)
            rows.append(row)
    runs = pa.Table.from_pylist(rows, schema=task.runs_schema)
    steps = None
    if task.steps_schema is not None:
        if step_frames:
            frame = pd.concat(step_frames, ignore_index=True)
            steps = pa.Table.from_pandas(frame, schema=task.steps_schema, preserve_index=False)
            steps = steps.replace_schema_metadata(task.steps_schema.metadata)  # not pandas' own
        else:
            steps = task.steps_schema.empty_table()
    return TaskResult(task.id, runs, steps, failed)


Outcome = tuple["leadsim.RunResult | None", "str | None"]


def _run_group(group: Group, keep_steps: bool) -> list[Outcome]:
    """All replications of one point together; if that raises, one by one to find the bad ones."""
    try:
        scenario = leadsim.validate_scenario(group.scenario, f"design point {group.point}")
        results = leadsim.run_batch(scenario, list(group.seeds), keep_steps=keep_steps)
        return [(r, None) for r in results]
    except Exception:
        pass
    outcomes: list[Outcome] = []
    for seed in group.seeds:
        try:
            scenario = leadsim.validate_scenario(group.scenario, f"design point {group.point}")
            outcomes.append((leadsim.run(scenario, seed), None))
        except Exception as exc:
            text = f"{type(exc).__name__}: {exc}".splitlines()[0]
            outcomes.append((None, text + "\n" + traceback.format_exc()))
    return outcomes


def _factor_cells(values: dict[str, Any], kinds: dict[str, str]) -> dict[str, Any]:
    return {name: json.dumps(v, sort_keys=True) if kinds[name] == "json" else v for name, v in values.items()}


def _error_cells(group: Group, error: str | None) -> dict[str, Any]:
    """Provenance and the error of a failed run (its outputs stay empty)."""
    first, _, trace = (error or "unknown error").partition("\n")
    try:
        digest = leadsim.scenario_hash(leadsim.validate_scenario(group.scenario))
    except leadsim.ScenarioError:
        digest = None
    return {
        "scenario": group.scenario.get("name"),
        "version": leadsim.__version__,
        "scenario_hash": digest,
        "error": first,
        "traceback": trace,
    }
