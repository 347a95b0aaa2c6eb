"""``leadsim bench``: the benchmark table (docs/performance.md) — printed, and written as CSV."""

from __future__ import annotations

import argparse
import sys

from leadsim.bench import CASE_NAMES, DEFAULT_CSV, format_table, machine_info, run_bench, write_csv
from leadsim.cli.main import UsageError, command_help


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``bench`` subcommand."""
    parser = subparsers.add_parser(
        "bench",
        help=command_help("bench"),
        description="Run the benchmark table (docs/performance.md explains each case): the "
        "command's start-up, 50 people × 260 days, 10^5 and 10^6 people, a 2,000-run sweep on "
        "2 cores, the speed ratio to the per-agent reference and the cost-scaling exponents. "
        "Each case runs in a fresh process; progress goes to stderr, the table (Markdown) to "
        "stdout. The 10^6 case can take minutes.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="small sizes, a smoke test of a few seconds (targets not judged)"
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help=f"run only this case (repeatable); one of: {', '.join(CASE_NAMES)}",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        metavar="N",
        help="repetitions per case, the median is reported "
        "(default: 5 for the single run, 3 per scaling point, 1 for big cases)",
    )
    parser.add_argument(
        "--csv", default=DEFAULT_CSV, metavar="PATH", help=f"where to write the CSV (default: {DEFAULT_CSV})"
    )
    parser.add_argument(
        "--scenario",
        metavar="PATH",
        help="scenario file or bundled name to size every case from (default: default)",
    )
    parser.set_defaults(func=bench)


def bench(args: argparse.Namespace) -> int:
    """Run the benchmark; exit code 1 if a case could not run (missed targets are not errors)."""
    unknown = sorted(set(args.only or ()) - set(CASE_NAMES))
    if unknown:
        raise UsageError(f"--only: no case {', '.join(unknown)}; allowed: {', '.join(CASE_NAMES)}")
    if args.repeat is not None and args.repeat < 1:
        raise UsageError(f"--repeat: {args.repeat} is not allowed; give 1 or more")
    rows, failed = run_bench(quick=args.quick, only=args.only, repeat=args.repeat, scenario=args.scenario)
    machine = machine_info()
    print(format_table(rows, machine))
    path = write_csv(rows, machine, args.csv)
    print(f"\nwritten: {path}", file=sys.stderr)
    if failed:
        print(f"leadsim: error: benchmark cases failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0
