"""``leadsim run``: one scenario, one seed; writes steps.csv, summary.json and a figure."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from tqdm import tqdm

import leadsim
from leadsim.cli.main import UsageError, command_help
from leadsim.labels import MONEY, OUTPUTS

DESCRIPTION = """\
Run one scenario for one seed. Writes into --out:
  steps.csv     one row per day (latency, backlog, engagement, output, cash, active shocks, ...)
  summary.json  one record for the run (with version, scenario hash and seed)
  figure.png    latency, engagement and output over time, shocks marked
and prints a summary table.
"""
EPILOG = """\
examples:
  leadsim run scenarios/default.yaml
  leadsim run default --seed 7 --days 120 --out out/try
  leadsim run default --set leadership.style=autocratic --set org.size=120
  leadsim run default --set 'leadership.by_level=[autocratic, distributed]'
  leadsim run default --set leadership.params.distributed.authority_threshold=0.3

--set takes any scenario field by its dotted path (see docs/ODD.md for every field); values
are read as YAML, so numbers, booleans and lists work. List items by index: shocks.0.day=120.
"""


def register(subparsers: Any) -> None:
    """Add the ``run`` command."""
    parser = subparsers.add_parser(
        "run",
        help=command_help("run"),
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("scenario", help="a scenario YAML file, or a bundled scenario's name")
    parser.add_argument("--seed", type=int, help="the run's seed (default: the scenario's seed)")
    parser.add_argument("--days", type=int, help="the horizon in working days (default: the scenario's)")
    parser.add_argument("--out", type=Path, help="output folder (default: out/SCENARIO-NAME)")
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a scenario field by its dotted path (repeatable)",
    )
    parser.add_argument("--no-figure", action="store_true", help="skip figure.png")
    parser.add_argument("--report", action="store_true", help="also write slide.png, a slide for a class")
    parser.add_argument(
        "--force", action="store_true", help="write into a non-empty --out (its outputs are replaced)"
    )
    parser.add_argument(
        "--json", action="store_true", help="print the run's summary as JSON instead of the table"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar or table")
    parser.set_defaults(func=run_command)


def parse_overrides(pairs: list[str]) -> dict[str, Any]:
    """``["a.b=1", "c=x"]`` → ``{"a.b": 1, "c": "x"}`` with YAML-typed values."""
    overrides = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set {pair!r}: expected KEY=VALUE, e.g. --set org.size=120")
        overrides[key.strip()] = leadsim.scenario.parse_value(value)
    return overrides


def run_command(args: argparse.Namespace) -> int:
    """Run, write, print."""
    overrides = parse_overrides(args.overrides)
    if args.days is not None:
        overrides["days"] = args.days
    if args.seed is not None and args.seed < 0:
        raise UsageError(f"--seed {args.seed}: must be a whole number >= 0")
    scenario = leadsim.load_scenario(args.scenario, overrides)
    out = args.out or Path("out") / scenario.name
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not args.force:
        raise UsageError(
            f"--out {out}: the folder is not empty; choose another --out, or add --force to "
            "replace its outputs (nothing was written)"
        )

    with tqdm(
        total=scenario.days,
        unit="day",
        desc=scenario.name,
        disable=args.quiet or args.json or None,
        leave=False,
    ) as bar:
        result = leadsim.run(scenario, seed=args.seed, on_day=lambda _: bar.update())
    extra = {}
    if args.report:
        from leadsim.demo.slide import slide_figure

        extra["slide.png"] = slide_figure(result)
    paths = result.write(out, figure=not args.no_figure, extra_figures=extra)
    if args.json:
        # the record summary.json holds (NaN as null), with where the outputs went
        record = json.loads(paths["summary"].read_text(encoding="utf-8"))
        record["outputs"] = {key: str(path) for key, path in paths.items()}
        print(json.dumps(record, indent=2))
    elif not args.quiet:
        print(format_summary(result.summary))
        print(f"\noutputs in {out}/: " + ", ".join(p.name for p in paths.values()))
    return 0


def format_summary(summary: dict[str, Any]) -> str:
    """The run's summary as an aligned table."""
    survived = "yes" if summary["survived"] else f"no — cash ran out on day {summary['failed_day']}"
    lines = [
        f"{summary['scenario']}: {summary['style']}, {summary['size']} people, "
        f"{summary['days']} days, seed {summary['seed']}",
        f"(leadsim {summary['version']}, scenario {summary['scenario_hash']})",
        "",
    ]
    width = max(len(label) for label, _ in OUTPUTS.values())
    for key, (label, fmt) in OUTPUTS.items():
        value = summary.get(key)
        shown = (
            "—" if value is None or (isinstance(value, float) and math.isnan(value)) else fmt.format(value)
        )
        if key in MONEY and shown != "—":
            shown += f" {summary.get('currency', '')}".rstrip()
        lines.append(f"  {label:<{width}}  {shown}")
    lines.append(f"  {'survived':<{width}}  {survived}")
    return "\n".join(lines)
