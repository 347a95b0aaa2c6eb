"""One slide a trainer can show: the situation, the questions, four charts and the key numbers."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

from matplotlib.figure import Figure

from leadsim import STYLE_NAMES
from leadsim.demo.text import DEFAULT_LANGUAGE, decimal_marks, style_name, text
from leadsim.plots import mark_shocks
from leadsim.results import RunResult

_STYLE_KEYS = frozenset(STYLE_NAMES)
SLIDE_SIZE = (13.33, 7.5)  # inches: a 16:9 slide
PANELS = (  # (column, dashed companion: the first of these columns the run has, text key, colour)
    ("latency_mean", ("backlog_age_mean",), "slide.latency", "#0072b2"),
    ("engagement_mean", (), "slide.engagement", "#009e73"),
    ("output", ("orders",), "slide.output", "#e69f00"),  # orders: what customers asked for
    ("cash", (), "slide.cash", "#555555"),
)
KEY_FIGURES = (  # (summary key, format); labels are slide.key.<summary key> in the text
    ("latency_mean", "{:.1f} d"),
    ("engagement_mean", "{:.2f}"),
    ("turnover_rate", "{:.0%}"),
    ("resilience_index", "{:.2f}"),
    ("recovery_days", "{:.0f}"),
)


def _shown(value: float | None, fmt: str, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return decimal_marks(fmt.format(value), lang)


def slide_figure(result: RunResult, lang: str = DEFAULT_LANGUAGE) -> Figure:
    """A 16:9 one-page figure of a run for a classroom slide.

    Left: the scenario's story, its discussion questions and the run's key figures. Right:
    decision time (with how long pending decisions had waited, defined on days nothing is
    decided), engagement, output against demand and cash over time, shocks shaded.

    Args:
        result: a finished run (from :func:`leadsim.run`).
        lang: the language of the slide's own words (the story is the scenario's).

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
    outcome = (
        text(lang, "slide.survived")
        if summary["survived"]
        else text(lang, "slide.failed", day=summary["failed_day"])
    )
    styles = "/".join(style_name(lang, s) for s in str(summary["style"]).split("/") if s in _STYLE_KEYS)
    fig.text(
        0.03,
        0.9,
        text(
            lang,
            "slide.subtitle",
            style=styles or summary["style"],
            size=summary["size"],
            days=summary["days"],
            outcome=outcome,
        ),
        fontsize=13,
        color="#444444",
        va="center",
    )

    text_ax = fig.add_subplot(grid[:, 0])
    text_ax.set_axis_off()
    lines = textwrap.wrap(" ".join(scenario.story.split()), 58)
    if scenario.questions:
        lines += ["", text(lang, "slide.discuss")]
        for question in scenario.questions:
            wrapped = textwrap.wrap(question, 54)
            lines += [f"• {wrapped[0]}"] + [f"   {w}" for w in wrapped[1:]]
    text_ax.text(0, 1, "\n".join(lines), va="top", fontsize=11.5, linespacing=1.35, wrap=True)
    figures = "\n".join(
        f"{text(lang, f'slide.key.{key}'):<24}{_shown(summary.get(key), fmt, lang):>10}"
        for key, fmt in KEY_FIGURES
    )
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
    for k, (column, companions, key, colour) in enumerate(PANELS):
        ax = fig.add_subplot(grid[k // 2, 1 + k % 2])
        ax.plot(day, steps[column], color=colour, lw=1.6)
        # the latency's companion, the backlog's age, is defined every day: the panel has no holes
        for dashed in [c for c in companions if c in steps][:1]:
            ax.plot(day, steps[dashed], color=colour if k == 0 else "#7f7f7f", lw=1.1, ls="--")
        if column == "engagement_mean":
            ax.set_ylim(0, 1)
        mark_shocks(ax, result.shocks, label=k < 2)
        ax.set_title(text(lang, key), fontsize=12, loc="left")
        ax.tick_params(labelsize=9)
        ax.spines[["top", "right"]].set_visible(False)
        if k >= 2:
            ax.set_xlabel(text(lang, "slide.day"), fontsize=10)
    fig.text(
        0.98,
        0.015,
        text(
            lang,
            "slide.footer",
            version=summary["version"],
            hash=summary["scenario_hash"],
            seed=summary["seed"],
        ),
        ha="right",
        fontsize=8,
        color="#7f7f7f",
    )
    return fig


def write_slide(
    result: RunResult, out_dir: str | Path, name: str = "slide.png", lang: str = DEFAULT_LANGUAGE
) -> Path:
    """Save :func:`slide_figure` as a PNG in ``out_dir`` and return its path."""
    path = Path(out_dir) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    slide_figure(result, lang).savefig(path, dpi=150)
    return path
