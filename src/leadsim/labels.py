"""Words for numbers: how tables and figures name the outputs and scenario fields.

Outputs are named here once (the run summary table and figure axes use the same words); scenario
fields are named by the schema's own field descriptions, so a new field is labelled the day it
is added.
"""

from __future__ import annotations

import re
import textwrap
from functools import cache

# summary output -> (words, format of a value with its unit)
OUTPUTS: dict[str, tuple[str, str]] = {
    "latency_mean": ("decision latency, mean", "{:.2f} days"),
    "latency_p95": ("decision latency, 95th pct", "{:.0f} days"),
    "backlog_age_mean": ("pending decisions' mean age", "{:.2f} days"),
    "taken_locally_share": ("decisions taken locally when overdue", "{:.1%}"),
    "backlog_final": ("backlog at the end", "{:d} decisions"),
    "decision_quality": ("decision quality", "{:.3f}"),
    "engagement_mean": ("engagement, mean", "{:.3f}"),
    "engagement_final": ("engagement, last 30 days", "{:.3f}"),
    "competence_final": ("competence, last 30 days", "{:.3f}"),
    "turnover_rate": ("turnover per year", "{:.1%}"),
    "output_total": ("output delivered, total", "{:,.0f} units"),
    "delivery_delay_mean": ("delivery delay, mean", "{:.1f} days"),
    "capacity_per_order_median": ("capacity per order, median day", "{:.2f}"),
    "revenue_total": ("revenue", "{:,.0f}"),
    "profit_total": ("profit", "{:,.0f}"),
    "cash_final": ("cash at the end", "{:,.0f}"),
    "resilience_index": ("resilience index (mean over shocks)", "{:.3f}"),
    "recovery_days": ("days to recover (mean over recovered shocks)", "{:.0f}"),
}
MONEY: frozenset[str] = frozenset({"revenue_total", "profit_total", "cash_final"})  # in the currency


@cache
def field_meanings() -> dict[str, str]:
    """Every scenario field's description by dotted name (shock fields as ``shocks[].x``)."""
    from leadsim.paramdoc import field_rows
    from leadsim.scenario.schema import Shock

    rows = [*field_rows(), *field_rows(Shock, "shocks[].")]
    return {name: meaning for name, _, meaning in rows}


def axis_label(name: str, width: int = 48) -> str:
    """An axis label: the output's or field's words, then its name in brackets, wrapped.

    ``org.size`` -> ``people, owner included [org.size]``; an unknown name is returned as it is.
    """
    if name in OUTPUTS:
        words, fmt = OUTPUTS[name]
        unit = fmt.split("}", 1)[1].strip()
        words = f"{words} ({unit})" if unit else words
    else:
        meaning = field_meanings().get(re.sub(r"\.\d+(?=\.|$)", "[]", name))
        if not meaning:
            return name
        words = textwrap.shorten(meaning, 2 * width - len(name) - 3, placeholder=" …")
    return textwrap.fill(f"{words} [{name}]", width)
