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
    "latency_mean": ("decisions waiting", "days"),
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
    """Warnings a reader must see: calibration, failed firms, a tentative flip grid.

    Statistical verdicts (intervals too wide to decide) stay in the appendix's tables.
    """
    warnings = list(comparison.calibration.warnings)
    change = comparison.transition
    if change.total_cost == 0 and (change.duration_days == 0 or change.learning_dip == 0):
        warnings.append(
            "No cost of the switch is stated: it is assumed free, with no learning dip (add a "
            "transition: section to the profile, or --transition-cost)."
        )
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


# ---------------------------------------------------------------- calibration and money


def money(x: float, currency: str) -> str:
    """An amount of money a manager reads at a glance: ``€48k``, ``−€1.2m``, ``EUR 950``."""
    if x is None or not math.isfinite(x):
        return "n/a"
    symbol = {"EUR": "€", "USD": "$", "GBP": "£"}.get(currency.upper())
    size = abs(x)
    if size >= 1e6:
        text = f"{size / 1e6:.1f}m"
    elif size >= 1e4:
        text = f"{size / 1e3:.0f}k"
    elif size >= 1e3:
        text = f"{size / 1e3:.1f}k"
    else:
        text = f"{size:.0f}"
    shown = f"{symbol}{text}" if symbol else f"{text} {currency}"
    return f"−{shown}" if x < 0 else shown


def figure_value(row: Mapping[str, Any], x: float, currency: str = "EUR") -> str:
    """An observed figure's value in its unit (a calibration fit row gives the unit)."""
    if x is None or not math.isfinite(x):
        return "n/a"
    unit = row["unit"]
    if unit == "per year":
        return f"{100 * x:.0f} % a year" if abs(x) >= 0.095 else f"{100 * x:.1f} % a year"
    if unit == "days":
        return f"{number(x)} days"
    if unit == "currency":
        return money(x, currency)
    return number(x)


def _bare(text: str) -> str:
    """A value without its unit, for the low end of a range (``4.2 % a year`` → ``4.2``)."""
    return text.removesuffix(" % a year").removesuffix(" days")


def fit_table(calibration: Any) -> pd.DataFrame:
    """The calibration fit as text: each figure, observed against simulated, and a verdict."""
    currency = calibration.firm.currency
    rows = []
    for row in calibration.fit.to_dict("records"):
        show = lambda x, row=row: figure_value(row, x, currency)  # noqa: E731
        rows.append(
            {
                "figure": row["label"],
                "your firm": show(row["observed"]),
                "model, calibrated (90 % range)": f"{show(row['simulated_median'])} "
                f"({_bare(show(row['simulated_low']))} to {show(row['simulated_high'])})",
                "model before calibration": f"{_bare(show(row['prior_low']))} to {show(row['prior_high'])}",
                "matched": "yes" if row["matched"] else f"no — closest {show(row['closest'])}",
            }
        )
    return pd.DataFrame(rows)


