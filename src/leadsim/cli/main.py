"""The ``leadsim`` command: one subcommand per module in :mod:`leadsim.cli`."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# Each module defines ``register(subparsers)``; the parser it adds sets ``func(args) -> int``. Only
# the command being run is imported (they load numpy, pandas, Mesa, ...): the others get a stub
# parser with their one-line help, so `leadsim --help` starts in a fraction of a second.
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("leadsim.cli.run", "run one scenario and write its outputs"),
    "scenarios": ("leadsim.cli.scenarios", "list the bundled scenarios"),
    "params": (
        "leadsim.cli.params",
        "list every scenario field and style parameter with default and meaning",
    ),
    "demo": ("leadsim.cli.demo", "start the classroom web page"),
    "bench": ("leadsim.cli.bench", "time the engine at several scales (the benchmark table)"),
    "compare": (
        "leadsim.cli.compare",
        "which leadership structure suits a firm: calibrated, in days, people and money",
    ),
    "calibrate": ("leadsim.cli.calibrate", "fit the model to a firm's observed figures (posterior, fit)"),
    "sweep": ("leadsim.cli.sweep", "run a parameter sweep (designs, replications; local or Dask)"),
    "sensitivity": ("leadsim.cli.sensitivity", "Sobol or Morris sensitivity indices of an experiment"),
    "plot": ("leadsim.cli.plot", "standard figures of a sweep"),
    "completion": ("leadsim.cli.completion", "print a shell completion script (bash)"),
}

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


class _VersionAction(argparse.Action):
    """``--version``, looked up only when asked for (the lookup costs tens of milliseconds)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from leadsim import __version__

        parser.exit(message=f"leadsim {__version__}\n")


class UsageError(Exception):
    """Bad input from the user: reported as one line on stderr with exit code 2."""


def command_help(name: str) -> str:
    """The one-line help of a command (shown by `leadsim --help`)."""
    return COMMANDS[name][1]


def _chosen(argv: list[str]) -> str | None:
    """The command named on the command line: the first word that is not an option."""
    return next((word for word in argv if not word.startswith("-")), None)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The top-level parser: the chosen command in full, the others as one-line stubs.

    Args:
        argv: the arguments to be parsed; None registers every command in full (slow: for
            documentation and tests that look at every command).
    """
    parser = argparse.ArgumentParser(
        prog="leadsim",
        description="Agent-based simulator of leadership in small and medium businesses: "
        "decision latency, engagement and resilience under market shocks.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_VersionAction, help="show leadsim's version and exit")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    chosen = None if argv is None else _chosen(argv)
    for name, (module_name, help_text) in COMMANDS.items():
        if argv is None or name == chosen:
            importlib.import_module(module_name).register(subparsers)
        else:
            subparsers.add_parser(name, help=help_text, add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point: parse, dispatch, and turn bad input into one line with exit code 2."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    # imported here, not at the top: `leadsim --help` never needs them
    from leadsim.extras import MissingExtra
    from leadsim.scenario.loader import ScenarioError

    try:
        return int(args.func(args) or 0)
    except (ScenarioError, UsageError, MissingExtra) as exc:
        print(f"leadsim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("leadsim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `leadsim scenarios | head`: the reader has gone, which is no error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
