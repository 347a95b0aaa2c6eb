"""The benchmark table: speed and memory of the engine at several scales, against the targets.

Cases, cheap ones first (names for ``leadsim bench --only``):

- ``startup``: `leadsim --help` and `leadsim scenarios` in a fresh process (lazy imports);
- ``single``: 50 people × 260 days, one run — simulation time, with start-up (scenario and engine
  construction) and ``import leadsim`` reported apart;
- ``reference``: the vectorised engine against the per-agent reference at 1,000 people, stepped
  day by day side by side in one process — the per-day speed ratio;
- ``scaling-people`` / ``scaling-days``: the cost-scaling exponent, a least-squares fit of
  log(time) on log(people) and on log(days);
- ``sweep``: 2,000 runs × 50 people × 260 days as ``run_batch`` chunks over 2 worker processes;
- ``people-1e5`` / ``people-1e6``: 10^5 and 10^6 people × 260 days — wall time and peak memory.

Each case runs in a fresh Python process, so its peak memory (the child's VmHWM) is its own and
cases do not warm or pollute each other. Progress of long cases goes to stderr. Big cases use the
engine directly: summary series only, no per-person history.
"""

from __future__ import annotations

import csv
import importlib
import json
import math
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from statistics import median
from typing import Any

DEFAULT_CSV = "bench-results.csv"
SWEEP_WORKERS = 2
LINEAR_EXPONENT_MAX = 1.1  # "cost grows linearly": a fitted exponent up to this passes


@dataclass(frozen=True)
class Sizes:
    """The sizes every case runs at (full or ``--quick``)."""

    single_people: int
    single_days: int
    large_people: int
    huge_people: int
    big_days: int
    sweep_runs: int
    sweep_people: int
    sweep_days: int
    sweep_chunk: int
    reference_people: int
    reference_days: int
    scaling_people: tuple[int, ...]
    scaling_people_days: int
    scaling_days: tuple[int, ...]
    scaling_days_people: int


FULL = Sizes(
    single_people=50,
    single_days=260,
    large_people=100_000,
    huge_people=1_000_000,
    big_days=260,
    sweep_runs=2000,
    sweep_people=50,
    sweep_days=260,
    sweep_chunk=250,
    reference_people=1000,
    reference_days=5,
    scaling_people=(12_500, 25_000, 50_000, 100_000),
    scaling_people_days=20,
    scaling_days=(65, 130, 260, 520),
    scaling_days_people=5000,
)
QUICK = Sizes(
    single_people=50,
    single_days=260,
    large_people=2000,
    huge_people=5000,
    big_days=20,
    sweep_runs=8,
    sweep_people=50,
    sweep_days=60,
    sweep_chunk=2,
    reference_people=100,
    reference_days=2,
    scaling_people=(500, 1000, 2000),
    scaling_people_days=5,
    scaling_days=(10, 20, 40),
    scaling_days_people=200,
)


@dataclass(frozen=True)
class Target:
    """A performance target: ``value <= bound`` (``at_most``) or ``value >= bound``."""

    bound: float
    at_most: bool
    text: str

    def met(self, value: float) -> bool:
        """Whether a measured value meets the target (never for NaN)."""
        if not math.isfinite(value):
            return False
        return value <= self.bound if self.at_most else value >= self.bound


@dataclass(frozen=True)
class Row:
    """One measured quantity of one case: a row of the table and of the CSV."""

    case: str
    label: str
    quantity: str
    value: float
    unit: str
    repeats: int
    target: str = ""
    passed: bool | None = None
    detail: str = ""
    people: int | None = None
    days: int | None = None
    runs: int | None = None


def measured(
    case: str,
    label: str,
    quantity: str,
    value: float,
    unit: str,
    repeats: int,
    target: Target | None = None,
    quick: bool = False,
    **extra: Any,
) -> Row:
    """Make a row, judged against its target (targets are not judged at ``--quick`` sizes)."""
    passed = None if target is None or quick else target.met(value)
    text = "" if target is None else target.text
    return Row(case, label, quantity, float(value), unit, repeats, text, passed, **extra)


# ---------------------------------------------------------------- helpers used inside a case