def parameter_table(calibration: Any) -> pd.DataFrame:
    """What calibration learnt about each uncertain parameter, as text."""
    rows = []
    for row in calibration.summary.to_dict("records"):
        narrowed = row["narrowed_to"]
        rows.append(
            {
                "assumption": row["label"],
                "model field": row["parameter"],
                "range before": f"{number(row['prior_low'])} to {number(row['prior_high'])}",
                "plausible for your firm (90 %)": f"{number(row['posterior_low'])} to "
                f"{number(row['posterior_high'])}",
                "most likely": number(row["posterior_median"]),
                "narrowed to": f"{100 * narrowed:.0f} % of the range" if math.isfinite(narrowed) else "n/a",
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- the answer, in a CEO's words


def outcome_value(outcome: Any, x: float, currency: str, signed_: bool = False) -> str:
    """An outcome's value in its unit: ``2.3 days``, ``3.1 people``, ``€48k``, ``97 %``."""
    if x is None or not math.isfinite(x):
        return "n/a"
    sign = "+" if signed_ and x > 0 else ""
    if outcome.unit == "days":
        text = f"{sign}{number(x)} days"
    elif outcome.unit == "people":
        text = f"{sign}{x:.1f} people"
    elif outcome.unit == "money":
        text = f"{sign}{money(x, currency)}"
    elif outcome.unit == "share":
        text = f"{sign}{100 * x:.0f} %" if not signed_ else f"{sign}{100 * x:.0f} points"
    else:
        text = f"{sign}{number(x)}"
    return signed(text)


def outcome_range(outcome: Any, low: float, high: float, currency: str, signed_: bool = False) -> str:
    """A range of an outcome: ``1.2 to 3.4 days`` (unit once, at the end where possible)."""
    if outcome.unit == "money" or signed_:
        low_text = outcome_value(outcome, low, currency, signed_)
        return f"{low_text} to {outcome_value(outcome, high, currency, signed_)}"
    unit = {"days": " days", "people": " people", "share": " %"}.get(outcome.unit, "")
    scale = 100 if outcome.unit == "share" else 1
    if outcome.unit == "people":
        show = lambda v: f"{v:.1f}"  # noqa: E731
    elif outcome.unit == "share":
        show = lambda v: f"{100 * v:.0f}"  # noqa: E731
    else:
        show = lambda v: number(v * scale)  # noqa: E731
    if not (math.isfinite(low) and math.isfinite(high)):
        return "n/a"
    return signed(f"{show(low)} to {show(high)}{unit}")


def of_ten(count: int, total: int) -> int:
    """A count out of ``total`` as a count out of ten (never 0 or 10 unless exact)."""
    if total <= 0:
        return 0
    tenth = round(10 * count / total)
    if tenth == 0 and count > 0:
        return 1
    if tenth == 10 and count < total:
        return 9
    return tenth


def vote_sentence(row: Mapping[str, Any]) -> str:
    """A vote in words: 'In 8 of 10 plausible versions of your firm, distributed decides faster'."""
    from leadsim.compare.decision import OUTCOME_BY_KEY

    outcome = OUTCOME_BY_KEY[row["outcome"]]
    c = label(row["challenger"])
    total = int(row["versions"])
    better, worse = int(row["versions_better"]), int(row["versions_worse"])
    answer = row["answer"]
    if answer == "not measured":
        return f"{_capital(outcome.label)}: not measured."
    if answer == "better":
        return f"In {of_ten(better, total)} of 10 plausible versions of your firm, {c} {outcome.better}."
    if answer == "worse":
        return f"In {of_ten(worse, total)} of 10 plausible versions of your firm, {c} {outcome.worse}."
    same = total - better - worse
    if answer == "same":
        return f"{_capital(outcome.label)}: about the same in {of_ten(same, total)} of 10 plausible versions."
    return (
        f"{_capital(outcome.label)}: we cannot tell — {c} {outcome.better} in {of_ten(better, total)} of 10 "
        f"plausible versions of your firm, {outcome.worse} in {of_ten(worse, total)}."
    )


def vote_cell(row: Mapping[str, Any]) -> str:
    """The vote as a short table cell: ``better in 8 of 10``, ``cannot tell (5 better, 4 worse)``."""
    total = int(row["versions"])
    better, worse = int(row["versions_better"]), int(row["versions_worse"])
    return {
        "better": f"better in {of_ten(better, total)} of 10",
        "worse": f"worse in {of_ten(worse, total)} of 10",
        "same": f"same in {of_ten(total - better - worse, total)} of 10",
        "not measured": "not measured",
    }.get(row["answer"], _unclear_cell(better, worse, total))


def _unclear_cell(better: int, worse: int, total: int) -> str:
    """'cannot tell (7 better, 3 same)': the non-zero counts out of ten."""
    b, w = of_ten(better, total), of_ten(worse, total)
    counts = [(b, "better"), (w, "worse"), (10 - b - w, "same")]
    return "cannot tell (" + ", ".join(f"{n} {word}" for n, word in counts if n > 0) + ")"


def vote_short(row: Mapping[str, Any]) -> str:
    """A vote in a short sentence: 'Decides faster in 8 of 10 plausible versions.'."""
    from leadsim.compare.decision import OUTCOME_BY_KEY

    outcome = OUTCOME_BY_KEY[row["outcome"]]
    total = int(row["versions"])
    better, worse = of_ten(int(row["versions_better"]), total), of_ten(int(row["versions_worse"]), total)
    same = 10 - better - worse
    if row["answer"] == "same":
        return f"About the same in {same} of 10 plausible versions."
    parts = [f"{outcome.better} in {better}"] if better else []
    parts += [f"{outcome.worse} in {worse}"] if worse else []
    parts += [f"about the same in {same}"] if same > 0 and row["answer"] == "unclear" else []
    if len(parts) == 1:
        return f"{_capital(parts[0])} of 10 plausible versions."
    return f"Of 10 plausible versions: {', '.join(parts)}." if parts else "Not measured."


def answer_row(comparison: Comparison, challenger: str, outcome: str) -> dict[str, Any]:
    """The answers row of one challenger and outcome."""
    answers = comparison.answers
    found = answers[(answers["challenger"] == challenger) & (answers["outcome"] == outcome)]
    return found.iloc[0].to_dict()


def ceo_table(comparison: Comparison) -> pd.DataFrame:
    """One row per outcome, a column per structure: median (range) and the vote, as text."""
    from leadsim.compare.decision import OUTCOMES

    currency = comparison.currency
    base = comparison.baseline.name
    rows = []
    for outcome in OUTCOMES:
        first = answer_row(comparison, comparison.structures[1].name, outcome.key)
        if first["answer"] == "not measured":
            continue

        def cell(found: Mapping[str, Any], role: str, outcome: Any = outcome) -> str:
            value = outcome_value(outcome, found[f"{role}_median"], currency)
            if outcome.unit == "share":  # a share of runs has no range of its own
                return f"{value} of runs"
            return f"{value} ({outcome_range(outcome, found[f'{role}_p10'], found[f'{role}_p90'], currency)})"

        row = {"measure": outcome.label, f"{label(base)} (today)": cell(first, "baseline")}
        for challenger in comparison.structures[1:]:
            found = answer_row(comparison, challenger.name, outcome.key)
            row[label(challenger.name)] = f"{cell(found, 'challenger')} · {vote_cell(found)}"
        rows.append(row)
    return pd.DataFrame(rows)


def best_challenger(comparison: Comparison) -> tuple[str, str]:
    """The challenger most often ahead, and the outcome that decides (cash after 3 years, else wait)."""
    decider = "cash_3y"
    answers = comparison.answers
    rows = answers[answers["outcome"] == decider]
    if rows.empty or not rows["versions"].gt(0).any() or comparison.currency == "units":
        decider = "latency_mean"
        rows = answers[answers["outcome"] == decider]
    share = rows["versions_better"] / rows["versions"].clip(lower=1)
    return str(rows.loc[share.idxmax(), "challenger"]), decider


def _also(comparison: Comparison, challenger: str, decider: str) -> str:
    """What else the clear votes say about speed and people, as a short sentence (or nothing)."""
    from leadsim.compare.decision import OUTCOME_BY_KEY

    good, bad = [], []
    for key in ("latency_mean", "leavers_per_year"):
        if key == decider:
            continue
        row = answer_row(comparison, challenger, key)
        words = OUTCOME_BY_KEY[key]
        if row["answer"] == "better":
            good.append(words.better)
        elif row["answer"] == "worse":
            bad.append(words.worse)
    if good and bad:
        return f" It also {_join(good)}, but {_join(bad)}."
    if good:
        return f" It also {_join(good)}."
    if bad:
        return f" But it {_join(bad)}."
    return ""


def recommendation(comparison: Comparison) -> str:
    """The answer in one or two plain sentences."""
    from leadsim.compare.decision import OUTCOME_BY_KEY, break_even_month

    best, decider = best_challenger(comparison)
    row = answer_row(comparison, best, decider)
    total = int(row["versions"])
    outcome = OUTCOME_BY_KEY[decider]
    base, b = label(comparison.baseline.name), label(best)
    ahead = of_ten(int(row["versions_better"]), total)
    behind = of_ten(int(row["versions_worse"]), total)
    if row["answer"] == "better":
        money_part = ""
        if decider == "cash_3y":
            month = break_even_month(comparison.jcurve, best)
            paid = (
                f"it pays back by month {month:.0f}"
                if math.isfinite(month) and month > 0
                else "it pays from the start"
            )
            extra = outcome_value(outcome, row["diff_median"], comparison.currency)
            money_part = f"; {paid} and leaves {extra} more cash after 3 years"
        return (
            f"Switch to {b}. In {ahead} of 10 plausible versions of your firm it {outcome.better} "
            f"than staying {base}{money_part}.{_also(comparison, best, decider)}"
        )
    if row["answer"] in ("worse", "same") and all(
        answer_row(comparison, s.name, decider)["answer"] in ("worse", "same")
        for s in comparison.structures[1:]
    ):
        verdict = (
            "none of the alternatives ends up ahead"
            if len(comparison.structures) > 2
            else f"{b} does not end up ahead"
        )
        return f"Stay {base}. In most plausible versions of your firm {verdict} on {outcome.label}."
    same = 10 - ahead - behind
    when = "after 3 years " if decider == "cash_3y" else f"on {outcome.label} "
    parts = [f"{when}it is ahead in {ahead} of 10 plausible versions of your firm"]
    if behind:
        parts.append(f"behind in {behind}")
    if same > 0:
        parts.append(f"level in {same}")
    return f"We cannot tell yet whether switching to {b} pays: {_join(parts)}. What decides it is below."


def three_numbers(comparison: Comparison) -> list[tuple[str, str, str]]:
    """The three numbers that carry the answer: (title, value, explanation) each."""
    from leadsim.compare.decision import OUTCOME_BY_KEY, break_even_month

    best, _ = best_challenger(comparison)
    b, base = label(best), label(comparison.baseline.name)
    currency = comparison.currency
    cards = []
    for key, title in (
        ("latency_mean", "Wait for a decision"),
        ("leavers_per_year", "People leaving a year"),
    ):
        outcome = OUTCOME_BY_KEY[key]
        row = answer_row(comparison, best, key)
        unit = outcome_value(outcome, row["challenger_median"], currency).split(" ", 1)[-1]
        cards.append(
            (
                title,
                f"{outcome_value(outcome, row['baseline_median'], currency).split(' ')[0]} → "
                f"{outcome_value(outcome, row['challenger_median'], currency).split(' ')[0]} {unit}",
                f"{base} → {b}; difference "
                f"{outcome_range(outcome, row['diff_p10'], row['diff_p90'], currency, True)}. "
                f"{vote_short(row)}",
            )
        )
    outcome = OUTCOME_BY_KEY["cash_3y"]
    row = answer_row(comparison, best, "cash_3y")
    month = break_even_month(comparison.jcurve, best)
    when = (
        "pays from the start"
        if month == 0
        else f"break-even in month {month:.0f}"
        if math.isfinite(month)
        else "no break-even within 3 years"
    )
    cards.append(
        (
            "Cash after 3 years",
            outcome_value(outcome, row["diff_median"], currency, True),
            f"{b} against {base}, transition costs included; plausible range "
            f"{outcome_range(outcome, row['diff_p10'], row['diff_p90'], currency, True)}; {when}.",
        )
    )
    return cards


def flip_sentence(row: Mapping[str, Any], challenger_better_now: bool, baseline: str) -> str:
    """Where a sensitivity row flips the answer: 'this answer flips if ... is below 0.27 (then ...)'."""
    above = bool(row["flips_above"])
    # The challenger is better above the crossing when the slope is positive: the answer flips on
    # the side where the sign changes from what the median version says.
    side = ("below" if above else "above") if challenger_better_now else ("above" if above else "below")
    winner = label(baseline if challenger_better_now else row["challenger"])
    return (
        f"this answer flips if {row['label']} is {side} {number(row['flips_at'])} "
        f"(then {winner} comes out ahead)"
    )


def assumption_sentences(comparison: Comparison) -> list[str]:
    """The assumptions that drive the answer, each with its range and where the answer flips."""
    from leadsim.compare.decision import OUTCOME_BY_KEY

    best, decider = best_challenger(comparison)
    row = answer_row(comparison, best, decider)
    better_now = row["diff_median"] * (1 if OUTCOME_BY_KEY[decider].higher_is_better else -1) > 0
    sens = comparison.sensitivity
    mine = sens[(sens["challenger"] == best) & (sens["outcome"] == decider)].sort_values(
        "importance", ascending=False
    )
    summary = comparison.calibration.summary.set_index("parameter")
    sentences = []
    for item in mine.to_dict("records"):
        p = summary.loc[item["parameter"]]
        plausible = f"{number(p['posterior_low'])} to {number(p['posterior_high'])}"
        flips = (
            f"; {flip_sentence(item, better_now, comparison.baseline.name)}"
            if math.isfinite(item["flips_at"])
            else "; the answer holds across this range"
        )
        sentences.append(f"{_capital(item['label'])}: plausibly {plausible} for your firm{flips}.")
    cost = comparison.transition.total_cost
    cash = answer_row(comparison, best, "cash_3y")
    if math.isfinite(cash["diff_median"]) and comparison.currency != "units":
        limit = cash["diff_median"] + cost
        sentences.append(
            f"Transition cost: {money(cost, comparison.currency)} assumed"
            + (
                f"; switching to {label(best)} stops paying within 3 years if it costs more than "
                f"{money(limit, comparison.currency)}."
                if limit > 0
                else f"; {label(best)} does not pay within 3 years even if the switch were free."
            )
        )
    return sentences


def main_caveat(comparison: Comparison) -> str:
    """The one caveat a reader must see with the answer."""
    unmatched = [w for w in comparison.calibration.warnings if w.startswith("The model cannot match")]
    if unmatched:
        return unmatched[0]
    if not comparison.calibration.calibrated:
        return (
            "Nothing about your firm was observed, so the answer spans every plausible firm of this "
            "size; state your turnover, decision wait and engagement to narrow it."
        )
    best, decider = best_challenger(comparison)
    sens = comparison.sensitivity
    mine = sens[(sens["challenger"] == best) & (sens["outcome"] == decider) & sens["flips_at"].notna()]
    if not mine.empty:
        top = mine.sort_values("importance", ascending=False).iloc[0].to_dict()
        row = answer_row(comparison, best, decider)
        from leadsim.compare.decision import OUTCOME_BY_KEY

        better_now = row["diff_median"] * (1 if OUTCOME_BY_KEY[decider].higher_is_better else -1) > 0
        summary = comparison.calibration.summary.set_index("parameter").loc[top["parameter"]]
        flips = flip_sentence(top, better_now, comparison.baseline.name)
        return (
            f"The answer rests most on {top['label']}: {flips}; for your firm it plausibly lies between "
            f"{number(summary['posterior_low'])} and {number(summary['posterior_high'])}. "
            "This is a model, not a forecast."
        )
    return "This is a model of your firm, not a forecast: it shows what follows from its assumptions."


def transition_sentences(comparison: Comparison) -> list[str]:
    """The switch: what it costs, and per challenger break-even and cash after 1 and 3 years."""
    from leadsim.compare.decision import OUTCOME_BY_KEY, break_even_month

    currency = comparison.currency
    t = comparison.transition
    items = ", ".join(f"{k.replace('_', ' ')} {money(v, currency)}" for k, v in t.cost.items())
    sentences = [
        f"Switching on working day {comparison.switch_day} costs {money(t.total_cost, currency)}"
        + (f" ({items})" if items else "")
        + (
            f" and {t.duration_days} working days of learning at {100 * t.learning_dip:.0f} % less output."
            if t.duration_days and t.learning_dip
            else "."
        )
    ]
    for challenger in comparison.structures[1:]:
        month = break_even_month(comparison.jcurve, challenger.name)
        when = (
            "pays from the start"
            if month == 0
            else f"breaks even in month {month:.0f}"
            if math.isfinite(month)
            else "does not break even within the horizon"
        )
        parts = []
        for key, span in (("cash_1y", "1 year"), ("cash_3y", "3 years")):
            row = answer_row(comparison, challenger.name, key)
            if row["answer"] == "not measured":
                continue
            outcome = OUTCOME_BY_KEY[key]
            parts.append(
                f"after {span} {outcome_value(outcome, row['diff_median'], currency, True)} "
                f"({outcome_range(outcome, row['diff_p10'], row['diff_p90'], currency, True)}), "
                f"ahead in {of_ten(int(row['versions_better']), int(row['versions']))} of 10 versions"
            )
        sentences.append(
            f"{_capital(label(challenger.name))} {when} (median path); cash against "
            f"{label(comparison.baseline.name)}: {'; '.join(parts)}."
        )
    return sentences
