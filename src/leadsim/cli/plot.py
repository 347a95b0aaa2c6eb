"""``leadsim plot``: the standard figures of a sweep."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from leadsim.cli.main import UsageError, command_help
from leadsim.sweeps.design import PlotSpec
from leadsim.sweeps.figures import DEFAULT_DPI, FORMATS, sweep_figures

DESCRIPTION = """\
Figures from a sweep folder: an output against a factor, the mean over replications with its 95 %
confidence band, one line per level of another factor (usually the leadership style). Without
--y/--x, draws the experiment's 'plots' (or each standard output against the first numeric
factor). Axes are labelled with the scenario schema's field descriptions. Writes PNG (or SVG,
PDF) files into DIR/figures (or --to).
"""
EPILOG = """\
examples:
  leadsim plot out/sweeps/founder_bottleneck
  leadsim plot out/sweeps/founder_bottleneck --y latency_p95 --x org.size --by leadership.style --logx
  leadsim plot out/sweeps/shock_resilience --to docs/figures
  leadsim plot out/sweeps/founder_bottleneck --format pdf          (for a paper)
  leadsim plot out/sweeps/founder_bottleneck --format png --dpi 300
"""


def register(subparsers: Any) -> None:
    """Add the ``plot`` command."""
    parser = subparsers.add_parser(
        "plot",
        help=command_help("plot"),
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("dir", type=Path, help="a sweep's output folder")
    parser.add_argument("--y", help="the output on the vertical axis (e.g. latency_mean)")
    parser.add_argument("--x", help="the factor on the horizontal axis (e.g. org.size)")
    parser.add_argument("--by", help="one line per level of this factor (e.g. leadership.style)")
    parser.add_argument("--facet", help="one panel per level of this factor")
    parser.add_argument("--logx", action="store_true", help="logarithmic horizontal axis")
    parser.add_argument("--to", type=Path, help="folder for the figures (default DIR/figures)")
    parser.add_argument(
        "--format", dest="fmt", choices=FORMATS, default="png", help="file format (default: png)"
    )
    parser.add_argument(
        "--dpi", type=int, default=DEFAULT_DPI, help=f"resolution of PNG figures (default: {DEFAULT_DPI})"
    )
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Draw and list the figures written."""
    specs = None
    if args.y or args.x:
        if not (args.y and args.x):
            raise UsageError("plot: give both --y and --x (or neither, for the standard figures)")
        specs = [PlotSpec(y=args.y, x=args.x, by=args.by, facet=args.facet, logx=args.logx)]
    for path in sweep_figures(args.dir, args.to, specs, fmt=args.fmt, dpi=args.dpi):
        print(path)
    return 0
