"""``leadsim scenarios``: list the bundled scenarios with the first line of their story."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any

import leadsim
from leadsim.bundled import bundled_scenarios


def register(subparsers: Any) -> None:
    """Add the ``scenarios`` command."""
    parser = subparsers.add_parser(
        "scenarios",
        help="list the bundled scenarios",
        description="List the bundled scenarios; run one with `leadsim run NAME`.",
    )
    parser.set_defaults(func=list_scenarios)


def list_scenarios(args: argparse.Namespace) -> int:
    """Print name, style, size and the story's first sentence for each bundled scenario."""
    for path in bundled_scenarios():
        try:
            scenario = leadsim.load_scenario(path)
        except leadsim.ScenarioError as exc:
            print(f"{path.stem:<24} (invalid: {exc})")
            continue
        first = scenario.story.strip().split(". ")[0].rstrip(".")
        style = leadsim.results.style_label(scenario)
        print(f"{path.stem:<24} {style:<18} {scenario.org.size:>5} people")
        if first:
            print(textwrap.indent(textwrap.fill(first + ".", 76), " " * 4))
    return 0
