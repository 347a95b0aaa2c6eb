"""The leadership styles: each one is a row of named parameters, and nothing else.

A style never writes in an outcome. It only sets how decisions are routed (the thresholds and
the escalation target), how much decision capacity leaders and team members have, and which job
resources and demands people meet (voice, support, coaching, direction, vision, pressure). Latency,
engagement, turnover, output and resilience come from the mechanisms in the other core modules.

Routing by stakes s, with P(s > x) = (1 - x)^b:
    s <= authority_threshold                         -> the team itself (whoever holds the expertise)
    authority_threshold < s <= escalation_threshold  -> the team's leader (after consultation)
    s > max(authority, escalation threshold)         -> the escalation target (owner or pool)
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from leadsim.scenario.schema import STYLE_NAMES

STYLES: tuple[str, ...] = STYLE_NAMES  # the schema names them; the engine numbers them in this order
SITUATIONAL = STYLES.index("situational")
ESCALATE_OWNER, ESCALATE_POOL = 0, 1

PARAMS: tuple[str, ...] = (
    "authority_threshold",
    "escalation_threshold",
    "escalate_to",
    "leader_capacity",
    "member_capacity",
    "pool_capacity",
    "consultation_days",
    "consultation_effort",
    "voice",
    "support",
    "coaching_share",
    "direction",
    "vision",
    "pressure",
)

# Defaults, one row per style. Sources: the style descriptions in shared/SOURCES.md, turned into
# mechanism settings (who decides, with how much capacity, offering which resources).
# fmt: off
DEFAULTS: dict[str, dict[str, float | str]] = {
    # Columns: routing | capacity (decisions/day) | consultation | job resources and demands.
    "autocratic":       dict(authority_threshold=0.0,  escalation_threshold=0.0, escalate_to="owner", leader_capacity=12.0, member_capacity=0.0,  pool_capacity=1.0, consultation_days=0, consultation_effort=0.0, voice=0.05, support=0.2, coaching_share=0.0,  direction=0.9,  vision=0.3,  pressure=0.4),  # noqa: E501
    "democratic":       dict(authority_threshold=0.05, escalation_threshold=0.8, escalate_to="owner", leader_capacity=8.0,  member_capacity=0.3,  pool_capacity=2.0, consultation_days=2, consultation_effort=0.6, voice=0.8,  support=0.5, coaching_share=0.1,  direction=0.4,  vision=0.4,  pressure=0.2),  # noqa: E501
    "servant":          dict(authority_threshold=0.35, escalation_threshold=0.85, escalate_to="owner", leader_capacity=7.0,  member_capacity=0.4,  pool_capacity=2.0, consultation_days=1, consultation_effort=0.3, voice=0.6,  support=0.9, coaching_share=0.35, direction=0.3,  vision=0.5,  pressure=0.1),  # noqa: E501
    "distributed":      dict(authority_threshold=0.7,  escalation_threshold=0.0, escalate_to="pool",  leader_capacity=6.0,  member_capacity=0.8,  pool_capacity=3.0, consultation_days=0, consultation_effort=0.1, voice=0.7,  support=0.6, coaching_share=0.1,  direction=0.2,  vision=0.5,  pressure=0.2),  # noqa: E501
    "laissez_faire":    dict(authority_threshold=1.0,  escalation_threshold=1.0, escalate_to="owner", leader_capacity=2.0,  member_capacity=0.5,  pool_capacity=0.5, consultation_days=0, consultation_effort=0.0, voice=0.3,  support=0.1, coaching_share=0.0,  direction=0.05, vision=0.05, pressure=0.05), # noqa: E501
    "transformational": dict(authority_threshold=0.15, escalation_threshold=0.8, escalate_to="owner", leader_capacity=8.0,  member_capacity=0.4,  pool_capacity=2.0, consultation_days=1, consultation_effort=0.4, voice=0.6,  support=0.6, coaching_share=0.15, direction=0.4,  vision=0.9,  pressure=0.55), # noqa: E501
    "situational":      dict(authority_threshold=0.3,  escalation_threshold=0.8, escalate_to="owner", leader_capacity=8.0,  member_capacity=0.5,  pool_capacity=2.0, consultation_days=0, consultation_effort=0.2, voice=0.5,  support=0.5, coaching_share=0.1,  direction=0.5,  vision=0.4,  pressure=0.2),  # noqa: E501
}
# fmt: on
# Situational leaders replace authority_threshold, direction, support and coaching_share per
# person with the S1–S4 row for that person's development level (see leadsim.scenario.schema).
SITUATIONAL_PER_PERSON: tuple[str, ...] = (
    "authority_threshold",
    "direction",
    "support",
    "coaching_share",
)


def style_table(
    overrides: Mapping[str, Mapping[str, object]] | None = None,
) -> dict[str, np.ndarray]:
    """The style parameters as arrays indexed by style number, with scenario overrides applied.

    Args:
        overrides: ``{style: {param: value}}``; values of None are ignored.

    Returns:
        ``{param: array of len(STYLES)}``; ``escalate_to`` as ESCALATE_OWNER / ESCALATE_POOL.
    """
    rows = {style: dict(DEFAULTS[style]) for style in STYLES}
    for style, params in (overrides or {}).items():
        for name, value in params.items():
            if value is not None:
                rows[style][name] = value
    table = {}
    for name in PARAMS:
        values = [rows[style][name] for style in STYLES]
        if name == "escalate_to":
            values = [ESCALATE_POOL if v == "pool" else ESCALATE_OWNER for v in values]
        table[name] = np.asarray(values, dtype=float)
    return table
