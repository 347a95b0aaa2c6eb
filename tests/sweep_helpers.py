"""Helpers for the sweep tests: tiny experiments written into a temporary folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "scenarios" / "default.yaml"


def tiny_experiment(**changes: Any) -> dict[str, Any]:
    """A grid of 2 styles x 2 sizes x 3 replications over 25 days (12 runs, 6 tasks)."""
    data: dict[str, Any] = {
        "name": "tiny",
        "base": str(BASE),
        "set": {"days": 25, "shocks": []},
        "factors": {"leadership.style": ["autocratic", "distributed"], "org.size": [6, 12]},
        "design": "grid",
        "replications": 3,
        "seed": 11,
        "chunk_runs": 2,
        "outputs": {
            "summary": ["latency_mean", "engagement_final", "output_total"],
            "steps": ["latency_mean", "output"],
        },
    }
    data.update(changes)
    return data


def write_experiment(folder: Path, name: str = "exp.yaml", **changes: Any) -> Path:
    """Write a tiny experiment (with changes) and return its path."""
    path = folder / name
    path.write_text(yaml.safe_dump(tiny_experiment(**changes), sort_keys=False))
    return path


def parts(out: Path, kind: str = "runs") -> dict[str, bytes]:
    """The bytes of every Parquet part of a sweep folder."""
    return {p.name: p.read_bytes() for p in sorted((out / kind).glob("part-*.parquet"))}


def die_in_task_3(task):
    """A worker's task function that kills its own process on task 3 (a worker lost mid-sweep)."""
    import os

    from leadsim.sweeps.runner import run_task

    if task.id == 3:
        os._exit(9)
    return run_task(task)
