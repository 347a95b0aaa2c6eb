"""``leadsim scenarios``: list the bundled scenarios with the first line of their story.

Kept light on purpose (YAML and the pydantic schema only, not the engine): the listing is the
first thing a new user runs and should answer at once.
"""

from __future__ import annotations

import argparse
import json
import textwrap
from typing import Any

from leadsim.bundled import bundled_scenarios
from leadsim.cli.main import command_help
from leadsim.scenario.loader import ScenarioError, load_scenario


def register(subparsers: Any) -> None:
    """Add the ``scenarios`` command."""
    parser = subparsers.add_parser(
        "scenarios",
        help=command_help("scenarios"),
        description="List the bundled scenarios; run one with `leadsim run NAME`.",
    )
    parser.add_argument(
        "--json", action="store_true", help="print a JSON list (name, path, leadership, size, days, story)"
    )
    parser.set_defaults(func=list_scenarios)


def scenario_records() -> list[dict[str, Any]]:
    """One record per bundled scenario; an invalid file is listed with its error."""
    records = []
    for path in bundled_scenarios():
        record: dict[str, Any] = {"name": path.stem, "path": str(path)}
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            records.append({**record, "error": str(exc)})
            continue
        leadership = scenario.leadership
        record.update(
            leadership=" / ".join(leadership.by_level) if leadership.by_level else leadership.style,
            size=scenario.org.size,
            days=scenario.days,
            story=scenario.story.strip(),
        )
        records.append(record)
    return records


def list_scenarios(args: argparse.Namespace) -> int:
    """Print name, leadership, size and the story's first sentence for each bundled scenario."""
    records = scenario_records()
    if args.json:
        print(json.dumps(records, indent=2))
        return 0
    for record in records:
        if "error" in record:
            print(f"{record['name']:<24} (invalid: {record['error']})")
            continue
        print(f"{record['name']:<24} {record['leadership']:<24} {record['size']:>5} people")
        first = record["story"].split(". ")[0].rstrip(".")
        if first:
            print(textwrap.indent(textwrap.fill(first + ".", 76), " " * 4))
    return 0
