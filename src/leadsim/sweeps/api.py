"""Running a sweep: plan it, open its folder, send the missing tasks to a backend, write results."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from leadsim.scenario.loader import ScenarioSource
from leadsim.sweeps.backends import make_backend
from leadsim.sweeps.design import ExperimentSource
from leadsim.sweeps.plan import Plan, load_plan
from leadsim.sweeps.runner import run_task
from leadsim.sweeps.store import Store


@dataclass
class SweepReport:
    """What one call did: runs done now and before, failures, where the errors are, how long."""

    out: Path
    total: int
    resumed: int
    ran: int
    failed: int
    errors: Path | None
    seconds: float
    backend: str

    def line(self) -> str:
        """One line for the end of the command."""
        parts = [f"{self.total} runs in {self.out}"]
        if self.resumed:
            parts.append(f"{self.resumed} already there")
        parts.append(f"{self.ran} run now in {self.seconds:.1f} s on {self.backend}")
        if self.failed:
            parts.append(f"{self.failed} failed: see {self.errors}")
        else:
            parts.append("none failed")
        return "; ".join(parts)


def run_sweep(
    plan: Plan,
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool = True,
    connect_timeout: float = 5.0,
) -> SweepReport:
    """Run the missing runs of a planned sweep into ``out`` (see :func:`sweep`)."""
    # reach the backend first: an unreachable scheduler must not leave a folder behind
    with make_backend(workers, scheduler, connect_timeout) as backend:
        store = Store(out)
        done = store.open(plan, resume)
        todo = [t for t in plan.tasks if t.id not in done]
        resumed = plan.n_runs - sum(t.n_runs for t in todo)
        start = time.perf_counter()
        bar = tqdm(
            total=plan.n_runs,
            initial=resumed,
            unit="run",
            desc=plan.experiment.name,
            disable=not progress,
            dynamic_ncols=True,
            file=sys.stderr,
        )
        try:
            for result in backend.imap_unordered(run_task, todo):
                store.write(result)
                bar.update(result.runs.num_rows)
        except KeyboardInterrupt:
            bar.close()
            saved = len(store.done_tasks(len(plan.tasks)))
            print(
                f"leadsim: sweep interrupted; {saved} of {len(plan.tasks)} parts are saved in "
                f"{store.out}; run it again with --resume to finish",
                file=sys.stderr,
            )
            raise
    bar.close()
    failed, errors = store.write_errors()
    return SweepReport(
        store.out,
        plan.n_runs,
        resumed,
        plan.n_runs - resumed,
        failed,
        errors,
        time.perf_counter() - start,
        backend.name if todo else "nothing to run",
    )


def sweep(
    experiment: ExperimentSource | pd.DataFrame,
    out: str | Path | None = None,
    *,
    scenario: ScenarioSource | None = None,
    replications: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool = True,
    connect_timeout: float = 5.0,
) -> pd.DataFrame:
    """Run a parameter sweep and return one row per run, sorted by run id.

    Every (design point × replication) runs once, with a seed spawned from the experiment's root
    ``numpy.random.SeedSequence``; results are the same for any backend and number of workers.

    Args:
        experiment: an experiment YAML file (see ``experiments/``), a bundled experiment's name
            (``quick``), a mapping of experiment fields, an :class:`Experiment`, or a pandas
            DataFrame of design points (one column per dotted scenario field, one row per point).
        out: the output folder (Parquet dataset and manifest); default: a temporary folder,
            removed after the results are read.
        workers: local worker processes; default the number of cores; 1 runs in this process.
        scheduler: a Dask scheduler address (``tcp://HOST:PORT``) to run on instead.
        resume: finish a sweep already started in ``out``, running only what is missing.
        progress: show a progress bar with rate and ETA on stderr.
        connect_timeout: seconds to wait for the Dask scheduler.
        scenario: the base scenario (a Scenario, a mapping, a path or a bundled name) instead of
            the experiment's ``base``; for a DataFrame, default the bundled ``default``.
        replications: runs per point of a DataFrame design (default 10).
        seed: the root seed of a DataFrame design (default 0).

    Returns:
        The runs: run_id, point, rep, seed, one column per factor, the outputs, provenance
        (version, scenario_hash) and ``error`` (empty unless the run raised).

    Raises:
        SweepError: bad experiment, unreachable scheduler, or an output folder holding
            something else.
    """
    plan = load_plan(experiment, scenario, replications=replications, seed=seed)
    with sweep_folder(plan, out) as target:
        run_sweep(
            plan,
            target,
            workers=workers,
            scheduler=scheduler,
            resume=resume,
            progress=progress,
            connect_timeout=connect_timeout,
        )
        return Store(target).runs()


@contextmanager
def sweep_folder(plan: Plan, out: str | Path | None) -> Iterator[Path]:
    """The folder a sweep writes to: ``out``, or a scratch folder removed afterwards when None."""
    if out is not None:
        yield Path(out)
        return
    scratch = Path(tempfile.mkdtemp(prefix="leadsim-sweep-"))
    try:
        yield scratch / plan.experiment.name
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def load_runs(out: str | Path) -> pd.DataFrame:
    """The runs of a sweep folder (finished so far), sorted by run id."""
    store = Store(out)
    store.read_manifest()
    return store.runs()


def load_steps(out: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """The per-day series of a sweep folder, sorted by run id and day."""
    store = Store(out)
    store.read_manifest()
    return store.steps(columns)