def people_days(people: int, days: int, runs: int = 1) -> str:
    """Label a case, e.g. '50 people × 260 days, 1 run'."""
    plural = "run" if runs == 1 else "runs"
    return f"{people:,} people × {days:,} days, {runs:,} {plural}"


def sized(base: dict[str, Any], people: int, days: int, shocks: bool = True):
    """Resize the base scenario and its horizon (shocks past the horizon are dropped)."""
    from leadsim import validate_scenario

    kept = [s for s in base.get("shocks", []) if s.get("day", 0) < days] if shocks else []
    return validate_scenario(base, "benchmark scenario", {"org.size": people, "days": days, "shocks": kept})


class Progress:
    """Prints 'label: done/total unit (elapsed)' to stderr at each tenth, after 2 s."""

    QUIET_SECONDS = 2.0  # short cases stay quiet

    def __init__(self, label: str, total: int, unit: str) -> None:
        self.label, self.total, self.unit = label, total, unit
        self.start = time.perf_counter()
        self.shown = 0

    def __call__(self, done: int) -> None:
        """Report ``done`` of ``total``; quiet unless a new tenth is reached."""
        tenth = 10 * done // self.total
        elapsed = time.perf_counter() - self.start
        if tenth > self.shown and elapsed >= self.QUIET_SECONDS:
            self.shown = tenth
            print(
                f"  {self.label}: {done:,}/{self.total:,} {self.unit} ({elapsed:.1f} s)",
                file=sys.stderr,
                flush=True,
            )


def memory_mb(field: str = "VmHWM") -> float:
    """Read the peak (VmHWM) or current (VmRSS) resident memory of this process, in MB (10^6 B)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6


def children_peak_mb() -> float:
    """Return the largest peak resident memory of any finished child process, in MB."""
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6


def timed_run(scenario, seed: int, on_day: Callable[[int], None] | None = None) -> tuple[float, float]:
    """Build an engine and run it to the horizon: (start-up seconds, simulation seconds)."""
    from leadsim.core import Engine

    start = time.perf_counter()
    engine = Engine(scenario, [seed])
    built = time.perf_counter()
    engine.run(on_day=on_day)
    return built - start, time.perf_counter() - built


def scaling_exponent(sizes: Sequence[float], seconds: Sequence[float]) -> float:
    """Fit the slope of log(seconds) on log(sizes): 1 is linear cost."""
    import numpy as np

    return float(np.polyfit(np.log(sizes), np.log(seconds), 1)[0])


def reference_timer() -> Callable[..., Any] | None:
    """Return ``leadsim.reference.time_per_day``, or None while the reference does not exist."""
    try:
        module = importlib.import_module("leadsim.reference")
    except ModuleNotFoundError as exc:
        if exc.name == "leadsim.reference":
            return None
        raise
    return getattr(module, "time_per_day", None)


# ---------------------------------------------------------------- the cases (run in a child)


@dataclass(frozen=True)
class Context:
    """What a case needs: the base scenario's data, the sizes, repetitions and the import time."""

    scenario: dict[str, Any]
    sizes: Sizes
    repeats: int
    quick: bool
    import_seconds: float

    @property
    def seed(self) -> int:
        """The base scenario's seed."""
        return int(self.scenario.get("seed", 0))


STARTUP_COMMANDS = (("--help",), ("scenarios",))


def leadsim_command() -> list[str]:
    """The installed ``leadsim`` command beside this interpreter, else ``python -m``."""
    script = Path(sys.executable).with_name("leadsim")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "leadsim.cli.main"]


def case_startup(ctx: Context) -> list[Row]:
    """Wall time of `leadsim --help` and `leadsim scenarios`, each in a fresh process."""
    rows = []
    for args in STARTUP_COMMANDS:
        times = []
        for _ in range(ctx.repeats):
            start = time.perf_counter()
            subprocess.run([*leadsim_command(), *args], capture_output=True, check=True)
            times.append(time.perf_counter() - start)
        rows.append(
            measured(
                "startup",
                f"leadsim {' '.join(args)}",
                "wall",
                median(times),
                "s",
                ctx.repeats,
                Target(0.5, True, "≤ 0.5 s"),
                ctx.quick,
                detail="a fresh process: lazy imports load only the command run",
            )
        )
    return rows


