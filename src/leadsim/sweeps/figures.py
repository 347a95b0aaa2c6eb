"""Standard figures of a sweep, and the bar chart of sensitivity indices.

A standard figure is an output against a factor: a line and a confidence band per level of another
factor (usually the leadership style), optionally one panel per level of a third.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

import leadsim
from leadsim.labels import OUTPUTS, axis_label
from leadsim.sweeps.design import Experiment, PlotSpec, SweepError, parse_experiment
from leadsim.sweeps.store import Store

CONFIDENCE = 0.95
MAX_LEVELS = 12  # more distinct x values than this are binned (sampled designs)
DEFAULT_OUTPUTS = ("latency_mean", "engagement_final", "output_total", "resilience_index")
PALETTE = plt.get_cmap("tab10").colors


def level_colour(level: Any, levels: list[Any]) -> Any:
    """The same colour for a style in every figure; other levels by position."""
    if level in leadsim.STYLE_NAMES:
        return PALETTE[leadsim.STYLE_NAMES.index(level) % len(PALETTE)]
    return PALETTE[levels.index(level) % len(PALETTE)]


def mean_ci(values: pd.Series) -> tuple[float, float, float]:
    """Mean and the t confidence interval of the mean (NaNs ignored; no band for n < 2)."""
    v = values.dropna().to_numpy(dtype=float)
    if v.size == 0:
        return (np.nan,) * 3
    mean = float(v.mean())
    if v.size < 2:
        return mean, mean, mean
    half = stats.t.ppf(0.5 + CONFIDENCE / 2, v.size - 1) * v.std(ddof=1) / np.sqrt(v.size)
    return mean, mean - half, mean + half


def default_specs(experiment: Experiment, columns: list[str]) -> list[PlotSpec]:
    """Each kept standard output against the first numeric factor, one line per categorical one."""
    factors = experiment.factors
    if not factors:
        raise SweepError(
            f"experiment '{experiment.name}' varies no factor: nothing to plot "
            "against (read its runs/ with pandas instead)"
        )
    numeric = [
        n
        for n, f in factors.items()
        if f.is_range or all(isinstance(v, int | float) and not isinstance(v, bool) for v in f.levels or [])
    ]
    categorical = [n for n in factors if n not in numeric]
    x = numeric[0] if numeric else next(iter(factors))
    by = next((n for n in categorical if n != x), None)
    outputs = [o for o in DEFAULT_OUTPUTS if o in columns]
    return [PlotSpec(y=y, x=x, by=by) for y in outputs]


def _binned(x: pd.Series) -> pd.Series:
    """Quantile bins labelled by their mid-points, for x with many distinct values."""
    codes = pd.qcut(x, q=10, duplicates="drop")
    return codes.map(lambda iv: iv.mid).astype(float)


def sweep_figure(runs: pd.DataFrame, spec: PlotSpec, caption: str) -> Figure:
    """One figure: mean of ``spec.y`` against ``spec.x`` with a CI band per ``spec.by`` level."""
    facets = list(dict.fromkeys(runs[spec.facet])) if spec.facet else [None]
    fig, axes = plt.subplots(
        1,
        len(facets),
        figsize=(min(max(6.4, 4.6 * len(facets)), 14), 4.2),
        sharey=True,
        squeeze=False,
        constrained_layout=True,
    )
    numeric_x = pd.api.types.is_numeric_dtype(runs[spec.x])
    for ax, facet in zip(axes[0], facets, strict=True):
        data = runs if facet is None else runs[runs[spec.facet] == facet]
        data = data.assign(_x=data[spec.x])
        if numeric_x and data["_x"].nunique() > MAX_LEVELS:
            data = data.assign(_x=_binned(data["_x"]))
        levels = list(dict.fromkeys(data[spec.by])) if spec.by else [None]
        order = sorted(data["_x"].unique()) if numeric_x else list(dict.fromkeys(data["_x"]))
        for level in levels:
            part = data if level is None else data[data[spec.by] == level]
            rows = [(x, *mean_ci(part.loc[part["_x"] == x, spec.y])) for x in order]
            xs = [r[0] for r in rows] if numeric_x else list(range(len(rows)))
            mean, lo, hi = (np.array([r[i] for r in rows], dtype=float) for i in (1, 2, 3))
            colour = level_colour(level, levels) if level is not None else PALETTE[0]
            ax.plot(
                xs,
                mean,
                marker="o",
                ms=3.5,
                lw=1.6,
                color=colour,
                label=str(level) if level is not None else None,
            )
            ax.fill_between(xs, lo, hi, color=colour, alpha=0.18, lw=0)
        if not numeric_x:
            ax.set_xticks(range(len(order)), [str(v) for v in order], rotation=30, ha="right")
        if spec.logx and numeric_x:
            ax.set_xscale("log")
        ax.set_xlabel(axis_label(spec.x), fontsize=8.5)
        ax.grid(alpha=0.3, lw=0.5)
        if facet is not None:
            ax.set_title(f"{spec.facet} = {facet}", fontsize=9)
    axes[0][0].set_ylabel(axis_label(spec.y, width=40), fontsize=8.5)
    if spec.by:
        axes[0][-1].legend(
            title=spec.by, fontsize=7, title_fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0)
        )
    words = OUTPUTS.get(spec.y, (spec.y,))[0]
    fig.suptitle(spec.title or f"{words} against {spec.x}", fontsize=11)
    fig.supxlabel(caption, fontsize=6.5, color="#7f7f7f")  # kept inside the layout
    return fig


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")


FORMATS = ("png", "svg", "pdf")
DEFAULT_DPI = 150  # raster figures: sharp on a slide and in a paper; vector formats ignore it


def sweep_figures(
    out: str | Path,
    to: str | Path | None = None,
    specs: list[PlotSpec] | None = None,
    *,
    fmt: str = "png",
    dpi: int = DEFAULT_DPI,
) -> list[Path]:
    """Write the standard figures of the sweep in ``out`` (default into ``out/figures``).

    The figures are the experiment's ``plots`` (or ``specs``), else each standard output against
    the first numeric factor with a line per categorical factor (e.g. the style). Axes are
    labelled with the outputs' words and the scenario schema's field descriptions.

    Args:
        out: the sweep's folder.
        to: the folder for the figures.
        specs: the figures to draw instead of the experiment's.
        fmt: ``png``, ``svg`` or ``pdf``.
        dpi: resolution of PNG figures.

    Returns:
        The files written.
    """
    if fmt not in FORMATS:
        raise SweepError(f"format: '{fmt}' is not allowed; allowed: {', '.join(FORMATS)}")
    if not 10 <= dpi <= 2400:
        raise SweepError(f"dpi: {dpi} is not allowed; allowed: 10..2400")
    store = Store(out)
    manifest = store.read_manifest()
    experiment = parse_experiment(manifest["config"], str(store.out / "manifest.json"))
    runs = store.runs()
    if runs.empty:
        raise SweepError(f"{store.out}: no finished runs to plot yet")
    runs = runs[runs["error"].isna()]
    specs = specs or experiment.plots or default_specs(experiment, list(runs.columns))
    target = Path(to) if to is not None else store.out / "figures"
    target.mkdir(parents=True, exist_ok=True)
    reps = manifest["replications"]
    caption = (
        f"leadsim {manifest['version']} · experiment {experiment.name} "
        f"({manifest['fingerprint']}) · {reps} replications per point · "
        f"mean and {CONFIDENCE:.0%} CI"
    )
    written = []
    for spec in specs:
        for role in ("y", "x", "by", "facet"):
            column = getattr(spec, role)
            if column is not None and column not in runs.columns:
                raise SweepError(
                    f"plot {role}: no column '{column}' in the sweep; allowed: "
                    f"{', '.join(c for c in runs.columns if c not in ('traceback',))}"
                )
        name = f"{experiment.name}-{_slug(spec.y)}-vs-{_slug(spec.x)}"
        if spec.by:
            name += f"-by-{_slug(spec.by)}"
        fig = sweep_figure(runs, spec, caption)
        path = target / f"{name}.{fmt}"
        # text stays text: editable in SVG, embedded TrueType in PDF (what journals ask for)
        with plt.rc_context({"svg.fonttype": "none", "pdf.fonttype": 42}):
            fig.savefig(path, dpi=dpi, metadata=_metadata(fmt, caption))
        plt.close(fig)
        written.append(path)
    return written


def _metadata(fmt: str, caption: str) -> dict[str, str]:
    """Provenance inside the figure file (PNG text chunk, SVG and PDF metadata)."""
    key = {"png": "Description", "svg": "Description", "pdf": "Subject"}[fmt]
    return {key: caption}


def sensitivity_figure(table: pd.DataFrame, title: str = "") -> Figure:
    """Bars of the indices with their confidence intervals, one panel per output."""
    first = table[table["index"].isin(["S1", "ST", "mu_star"])]
    outputs = list(dict.fromkeys(first["output"]))
    fig, axes = plt.subplots(
        1,
        max(len(outputs), 1),
        figsize=(4.2 * max(len(outputs), 1), 3.6),
        squeeze=False,
        constrained_layout=True,
    )
    for ax, output in zip(axes[0], outputs, strict=False):
        part = first[first["output"] == output]
        factors = list(dict.fromkeys(part["factor"]))
        series = list(dict.fromkeys(zip(part["group"], part["index"], strict=True)))
        height = 0.8 / len(series)
        for k, (group, index) in enumerate(series):
            rows = part[(part["group"] == group) & (part["index"] == index)].set_index("factor")
            rows = rows.reindex(factors)
            ys = np.arange(len(factors)) + (k - (len(series) - 1) / 2) * height
            label = index if group == "all" else f"{index} · {group}"
            ax.barh(
                ys,
                rows["value"],
                height=height,
                xerr=rows["conf"].fillna(0),
                label=label,
                color=PALETTE[k % len(PALETTE)],
                alpha=0.85,
                error_kw={"lw": 0.8},
            )
        ax.set_yticks(range(len(factors)), factors, fontsize=8)
        ax.invert_yaxis()
        ax.axvline(0, color="black", lw=0.6)
        ax.set_title(output, fontsize=10)
        ax.grid(axis="x", alpha=0.3, lw=0.5)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 4), fontsize=7)
    fig.suptitle(title, fontsize=10)
    return fig
