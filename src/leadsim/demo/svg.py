"""The live pictures as SVG text: the org chart and the two key charts, drawn by the browser.

A matplotlib frame costs 0.5–2 s of server time on a busy machine; the same pictures as SVG text
cost a few milliseconds, so the page keeps up with play at 250 people. The static slide stays in
matplotlib.

The pictures are made for a projector: every text is :data:`FONT_SIZE` units in a coordinate
system about as large as the picture's place on a 1280×720 page, so it is about that many pixels
on the wall, and the engagement colours come from a colour-blind-safe sequential palette.
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
    STACK_STEP,
    OrgChart,
    PeopleState,
    live_series,
    shock_records,
)
from leadsim.demo.text import style_name, text

# cividis is built to read the same with and without red–green colour blindness, and its
# lightness rises monotonically (tests/test_demo.py checks both under simulated deuteranopia).
# Its palest yellow is cut off: on a white page and a washed-out projector it disappears.
ENGAGEMENT_CMAP = colormaps["cividis"]
ENGAGEMENT_TOP = 0.88
SHOCK_COLOUR = "#d55e00"  # Okabe–Ito vermilion
FONT_SIZE = 21  # the back row reads 20 px on a 1280×720 projector
LINE = FONT_SIZE + 6
PICTURE_SIZE = (460, 540)  # width, height: about their place on a 1280×720 page
FONT = "font-family='sans-serif'"


def engagement_colours(values: np.ndarray) -> list[str]:
    """Engagement in [0, 1] as hex colours of the page's palette."""
    return [to_hex(c) for c in ENGAGEMENT_CMAP(np.clip(values, 0.0, 1.0) * ENGAGEMENT_TOP)]


def _path(segments: np.ndarray) -> str:
    """One SVG path for many line segments: (k, 2, 2) array of [[x0, y0], [x1, y1]]."""
    return " ".join(f"M{a:.1f} {b:.1f}L{c:.1f} {d:.1f}" for (a, b), (c, d) in segments)


def _svg_open(width: int, height: int) -> str:
    # meet: the whole picture always fits its box, whatever the window's shape; spare room below
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' "
        f"preserveAspectRatio='xMidYMin meet' {FONT} font-size='{FONT_SIZE}'>"
    )


def _gradient(name: str) -> str:
    stops = np.linspace(0, 1, 6)
    return (
        f"<defs><linearGradient id='{name}' x1='0' y1='0' x2='1' y2='0'>"
        + "".join(
            f"<stop offset='{v:.2f}' stop-color='{c}'/>"
            for v, c in zip(stops, engagement_colours(stops), strict=True)
        )
        + "</linearGradient></defs>"
    )


