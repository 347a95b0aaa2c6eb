"""``leadsim params``: every scenario field and style parameter with its default and meaning."""

from __future__ import annotations

import argparse
from typing import Any

from leadsim.paramdoc import field_rows, style_table_markdown


def register(subparsers: Any) -> None:
    """Add the ``params`` command."""
    parser = subparsers.add_parser(
        "params",
        help="list every scenario field and style parameter with default and meaning",
        description="Every field a scenario file (or --set) accepts, with its default and meaning, "
        "then the default parameters of each leadership style.",
    )
    parser.add_argument("filter", nargs="?", default="", help="show only fields containing this text")
    parser.set_defaults(func=show_params)


def show_params(args: argparse.Namespace) -> int:
    """Print the fields (optionally filtered) and the style table."""
    rows = [row for row in field_rows() if args.filter in row[0]]
    width = max((len(name) for name, _, _ in rows), default=10)
    for name, default, meaning in rows:
        print(f"{name:<{width}}  {default:<14}  {meaning}")
    if not args.filter or "leadership" in args.filter or "params" in args.filter:
        print("\nleadership.params.<style>.<parameter> defaults:\n")
        print(style_table_markdown())
    return 0
