"""Plain-language sentences generated from a comparison's numbers.

Every sentence here is assembled from the tables of a :class:`Comparison`; none is written in
advance. The words for "better" and the units come from the metric definitions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from leadsim.compare.analysis import METRIC_BY_KEY, METRICS, SERIES, Metric

if TYPE_CHECKING:
    from leadsim.compare.analysis import Comparison

SERIES_LABELS = {
    "latency_mean": ("decision latency", "days"),
    "backlog_age_mean": ("age of pending decisions", "days"),
    "engagement_mean": ("engagement", ""),
    "output": ("output per day", ""),
    "headcount": ("headcount", "people"),
}
WINDOW = 30  # days: "the first month" and "the last month" of a time series


def number(x: float) -> str:
    """A number with sensible precision for a reader (three significant figures, no exponent)."""
    if x is None or not math.isfinite(x):
        return "∞" if x is not None and math.isinf(x) else "n/a"
    size = abs(x)
    if size >= 100:
        return f"{x:,.0f}"
    if size >= 10:
        return f"{x:.1f}"
    if size >= 1 or size == 0:
        return f"{x:.2f}"
    return f"{x:.3f}" if size < 0.1 else f"{x:.2f}"


def _scaled(metric: Metric, x: float) -> str:
    """A value in display units without the unit (percentages as 0–100)."""
    if metric.percent:
        return f"{100 * x:.0f}" if abs(x) >= 0.1 else f"{100 * x:.1f}"
    return number(x)


def value(metric: Metric, x: float) -> str:
    """A metric's value with its unit."""
    if x is None or not math.isfinite(x):
        return "n/a"
    if metric.percent:
        return f"{_scaled(metric, x)} %"
    if metric.unit == "days":
        return f"{number(x)} days"
    return number(x)


def signed(text: str) -> str:
    """A typographic minus sign instead of a hyphen."""
    return text.replace("-", "−")


def amount(metric: Metric, x: float) -> str:
    """A (signed) difference of a metric with its unit (percentage points for percentages)."""
    if x is None or not math.isfinite(x):
        return "n/a"
    if metric.percent:
        return signed(f"{100 * x:+.1f} percentage points")
    shown = value(metric, x)
    return signed(shown if x < 0 else f"+{shown}")


def magnitude(metric: Metric, x: float) -> str:
    """An unsigned size of a difference with its unit."""
    return amount(metric, abs(x)).removeprefix("+")


def interval(metric: Metric, low: float, high: float, diff: bool = False) -> str:
    """An interval without units: ``0.61–0.64``, or ``−0.2 to 0.3`` for differences."""
    if diff:
        show = (lambda v: f"{100 * v:.1f}") if metric.percent else number
        return signed(f"{show(low)} to {show(high)}")
    return signed(f"{_scaled(metric, low)}–{_scaled(metric, high)}")


def level(x: float) -> str:
    """A turbulence level or other grid coordinate, compactly."""
    return f"{x:g}"


def effect_words(dz: float) -> str:
    """Cohen's conventional names for an effect size."""
    if dz is None or math.isnan(dz):
        return "no"
    size = abs(dz)
    if math.isinf(size):
        return "a uniform (every matched run differs the same way)"
    if size < 0.2:
        return "a negligible"
    if size < 0.5:
        return "a small"
    if size < 0.8:
        return "a medium"
    return "a large"


