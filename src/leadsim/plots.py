"""Figures of a run: what a reader would rather look at than read."""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

if TYPE_CHECKING:
    from leadsim.results import RunResult

SHOCK_COLOUR = "#d62728"


def mark_shocks(ax, shocks: list[dict], label: bool = False) -> None:
    """Shade each shock's window and name it at the top of the axes."""
    for shock in shocks:
        start = shock["day"]
        end = start + max(shock["duration"], 1)
        ax.axvspan(start, end, color=SHOCK_COLOUR, alpha=0.08, lw=0)
        ax.axvline(start, color=SHOCK_COLOUR, lw=0.8, alpha=0.6)
        if label:
            ax.annotate(
                shock["type"].replace("_", " "),
                (start, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(2, -2),
                textcoords="offset points",
                va="top",
                fontsize=7,
                color=SHOCK_COLOUR,
            )


def run_figure(result: RunResult) -> Figure:
    """Latency, engagement and output over time with shocks marked, for one run."""
    steps, summary = result.steps, result.summary
    fig, axes = plt.subplots(3, 1, figsize=(9, 8), sharex=True, constrained_layout=True)
    day = steps["day"]

    ax = axes[0]
    ax.plot(day, steps["latency_mean"], label="mean latency", color="#1f77b4")
    ax.plot(day, steps["latency_p95"], label="95th percentile", color="#1f77b4", alpha=0.4, lw=0.8)
    ax.set_ylabel("decision latency (days)")
    twin = ax.twinx()
    twin.fill_between(day, steps["backlog"], color="#7f7f7f", alpha=0.15, lw=0, label="backlog")
    twin.set_ylabel("backlog (decisions)", color="#7f7f7f")
    ax.legend(loc="upper left", fontsize=8)

    ax = axes[1]
    ax.plot(day, steps["engagement_mean"], label="mean", color="#2ca02c")
    ax.plot(day, steps["engagement_p10"], label="10th percentile", color="#2ca02c", alpha=0.5, lw=0.8)
    ax.set_ylim(0, 1)
    ax.set_ylabel("engagement")
    ax.legend(loc="lower left", fontsize=8)

    ax = axes[2]
    ax.plot(day, steps["orders"], label="orders", color="#7f7f7f", lw=0.8, ls="--")
    ax.plot(day, steps["capacity"], label="capacity", color="#1f77b4", lw=0.8, ls=":")
    ax.plot(day, steps["output"], label="output", color="#ff7f0e")
    ax.set_ylabel("units of work per day")
    ax.set_xlabel("working day")
    ax.legend(loc="lower left", fontsize=8)

    for i, ax in enumerate(axes):
        mark_shocks(ax, result.shocks, label=i == 0)
    survived = "survived" if summary["survived"] else f"failed on day {summary['failed_day']}"
    fig.suptitle(
        f"{summary['scenario']} — {summary['style']}, {summary['size']} people, seed {summary['seed']} "
        f"({survived})",
        fontsize=11,
    )
    fig.text(
        0.99,
        0.005,
        f"leadsim {summary['version']} · scenario {summary['scenario_hash']}",
        ha="right",
        fontsize=7,
        color="#7f7f7f",
    )
    return fig
