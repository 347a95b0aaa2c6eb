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
import subprocess
import tempfile
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
from leadsim.results import DAYS_PER_YEAR

DAYS_PER_MONTH = DAYS_PER_YEAR / 12

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
    """Per-day measures for each structure, 2 × 2: mean and the middle 80 % of runs."""
    fig, grid = plt.subplots(2, 2, figsize=(10, 4.6), sharex=True, constrained_layout=True)
    axes = list(grid.ravel())
    series = comparison.series
    scheduled = [shock.model_dump() for shock in comparison.profile.shocks]
    for ax, name in zip(axes, SERIES, strict=True):
        for colour, structure in zip(COLOURS, comparison.structures, strict=False):
            part = series[(series["structure"] == structure.name) & (series["measure"] == name)]
            day = part["day"].to_numpy()
            ax.fill_between(day, part["p10"], part["p90"], color=colour, alpha=0.1, lw=0)
            ax.plot(day, part["mean"], color=colour, lw=1.2, label=narrative.label(structure.name))
        measure, unit = narrative.SERIES_LABELS[name]
        ax.set_title(f"{measure} ({unit})" if unit else measure, fontsize=9, loc="left")
        ax.tick_params(labelsize=8)
        mark_shocks(ax, scheduled, label=ax is axes[0])
    axes[0].legend(loc="lower left", fontsize=8, ncol=len(comparison.structures))
    for ax in axes[2:]:
        ax.set_xlabel("working day", fontsize=8)
    return fig


def jcurve_figure(comparison: Comparison) -> Figure:
    """Cumulative cash difference against the status quo, month by month: the J-curve."""
    from leadsim.compare.decision import break_even_month

    fig, ax = plt.subplots(figsize=(10, 3.4), constrained_layout=True)
    jcurve = comparison.jcurve
    scale, suffix = _money_scale(jcurve[["p10", "p90"]].abs().to_numpy().max() if len(jcurve) else 1.0)
    for i, (colour, structure) in enumerate(zip(COLOURS[1:], comparison.structures[1:], strict=False)):
        part = jcurve[jcurve["challenger"] == structure.name]
        month = part["month"].to_numpy()
        ax.fill_between(month, part["p10"] / scale, part["p90"] / scale, color=colour, alpha=0.12, lw=0)
        ax.plot(month, part["median"] / scale, color=colour, lw=2, label=narrative.label(structure.name))
        even = break_even_month(jcurve, structure.name)
        if math.isfinite(even) and even > 0:
            ax.axvline(even, color=colour, ls=":", lw=1)
            # Staggered so that several challengers' labels do not overprint each other.
            ax.annotate(
                f"break-even month {even:.0f}",
                (even, 0),
                xytext=(4, 6 + 13 * i),
                textcoords="offset points",
                fontsize=8,
                color=colour,
            )
    ax.axhline(0, color="#444", lw=0.8)
    switch = comparison.switch_day / (DAYS_PER_MONTH)
    ax.axvline(switch, color="#888", lw=0.8, ls="--")
    ax.annotate("switch", (switch, 1.0), xycoords=("data", "axes fraction"), va="top", fontsize=8)
    ax.set_xlabel("month", fontsize=9)
    ax.set_ylabel(
        f"cash vs {narrative.label(comparison.baseline.name)}\n({comparison.currency}{suffix})", fontsize=9
    )
    ax.legend(fontsize=8, loc="lower right")
    ax.tick_params(labelsize=8)
    return fig