def label(name: str) -> str:
    """A structure's name as shown to readers."""
    return name.replace("_", "-")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def metric_sentence(row: Mapping[str, Any]) -> str:
    """One sentence on one metric of one challenger against the baseline (a headline row)."""
    metric = METRIC_BY_KEY[row["metric"]]
    b, c = label(row["baseline"]), label(row["challenger"])
    if row["verdict"] == "not measured":
        if metric.key == "resilience_index":
            return (
                "Resilience was not measured: no shock hit the firm within the horizon, so there "
                "is no drop to recover from. Add the shocks you fear to the profile."
            )
        return f"{_capital(metric.label)} was not measured in enough runs to compare."
    n = int(row["n"])
    means = (
        f"{c} {value(metric, row['challenger_mean'])} "
        f"(95 % CI {interval(metric, row['challenger_low'], row['challenger_high'])}) against "
        f"{b} {value(metric, row['baseline_mean'])} "
        f"({interval(metric, row['baseline_low'], row['baseline_high'])})"
    )
    diff_ci = interval(metric, row["diff_low"], row["diff_high"], diff=True)
    wins = f"{c} did better in {100 * row['p_better']:.0f} % of the {n} matched runs"
    verdict = row["verdict"]
    if verdict in ("better", "worse"):
        # The difference's sign and the metric's direction give the word (shorter, lower...).
        word = metric.better if verdict == "better" else metric.worse
        return (
            f"{_capital(metric.label)} is {word} under {c} than under {b}: {means}. The paired "
            f"difference {c} − {b} is {amount(metric, row['diff'])} (95 % CI {diff_ci}), "
            f"{effect_words(row['effect_size_dz'])} effect "
            f"(d_z = {signed(number(row['effect_size_dz']))}); {wins}."
        )
    if verdict == "equivalent":
        return (
            f"{_capital(metric.label)} is practically the same: {means}. The paired difference "
            f"(95 % CI {diff_ci}) stays within ±{magnitude(metric, row_margin(row))}, "
            f"too small to matter."
        )
    needed = row.get("reps_needed")
    more = (
        f"; roughly {int(needed)} paired runs would be needed to decide"
        if needed is not None and math.isfinite(needed)
        else ""
    )
    return (
        f"{_capital(metric.label)} cannot be decided with {n} runs: {means}. The paired difference "
        f"(95 % CI {diff_ci}) includes zero and reaches beyond "
        f"±{magnitude(metric, row_margin(row))}{more}."
    )


def row_margin(row: Mapping[str, Any]) -> float:
    """The margin of practical indifference of a headline row (from its baseline mean)."""
    return METRIC_BY_KEY[row["metric"]].margin_for(row["baseline_mean"])


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def summary_sentences(comparison: Comparison) -> list[str]:
    """One sentence per challenger: on which measures it is better, worse, the same, undecided."""
    sentences = []
    headline = comparison.headline
    for challenger in comparison.structures[1:]:
        rows = headline[headline["challenger"] == challenger.name]
        groups: dict[str, list[str]] = {}
        for row in rows.to_dict("records"):
            groups.setdefault(row["verdict"], []).append(METRIC_BY_KEY[row["metric"]].label)
        parts = []
        phrases = (
            ("better", "better on"),
            ("worse", "worse on"),
            ("equivalent", "practically the same on"),
            ("undecided", f"undecided with {len(comparison.seeds)} runs on"),
            ("not measured", "not measured on"),
        )
        for code, phrase in phrases:
            if groups.get(code):
                parts.append(f"{phrase} {_join(groups[code])}")
        sentences.append(
            f"Compared with {label(comparison.baseline.name)}, {label(challenger.name)} is "
            f"{_join(parts)} ({len(comparison.seeds)} paired runs each)."
        )
    return sentences


def caveat(comparison: Comparison) -> str:
    """The reminder that this is a model, with what stands behind the numbers."""
    p = comparison.profile
    return (
        f"This is a model. The numbers show what follows from leadsim's assumptions "
        f"(docs/ODD.md) for the profile '{p.name}' — {p.org.size} people over {p.days} working "
        f"days, {len(comparison.seeds)} paired runs per structure — not a forecast for a real "
        f"company. Use them to see which mechanisms drive a difference and when it reverses."
    )


def _window_mean(frame: pd.DataFrame, start: int, stop: int) -> float:
    part = frame[(frame["day"] >= start) & (frame["day"] < stop)]["mean"].to_numpy(dtype=float)
    return float(np.nanmean(part)) if np.isfinite(part).any() else math.nan