def case_single(ctx: Context) -> list[Row]:
    """50 people × 260 days, one run: simulation, start-up and import apart."""
    s = ctx.sizes
    label = people_days(s.single_people, s.single_days)
    startup, simulation = [], []
    for _ in range(ctx.repeats):
        start = time.perf_counter()
        scenario = sized(ctx.scenario, s.single_people, s.single_days)
        validated = time.perf_counter() - start
        build, run = timed_run(scenario, ctx.seed)
        startup.append(validated + build)
        simulation.append(run)
    common = {"people": s.single_people, "days": s.single_days, "runs": 1}
    per_day = 1e3 * median(simulation) / s.single_days
    return [
        measured(
            "single",
            label,
            "simulation",
            1e3 * median(simulation),
            "ms",
            ctx.repeats,
            Target(20.0, True, "≤ 20 ms"),
            ctx.quick,
            detail=f"{per_day:.3f} ms/day",
            **common,
        ),
        measured(
            "single",
            label,
            "start-up",
            1e3 * median(startup),
            "ms",
            ctx.repeats,
            detail="scenario validation + engine construction",
            **common,
        ),
        measured(
            "single",
            label,
            "import leadsim",
            ctx.import_seconds,
            "s",
            1,
            detail="in a fresh interpreter",
            **common,
        ),
    ]


def case_people(ctx: Context, name: str, people: int, target: bool) -> list[Row]:
    """One large organisation, one run: wall time (start-up + simulation) and peak memory."""
    days = ctx.sizes.big_days
    label = people_days(people, days)
    baseline = memory_mb("VmRSS")
    scenario = sized(ctx.scenario, people, days)
    walls, startups = [], []
    for i in range(ctx.repeats):
        progress = Progress(f"{name} #{i + 1}", days, "days")
        startup, simulation = timed_run(scenario, ctx.seed, on_day=progress)
        startups.append(startup)
        walls.append(startup + simulation)
    wall = median(walls)
    common = {"people": people, "days": days, "runs": 1}
    return [
        measured(
            name,
            label,
            "wall",
            wall,
            "s",
            ctx.repeats,
            Target(60.0, True, "≤ 60 s") if target else None,
            ctx.quick,
            detail=f"start-up {median(startups):.2f} s; {1e3 * (wall - median(startups)) / days:.1f} ms/day",
            **common,
        ),
        measured(
            name,
            label,
            "peak memory",
            memory_mb(),
            "MB",
            ctx.repeats,
            Target(2000.0, True, "≤ 2 GB") if target else None,
            ctx.quick,
            detail=f"whole process; {baseline:.0f} MB after imports",
            **common,
        ),
    ]


def case_large(ctx: Context) -> list[Row]:
    """10^5 people × 260 days (no target of its own)."""
    return case_people(ctx, "people-1e5", ctx.sizes.large_people, target=False)


def case_huge(ctx: Context) -> list[Row]:
    """10^6 people × 260 days: ≤ 60 s wall, ≤ 2 GB peak memory."""
    return case_people(ctx, "people-1e6", ctx.sizes.huge_people, target=True)


def _worker_ready(_: int) -> int:
    time.sleep(0.2)  # long enough that each worker process takes one of these
    return os.getpid()


def _warm_worker() -> None:
    import leadsim  # noqa: F401  (the import is the warm-up)


def sweep_chunk(scenario: dict[str, Any], seeds: list[int]) -> list[dict[str, Any]]:
    """One worker's share of a sweep: a batch of replications, summaries only."""
    from leadsim import run_batch, validate_scenario

    results = run_batch(validate_scenario(scenario, "sweep scenario"), seeds, keep_steps=False)
    return [r.summary_row() for r in results]


