"""The README's tables of model version 2: the default scenario by style, resilience by shock type.

Run from the repository root: ``make tables`` (or ``.venv/bin/python tools/readme_tables.py``).
Uses only the public API; 16 seeds (100–115) per cell, paired across styles.
"""

from __future__ import annotations

import numpy as np

import leadsim
from leadsim.core.shocks import TYPICAL_SHOCKS

STYLES = ("autocratic", "democratic", "servant", "distributed")
SEEDS = list(range(100, 116))
SUMMARY = (  # summary key, label, format, scale
    ("latency_mean", "latency (days)", "{:.2f}", 1),
    ("backlog_age_mean", "pending decisions' mean age (days)", "{:.2f}", 1),
    ("taken_locally_share", "share taken locally when overdue", "{:.1%}", 1),
    ("decision_quality", "decision quality", "{:.3f}", 1),
    ("engagement_mean", "engagement, mean", "{:.3f}", 1),
    ("engagement_sd", "engagement, SD between people", "{:.3f}", 1),
    ("turnover_rate", "turnover per year", "{:.1%}", 1),
    ("competence_final", "competence, last 30 days", "{:.3f}", 1),
    ("delivery_delay_mean", "delivery delay (days)", "{:.1f}", 1),
    ("revenue_total", "revenue (EUR M)", "{:.2f}", 1e6),
    ("profit_total", "profit (EUR k)", "{:.0f}", 1e3),
    ("cash_final", "cash at the end (EUR k)", "{:.0f}", 1e3),
    ("resilience_index", "resilience index (demand drop)", "{:.3f}", 1),
    ("recovery_days", "recovery (days)", "{:.1f}", 1),
    ("survived", "survived", "{:.0%}", 1),
)
SHOCKS = TYPICAL_SHOCKS


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---|" * (len(header) - 1)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def default_by_style() -> str:
    """The default scenario's summary, one column per style."""
    base = leadsim.load_scenario("scenarios/default.yaml")
    frames = {
        style: leadsim.summaries_frame(
            leadsim.run_batch(
                leadsim.validate_scenario(base.model_dump(), "default", {"leadership.style": style}),
                SEEDS,
                keep_steps=False,
            )
        )
        for style in STYLES
    }
    rows = []
    for key, label, fmt, scale in SUMMARY:
        rows.append([label] + [fmt.format(frames[s][key].astype(float).mean() / scale) for s in STYLES])
    return table(["metric", *STYLES], rows)


def resilience_by_shock() -> str:
    """Resilience index / median recovery days per shock type and style."""
    rows = []
    for shock_type, extra in SHOCKS.items():
        cells = []
        for style in STYLES:
            shock = {"type": shock_type, "day": 50, "duration": 30, **extra}
            scenario = leadsim.validate_scenario(
                {}, "resilience", {"leadership.style": style, "shocks": [shock]}
            )
            records = [r.shocks[0] for r in leadsim.run_batch(scenario, SEEDS, keep_steps=False)]
            index = np.array([r["index"] for r in records])
            recovery = np.array([r["recovery_days"] for r in records])
            missing = int(np.isnan(recovery).sum())
            median = f"{np.median(recovery[~np.isnan(recovery)]):.0f} d" if missing < len(records) else "—"
            cells.append(f"{index.mean():.3f} / {median}" + (f" ({missing} not rec.)" if missing else ""))
        rows.append([shock_type, *cells])
    return table(["shock (day 50, 30 days)", *STYLES], rows)


if __name__ == "__main__":
    print(default_by_style())
    print()
    print(resilience_by_shock())
