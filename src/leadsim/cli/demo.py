"""``leadsim demo``: the classroom web page on localhost."""

from __future__ import annotations

import argparse
import os
import socket
import sys
import warnings
from typing import Any

import leadsim
from leadsim.cli.main import UsageError, command_help
from leadsim.demo.classroom import DEFAULT_SCENARIO, SCENARIO_ENV, load_choice
from leadsim.extras import import_extra

DESCRIPTION = """\
Start the classroom demo: a web page on this machine where you pick a scenario, read its story,
play the firm day by day, switch the leadership style, fire shocks, and compare two styles side
by side. Open the printed address in a browser; stop with Ctrl+C.
"""


def register(subparsers: Any) -> None:
    """Add the ``demo`` command."""
    parser = subparsers.add_parser(
        "demo",
        help=command_help("demo"),
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "scenario",
        nargs="?",
        default=DEFAULT_SCENARIO,
        help="a bundled scenario's name or a scenario file to open first (default: default)",
    )
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any free)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.set_defaults(func=demo_command)


def free_port(host: str, port: int) -> int:
    """``port`` if it can be bound on ``host`` (a free one for 0), else a UsageError."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise UsageError(f"--port {port}: cannot listen on {host}:{port} ({exc.strerror})") from None
        return sock.getsockname()[1]


def demo_command(args: argparse.Namespace) -> int:
    """Check the scenario, pick the port, print the address and serve until interrupted."""
    import_extra("solara", "demo", "leadsim demo")  # before anything is started
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: must be between 0 and 65535")
    try:
        load_choice(args.scenario)
    except leadsim.ScenarioError as exc:
        # The page shows it too, and other scenarios can still be picked there.
        print(f"leadsim demo: error: {exc}", file=sys.stderr)
    port = free_port(args.host, args.port)
    os.environ[SCENARIO_ENV] = args.scenario
    print(f"leadsim demo: open http://{args.host}:{port}/ in a browser (Ctrl+C stops)", flush=True)
    from solara.__main__ import run as solara_run  # imported late: it loads the whole server

    # Served over plain http on localhost, the session cookie falls back to samesite=lax, which is
    # right here; Solara would warn about it on every page load and clutter the trainer's terminal.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")

    solara_run.main(
        [
            "leadsim.demo.app",
            "--host",
            args.host,
            "--port",
            str(port),
            "--production",
            "--no-open",
            "--log-level",
            "warning",
        ],
        prog_name="leadsim demo",
        standalone_mode=False,
    )
    return 0