def case_sweep(ctx: Context) -> list[Row]:
    """2,000 runs × 50 people × 260 days in run_batch chunks over 2 worker processes."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    s = ctx.sizes
    data = sized(ctx.scenario, s.sweep_people, s.sweep_days).model_dump(mode="json")
    seeds = list(range(s.sweep_runs))
    chunks = [seeds[i : i + s.sweep_chunk] for i in range(0, len(seeds), s.sweep_chunk)]
    label = people_days(s.sweep_people, s.sweep_days, s.sweep_runs)
    walls, startups = [], []
    for i in range(ctx.repeats):
        progress = Progress(f"sweep #{i + 1}", len(chunks), "chunks")
        start = time.perf_counter()
        with ProcessPoolExecutor(
            SWEEP_WORKERS, mp_context=multiprocessing.get_context("spawn"), initializer=_warm_worker
        ) as pool:
            list(pool.map(_worker_ready, range(SWEEP_WORKERS)))
            ready = time.perf_counter()
            futures = [pool.submit(sweep_chunk, data, chunk) for chunk in chunks]
            done = 0
            for finished, future in enumerate(as_completed(futures), 1):
                done += len(future.result())
                progress(finished)
        if done != s.sweep_runs:
            raise RuntimeError(f"the sweep returned {done} runs, expected {s.sweep_runs}")
        walls.append(time.perf_counter() - start)
        startups.append(ready - start)
    wall, startup = median(walls), median(startups)
    common = {"people": s.sweep_people, "days": s.sweep_days, "runs": s.sweep_runs}
    return [
        measured(
            "sweep",
            label,
            "wall",
            wall,
            "s",
            ctx.repeats,
            Target(10.0, True, "≤ 10 s"),
            ctx.quick,
            detail=f"{SWEEP_WORKERS} workers (spawn), start-up {startup:.2f} s, "
            f"{s.sweep_runs / (wall - startup):,.0f} runs/s, "
            f"run_batch chunks of {s.sweep_chunk}",
            **common,
        ),
        measured(
            "sweep",
            label,
            "peak memory",
            children_peak_mb(),
            "MB",
            ctx.repeats,
            detail="largest worker process",
            **common,
        ),
    ]


def case_reference(ctx: Context) -> list[Row]:
    """Vectorised engine vs the per-agent reference, day by day side by side in this process."""
    s = ctx.sizes
    label = f"{s.reference_people:,} people, vectorised vs per-agent"
    common = {"people": s.reference_people, "days": s.reference_days, "runs": 1}
    target = Target(100.0, False, "≥ 100×")
    time_per_day = reference_timer()
    if time_per_day is None:
        return [
            measured(
                "reference",
                label,
                "speed ratio",
                math.nan,
                "×",
                0,
                target,
                True,
                detail="reference not available (no leadsim.reference yet)",
                **common,
            )
        ]
    calm = {**ctx.scenario, "shocks": []}
    times = time_per_day(s.reference_people, s.reference_days, ctx.seed, calm)
    return [
        measured(
            "reference",
            label,
            "speed ratio",
            times.reference / times.engine,
            "×",
            s.reference_days,
            target,
            ctx.quick,
            detail=f"median per day {1e3 * times.reference:.1f} ms per-agent vs "
            f"{1e3 * times.engine:.2f} ms vectorised, {s.reference_days} days alternating",
            **common,
        ),
    ]


def _scaling(ctx: Context, name: str, points: Sequence[tuple[int, int]], axis: int) -> list[Row]:
    """Median simulation time at each (people, days) point, and the fitted exponent on one axis."""
    progress = Progress(name, len(points), "sizes")
    seconds = []
    for done, (people, days) in enumerate(points, 1):
        scenario = sized(ctx.scenario, people, days, shocks=False)
        seconds.append(median(timed_run(scenario, ctx.seed)[1] for _ in range(ctx.repeats)))
        progress(done)
    sizes = [point[axis] for point in points]
    exponent = scaling_exponent(sizes, seconds)
    what = "people" if axis == 0 else "days"
    fixed = points[0][1 - axis]
    label = f"{sizes[0]:,}–{sizes[-1]:,} {what} at {fixed:,} {'days' if axis == 0 else 'people'}"
    times = "; ".join(f"{size:,}: {sec:.3g} s" for size, sec in zip(sizes, seconds, strict=True))
    return [
        measured(
            name,
            label,
            f"exponent in {what}",
            exponent,
            "",
            ctx.repeats,
            Target(LINEAR_EXPONENT_MAX, True, f"≈ 1 (≤ {LINEAR_EXPONENT_MAX})"),
            ctx.quick,
            detail=times,
            people=points[-1][0],
            days=points[-1][1],
            runs=1,
        ),
    ]


def case_scaling_people(ctx: Context) -> list[Row]:
    """Measure the cost exponent in people, at a fixed horizon."""
    s = ctx.sizes
    points = [(n, s.scaling_people_days) for n in s.scaling_people]
    return _scaling(ctx, "scaling-people", points, 0)


def case_scaling_days(ctx: Context) -> list[Row]:
    """Measure the cost exponent in days, at a fixed organisation size."""
    s = ctx.sizes
    return _scaling(ctx, "scaling-days", [(s.scaling_days_people, d) for d in s.scaling_days], 1)


@dataclass(frozen=True)
class Case:
    """A benchmark case: its name, what it measures, how often by default, and its function."""

    name: str
    title: str
    cheap: bool
    measure: Callable[[Context], list[Row]]


CASES: tuple[Case, ...] = (
    Case("startup", "start-up of the leadsim command", True, case_startup),
    Case("single", "50 people × 260 days, one run", True, case_single),
    Case("reference", "vectorised vs per-agent reference at 1,000 people", True, case_reference),
    Case("scaling-people", "cost exponent in people", True, case_scaling_people),
    Case("scaling-days", "cost exponent in days", True, case_scaling_days),
    Case("sweep", "2,000 runs × 50 people × 260 days on 2 cores", False, case_sweep),
    Case("people-1e5", "10^5 people × 260 days", False, case_large),
    Case("people-1e6", "10^6 people × 260 days", False, case_huge),
)
CASE_NAMES = tuple(case.name for case in CASES)
CHEAP_REPEATS, BIG_REPEATS = 5, 1  # defaults; ``--quick`` uses 2 and 1
SCALING_REPEATS = 3


def default_repeats(case: Case, quick: bool) -> int:
    """Repetitions of a case when ``--repeat`` is not given."""
    if not case.cheap:
        return BIG_REPEATS
    if quick:
        return 2 if case.name == "single" else 1
    return SCALING_REPEATS if case.name.startswith("scaling") else CHEAP_REPEATS


CHILD_CODE = """\
import sys, time
start = time.perf_counter()
import leadsim, leadsim.core
imported = time.perf_counter() - start
from leadsim.bench import child_main
sys.exit(child_main(sys.argv[1], imported))
"""


def child_main(spec_json: str, import_seconds: float) -> int:
    """Run one case in this (fresh) process and print its rows as one JSON line on stdout."""
    spec = json.loads(spec_json)
    sizes = Sizes(**{k: tuple(v) if isinstance(v, list) else v for k, v in spec["sizes"].items()})
    scenario = base_scenario(spec["scenario"])
    ctx = Context(scenario, sizes, spec["repeats"], spec["quick"], import_seconds)
    case = next(c for c in CASES if c.name == spec["case"])
    cpu, wall = cpu_seconds(), time.perf_counter()
    rows = case.measure(ctx)
    share = (cpu_seconds() - cpu) / (time.perf_counter() - wall)
    contention = f"CPU/wall {share:.2f}"  # below 1 (2 for the sweep): others shared the cores
    rows = [replace(row, detail="; ".join(filter(None, (row.detail, contention)))) for row in rows]
    print(json.dumps([asdict(row) for row in rows]))
    return 0


def cpu_seconds() -> float:
    """Return CPU seconds used by this process and its finished children (user + system)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