def _money_scale(size: float) -> tuple[float, str]:
    if size >= 2e6:
        return 1e6, " millions"
    if size >= 2e3:
        return 1e3, " thousands"
    return 1.0, ""


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
        f"leadsim {p['leadsim_version']} · seeds {p['seed_range']}",
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
    """``key: value`` lines of provenance, for the report's footer and the Markdown."""
    p = comparison.provenance
    c = p.get("calibration", {})
    structures = "; ".join(
        f"{name}={'/'.join(info['by_level'])} (scenario {info['scenario_hash']})"
        for name, info in p["structures"].items()
    )
    return [
        f"leadsim_version: {p['leadsim_version']}",
        f"profile: {p['profile']} ({p.get('profile_source', '')}, hash {p['profile_hash']}), "
        f"{p['size']} people, {p['days']} days",
        f"structures: {structures}",
        f"runs: {p['versions']} plausible versions x {p['reps_per_version']} paired runs, "
        f"seeds {p['seed_range']}",
        f"calibration: {c.get('method', 'n/a')}; {c.get('samples_per_wave', 0)} points per wave, "
        f"seeds {c.get('seeds', [])}, effective settings {c.get('effective_points', 'n/a')}",
        f"switch day {p['switch_day']}, "
        f"transition {'modelled' if p['transition_modelled'] else 'laid over paired runs'}; "
        f"flip grid: {p['grid_reps']} runs per cell",
        f"generated_at: {p['generated_at']}",
    ]


def write_csv(frame: pd.DataFrame, path: Path, provenance: dict[str, Any]) -> Path:
    """A CSV with one plain header row, and its provenance in a sidecar ``NAME.csv.json``.

    No comment lines: Excel, R's ``read.csv`` and Python's ``csv`` read the file as it is.

    Returns:
        The sidecar's path.
    """
    frame.to_csv(path, index=False, float_format="%.6g", encoding="utf-8")
    sidecar = path.with_name(path.name + ".json")
    record = {"file": path.name, "columns": [str(c) for c in frame.columns], "provenance": provenance}
    sidecar.write_text(json.dumps(record, indent=2, default=str) + "\n", encoding="utf-8")
    return sidecar


def write_tables(tables: dict[str, pd.DataFrame], out: Path, provenance: dict[str, Any]) -> dict[str, Path]:
    """Each table as ``NAME.csv`` with its sidecar JSON in ``out``; the paths by file name."""
    paths = {}
    for name, frame in tables.items():
        path = out / f"{name}.csv"
        sidecar = write_csv(frame, path, provenance)
        paths[path.name], paths[sidecar.name] = path, sidecar
    return paths


