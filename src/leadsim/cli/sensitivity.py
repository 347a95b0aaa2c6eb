"""``leadsim sensitivity``: Sobol or Morris indices of an experiment's outputs (SALib)."""

from __future__ import annotations

import argparse
import sys
import warnings
from typing import Any

from leadsim.cli.main import command_help
from leadsim.cli.sweep import add_backend_arguments, out_folder
from leadsim.sweeps import read_experiment, sensitivity
from leadsim.sweeps.sensitivity import CSV_NAME, FIGURE_NAME, PrecisionWarning, format_table

DESCRIPTION = f"""\
Global sensitivity of an experiment with design: sobol (first, total and second-order indices) or
design: morris (mu*, sigma). Runs whatever part of the sweep is missing in --out first, then
prints the indices with confidence intervals and writes {CSV_NAME} and {FIGURE_NAME} there.
"""
EPILOG = """\
examples:
  leadsim sensitivity experiments/sensitivity.yaml
  leadsim sensitivity experiments/sensitivity.yaml --output latency_mean --output engagement_final
"""


def register(subparsers: Any) -> None:
    """Add the ``sensitivity`` command."""
    parser = subparsers.add_parser(
        "sensitivity",
        help=command_help("sensitivity"),
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_backend_arguments(parser)
    parser.add_argument(
        "--output",
        action="append",
        dest="outputs",
        metavar="NAME",
        help="an output to analyse (repeatable; default the experiment's list)",
    )
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Run what is missing, analyse, print the table."""
    out = out_folder(args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PrecisionWarning)
        table = sensitivity(
            args.experiment,
            out,
            outputs=args.outputs,
            workers=args.workers,
            scheduler=args.scheduler,
            progress=not args.quiet,
            connect_timeout=args.connect_timeout,
        )
    experiment, _ = read_experiment(args.experiment)
    print(format_table(table, experiment.sensitivity.conf_level))
    print(f"\nwritten: {out / CSV_NAME}, {out / FIGURE_NAME}")
    for warning in caught:
        if issubclass(warning.category, PrecisionWarning):
            print(f"warning: {warning.message}", file=sys.stderr)
    return 0