def org_chart_svg(
    chart: OrgChart,
    state: PeopleState,
    title: str,
    lang: str = "en",
    closed_day: int | None = None,
    size: tuple[int, int] = PICTURE_SIZE,
) -> str:
    """The firm on one day: colour = engagement, size = decisions waited on, squares = leaders.

    Args:
        chart: the firm's layout.
        state: the people on the day shown (for a failed firm: its last open day).
        title: the line above the chart.
        lang: the language of the legend.
        closed_day: the day the firm ran out of cash, if it did.
        size: the SVG's coordinate width and height (it scales to its box).
    """
    width, height = size
    pad, top, bottom = 10.0, LINE + 8, 3 * LINE + 12
    pos = chart.pos
    span_x = max(float(np.ptp(pos[:, 0])), 8.0)  # a small firm is not stretched across the page
    span_y = max(float(np.ptp(pos[:, 1])), 1.0)
    sx = (width - 2 * pad - 12) / span_x
    sy = (height - top - bottom - 12) / span_y
    left = pad + 6 + (span_x - np.ptp(pos[:, 0])) * sx / 2

    def to_px(xy: np.ndarray) -> np.ndarray:
        out = np.empty_like(xy, dtype=float)
        out[..., 0] = left + (xy[..., 0] - pos[:, 0].min()) * sx
        out[..., 1] = top + 6 + (pos[:, 1].max() - xy[..., 1]) * sy
        return out

    employed, present = state.employed, state.present
    xy = to_px(pos)
    # dots fit between columns and between stacked team mates; waiting work at most doubles them
    base = float(np.clip(0.22 * min(sx, sy * STACK_STEP), 1.5, 7.0))
    radius = base * (1.0 + 0.25 * np.sqrt(np.minimum(state.waiting, 16.0)))
    colours = engagement_colours(state.engagement)
    parts = [
        _svg_open(width, height),
        _gradient("eng"),
        f"<text x='{pad}' y='{LINE - 4}' font-weight='bold'>{escape(title)}</text>",
        f"<path d='{_path(to_px(chart.ties))}' stroke='#9467bd' stroke-opacity='0.12' "
        "stroke-width='0.6' fill='none'/>",
        f"<path d='{_path(to_px(chart.reporting))}' stroke='#7f7f7f' stroke-opacity='0.55' "
        "stroke-width='0.8' fill='none'/>",
    ]
    for i in range(len(xy)):
        x, y = xy[i]
        if not employed[i]:
            parts.append(
                f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{base:.1f}' fill='none' "
                "stroke='#999999' stroke-width='0.8'/>"
            )
        elif not present[i]:
            d = base * 1.4
            parts.append(
                f"<path d='M{x - d:.1f} {y - d:.1f}L{x + d:.1f} {y + d:.1f}M{x - d:.1f} "
                f"{y + d:.1f}L{x + d:.1f} {y - d:.1f}' stroke='black' stroke-width='2.5'/>"
            )
        elif chart.is_leader[i]:
            r = radius[i] * 1.2
            parts.append(
                f"<rect x='{x - r:.1f}' y='{y - r:.1f}' width='{2 * r:.1f}' "
                f"height='{2 * r:.1f}' fill='{colours[i]}' stroke='black' stroke-width='1'/>"
            )
        else:
            parts.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{radius[i]:.1f}' fill='{colours[i]}'/>")
    here, away, vacant = employed & present, employed & ~present, ~employed
    if closed_day is not None:
        status = text(lang, "org.closed", day=closed_day)
    else:
        status = ", ".join(
            [text(lang, "org.status", here=int(here.sum()))]
            + ([text(lang, "org.status_away", count=int(away.sum()))] if away.any() else [])
            + ([text(lang, "org.status_vacant", count=int(vacant.sum()))] if vacant.any() else [])
        )
    low, high = text(lang, "org.legend_low"), text(lang, "org.legend_high")
    bar_x = pad + 0.62 * FONT_SIZE * len(low) + 8
    y1, y2, y3 = height - 2 * LINE - 10, height - LINE - 6, height - 4
    parts += [
        f"<text x='{pad}' y='{y1}' fill='{'#b03000' if closed_day is not None else '#333'}' "
        f"class='leadsim-status'>{escape(status)}</text>",
        f"<text x='{pad}' y='{y2}' fill='#333'>{escape(text(lang, 'org.key'))}</text>",
        f"<text x='{pad}' y='{y3}' fill='#333'>{escape(low)}</text>",
        f"<rect x='{bar_x:.0f}' y='{y3 - 16}' width='160' height='16' fill='url(#eng)' stroke='#666'/>",
        f"<text x='{bar_x + 168:.0f}' y='{y3}' fill='#333'>{escape(high)}</text>",
        "</svg>",
    ]
    return "".join(parts)


def _compact(value: float) -> str:
    if abs(value) >= 10_000:
        return f"{value / 1000:.0f}k"
    if abs(value) >= 1000:
        return f"{value / 1000:.1f}k"
    return f"{value:g}"


