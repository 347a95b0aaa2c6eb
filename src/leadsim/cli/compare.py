"""``leadsim compare``: which leadership structure suits a firm, calibrated to its figures."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from leadsim.bundled import resolve_profile
from leadsim.cli.main import UsageError, command_help
from leadsim.cli.run import parse_overrides
from leadsim.compare import (
    DEFAULT_DRAWS,
    DEFAULT_GRID_REPS,
    DEFAULT_REPS,
    DEFAULT_SIZES,
    DEFAULT_TURBULENCE,
    StructureError,
    TooFewReplications,
    compare,
)
from leadsim.compare.calibrate import CalibrationError
from leadsim.compare.structures import known_names

EPILOG = f"""\
structures: {", ".join(known_names())},
  or a mix of styles by level, owner first: autocratic/distributed
  The first is the status quo (default: the profile's observed.structure, then distributed).

examples:
  leadsim compare default
  leadsim compare agency --switch-day 60 --out out/agency
  leadsim compare my_firm.yaml --structures centralised,distributed,servant,owner_led_teams
  leadsim compare my_firm.yaml --transition-cost 40000 --transition-days 90 --learning-dip 0.15
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``compare`` command."""
    parser = subparsers.add_parser(
        "compare",
        help=command_help("compare"),
        description="Calibrate the profile to the firm's observed figures, run every structure on "
        "plausible versions of the firm (paired seeds within each), and write a report: the "
        "answer on one screen, the switch's cash path and break-even, the assumptions that would "
        "flip the answer, a statistical appendix; also PDF, CSV and Markdown.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "profile", help="company profile: a YAML file, or a bundled profile's name (default, agency)"
    )
    parser.add_argument(
        "--structures", default=None, help="comma-separated, the first is the status quo (see below)"
    )
    parser.add_argument(
        "--draws",
        type=int,
        default=DEFAULT_DRAWS,
        help="plausible versions of the firm (default: %(default)s)",
    )
    parser.add_argument(
        "--reps", type=int, default=DEFAULT_REPS, help="paired runs per version (default: %(default)s)"
    )
    parser.add_argument("--samples", type=int, default=None, help="calibration points per wave")
    parser.add_argument("--switch-day", type=int, default=0, help="working day of the switch (default 0)")
    parser.add_argument("--transition-cost", type=float, default=None, help="one-off cost of the switch")
    parser.add_argument("--transition-days", type=int, default=None, help="working days of learning")
    parser.add_argument(
        "--learning-dip", type=float, default=None, help="share of output lost while learning"
    )
    parser.add_argument("--out", type=Path, default=None, help="report folder (default: out/compare-PROFILE)")
    parser.add_argument("--seed", type=int, default=None, help="first seed (default: the profile's seed)")
    parser.add_argument("--days", type=int, default=None, help="another horizon (default three years)")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="override a profile field, e.g. --set org.size=120 (repeatable)",
    )
    parser.add_argument(
        "--pdf",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="print report.pdf with Chromium (default: when chromium is installed)",
    )
    parser.add_argument("--flip", action="store_true", help="also run the size × turbulence grid")
    parser.add_argument(
        "--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="company sizes of the grid (%(default)s)"
    )
    parser.add_argument(
        "--turbulence",
        default=",".join(f"{t:g}" for t in DEFAULT_TURBULENCE),
        help="turbulence levels of the grid (%(default)s)",
    )
    parser.add_argument(
        "--grid-reps", type=int, default=DEFAULT_GRID_REPS, help="paired runs per grid cell (%(default)s)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars or messages")
    parser.set_defaults(func=run_compare)


def _numbers(text: str, kind: type, option: str) -> list:
    try:
        values = [kind(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise UsageError(f"{option}: expected comma-separated numbers, got '{text}'") from None
    if not values:
        raise UsageError(f"{option}: give at least one value")
    return values


def _transition(args: argparse.Namespace) -> dict | None:
    given = {
        "cost": args.transition_cost,
        "duration_days": args.transition_days,
        "learning_dip": args.learning_dip,
    }
    if all(v is None for v in given.values()):
        return None
    if args.learning_dip is not None and not 0 <= args.learning_dip <= 1:
        raise UsageError("--learning-dip: a share between 0 and 1")
    if (args.transition_cost or 0) < 0 or (args.transition_days or 0) < 0:
        raise UsageError("--transition-cost and --transition-days cannot be negative")
    return given


def run_compare(args: argparse.Namespace) -> int:
    """Calibrate, compare, write the report, print the answer."""
    from leadsim.compare.narrative import ceo_table, main_caveat, recommendation, three_numbers
    from leadsim.compare.profile import load_firm
    from leadsim.compare.report import markdown_table

    if args.samples is not None and args.samples < 8:
        raise UsageError("--samples: at least 8 calibration points per wave")
    flip_sizes = _numbers(args.sizes, int, "--sizes")
    flip_turbulence = _numbers(args.turbulence, float, "--turbulence")
    pdf = args.pdf
    if pdf and shutil.which("chromium") is None:
        raise UsageError("--pdf needs Debian chromium (make browser-deps, or apt-get install chromium)")
    if pdf is None:
        pdf = shutil.which("chromium") is not None
    progress = None if args.quiet else (lambda message: print(message, file=sys.stderr))
    firm = load_firm(resolve_profile(args.profile), parse_overrides(args.set))
    change = _transition(args)
    if change is not None:
        base = firm.transition
        change = {
            "cost": {"transition": change["cost"]} if change["cost"] is not None else base.cost,
            "duration_days": base.duration_days
            if change["duration_days"] is None
            else change["duration_days"],
            "learning_dip": base.learning_dip if change["learning_dip"] is None else change["learning_dip"],
        }
    try:
        result = compare(
            firm,
            args.structures,
            args.reps,
            draws=args.draws,
            samples=args.samples,
            seed=args.seed,
            days=args.days,
            switch_day=args.switch_day,
            transition=change,
            flip=args.flip,
            sizes=flip_sizes,
            turbulence=flip_turbulence,
            grid_reps=args.grid_reps,
            progress=progress,
            bars=not args.quiet,
        )
    except (StructureError, TooFewReplications, CalibrationError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    out = args.out or Path("out") / f"compare-{Path(args.profile).stem}"
    paths = result.write(out, pdf=pdf)
    print(recommendation(result))
    for title, big, text in three_numbers(result):
        print(f"  {title}: {big} — {text}")
    print(f"Main caveat: {main_caveat(result)}\n")
    print(markdown_table(ceo_table(result)))
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(
        f"\nreport: {paths['report.html']}" + (f" and {paths['report.pdf']}" if "report.pdf" in paths else "")
    )
    return 0