def series_sentences(comparison: Comparison) -> list[str]:
    """How each per-day measure moved under each structure, first month against last month."""
    series = comparison.series
    days = int(series["day"].max()) + 1 if len(series) else 0
    window = min(WINDOW, max(days // 4, 1))
    sentences = []
    for name in SERIES:
        measure, unit = SERIES_LABELS[name]
        parts = []
        for structure in comparison.structures:
            frame = series[(series["structure"] == structure.name) & (series["measure"] == name)]
            first = _window_mean(frame, 0, window)
            last = _window_mean(frame, days - window, days)
            parts.append(f"{label(structure.name)} from {number(first)} to {number(last)}")
        unit_text = f" ({unit})" if unit else ""
        sentences.append(
            f"Mean {measure}{unit_text}, first {window} days against last {window}: {_join(parts)}."
        )
    sentences.extend(_scheduled_shock_sentences(comparison))
    return sentences


def _scheduled_shock_sentences(comparison: Comparison) -> list[str]:
    shocks = comparison.shocks
    if shocks.empty or "depth" not in shocks:
        return []
    scheduled = shocks[~shocks["random"].astype(bool)] if "random" in shocks else shocks
    sentences = []
    for (kind, day), group in scheduled.groupby(["type", "day"], sort=True):
        parts = []
        for structure in comparison.structures:
            rows = group[group["structure"] == structure.name]
            depth = rows["depth"].to_numpy(dtype=float)
            recovery = rows["recovery_days"].to_numpy(dtype=float)
            measured = np.isfinite(depth)
            name = label(structure.name)
            if not measured.any():
                parts.append(f"{name} not measured in any of {depth.size} runs (failed before)")
                continue
            recovered = np.isfinite(recovery)
            loss = 100 * float(np.median(depth[measured]))
            lost = (
                f"{name} lost a median {loss:.0f} % of its pre-shock output"
                if loss >= 0.5
                else f"{name} kept its output (median loss under 1 %)"
            )
            back = (
                (
                    f", back to 95 % after a median {float(np.median(recovery[recovered])):.0f} days "
                    f"in {recovered.sum()} of {measured.sum()} runs"
                    if recovered.any()
                    else ", not recovered in any run"
                )
                if loss >= 0.5
                else ""
            )
            parts.append(lost + back)
        if parts:
            sentences.append(f"At the {kind.replace('_', ' ')} on day {day}: {'; '.join(parts)}.")
    return sentences


def resilience_sentences(comparison: Comparison) -> list[str]:
    """The distribution of the resilience index over all shocks, per structure and paired."""
    shocks = comparison.shocks
    if shocks.empty or "index" not in shocks or not np.isfinite(shocks["index"]).any():
        return [
            "No shock hit the firm within the horizon in any run, so there is no resilience to "
            "show. Add the shocks you fear to the profile (shocks: or market.random_shocks)."
        ]
    sentences = []
    base = comparison.baseline.name
    keyed = shocks.set_index(["structure", "rep", "shock"])["index"]
    for structure in comparison.structures:
        values = shocks[shocks["structure"] == structure.name]["index"].to_numpy(dtype=float)
        values = values[np.isfinite(values)]
        q1, median, q3 = np.percentile(values, [25, 50, 75])
        sentences.append(
            f"{_capital(label(structure.name))}: median resilience index {number(median)} "
            f"(middle half {number(q1)}–{number(q3)}) over {values.size} shocks."
        )
    for challenger in comparison.structures[1:]:
        a = keyed.loc[base]
        b = keyed.loc[challenger.name].reindex(a.index)
        both = np.isfinite(a.to_numpy()) & np.isfinite(b.to_numpy())
        if not both.any():
            continue
        d = b.to_numpy()[both] - a.to_numpy()[both]
        sentences.append(
            f"Shock by shock (same run, same shock), {label(challenger.name)} kept more of its "
            f"output than {label(base)} in {np.sum(d > 0)} of {d.size} cases, less in "
            f"{np.sum(d < 0)} and the same in {np.sum(d == 0)}."
        )
    return sentences


def _span(values: list[float], all_values: list[float]) -> str:
    """Turbulence levels as text: 'any turbulence' or 'turbulence 0–0.5'."""
    if sorted(values) == sorted(all_values):
        return "any turbulence"
    ordered = sorted(all_values)
    chosen = sorted(values)
    positions = [ordered.index(v) for v in chosen]
    if positions == list(range(positions[0], positions[0] + len(positions))) and len(chosen) > 1:
        return f"turbulence {level(chosen[0])}–{level(chosen[-1])}"
    return "turbulence " + ", ".join(level(v) for v in chosen)


def describe_cells(cells: Iterable[tuple[int, float]], sizes: list[int], levels: list[float]) -> str:
    """A compact description of grid cells, consecutive sizes with the same levels merged."""
    by_size: dict[int, list[float]] = {}
    for size, turb in cells:
        by_size.setdefault(size, []).append(turb)
    pieces: list[tuple[list[int], str]] = []
    for size in sizes:
        if size not in by_size:
            if pieces and pieces[-1][0] is not None:
                pieces.append(([], ""))  # a gap: sizes on either side are not merged
            continue
        span = _span(by_size[size], levels)
        if pieces and pieces[-1][0] and pieces[-1][1] == span:
            pieces[-1][0].append(size)
        else:
            pieces.append(([size], span))
    texts = []
    for group, span in pieces:
        if not group:
            continue
        people = f"{group[0]} people" if len(group) == 1 else f"{group[0]}–{group[-1]} people"
        texts.append(f"{people} ({span})")
    return _join(texts)


def flip_sentences(comparison: Comparison) -> list[str]:
    """Where each structure wins across company size and turbulence, per metric."""
    flip = comparison.flip
    if flip is None or flip.empty:
        return ["The where-does-it-flip grid was not run."]
    sizes = sorted(flip["size"].unique().tolist())
    levels = sorted(flip["turbulence"].unique().tolist())
    total = len(sizes) * len(levels)
    sentences = []
    base = label(comparison.baseline.name)
    for challenger in comparison.structures[1:]:
        c = label(challenger.name)
        for metric in METRICS:
            rows = flip[(flip["challenger"] == challenger.name) & (flip["metric"] == metric.key)]
            if rows.empty:
                continue
            outcome = {
                "better": f"{c} is {metric.better}",
                "worse": f"{base} is {metric.better}",
                "equivalent": "practically no difference",
                "undecided": "too close to call",
            }
            groups: dict[str, list[tuple[int, float]]] = {}
            for row in rows.to_dict("records"):
                groups.setdefault(row["verdict"], []).append((row["size"], row["turbulence"]))
            name = _capital(metric.label)
            if len(groups) == 1:
                verdict, cells = next(iter(groups.items()))
                sentences.append(
                    f"{name}: {outcome[verdict]} in all {len(cells)} conditions tested "
                    f"({sizes[0]}–{sizes[-1]} people, turbulence {level(levels[0])}–"
                    f"{level(levels[-1])})."
                )
                continue
            flips = "better" in groups and "worse" in groups
            parts = [
                f"{outcome[v]} at {describe_cells(groups[v], sizes, levels)}"
                for v in ("better", "worse", "equivalent", "undecided")
                if v in groups
            ]
            lead = "the answer flips" if flips else "the answer depends on the conditions"
            sentences.append(f"{name}: {lead} — {'; '.join(parts)} (of {total} conditions).")
    return sentences


def warnings_for(comparison: Comparison) -> list[str]:
    """Warnings a reader must see: undecided intervals, unmeasured metrics, failed firms."""
    warnings = []
    n = len(comparison.seeds)
    for row in comparison.headline.to_dict("records"):
        metric = METRIC_BY_KEY[row["metric"]]
        pair = f"{label(row['challenger'])} vs {label(row['baseline'])}"
        if row["verdict"] == "undecided":
            needed = row.get("reps_needed")
            more = (
                f"; about {int(needed)} would decide (--reps {int(needed)})"
                if needed is not None and math.isfinite(needed)
                else ""
            )
            warnings.append(
                f"{_capital(metric.label)}, {pair}: the interval of the difference "
                f"({interval(metric, row['diff_low'], row['diff_high'], diff=True)}) is too wide "
                f"to decide with {n} runs{more}."
            )
        elif row["verdict"] == "not measured":
            warnings.append(f"{_capital(metric.label)}, {pair}: not measured (no shocks or no data).")
    runs = comparison.runs
    for structure in comparison.structures:
        mine = runs[runs["structure"] == structure.name]
        failed = mine[mine["survived"] == 0]
        if len(failed):
            warnings.append(
                f"{len(failed)} of {len(mine)} runs under {label(structure.name)} ran out of cash "
                f"(median day {number(float(np.median(failed['failed_day'].astype(float))))}); "
                f"their later measures describe a failed firm."
            )
    flip = comparison.flip
    if flip is not None and not flip.empty:
        undecided = int((flip["verdict"] == "undecided").sum())
        if undecided:
            warnings.append(
                f"Flip grid: {undecided} of {len(flip)} metric × condition cells are too close to "
                f"call with {comparison.provenance.get('grid_reps') or flip['n'].max()} runs each; "
                f"their colours are tentative (--grid-reps raises the runs)."
            )
    return warnings
