"""``leadsim params``: every scenario field and style parameter with its default and meaning."""

from __future__ import annotations

import argparse
import json
from typing import Any

from leadsim.cli.main import UsageError, command_help
from leadsim.paramdoc import field_rows, style_table_markdown


def register(subparsers: Any) -> None:
    """Add the ``params`` command."""
    parser = subparsers.add_parser(
        "params",
        help=command_help("params"),
        description="Every field a scenario file (or --set) accepts, with its default and meaning, "
        "then the default parameters of each leadership style.",
    )
    parser.add_argument(
        "filter", nargs="?", default="", help="show only fields containing this text (e.g. org, shocks)"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON object: fields and styles")
    parser.set_defaults(func=show_params)


def show_params(args: argparse.Namespace) -> int:
    """Print the fields (optionally filtered) and the style table; exit 2 when nothing matches."""
    every = field_rows()
    rows = [row for row in every if args.filter in row[0]]
    with_styles = not args.filter or "leadership" in args.filter or "params" in args.filter
    if not rows and not with_styles:
        sections = sorted({name.split(".")[0] for name, _, _ in every})
        raise UsageError(
            f"params: no field contains '{args.filter}'; allowed: part of a field name, "
            f"e.g. one of {', '.join(sections)}"
        )
    if args.json:
        record: dict[str, Any] = {
            "fields": [{"name": n, "default": d, "meaning": m} for n, d, m in rows],
        }
        if with_styles:
            record["styles"] = _style_defaults()
        print(json.dumps(record, indent=2))
        return 0
    width = max((len(name) for name, _, _ in rows), default=10)
    for name, default, meaning in rows:
        print(f"{name:<{width}}  {default:<14}  {meaning}")
    if with_styles:
        print("\nleadership.params.<style>.<parameter> defaults:\n")
        print(style_table_markdown())
    return 0


def _style_defaults() -> dict[str, Any]:
    """Each style's default parameters, and what each parameter means."""
    from leadsim.core.styles import DEFAULTS, PARAMS, STYLES
    from leadsim.scenario.schema import StyleParams

    return {
        "defaults": {style: {p: DEFAULTS[style][p] for p in PARAMS} for style in STYLES},
        "meanings": {p: StyleParams.model_fields[p].description or "" for p in PARAMS},
    }