# ---------------------------------------------------------------- the parent: run, table, CSV


def base_scenario(path: str | Path) -> dict[str, Any]:
    """Load the scenario every case is sized from, as plain data."""
    from leadsim import load_scenario

    return load_scenario(path).model_dump(mode="json")


def run_case(case: Case, scenario: Path, sizes: Sizes, repeats: int, quick: bool) -> list[Row]:
    """Run one case in a fresh interpreter; its progress goes to our stderr."""
    spec = {
        "case": case.name,
        "scenario": str(scenario),
        "sizes": asdict(sizes),
        "repeats": repeats,
        "quick": quick,
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD_CODE, json.dumps(spec)],
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"benchmark case '{case.name}' failed with exit code {done.returncode}")
    return [Row(**row) for row in json.loads(lines[-1])]


def run_bench(
    *,
    quick: bool = False,
    only: Sequence[str] | None = None,
    repeat: int | None = None,
    scenario: str | Path | None = None,
) -> tuple[list[Row], list[str]]:
    """Run the chosen cases (all by default), each in a fresh process.

    Args:
        quick: small sizes, for a smoke test (targets are then not judged).
        only: names from :data:`CASE_NAMES`; default all.
        repeat: repetitions per case; default 5 for cheap cases (3 for scaling points), 1 for big.
        scenario: the scenario file (or bundled name) to size from; default ``default``.

    Returns:
        The rows measured, and the names of cases that failed to run.

    """
    sizes = QUICK if quick else FULL
    from leadsim.bundled import resolve_scenario

    path = resolve_scenario(scenario or "default").resolve()
    base_scenario(path)  # a bad file is one clear error here, before any case starts
    rows: list[Row] = []
    failed: list[str] = []
    for case in CASES:
        if only and case.name not in only:
            continue
        repeats = repeat or default_repeats(case, quick)
        times = "repetition" if repeats == 1 else "repetitions"
        title = "quick sizes" if quick else case.title
        print(f"bench: {case.name} — {title} ({repeats} {times})", file=sys.stderr, flush=True)
        try:
            rows.extend(run_case(case, path, sizes, repeats, quick))
        except RuntimeError as exc:
            print(f"bench: {exc}", file=sys.stderr, flush=True)
            failed.append(case.name)
    return rows, failed


