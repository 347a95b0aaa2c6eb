"""``leadsim calibrate``: fit the uncertain parameters so the status quo reproduces the firm's figures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from leadsim.cli.main import UsageError, command_help

EPILOG = """\
The profile's observed: section states the firm's figures (headcount, turnover_per_year,
decision_wait_days, engagement {mean, scale}, revenue_per_year, payroll_per_year, currency) and
the structure it is led by today. Method: history matching and ABC on SALib Latin hypercubes
(docs/guides/strategists.md).

examples:
  leadsim calibrate default
  leadsim calibrate my_firm.yaml --samples 300 --out out/my_firm-calibration
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``calibrate`` command."""
    parser = subparsers.add_parser(
        "calibrate",
        help=command_help("calibrate"),
        description="Find the settings of the uncertain parameters under which the firm's current "
        "structure reproduces its observed figures; write the posterior sample, the fit (observed "
        "against simulated, with 90 % ranges) and a warning for each figure the model cannot match.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("profile", help="company profile: a YAML file, or a bundled profile's name")
    parser.add_argument("--structure", default=None, help="the status quo (default: observed.structure)")
    parser.add_argument("--samples", type=int, default=None, help="points per wave (default 160)")
    parser.add_argument("--seeds", type=int, default=None, help="runs per point (default 4)")
    parser.add_argument("--seed", type=int, default=None, help="first seed (default: the profile's)")
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE", help="override a field")
    parser.add_argument("--out", type=Path, default=None, help="folder (default: out/calibrate-PROFILE)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=run_calibrate)


def run_calibrate(args: argparse.Namespace) -> int:
    """Calibrate, write the tables, print the fit."""
    from leadsim.bundled import resolve_profile
    from leadsim.cli.run import parse_overrides
    from leadsim.compare.calibrate import CalibrationError, calibrate
    from leadsim.compare.narrative import fit_table, parameter_table
    from leadsim.compare.report import markdown_table
    from leadsim.compare.structures import StructureError

    if args.samples is not None and args.samples < 8:
        raise UsageError("--samples: at least 8 points per wave")
    if args.seeds is not None and args.seeds < 1:
        raise UsageError("--seeds: at least 1")
    try:
        result = calibrate(
            resolve_profile(args.profile),
            structure=args.structure,
            samples=args.samples,
            seeds=args.seeds,
            seed=args.seed,
            overrides=parse_overrides(args.set),
            progress=not args.quiet,
        )
    except (StructureError, CalibrationError) as exc:
        raise UsageError(str(exc)) from None
    out = args.out or Path("out") / f"calibrate-{Path(args.profile).stem}"
    paths = result.write(out)
    if result.calibrated:
        print(markdown_table(fit_table(result)))
        print()
    print(markdown_table(parameter_table(result)))
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"\nposterior: {paths['posterior.csv']}")
    return 0
