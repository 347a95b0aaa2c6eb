"""The ``leadsim`` command: one subcommand per module in :mod:`leadsim.cli`."""

from __future__ import annotations

import argparse
import importlib
import sys

from leadsim import __version__

# Each module defines ``register(subparsers)``; the parser it adds sets ``func(args) -> int``.
COMMAND_MODULES = (
    "leadsim.cli.run",
    "leadsim.cli.scenarios",
    "leadsim.cli.params",
    "leadsim.cli.demo",
    "leadsim.cli.bench",
    "leadsim.cli.compare",
    "leadsim.cli.calibrate",
    "leadsim.cli.sweep",
    "leadsim.cli.sensitivity",
    "leadsim.cli.plot",
)

EPILOG = """\
examples:
  leadsim scenarios                                   the bundled scenarios and their stories
  leadsim run default --set leadership.style=autocratic --set org.size=120
  leadsim demo owner_away                             the classroom page on localhost
  leadsim compare default                             centralised vs distributed, with a report
  leadsim sweep experiments/founder_bottleneck.yaml   a parameter sweep (local or Dask)
  leadsim params org                                  every org.* field: default and meaning

`leadsim COMMAND --help` explains each command. The model: docs/ODD.md.
"""


class UsageError(Exception):
    """Bad input from the user: reported as one line on stderr with exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="leadsim",
        description="Agent-based simulator of leadership in small and medium businesses: "
        "decision latency, engagement and resilience under market shocks.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"leadsim {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # a command still being built; the rest keep working
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point: parse, dispatch, and turn bad input into one line with exit code 2."""
    from leadsim.scenario import ScenarioError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except (ScenarioError, UsageError) as exc:
        print(f"leadsim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("leadsim: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