def machine_info() -> dict[str, str]:
    """Describe the machine: CPU, cores, memory, OS, versions, date and the 1-minute load."""
    import numpy as np

    from leadsim import __version__

    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        total_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        )
        memory = f"{total_kb / 2**20:.0f} GiB"
    except (OSError, StopIteration):
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    return {
        "cpu": cpu,
        "cores": str(usable),
        "memory": memory,
        "os": platform.platform(terse=True),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "leadsim": __version__,
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "load": load,
    }


def machine_line(machine: dict[str, str]) -> str:
    """Describe the machine in one line, for the table's caption."""
    return (
        f"{machine['cpu']}, {machine['cores']} cores, {machine['memory']} RAM, {machine['os']}; "
        f"Python {machine['python']}, numpy {machine['numpy']}, leadsim {machine['leadsim']}; "
        f"{machine['date']}; load average {machine['load'] or '?'} at the end"
    )


def format_value(value: float, unit: str) -> str:
    """Format a value with its unit, e.g. '12.3 ms', '1,234 MB', '150×', '1.02'."""
    if not math.isfinite(value):
        return "—"
    if unit == "MB":
        return f"{value:,.0f} MB"
    if unit == "×":
        return f"{value:,.0f}×" if value >= 10 else f"{value:.1f}×"
    if unit == "":
        return f"{value:.2f}"
    return f"{value:,.3g} {unit}" if value < 100 else f"{value:,.0f} {unit}"


def verdict(passed: bool | None) -> str:
    """Fill the pass column: 'pass', 'FAIL' or '—' (no target, or not judged)."""
    return "—" if passed is None else ("pass" if passed else "FAIL")


def format_table(rows: Sequence[Row], machine: dict[str, str]) -> str:
    """Format the table as Markdown (printable, and pasteable into the README)."""
    lines = [
        f"Machine: {machine_line(machine)}",
        "",
        "| Case | Measure | Value | Target | Pass | Notes |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        repeats = f"median of {row.repeats}" if row.repeats > 1 else ""
        notes = "; ".join(part for part in (row.detail, repeats) if part)
        lines.append(
            f"| {row.label} | {row.quantity} | {format_value(row.value, row.unit)} "
            f"| {row.target or '—'} | {verdict(row.passed)} | {notes} |"
        )
    return "\n".join(lines)


def write_csv(rows: Sequence[Row], machine: dict[str, str], path: str | Path) -> Path:
    """One line per row, the machine repeated in every line (each line stands alone)."""
    path = Path(path)
    columns = [f.name for f in fields(Row)] + list(machine)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            record = asdict(row)
            record["value"] = "" if not math.isfinite(row.value) else row.value
            record["passed"] = "" if row.passed is None else row.passed
            writer.writerow({**record, **machine})
    return path
