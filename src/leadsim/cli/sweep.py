"""``leadsim sweep``: run an experiment's design points × replications, locally or on Dask."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from leadsim.cli.main import command_help
from leadsim.sweeps import load_plan, read_experiment, run_sweep

DESCRIPTION = """\
Run every design point × replication of an experiment (experiments/*.yaml), each with its own
seed spawned from the experiment's root seed. Writes into --out:
  manifest.json  design, seeds, version, scenario hashes
  runs/          Parquet dataset, one row per run (factors, outputs, provenance, error)
  steps/         Parquet dataset of per-day series (when the experiment keeps any)
  errors.csv     the runs that raised, if any
Results are the same for any --workers and on Dask. An interrupted sweep loses no finished run:
run the same command with --resume to run only what is missing.
"""
EPILOG = """\
examples:
  leadsim sweep experiments/founder_bottleneck.yaml --out out/sweeps/founder_bottleneck
  leadsim sweep experiments/quick.yaml --workers 2
  leadsim sweep experiments/founder_bottleneck.yaml --resume
  leadsim sweep experiments/shock_resilience.yaml --scheduler tcp://10.0.0.5:8786

read the results:  pandas.read_parquet("out/sweeps/founder_bottleneck/runs")
"""
DEFAULT_ROOT = Path("out/sweeps")


def add_backend_arguments(parser: argparse.ArgumentParser) -> None:
    """--out, --workers, --scheduler, --connect-timeout, --quiet (shared with sensitivity)."""
    parser.add_argument("experiment", help="an experiment YAML file")
    parser.add_argument("--out", type=Path, help=f"output folder (default {DEFAULT_ROOT}/NAME)")
    parser.add_argument(
        "--workers", type=int, help="local worker processes (default: the cores; 1 = this process)"
    )
    parser.add_argument(
        "--scheduler", metavar="tcp://HOST:PORT", help="run on an existing Dask distributed cluster instead"
    )
    parser.add_argument(
        "--connect-timeout",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="how long to wait for the Dask scheduler (default 5)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def out_folder(args: argparse.Namespace) -> Path:
    """--out, or out/sweeps/<experiment name>."""
    if args.out is not None:
        return args.out
    experiment, _ = read_experiment(args.experiment)
    return DEFAULT_ROOT / experiment.name


def register(subparsers: Any) -> None:
    """Add the ``sweep`` command."""
    parser = subparsers.add_parser(
        "sweep",
        help=command_help("sweep"),
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_backend_arguments(parser)
    parser.add_argument(
        "--resume", action="store_true", help="finish the sweep in --out, running only what is missing"
    )
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Plan, run, and print one line on what was done."""
    plan = load_plan(args.experiment)
    report = run_sweep(
        plan,
        out_folder(args),
        workers=args.workers,
        scheduler=args.scheduler,
        resume=args.resume,
        progress=not args.quiet,
        connect_timeout=args.connect_timeout,
    )
    print(report.line())
    return 0