# ---------------------------------------------------------------- documents

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1100px;
margin:0 auto;padding:.6em 1em;color:#222;line-height:1.4}
h1{font-size:1.45em;margin:.3em 0 .1em}h2{font-size:1.2em;margin-top:1.4em;border-bottom:1px solid #ddd}
.sub{color:#555;margin:0 0 .6em}
.answer{border:2px solid #1f4e79;border-radius:8px;padding:.7em 1.1em;background:#f6f9fc}
.rec{font-size:1.35em;font-weight:600;margin:.2em 0 .6em;color:#1f3b57}
.cards{display:flex;gap:.8em;flex-wrap:wrap}
.card{flex:1 1 0;min-width:220px;background:#fff;border:1px solid #d6e0ea;border-radius:6px;padding:.5em .8em}
.card h3{font-size:.85em;font-weight:600;color:#555;margin:0;text-transform:uppercase;letter-spacing:.03em}
.card .big{font-size:1.6em;font-weight:700;margin:.1em 0;color:#1f3b57}
.card p{font-size:.85em;margin:0;color:#444}
.caveat{background:#fff8e1;border-left:4px solid #e0a800;padding:.4em .8em;margin:.7em 0 .2em;font-size:.95em}
.how{font-size:.82em;color:#555;margin:.4em 0 0}
table{border-collapse:collapse;font-size:.86em;margin:.6em 0}
th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}th{background:#f4f4f4}
tr.v-better td:last-child,tr.v-better td:nth-last-child(2){background:#e6f2e6}
tr.v-worse td:nth-last-child(2){background:#f9e3e3}tr.v-undecided td:nth-last-child(2){background:#fff4d6}
.warn{background:#fff8e1;border-left:4px solid #e0a800;padding:.3em 1em}
figure{margin:.6em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.9em;color:#333}.meta{font-size:.8em;color:#666}
details{margin-top:1.4em}summary{font-weight:600;cursor:pointer;font-size:1.1em}
footer{margin-top:2em;border-top:1px solid #ddd;padding-top:.4em;font-size:.75em;color:#777;
word-break:break-all}
@media print{body{max-width:none}.answer{break-inside:avoid}figure,table{break-inside:avoid}}
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


def _list(items: list[str], css: str = "") -> str:
    cls = f" class='{css}'" if css else ""
    return f"<ul{cls}>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>"


def answer_html(comparison: Comparison) -> str:
    """The first screen: the recommendation, the three numbers and the main caveat."""
    cards = "".join(
        f"<div class='card'><h3>{html.escape(title)}</h3><div class='big'>{html.escape(big)}</div>"
        f"<p>{html.escape(text)}</p></div>"
        for title, big, text in narrative.three_numbers(comparison)
    )
    p = comparison.provenance
    how = (
        f"{' vs '.join(narrative.label(s.name) for s in comparison.structures)} · "
        f"{p['versions']} plausible versions of your firm × {p['reps_per_version']} "
        f"run{'s' if p['reps_per_version'] != 1 else ''} each · "
        f"switch on working day {comparison.switch_day} · "
        + (
            "calibrated to your figures"
            if comparison.calibration.calibrated
            else "not calibrated: no figures stated"
        )
    )
    return (
        "<section class='answer' id='answer'>"
        f"<p class='rec'>{html.escape(narrative.recommendation(comparison))}</p>"
        f"<div class='cards'>{cards}</div>"
        f"<p class='caveat'><b>Main caveat.</b> {html.escape(narrative.main_caveat(comparison))}</p>"
        f"<p class='how'>{html.escape(how)}</p></section>"
    )


def render_html(comparison: Comparison, figures: dict[str, bytes], open_appendix: bool = False) -> str:
    """The report as one self-contained HTML page: the answer first, details, then the appendix."""
    p = comparison.profile
    base = narrative.label(comparison.baseline.name)
    calibration = comparison.calibration
    currency = comparison.currency
    cost_items = ", ".join(
        f"{k.replace('_', ' ')} {narrative.money(v, currency)}" for k, v in comparison.transition.cost.items()
    )
    parts = [
        "<h1>Who should decide in your firm?</h1>",
        f"<p class='sub'><b>{html.escape(p.name.removeprefix('profile_').replace('_', ' '))}</b>"
        f"{': ' + html.escape(p.story.strip()) if p.story else ''}</p>",
        answer_html(comparison),
        "<h2>Measure by measure</h2>",
        html_table(narrative.ceo_table(comparison), verdict_column=""),
        "<p class='meta'>Median, and in brackets the range of the middle 80 % of plausible outcomes; "
        "the vote counts plausible versions of your firm in which the structure does better than "
        f"{html.escape(base)} by a margin that matters.</p>",
        _paragraphs(
            [
                narrative.vote_sentence(r)
                for r in comparison.answers.to_dict("records")
                if r["outcome"] in ("latency_mean", "leavers_per_year", "cash_3y")
                and r["challenger"] == narrative.best_challenger(comparison)[0]
            ]
        ),
        "<h2>The switch, month by month</h2>",
        _figure(
            figures["jcurve"],
            "cumulative cash difference against the status quo by month",
            narrative.transition_sentences(comparison),
            "Line: median of all runs over all plausible versions; band: the middle 80 %. "
            + (
                "The model switches structure, pays the one-off cost and dips on the switch day."
                if comparison.transition_modelled
                else "This model version cannot switch mid-run: the switch is laid over paired runs "
                "(the gain each run shows from day 0 starts on the switch day, less cost and dip)."
            ),
        ),
        f"<p class='meta'>Transition assumed: {html.escape(cost_items or 'no cost stated')}; "
        f"{comparison.transition.duration_days} working days of learning at "
        f"{100 * comparison.transition.learning_dip:.0f} % less output.</p>",
        "<h2>Does the model match your firm?</h2>",
    ]
    if calibration.calibrated:
        parts.append(html_table(narrative.fit_table(calibration), verdict_column=""))
    else:
        parts.append("<p>No observed figures in the profile: nothing to match.</p>")
    if comparison.warnings:
        parts.append("<div class='warn'>" + _list(comparison.warnings) + "</div>")
    parts += [
        "<h2>Assumptions that drive the answer</h2>",
        _list(narrative.assumption_sentences(comparison)),
        f"<p class='meta'>{html.escape(narrative.caveat(comparison))}</p>",
        "<h2>Over time</h2>",
        _figure(
            figures["timeseries"],
            "time series of decision wait, engagement, output and headcount",
            [],
            "Lines: mean of all runs; band: the middle 80 % of runs. Red: the profile's feared "
            + (
                f"shocks. The challengers switch on working day {comparison.switch_day}. "
                if comparison.transition_modelled
                else "shocks. Structures run from day 0 here. "
            )
            + "Model output, not a forecast.",
        ),
        f"<details{' open' if open_appendix else ''}><summary>Appendix: statistics, calibration "
        "and resilience</summary>",
        "<h2>What calibration learnt</h2>",
        html_table(narrative.parameter_table(calibration), verdict_column=""),
        _list(calibration.notes) if calibration.notes else "",
        f"<p class='meta'>{html.escape(calibration.provenance.get('method', ''))}; "
        f"{calibration.effective_points:.0f} effective settings.</p>",
        "<h2>Pooled statistics</h2>",
    ]
    for challenger in comparison.structures[1:]:
        parts.append(f"<h3>{html.escape(narrative.label(challenger.name))} vs {html.escape(base)}</h3>")
        parts.append(html_table(display_table(comparison, challenger.name)))
    parts.append(
        f"<p class='meta'>All {len(comparison.seeds)} runs pooled over the plausible versions, paired by "
        "seed. Means use Student-t intervals, survival Wilson intervals and Newcombe's paired interval; "
        "d_z is the mean paired difference over its standard deviation; P(better) is the share of "
        "matched runs in which the structure did better (ties count half).</p>"
    )
    parts.append("<h2>Resilience under shocks</h2>")
    parts.append(
        _figure(
            figures["resilience"],
            "resilience index per shock and structure",
            narrative.resilience_sentences(comparison),
            "Each dot is one shock in one run; the index is 1 − output lost relative to the pre-shock "
            "level over the recovery window (Bruneau et al. 2003).",
        )
    )
    if "flip" in figures:
        parts.append("<h2>Where does the answer flip?</h2>")
        parts.append(
            _figure(
                figures["flip"],
                "probability the challenger is better across size and turbulence",
                narrative.flip_sentences(comparison),
                "Each cell: paired runs at that size and turbulence, the profile as stated otherwise.",
            )
        )
    parts.append("</details>")
    parts.append(
        "<footer>"
        + "<br>".join(html.escape(line) for line in provenance_lines(comparison))
        + "<br>Files: answer.csv, versions.csv, jcurve.csv, sensitivity.csv, fit.csv, posterior.csv, "
        "headline.csv, runs.csv, series.csv (each with NAME.csv.json), report.pdf.</footer>"
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>leadsim compare — {html.escape(p.name)}</title><style>{STYLE}</style></head>"
        f"<body>{''.join(parts)}</body></html>\n"
    )


def render_markdown(comparison: Comparison) -> str:
    """The answer, the tables, warnings and provenance as Markdown."""
    base = narrative.label(comparison.baseline.name)
    lines = [
        f"# Who should decide: {comparison.profile.name}",
        "",
        f"**{narrative.recommendation(comparison)}**",
        "",
    ]
    lines += [f"- **{title}:** {big} — {text}" for title, big, text in narrative.three_numbers(comparison)]
    lines += ["", f"> {narrative.main_caveat(comparison)}", "", "## Measure by measure", ""]
    lines += [markdown_table(narrative.ceo_table(comparison)), ""]
    lines += ["## The switch", "", *narrative.transition_sentences(comparison), ""]
    if comparison.calibration.calibrated:
        lines += [
            "## Your figures against the model",
            "",
            markdown_table(narrative.fit_table(comparison.calibration)),
            "",
        ]
    lines += [
        "## Assumptions that drive the answer",
        "",
        *[f"- {s}" for s in narrative.assumption_sentences(comparison)],
        "",
    ]
    if comparison.warnings:
        lines += ["## Warnings", "", *[f"- {w}" for w in comparison.warnings], ""]
    lines += ["## Appendix: pooled statistics", ""]
    for challenger in comparison.structures[1:]:
        lines += [
            f"### {narrative.label(challenger.name)} vs {base}",
            "",
            markdown_table(display_table(comparison, challenger.name)),
            "",
        ]
    lines += [f"> {narrative.caveat(comparison)}", ""]
    lines += ["```", *provenance_lines(comparison), "```", ""]
    return "\n".join(lines)


def print_pdf(html_path: Path, pdf_path: Path, timeout: float = 120) -> None:
    """Print an HTML file to PDF with headless Chromium (Debian ``chromium``).

    Raises:
        FileNotFoundError: no Chromium on PATH.
        RuntimeError: Chromium failed or wrote no PDF.
    """
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise FileNotFoundError("no chromium on PATH for the PDF (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="leadsim-chromium-") as profile:
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf_path}",
            html_path.resolve().as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0 or not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        raise RuntimeError(f"chromium could not print the PDF: {done.stderr.strip()[-300:]}")


def write_report(comparison: Comparison, out_dir: str | Path, pdf: bool = False) -> dict[str, Path]:
    """Write report.html (and report.pdf), the tables (CSV with JSON sidecars, Markdown), the figures.

    Args:
        comparison: the result of :func:`leadsim.compare.compare`.
        out_dir: the folder; created if missing, files in it replaced.
        pdf: also print the report to PDF with headless Chromium (appendix open).

    Returns:
        The written files by name.

    Raises:
        FileNotFoundError: ``pdf`` without Chromium (nothing is written).
    """
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        figures = {
            "jcurve": png_bytes(jcurve_figure(comparison)),
            "timeseries": png_bytes(timeseries_figure(comparison)),
            "resilience": png_bytes(resilience_figure(comparison)),
        }
        if not comparison.flip.empty:
            figures["flip"] = png_bytes(flip_figure(comparison))
        (staging / "report.html").write_text(render_html(comparison, figures), encoding="utf-8")
        (staging / "headline.md").write_text(render_markdown(comparison), encoding="utf-8")
        (staging / "provenance.json").write_text(
            json.dumps(comparison.provenance, indent=2, default=str) + "\n", encoding="utf-8"
        )
        calibration = comparison.calibration
        tables = {
            "answer": comparison.answers,
            "versions": comparison.versions,
            "draws": comparison.draws,
            "jcurve": comparison.jcurve,
            "sensitivity": comparison.sensitivity,
            "fit": calibration.fit,
            "posterior": calibration.posterior,
            "parameters": calibration.summary,
            "headline": comparison.headline,
            "means": comparison.means,
            "differences": comparison.differences,
            "runs": comparison.runs,
            "shocks": comparison.shocks,
            "series": comparison.series,
            "flip": comparison.flip,
        }
        # A table that was not computed (the flip grid without --flip) is left out, not written empty.
        write_tables({k: v for k, v in tables.items() if v.columns.size}, staging, comparison.provenance)
        for name, png in figures.items():
            (staging / f"{name}.png").write_bytes(png)
        if pdf:
            printable = staging / ".print.html"
            printable.write_text(render_html(comparison, figures, open_appendix=True), encoding="utf-8")
            print_pdf(printable, staging / "report.pdf")
            printable.unlink()
        out.mkdir(exist_ok=True)
        paths = {}
        for path in sorted(staging.iterdir()):
            os.replace(path, out / path.name)
            paths[path.name] = out / path.name
        return paths
    finally:
        shutil.rmtree(staging, ignore_errors=True)
