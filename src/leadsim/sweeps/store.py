"""The output folder of a sweep: a manifest, and Parquet datasets written one task at a time.

Layout::

    DIR/manifest.json            design, seeds, version, scenario hashes, fingerprint
    DIR/runs/part-000012.parquet one row per run (runs 12*chunk .. 13*chunk-1), sorted by run_id
    DIR/steps/part-000012.parquet  per-day series of the same runs (when asked for)
    DIR/errors.csv               the runs that raised, with their errors (when any did)

Each part is written to a hidden temporary file and renamed into place, so a part is either whole
or absent: a task is done exactly when its runs part exists, and ``--resume`` runs the others.
Parts are named by task, so each run is in the final dataset exactly once.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import leadsim
from leadsim.sweeps.design import SweepError
from leadsim.sweeps.plan import PROVENANCE_PREFIX, Plan
from leadsim.sweeps.runner import TaskResult

MANIFEST = "manifest.json"
ERRORS = "errors.csv"


def part_name(task_id: int) -> str:
    """The file name of a task's part."""
    return f"part-{task_id:06d}.parquet"


class Store:
    """One sweep's output folder."""

    def __init__(self, out: str | Path) -> None:
        self.out = Path(out)
        self.runs_dir = self.out / "runs"
        self.steps_dir = self.out / "steps"

    def open(self, plan: Plan, resume: bool) -> set[int]:
        """Check the folder fits the plan, write the manifest if new; return the finished tasks.

        Raises:
            SweepError: the folder holds something else, or results of this experiment without
                ``resume``. Nothing is overwritten.
        """
        manifest = self.read_manifest(required=False)
        if manifest is None:
            if self.out.exists() and any(self.out.iterdir()):
                raise SweepError(
                    f"{self.out}: the folder is not empty and holds no leadsim sweep; "
                    "choose another --out (nothing was overwritten)"
                )
            self.out.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.out / MANIFEST, json.dumps(plan.manifest(), indent=1) + "\n")
        else:
            self._check_same(manifest, plan)
        self.runs_dir.mkdir(exist_ok=True)
        if plan.tasks and plan.tasks[0].steps:
            self.steps_dir.mkdir(exist_ok=True)
        self._remove_temporaries()
        done = self.done_tasks(len(plan.tasks))
        if done and not resume:
            state = (
                "the finished sweep"
                if len(done) == len(plan.tasks)
                else f"{len(done)} of {len(plan.tasks)} parts of the sweep"
            )
            raise SweepError(
                f"{self.out}: already holds {state} of this experiment; use --resume "
                "to run only what is missing, or choose another --out"
            )
        return done

    def _check_same(self, manifest: dict[str, Any], plan: Plan) -> None:
        if manifest.get("fingerprint") != plan.fingerprint:
            raise SweepError(
                f"{self.out}: holds a different experiment ('{manifest.get('experiment')}', "
                f"fingerprint {manifest.get('fingerprint')}; this one is '{plan.experiment.name}', "
                f"{plan.fingerprint}); choose another --out (nothing was overwritten)"
            )
        if manifest.get("version") != leadsim.__version__:
            raise SweepError(
                f"{self.out}: was written by leadsim {manifest.get('version')}, this is "
                f"{leadsim.__version__}; results would mix versions, choose another --out"
            )

    def read_manifest(self, required: bool = True) -> dict[str, Any] | None:
        """The manifest, or None (an error when ``required``) if the folder holds no sweep."""
        path = self.out / MANIFEST
        if not path.is_file():
            if required:
                raise SweepError(f"{self.out}: no sweep here (no {MANIFEST}); run leadsim sweep first")
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise SweepError(f"{path}: not a readable manifest; choose another --out") from None

    def done_tasks(self, n_tasks: int) -> set[int]:
        """Tasks whose runs part is on disk."""
        names = {part_name(t): t for t in range(n_tasks)}
        if not self.runs_dir.is_dir():
            return set()
        return {names[p.name] for p in self.runs_dir.iterdir() if p.name in names}

    def write(self, result: TaskResult) -> None:
        """Write one task's parts; the runs part last, as it marks the task done."""
        if result.steps is not None:
            write_table(result.steps, self.steps_dir / part_name(result.task_id))
        write_table(result.runs, self.runs_dir / part_name(result.task_id))

    def _remove_temporaries(self) -> None:
        """Leftovers of writes cut short by an interruption."""
        for folder in (self.runs_dir, self.steps_dir):
            if folder.is_dir():
                for path in folder.glob(".*.tmp"):
                    path.unlink(missing_ok=True)

    def runs(self, columns: list[str] | None = None) -> pd.DataFrame:
        """Every finished run, sorted by run id."""
        return _read_dataset(self.runs_dir, columns)

    def steps(self, columns: list[str] | None = None) -> pd.DataFrame:
        """Per-day series of every finished run, sorted by run id and day."""
        if not self.steps_dir.is_dir():
            raise SweepError(
                f"{self.out}: this sweep kept no per-day series (set outputs.steps in the experiment)"
            )
        return _read_dataset(self.steps_dir, columns, order=["run_id", "day"])

    def write_errors(self) -> tuple[int, Path | None]:
        """Write errors.csv listing the failed runs (or remove a stale one); return the count."""
        path = self.out / ERRORS
        frame = self.runs(["run_id", "point", "rep", "seed", "error", "traceback"])
        failed = frame[frame["error"].notna()] if len(frame) else frame
        if failed.empty:
            path.unlink(missing_ok=True)
            return 0, None
        atomic_write_text(path, failed.to_csv(index=False))
        return len(failed), path


def _read_dataset(folder: Path, columns: list[str] | None, order: list[str] | None = None) -> pd.DataFrame:
    parts = sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []
    if not parts:
        return pd.DataFrame(columns=columns or [])
    order = order or ["run_id"]
    if columns is not None:
        columns = list(dict.fromkeys([*order, *columns]))
    tables = [pq.read_table(p, columns=columns) for p in parts]
    frame = pa.concat_tables(tables).to_pandas()
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def read_provenance(path: str | Path) -> dict[str, str]:
    """The provenance in a Parquet part's schema metadata.

    Returns:
        version (of leadsim), experiment, fingerprint, seed (the root), seed_rule and
        scenario_hashes (of the part's runs, comma-separated).
    """
    metadata = pq.read_schema(path).metadata or {}
    prefix = PROVENANCE_PREFIX.encode()
    return {
        key.decode().removeprefix(PROVENANCE_PREFIX): value.decode()
        for key, value in metadata.items()
        if key.startswith(prefix)
    }


def write_table(table: pa.Table, path: Path) -> None:
    """Write a Parquet file atomically: a hidden temporary file renamed into place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write_text(path: Path, text: str) -> None:
    """Write a text file atomically."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
