"""The comparison report: one self-contained HTML page, plus the same tables as CSV and Markdown.

Figures are embedded as base64 PNG and the style sheet is inline, so the page can be mailed or
opened offline. Everything is written into a temporary folder beside the target and moved in at
the end: an error never leaves a half-written report.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from leadsim.compare import narrative
from leadsim.compare.analysis import METRIC_BY_KEY, METRICS, SERIES
from leadsim.plots import mark_shocks

if TYPE_CHECKING:
    from leadsim.compare.analysis import Comparison

COLOURS = ("#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2")
VERDICT_TEXT = {
    "better": "better",
    "worse": "worse",
    "equivalent": "same in practice",
    "undecided": "undecided — too few runs",
    "not measured": "not measured",
}


# ---------------------------------------------------------------- figures


def timeseries_figure(comparison: Comparison) -> Figure:
    """Per-day measures for each structure: mean, 95 % band of the mean, middle 80 % of runs."""
    fig, axes = plt.subplots(
        len(SERIES), 1, figsize=(9, 2.3 * len(SERIES)), sharex=True, constrained_layout=True
    )
    series = comparison.series
    scheduled = [shock.model_dump() for shock in comparison.profile.shocks]
    for ax, name in zip(axes, SERIES, strict=True):
        for colour, structure in zip(COLOURS, comparison.structures, strict=False):
            part = series[(series["structure"] == structure.name) & (series["measure"] == name)]
            day = part["day"].to_numpy()
            ax.fill_between(day, part["p10"], part["p90"], color=colour, alpha=0.08, lw=0)
            ax.fill_between(day, part["low"], part["high"], color=colour, alpha=0.3, lw=0)
            ax.plot(day, part["mean"], color=colour, lw=1.2, label=narrative.label(structure.name))
        measure, unit = narrative.SERIES_LABELS[name]
        ax.set_ylabel(f"{measure}\n({unit})" if unit else measure, fontsize=9)
        mark_shocks(ax, scheduled, label=ax is axes[0])
    axes[0].legend(loc="upper left", fontsize=8, ncol=len(comparison.structures))
    axes[-1].set_xlabel("working day")
    _stamp(fig, comparison)
    return fig


def resilience_figure(comparison: Comparison) -> Figure:
    """The resilience index of every shock in every run, per structure and shock type."""
    shocks = comparison.shocks
    fig, ax = plt.subplots(figsize=(9, 3.6), constrained_layout=True)
    if shocks.empty or "index" not in shocks or not np.isfinite(shocks["index"]).any():
        ax.text(0.5, 0.5, "no shocks within the horizon", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    types = sorted(shocks["type"].unique())
    count = len(comparison.structures)
    width = 0.8 / count
    rng = np.random.default_rng(0)  # jitter only: fixed so the figure is reproducible
    for j, (colour, structure) in enumerate(zip(COLOURS, comparison.structures, strict=False)):
        for i, kind in enumerate(types):
            rows = shocks[(shocks["structure"] == structure.name) & (shocks["type"] == kind)]
            values = rows["index"].to_numpy(dtype=float)
            values = values[np.isfinite(values)]
            if not values.size:
                continue
            x = i - 0.4 + width * (j + 0.5)
            ax.boxplot(
                values,
                positions=[x],
                widths=width * 0.8,
                showfliers=False,
                patch_artist=True,
                boxprops={"facecolor": colour, "alpha": 0.25},
                medianprops={"color": colour},
            )
            ax.scatter(
                x + rng.uniform(-width / 4, width / 4, values.size),
                values,
                s=8,
                color=colour,
                alpha=0.6,
                lw=0,
                label=narrative.label(structure.name) if i == 0 else None,
            )
    counts = [
        f"{kind.replace('_', ' ')}\n"
        + "/".join(
            str(
                int(
                    np.isfinite(
                        shocks[(shocks["structure"] == st.name) & (shocks["type"] == kind)]["index"].to_numpy(
                            dtype=float
                        )
                    ).sum()
                )
            )
            for st in comparison.structures
        )
        + " measured"
        for kind in types
    ]
    ax.set_xticks(range(len(types)), counts, fontsize=8)
    ax.set_xlim(-0.5, len(types) - 0.5)
    ax.set_ylabel("resilience index\n(1 = no output lost)")
    ax.legend(fontsize=8, loc="lower left")
    _stamp(fig, comparison)
    return fig


def flip_figure(comparison: Comparison) -> Figure:
    """P(challenger better) over company size × turbulence, one panel per challenger and metric."""
    flip = comparison.flip
    challengers = comparison.structures[1:]
    metrics = [m for m in METRICS if m.key in set(flip["metric"])]
    fig, axes = plt.subplots(
        len(challengers),
        len(metrics),
        squeeze=False,
        figsize=(2.3 * len(metrics) + 1, 2.6 * len(challengers) + 0.6),
        constrained_layout=True,
    )
    sizes = sorted(flip["size"].unique())
    levels = sorted(flip["turbulence"].unique())
    norm = TwoSlopeNorm(vmin=0.0, vcenter=0.5, vmax=1.0)
    image = None
    for r, challenger in enumerate(challengers):
        for c, metric in enumerate(metrics):
            ax = axes[r][c]
            rows = flip[(flip["challenger"] == challenger.name) & (flip["metric"] == metric.key)]
            grid = np.full((len(sizes), len(levels)), np.nan)
            for row in rows.to_dict("records"):
                i, j = sizes.index(row["size"]), levels.index(row["turbulence"])
                grid[i, j] = row["p_better"]
                mark = {"better": "+", "worse": "−", "equivalent": "=", "undecided": "?"}
                ax.text(
                    j,
                    i,
                    mark[row["verdict"]],
                    ha="center",
                    va="center",
                    fontsize=10,
                    color="black" if row["verdict"] != "undecided" else "#555555",
                )
            image = ax.imshow(grid, cmap="RdBu", norm=norm, origin="lower", aspect="auto")
            ax.set_xticks(range(len(levels)), [narrative.level(v) for v in levels], fontsize=7)
            ax.set_yticks(range(len(sizes)), [str(s) for s in sizes], fontsize=7)
            if r == 0:
                ax.set_title(metric.label, fontsize=9)
            if c == 0:
                ax.set_ylabel(f"{narrative.label(challenger.name)}\ncompany size (people)", fontsize=8)
            if r == len(challengers) - 1:
                ax.set_xlabel("market turbulence", fontsize=8)
    if image is not None:
        bar = fig.colorbar(image, ax=axes, shrink=0.8)
        bar.set_label(f"P(challenger better than {narrative.label(comparison.baseline.name)})", fontsize=8)
    _stamp(fig, comparison)
    return fig


def _stamp(fig: Figure, comparison: Comparison) -> None:
    p = comparison.provenance
    # A suptitle, not fig.text, so constrained layout keeps it clear of the axes' labels.
    fig.suptitle(
        f"leadsim {p['leadsim_version']} · profile {p['profile_hash']} · seeds {p['seed_range']}",
        x=0.99,
        ha="right",
        fontsize=6,
        color="#7f7f7f",
    )


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG bytes (and closes it)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()


# ---------------------------------------------------------------- tables


def display_table(comparison: Comparison, challenger: str) -> pd.DataFrame:
    """The headline rows of one challenger as text, for HTML and Markdown."""
    rows = comparison.headline[comparison.headline["challenger"] == challenger]
    base = narrative.label(comparison.baseline.name)
    other = narrative.label(challenger)
    out = []
    for row in rows.to_dict("records"):
        metric = METRIC_BY_KEY[row["metric"]]
        measured = row["verdict"] != "not measured"

        def mean(role: str, row: dict = row, metric=metric) -> str:
            if not math.isfinite(row[f"{role}_mean"]):
                return "n/a"
            ci = narrative.interval(metric, row[f"{role}_low"], row[f"{role}_high"])
            return f"{narrative.value(metric, row[f'{role}_mean'])} ({ci})"

        out.append(
            {
                "measure": f"{metric.label} ({metric.unit})",
                "better is": row["better_is"],
                f"{base}": mean("baseline"),
                f"{other}": mean("challenger"),
                "difference (95 % CI)": (
                    f"{narrative.amount(metric, row['diff'])} "
                    f"({narrative.interval(metric, row['diff_low'], row['diff_high'], True)})"
                    if measured
                    else "n/a"
                ),
                "effect d_z": narrative.signed(narrative.number(row["effect_size_dz"]))
                if measured
                else "n/a",
                f"P({other} better)": f"{100 * row['p_better']:.0f} %" if measured else "n/a",
                "verdict": VERDICT_TEXT[row["verdict"]]
                + (
                    f" (≈{int(row['reps_needed'])} runs needed)"
                    if row["verdict"] == "undecided" and _finite(row.get("reps_needed"))
                    else ""
                ),
                "runs": str(int(row["n"])),
            }
        )
    return pd.DataFrame(out)


def _finite(x: Any) -> bool:
    return x is not None and isinstance(x, int | float) and math.isfinite(x)


def markdown_table(frame: pd.DataFrame) -> str:
    """A frame of strings as a GitHub Markdown table."""

    def cell(text: Any) -> str:
        return str(text).replace("|", "\\|")

    lines = ["| " + " | ".join(cell(c) for c in frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.to_numpy()]
    return "\n".join(lines)


def html_table(frame: pd.DataFrame, verdict_column: str = "verdict") -> str:
    """A frame of strings as an HTML table, rows classed by verdict for colour."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for record in frame.to_dict("records"):
        verdict = str(record.get(verdict_column, "")).split(" ")[0]
        cells = "".join(f"<td>{html.escape(str(v))}</td>" for v in record.values())
        body.append(f'<tr class="v-{html.escape(verdict)}">{cells}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def provenance_lines(comparison: Comparison) -> list[str]:
    """``key: value`` lines of provenance, for CSV headers and the Markdown footer."""
    p = comparison.provenance
    structures = "; ".join(
        f"{name}={'/'.join(info['by_level'])} (scenario {info['scenario_hash']})"
        for name, info in p["structures"].items()
    )
    return [
        f"leadsim_version: {p['leadsim_version']}",
        f"profile: {p['profile']} (hash {p['profile_hash']}), {p['size']} people, {p['days']} days",
        f"structures: {structures}",
        f"seeds: {p['seed_range']} ({p['reps']} paired runs per structure)",
        f"flip grid: {p['grid_reps']} paired runs per cell, seeds {p['grid_seeds'] or 'n/a'}",
        f"generated_at: {p['generated_at']}",
    ]


def _csv(frame: pd.DataFrame, path: Path, header: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("".join(f"# {line}\n" for line in header))
        frame.to_csv(fh, index=False, float_format="%.6g")


# ---------------------------------------------------------------- documents

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1100px;
margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.88em;margin:.8em 0}
th,td{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}tr.v-better td:last-child,tr.v-better td:nth-last-child(2){background:#e6f2e6}
tr.v-worse td:nth-last-child(2){background:#f9e3e3}tr.v-undecided td:nth-last-child(2){background:#fff4d6}
.caveat{background:#f5f5fa;border-left:4px solid #8888bb;padding:.6em 1em}
.warn{background:#fff8e1;border-left:4px solid #e0a800;padding:.6em 1em}
figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.92em;color:#333}.meta{font-size:.8em;color:#666}
"""


def _paragraphs(sentences: list[str]) -> str:
    return "".join(f"<p>{html.escape(s)}</p>" for s in sentences)


def _figure(png: bytes, alt: str, sentences: list[str], note: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{_paragraphs(sentences)}<p class='meta'>{html.escape(note)}</p>"
        f"</figcaption></figure>"
    )


def render_html(comparison: Comparison, figures: dict[str, bytes]) -> str:
    """The report as one self-contained HTML page."""
    p = comparison.profile
    base = narrative.label(comparison.baseline.name)
    reps = len(comparison.seeds)
    grid_reps = comparison.provenance.get("grid_reps", 0)
    parts = [
        f"<h1>Leadership structures compared: {html.escape(p.name)}</h1>",
        f"<p class='meta'>{html.escape(' · '.join(provenance_lines(comparison)))}</p>",
        f"<p>{html.escape(p.story)}</p>" if p.story else "",
        "<ul>"
        + "".join(
            f"<li><b>{html.escape(narrative.label(s.name))}</b>: {html.escape(s.description)} "
            f"({html.escape(' / '.join(s.by_level))})</li>"
            for s in comparison.structures
        )
        + "</ul>",
        f"<p class='caveat'>{html.escape(narrative.caveat(comparison))}</p>",
        "<h2>Headline</h2>",
        _paragraphs(narrative.summary_sentences(comparison)),
    ]
    for challenger in comparison.structures[1:]:
        parts.append(f"<h3>{html.escape(narrative.label(challenger.name))} vs {html.escape(base)}</h3>")
        parts.append(html_table(display_table(comparison, challenger.name)))
        rows = comparison.headline[comparison.headline["challenger"] == challenger.name]
        parts.append(_paragraphs([narrative.metric_sentence(r) for r in rows.to_dict("records")]))
    parts.append(
        f"<p class='meta'>Every number stands on {reps} paired runs per structure (the same seeds "
        "for every structure: same people, same shocks, same daily chance). Means use Student-t "
        "intervals, survival Wilson intervals and Newcombe's paired interval; d_z is the mean "
        "paired difference over its standard deviation; P(better) is the share of matched runs "
        "in which the structure did better (ties count half). 'Undecided' means the interval "
        "includes zero and reaches beyond a difference that would matter.</p>"
    )
    if comparison.warnings:
        parts.append(
            "<h2>Warnings</h2><div class='warn'><ul>"
            + "".join(f"<li>{html.escape(w)}</li>" for w in comparison.warnings)
            + "</ul></div>"
        )
    parts.append("<h2>Over time</h2>")
    parts.append(
        _figure(
            figures["timeseries"],
            "time series of latency, engagement, output and headcount",
            narrative.series_sentences(comparison),
            f"Lines: mean of {reps} runs per structure; dark band: its 95 % interval; light band: "
            "the middle 80 % of runs. Red shading: the profile's scheduled shocks. Model output, "
            "not a forecast.",
        )
    )
    parts.append("<h2>Resilience under shocks</h2>")
    parts.append(
        _figure(
            figures["resilience"],
            "resilience index per shock and structure",
            narrative.resilience_sentences(comparison),
            f"Each dot is one shock in one of {reps} runs (scheduled shocks hit every run, random ones "
            "differ by seed but are the same for every structure); under each type, how many were "
            "measured per structure (a firm that has already failed is not). The index is 1 − output "
            "lost relative to the pre-shock level over the recovery window (Bruneau et al. 2003). "
            "Model output.",
        )
    )
    parts.append("<h2>Where does the answer flip?</h2>")
    if "flip" in figures:
        parts.append(
            _figure(
                figures["flip"],
                "probability the challenger is better across size and turbulence",
                narrative.flip_sentences(comparison),
                f"Each cell: {grid_reps} paired runs per structure at that company size and market "
                "turbulence, everything else as in the profile. Colour: share of matched runs in "
                f"which the challenger beat {base} (blue: challenger, red: {base}). Marks: + "
                "challenger better, − worse, = practically the same, ? too close to call. "
                "Model output.",
            )
        )
    else:
        parts.append("<p>The where-does-it-flip grid was not run (--no-flip).</p>")
    parts.append(f"<p class='caveat'>{html.escape(narrative.caveat(comparison))}</p>")
    parts.append(
        "<p class='meta'>Tables: headline.csv, means.csv, differences.csv, runs.csv, "
        "shocks.csv, series.csv, flip.csv; provenance.json.</p>"
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>leadsim compare — {html.escape(p.name)}</title><style>{STYLE}</style></head>"
        f"<body>{''.join(parts)}</body></html>\n"
    )


def render_markdown(comparison: Comparison) -> str:
    """The headline tables, sentences, warnings and provenance as Markdown."""
    base = narrative.label(comparison.baseline.name)
    lines = [f"# Leadership structures compared: {comparison.profile.name}", ""]
    lines += [*narrative.summary_sentences(comparison), ""]
    for challenger in comparison.structures[1:]:
        lines += [
            f"## {narrative.label(challenger.name)} vs {base}",
            "",
            markdown_table(display_table(comparison, challenger.name)),
            "",
        ]
    if comparison.warnings:
        lines += ["## Warnings", ""] + [f"- {w}" for w in comparison.warnings] + [""]
    lines += [f"> {narrative.caveat(comparison)}", ""]
    lines += ["```", *provenance_lines(comparison), "```", ""]
    return "\n".join(lines)


def write_report(comparison: Comparison, out_dir: str | Path) -> dict[str, Path]:
    """Write report.html, the tables (CSV, Markdown), figures (PNG) and provenance.json.

    Args:
        comparison: the result of :func:`leadsim.compare.compare`.
        out_dir: the folder; created if missing, files in it replaced.

    Returns:
        The written files by name.
    """
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        figures = {
            "timeseries": png_bytes(timeseries_figure(comparison)),
            "resilience": png_bytes(resilience_figure(comparison)),
        }
        if not comparison.flip.empty:
            figures["flip"] = png_bytes(flip_figure(comparison))
        header = provenance_lines(comparison)
        writers: dict[str, Callable[[Path], Any]] = {
            "report.html": lambda path: path.write_text(render_html(comparison, figures), encoding="utf-8"),
            "headline.md": lambda path: path.write_text(render_markdown(comparison), encoding="utf-8"),
            "provenance.json": lambda path: path.write_text(
                json.dumps(comparison.provenance, indent=2) + "\n", encoding="utf-8"
            ),
        }
        tables = {
            "headline": comparison.headline,
            "means": comparison.means,
            "differences": comparison.differences,
            "runs": comparison.runs,
            "shocks": comparison.shocks,
            "series": comparison.series,
            "flip": comparison.flip,
        }
        for name, frame in tables.items():
            writers[f"{name}.csv"] = lambda path, frame=frame: _csv(frame, path, header)
        for name, png in figures.items():
            writers[f"{name}.png"] = lambda path, png=png: path.write_bytes(png)
        for name, write in writers.items():
            write(staging / name)
        out.mkdir(exist_ok=True)
        paths = {}
        for name in writers:
            os.replace(staging / name, out / name)
            paths[name] = out / name
        return paths
    finally:
        shutil.rmtree(staging, ignore_errors=True)