def _runs(days: np.ndarray, values: np.ndarray) -> list[list[tuple[float, float]]]:
    """The stretches of a series where it is defined: a gap is drawn as a gap, not bridged."""
    runs: list[list[tuple[float, float]]] = [[]]
    for day, value in zip(days, values, strict=True):
        if np.isfinite(value):
            runs[-1].append((day, value))
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def live_charts_svg(
    firms: Sequence[leadsim.SMBModel],
    labels: Sequence[str],
    style_changes: Sequence[tuple[int, int, str]] = (),
    lang: str = "en",
    size: tuple[int, int] = PICTURE_SIZE,
) -> str:
    """Decision time and engagement so far, shocks shaded, style changes dotted.

    Decision time has two lines, so it never goes blank: how long today's decisions took
    (undefined on a day nothing is decided) and how long the pending ones have waited so far.

    Args:
        firms: one or two firms (blue and orange).
        labels: a legend label per firm.
        style_changes: (firm, day, style) for each live style change.
        lang: the language of titles and legend.
        size: the SVG's coordinate width and height (it scales to its box).
    """
    width, height = size
    horizon = max(firm.leadsim_scenario.days for firm in firms)
    shocks = shock_records(firms[0])  # every firm gets the same shocks
    left, right = 58, 24  # room for the tick labels, and for the last day's
    legend_rows = 2 + (len(firms) > 1)
    legend_h = legend_rows * LINE
    panel_w = width - left - right
    panel_h = (height - legend_h - 5 * LINE - 20) / 2  # two titles, a gap, ticks, axis label
    parts = [_svg_open(width, height)]
    y = LINE - 6
    if len(firms) > 1:
        x = 0.0
        for which, label in enumerate(labels):
            parts.append(
                f"<rect x='{x:.0f}' y='{y - 12}' width='18' height='12' fill='{FIRM_COLOURS[which]}'/>"
                f"<text x='{x + 24:.0f}' y='{y}'>{escape(label)}</text>"
            )
            x += 40 + 0.55 * FONT_SIZE * len(label)
        y += LINE
    for key, dash in (("chart.taken", ""), ("chart.waiting", " stroke-dasharray='7,5'")):
        parts.append(
            f"<line x1='0' x2='34' y1='{y - 7}' y2='{y - 7}' stroke='#333' stroke-width='3'{dash}/>"
            f"<text x='42' y='{y}'>{escape(text(lang, key))}</text>"
        )
        y += LINE
    panels = (
        ("chart.time", [("latency_mean", ""), ("backlog_age_mean", " stroke-dasharray='7,5'")], None),
        ("chart.engagement", [("engagement_mean", "")], (0.0, 1.0)),
    )
    for k, (title, measures, limits) in enumerate(panels):
        y0 = legend_h + LINE + 12 + k * (panel_h + 2 * LINE)
        series = [
            (which, live_series(firm, name), dash)
            for which, firm in enumerate(firms)
            for name, dash in measures
        ]
        finite = np.concatenate([s[np.isfinite(s)] for _, s, _ in series] + [np.zeros(0)])
        lo, hi = limits or ((0.0, float(finite.max())) if finite.size else (0.0, 1.0))
        hi = max(hi, lo + 1.0) if not limits else hi
        ticks = MaxNLocator(3).tick_values(lo, hi)
        if not limits:  # round the range out to the tick above the data
            hi = float(ticks[ticks >= hi].min())
        ticks = [t for t in ticks if lo - 1e-9 <= t <= hi + 1e-9]

        def px(day: float) -> float:
            return left + day / horizon * panel_w

        def py(value: float, y0: float = y0, lo: float = lo, hi: float = hi) -> float:
            return y0 + panel_h - (value - lo) / (hi - lo) * panel_h

        parts.append(f"<text x='0' y='{y0 - 12:.1f}' font-weight='bold'>{escape(text(lang, title))}</text>")
        for shock in shocks:
            a, b = px(shock["day"]), px(min(horizon, shock["day"] + max(shock["duration"], 1)))
            parts.append(
                f"<rect x='{a:.1f}' y='{y0:.1f}' width='{max(b - a, 2):.1f}' "
                f"height='{panel_h:.1f}' fill='{SHOCK_COLOUR}' fill-opacity='0.12'/>"
            )
            if k == 0:
                parts.append(
                    f"<text x='{a + 3:.1f}' y='{y0 + LINE - 6:.1f}' fill='{SHOCK_COLOUR}'>"
                    f"{escape(text(lang, f'shock.{shock["type"]}'))}</text>"
                )
        for which, day, style in style_changes:
            a = px(day)
            parts.append(
                f"<line x1='{a:.1f}' x2='{a:.1f}' y1='{y0:.1f}' y2='{y0 + panel_h:.1f}' "
                f"stroke='{FIRM_COLOURS[which]}' stroke-width='2' stroke-dasharray='2,3'/>"
            )
            if k == 1:
                parts.append(
                    f"<text x='{a + 4:.1f}' y='{y0 + panel_h - 6 - LINE * which:.1f}' "
                    f"fill='{FIRM_COLOURS[which]}'>→ {escape(style_name(lang, style))}</text>"
                )
        parts.append(
            f"<rect x='{left}' y='{y0:.1f}' width='{panel_w:.1f}' height='{panel_h:.1f}' "
            "fill='none' stroke='#999'/>"
        )
        for t in ticks:
            parts.append(
                f"<text x='{left - 5}' y='{py(t) + 7:.1f}' text-anchor='end' fill='#333'>"
                f"{_compact(float(t))}</text>"
            )
        if k == 1:
            step = 50 if horizon > 120 else 20
            for day in range(0, horizon + 1, step * (2 if horizon > 200 else 1)):
                parts.append(
                    f"<text x='{px(day):.1f}' y='{y0 + panel_h + LINE - 4:.1f}' "
                    f"text-anchor='middle' fill='#333'>{day}</text>"
                )
        for which, values, dash in series:
            days = np.arange(1, len(values) + 1)
            for run in _runs(days, values):
                points = " ".join(f"{px(d):.1f},{py(v):.1f}" for d, v in run)
                parts.append(
                    f"<polyline points='{points}' fill='none' stroke='{FIRM_COLOURS[which]}' "
                    f"stroke-width='2.5'{dash}/>"
                )
    parts.append(
        f"<text x='{left + panel_w / 2:.0f}' y='{height - 4}' text-anchor='middle' fill='#333'>"
        f"{escape(text(lang, 'chart.day'))}</text></svg>"
    )
    return "".join(parts)
