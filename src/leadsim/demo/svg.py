"""The live pictures as SVG text: the org chart and the charts, drawn by the browser.

A matplotlib frame of the org chart and six charts costs 0.5–2 s of server time on a busy
machine (mostly building axes and ticks); the same pictures as SVG text cost a few milliseconds,
so the page keeps up with play at 250 people. The static slide stays in matplotlib.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_hex
from matplotlib.ticker import MaxNLocator

import leadsim
from leadsim.demo.layout import (
    FIRM_COLOURS,
    LIVE_PANELS,
    STACK_STEP,
    OrgChart,
    live_series,
    shock_records,
)

ENGAGEMENT_CMAP = colormaps["RdYlGn"]
SHOCK_COLOUR = "#d62728"
FONT = "font-family='sans-serif'"


def _hex_colours(values: np.ndarray) -> list[str]:
    return [to_hex(c) for c in ENGAGEMENT_CMAP(np.clip(values, 0.0, 1.0))]


def _path(segments: np.ndarray) -> str:
    """One SVG path for many line segments: (k, 2, 2) array of [[x0, y0], [x1, y1]]."""
    return " ".join(f"M{a:.1f} {b:.1f}L{c:.1f} {d:.1f}" for (a, b), (c, d) in segments)


def org_chart_svg(
    chart: OrgChart, firm: leadsim.SMBModel, title: str, width: int = 640, height: int = 440
) -> str:
    """The firm today: colour = engagement, size = decisions waited on, squares = leaders."""
    pad, top, bottom, right = 14.0, 26.0, 36.0, 60.0
    pos = chart.pos
    # a small firm is not stretched across the page: at least 8 columns' worth of width
    span_x = max(float(np.ptp(pos[:, 0])), 8.0)
    span_y = max(float(np.ptp(pos[:, 1])), 1.0)
    sx = (width - 2 * pad - right) / span_x
    sy = (height - top - bottom) / span_y
    left = pad + (span_x - np.ptp(pos[:, 0])) * sx / 2

    def to_px(xy: np.ndarray) -> np.ndarray:
        out = np.empty_like(xy, dtype=float)
        out[..., 0] = left + (xy[..., 0] - pos[:, 0].min()) * sx
        out[..., 1] = top + (pos[:, 1].max() - xy[..., 1]) * sy
        return out

    people = firm.people
    engagement = np.array([p.engagement for p in people])
    waiting = np.array([p.waiting for p in people])
    employed = np.array([p.employed for p in people])
    present = np.array([p.present for p in people])
    xy = to_px(pos)
    # dots fit between columns and between stacked team mates; waiting work at most doubles them
    base = float(np.clip(0.22 * min(sx, sy * STACK_STEP), 1.5, 6.0))
    radius = base * (1.0 + 0.25 * np.sqrt(np.minimum(waiting, 16.0)))
    colours = _hex_colours(engagement)
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' "
        f"width='100%' {FONT} font-size='11'>",
        "<defs><linearGradient id='eng' x1='0' y1='1' x2='0' y2='0'>"
        + "".join(
            f"<stop offset='{v:.2f}' stop-color='{c}'/>"
            for v, c in zip(np.linspace(0, 1, 6), _hex_colours(np.linspace(0, 1, 6)), strict=True)
        )
        + "</linearGradient></defs>",
        f"<text x='{width / 2 - right / 2:.0f}' y='15' text-anchor='middle' font-size='13'>"
        f"{escape(title)}</text>",
        f"<path d='{_path(to_px(chart.ties))}' stroke='#9467bd' stroke-opacity='0.12' "
        "stroke-width='0.6' fill='none'/>",
        f"<path d='{_path(to_px(chart.reporting))}' stroke='#7f7f7f' stroke-opacity='0.55' "
        "stroke-width='0.8' fill='none'/>",
    ]
    for i in range(len(people)):
        x, y = xy[i]
        if not employed[i]:
            parts.append(
                f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{base:.1f}' fill='none' "
                "stroke='#bbbbbb' stroke-width='0.8'/>"
            )
        elif not present[i]:
            d = base * 1.4
            parts.append(
                f"<path d='M{x - d:.1f} {y - d:.1f}L{x + d:.1f} {y + d:.1f}M{x - d:.1f} "
                f"{y + d:.1f}L{x + d:.1f} {y - d:.1f}' stroke='black' stroke-width='2'/>"
            )
        elif chart.is_leader[i]:
            r = radius[i] * 1.2
            parts.append(
                f"<rect x='{x - r:.1f}' y='{y - r:.1f}' width='{2 * r:.1f}' "
                f"height='{2 * r:.1f}' fill='{colours[i]}' stroke='black' "
                "stroke-width='1'/>"
            )
        else:
            parts.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{radius[i]:.1f}' fill='{colours[i]}'/>")
    bar_x, bar_top, bar_h = width - right + 14, top + 20, height - top - bottom - 60
    parts += [
        f"<rect x='{bar_x}' y='{bar_top}' width='10' height='{bar_h}' fill='url(#eng)'/>",
        f"<text x='{bar_x + 14}' y='{bar_top + 4}'>1</text>",
        f"<text x='{bar_x + 14}' y='{bar_top + bar_h + 4}'>0</text>",
        f"<text x='{bar_x + 10}' y='{bar_top - 8}' text-anchor='end'>engagement</text>",
    ]
    here, away, vacant = employed & present, employed & ~present, ~employed
    status = f"{int(here.sum())} at work"
    if away.any():
        status += f", {int(away.sum())} away (×)"
    if vacant.any():
        status += f", {int(vacant.sum())} vacant (○)"
    parts += [
        f"<text x='{pad}' y='{height - 20}' fill='#555'>{status}</text>",
        f"<text x='{pad}' y='{height - 6}' fill='#555' font-size='10'>■ leader  ● employee  "
        "size = decisions waited on · grey lines = reporting, violet = informal ties</text>",
        "</svg>",
    ]
    return "".join(parts)


def _compact(value: float) -> str:
    if abs(value) >= 10_000:
        return f"{value / 1000:.0f}k"
    if abs(value) >= 1000:
        return f"{value / 1000:.1f}k"
    return f"{value:g}"


def live_charts_svg(
    firms: Sequence[leadsim.SMBModel],
    labels: Sequence[str],
    style_changes: Sequence[tuple[int, int, str]] = (),
    width: int = 640,
    height: int = 470,
) -> str:
    """Latency, backlog, engagement, decision quality, output and cash so far, shocks shaded.

    Args:
        firms: one or two firms (blue and orange).
        labels: a legend label per firm.
        style_changes: (firm, day, style) for each live style change, drawn as dotted lines.
        width: the SVG's coordinate width (it scales to the page).
        height: the SVG's coordinate height.
    """
    horizon = max(firm.leadsim_scenario.days for firm in firms)
    shocks = shock_records(firms[0])  # every firm gets the same shocks
    legend_h, gap_y, left, right, bottom = 20, 26, 40, 12, 26
    panel_w = (width - 2 * left - 2 * right) / 2
    panel_h = (height - legend_h - 3 * gap_y - bottom) / 3
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' "
        f"width='100%' {FONT} font-size='10'>"
    ]
    x_legend = left
    for which, label in enumerate(labels):
        parts.append(
            f"<rect x='{x_legend}' y='5' width='14' height='3' fill='{FIRM_COLOURS[which]}'/>"
            f"<text x='{x_legend + 18}' y='11' font-size='11'>{escape(label)}</text>"
        )
        x_legend += 30 + 7 * len(label)
    for k, (name, title, limits) in enumerate(LIVE_PANELS):
        row, col = divmod(k, 2)
        x0 = left + col * (panel_w + right + left)
        y0 = legend_h + gap_y * (row + 0.7) + row * panel_h
        series = [live_series(firm, name) for firm in firms]
        if name == "output":
            series.append(live_series(firms[0], "orders"))
        finite = np.concatenate([s[np.isfinite(s)] for s in series] + [np.zeros(0)])
        lo, hi = limits or (
            (min(0.0, float(finite.min())), float(finite.max())) if finite.size else (0.0, 1.0)
        )
        if hi <= lo:
            hi = lo + 1.0
        ticks = MaxNLocator(3).tick_values(lo, hi)
        if not limits:  # round the range out to the ticks around the data
            lo, hi = float(ticks[ticks <= lo].max()), float(ticks[ticks >= hi].min())
        ticks = [t for t in ticks if lo - 1e-9 <= t <= hi + 1e-9]

        def px(day: float, x0: float = x0) -> float:
            return x0 + day / horizon * panel_w

        def py(value: float, y0: float = y0, lo: float = lo, hi: float = hi) -> float:
            return y0 + panel_h - (value - lo) / (hi - lo) * panel_h

        parts.append(f"<text x='{x0}' y='{y0 - 5:.1f}' font-size='11'>{title}</text>")
        for shock in shocks:
            a, b = px(shock["day"]), px(min(horizon, shock["day"] + max(shock["duration"], 1)))
            parts.append(
                f"<rect x='{a:.1f}' y='{y0:.1f}' width='{max(b - a, 1):.1f}' "
                f"height='{panel_h:.1f}' fill='{SHOCK_COLOUR}' fill-opacity='0.09'/>"
                f"<line x1='{a:.1f}' x2='{a:.1f}' y1='{y0:.1f}' y2='{y0 + panel_h:.1f}' "
                f"stroke='{SHOCK_COLOUR}' stroke-opacity='0.6'/>"
            )
            if k < 2:
                parts.append(
                    f"<text x='{a + 2:.1f}' y='{y0 + 10:.1f}' fill='{SHOCK_COLOUR}' "
                    f"font-size='9'>{shock['type'].replace('_', ' ')}</text>"
                )
        for which, day, style in style_changes:
            a = px(day)
            parts.append(
                f"<line x1='{a:.1f}' x2='{a:.1f}' y1='{y0:.1f}' y2='{y0 + panel_h:.1f}' "
                f"stroke='{FIRM_COLOURS[which]}' stroke-dasharray='2,2'/>"
            )
            if k == 0:
                parts.append(
                    f"<text x='{a + 2:.1f}' y='{y0 + 22 + 10 * which:.1f}' "
                    f"fill='{FIRM_COLOURS[which]}' font-size='9'>→ "
                    f"{style.replace('_', '-')}</text>"
                )
        parts.append(
            f"<rect x='{x0}' y='{y0:.1f}' width='{panel_w:.1f}' height='{panel_h:.1f}' "
            "fill='none' stroke='#999'/>"
        )
        for t in ticks:
            parts.append(
                f"<text x='{x0 - 3}' y='{py(t) + 3:.1f}' text-anchor='end' fill='#555'>"
                f"{_compact(float(t))}</text>"
            )
        if row == 2:
            for day in range(0, horizon + 1, 50 if horizon > 120 else 20):
                parts.append(
                    f"<text x='{px(day):.1f}' y='{y0 + panel_h + 11:.1f}' "
                    f"text-anchor='middle' fill='#555'>{day}</text>"
                )
        for which, values in enumerate(series):
            if not len(values):
                continue
            dashed = which == len(firms)  # the demand line under output
            colour = "#7f7f7f" if dashed else FIRM_COLOURS[which]
            points = " ".join(f"{px(d + 1):.1f},{py(v):.1f}" for d, v in enumerate(values) if np.isfinite(v))
            parts.append(
                f"<polyline points='{points}' fill='none' stroke='{colour}' "
                f"stroke-width='{1 if dashed else 1.5}'"
                f"{' stroke-dasharray="4,3"' if dashed else ''}/>"
            )
    parts.append(
        f"<text x='{width / 2}' y='{height - 2}' text-anchor='middle' fill='#555'>working day</text></svg>"
    )
    return "".join(parts)
