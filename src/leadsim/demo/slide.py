"""One slide a trainer can show: the situation, the questions, four charts and the key numbers."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

from matplotlib.figure import Figure

from leadsim.plots import mark_shocks
from leadsim.results import RunResult

SLIDE_SIZE = (13.33, 7.5)  # inches: a 16:9 slide
PANELS = (  # (column, label, colour)
    ("latency_mean", "decision latency (days)", "#1f77b4"),
    ("engagement_mean", "engagement", "#2ca02c"),
    ("output", "output per day (dashed: demand)", "#ff7f0e"),
    ("cash", "cash", "#7f7f7f"),
)
KEY_FIGURES = (  # (summary key, label, format)
    ("latency_mean", "decision latency, mean", "{:.1f} days"),
    ("engagement_mean", "engagement, mean", "{:.2f}"),
    ("turnover_rate", "turnover per year", "{:.0%}"),
    ("resilience_index", "resilience index", "{:.2f}"),
    ("recovery_days", "days to recover", "{:.0f}"),
)


def _shown(value, fmt: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return fmt.format(value)


def slide_figure(result: RunResult) -> Figure:
    """A 16:9 one-page figure of a run for a classroom slide.

    Left: the scenario's story, its discussion questions and the run's key figures. Right:
    decision latency, engagement, output against demand and cash over time, shocks shaded.

    Args:
        result: a finished run (from :func:`leadsim.run`).

    Returns:
        The figure (save it with ``fig.savefig(path, dpi=150)``).
    """
    scenario, steps, summary = result.scenario, result.steps, result.summary
    fig = Figure(figsize=SLIDE_SIZE, dpi=100)
    grid = fig.add_gridspec(
        2,
        3,
        width_ratios=(1.25, 1, 1),
        left=0.03,
        right=0.98,
        top=0.86,
        bottom=0.08,
        wspace=0.28,
        hspace=0.32,
    )
    title = scenario.name.replace("_", " ").capitalize()
    fig.text(0.03, 0.95, title, fontsize=24, weight="bold", va="center")
    survived = "survived" if summary["survived"] else f"ran out of cash on day {summary['failed_day']}"
    fig.text(
        0.03,
        0.9,
        f"{summary['style'].replace('_', '-')} leadership · {summary['size']} people · "
        f"{summary['days']} working days · {survived}",
        fontsize=13,
        color="#444444",
        va="center",
    )

    text_ax = fig.add_subplot(grid[:, 0])
    text_ax.set_axis_off()
    lines = textwrap.wrap(" ".join(scenario.story.split()), 58)
    if scenario.questions:
        lines += ["", "To discuss"]
        for question in scenario.questions:
            wrapped = textwrap.wrap(question, 54)
            lines += [f"• {wrapped[0]}"] + [f"   {w}" for w in wrapped[1:]]
    text_ax.text(0, 1, "\n".join(lines), va="top", fontsize=11.5, linespacing=1.35, wrap=True)
    figures = "\n".join(f"{label:<24}{_shown(summary.get(key), fmt):>10}" for key, label, fmt in KEY_FIGURES)
    text_ax.text(
        0,
        0,
        figures,
        va="bottom",
        fontsize=11,
        family="monospace",
        bbox={"boxstyle": "round,pad=0.6", "facecolor": "#f2f2f2", "edgecolor": "none"},
    )

    day = steps["day"]
    for k, (column, label, colour) in enumerate(PANELS):
        ax = fig.add_subplot(grid[k // 2, 1 + k % 2])
        ax.plot(day, steps[column], color=colour, lw=1.6)
        if column == "output":
            ax.plot(day, steps["orders"], color="#7f7f7f", lw=0.9, ls="--")
        if column == "engagement_mean":
            ax.set_ylim(0, 1)
        mark_shocks(ax, result.shocks, label=k < 2)
        ax.set_title(label, fontsize=12, loc="left")
        ax.tick_params(labelsize=9)
        ax.spines[["top", "right"]].set_visible(False)
        if k >= 2:
            ax.set_xlabel("working day", fontsize=10)
    fig.text(
        0.98,
        0.015,
        f"leadsim {summary['version']} · scenario {summary['scenario_hash']} · "
        f"seed {summary['seed']} · a model run to discuss, not a measurement",
        ha="right",
        fontsize=8,
        color="#7f7f7f",
    )
    return fig


def write_slide(result: RunResult, out_dir: str | Path, name: str = "slide.png") -> Path:
    """Save :func:`slide_figure` as a PNG in ``out_dir`` and return its path."""
    path = Path(out_dir) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    slide_figure(result).savefig(path, dpi=150)
    return path
