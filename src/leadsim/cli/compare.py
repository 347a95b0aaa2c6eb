"""``leadsim compare``: paired comparison of leadership structures for a company profile."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from leadsim.bundled import resolve_profile
from leadsim.cli.main import UsageError, command_help
from leadsim.cli.run import parse_overrides
from leadsim.compare import (
    DEFAULT_GRID_REPS,
    DEFAULT_REPS,
    DEFAULT_SIZES,
    DEFAULT_TURBULENCE,
    StructureError,
    TooFewReplications,
    compare,
)
from leadsim.compare.narrative import summary_sentences
from leadsim.compare.report import display_table, markdown_table
from leadsim.compare.structures import known_names

EPILOG = f"""\
structures: {", ".join(known_names())},
  or a mix of styles by level, owner first: autocratic/distributed

examples:
  leadsim compare default
  leadsim compare scenarios/profiles/default.yaml --reps 60 --out out/compare
  leadsim compare my_firm.yaml --structures centralised,distributed,servant --reps 60
  leadsim compare my_firm.yaml --structures centralised,autocratic/distributed --no-flip
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``compare`` command."""
    parser = subparsers.add_parser(
        "compare",
        help=command_help("compare"),
        description="Run paired replications of a company profile under each structure (same "
        "seeds, same shocks) and write a report: means with 95 % intervals, paired differences, "
        "effect sizes, P(better), time series, resilience and where the answer flips.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "profile", help="company profile: a scenario YAML, or a bundled profile's name (default)"
    )
    parser.add_argument(
        "--structures",
        default="centralised,distributed",
        help="comma-separated, the first is the baseline (default: %(default)s)",
    )
    parser.add_argument(
        "--reps",
        type=int,
        default=DEFAULT_REPS,
        help="paired runs per structure, at least 3 (default: %(default)s)",
    )
    parser.add_argument("--out", type=Path, default=None, help="report folder (default: out/compare-PROFILE)")
    parser.add_argument(
        "--seed", type=int, default=None, help="first seed; run i uses seed+i (default: the profile's seed)"
    )
    parser.add_argument("--days", type=int, default=None, help="another horizon (working days)")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="override a profile field, e.g. --set org.size=120 (repeatable)",
    )
    parser.add_argument("--no-flip", action="store_true", help="skip the where-does-the-answer-flip grid")
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="company sizes of the flip grid (default: %(default)s)",
    )
    parser.add_argument(
        "--turbulence",
        default=",".join(f"{t:g}" for t in DEFAULT_TURBULENCE),
        help="market turbulence levels of the flip grid (default: %(default)s)",
    )
    parser.add_argument(
        "--grid-reps",
        type=int,
        default=DEFAULT_GRID_REPS,
        help="paired runs per flip-grid cell, at least 3 (default: %(default)s)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress messages")
    parser.set_defaults(func=run_compare)


def _numbers(text: str, kind: type, option: str) -> list:
    try:
        values = [kind(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise UsageError(f"{option}: expected comma-separated numbers, got '{text}'") from None
    if not values:
        raise UsageError(f"{option}: give at least one value")
    return values


def run_compare(args: argparse.Namespace) -> int:
    """Run the comparison, write the report, print the headline."""
    sizes = _numbers(args.sizes, int, "--sizes")
    turbulence = _numbers(args.turbulence, float, "--turbulence")
    progress = None if args.quiet else (lambda message: print(message, file=sys.stderr))
    try:
        result = compare(
            resolve_profile(args.profile),
            args.structures,
            args.reps,
            seed=args.seed,
            days=args.days,
            overrides=parse_overrides(args.set),
            flip=not args.no_flip,
            sizes=sizes,
            turbulence=turbulence,
            grid_reps=args.grid_reps,
            progress=progress,
        )
    except (StructureError, TooFewReplications) as exc:
        raise UsageError(str(exc)) from None
    out = args.out or Path("out") / f"compare-{Path(args.profile).stem}"
    paths = result.write(out)
    for sentence in summary_sentences(result):
        print(sentence)
    for challenger in result.structures[1:]:
        print()
        print(markdown_table(display_table(result, challenger.name)))
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"\nreport: {paths['report.html']}")
    return 0
