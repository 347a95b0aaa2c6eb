"""The leadership styles: each one is a row of named parameters, and nothing else.

A style never writes in an outcome, and it does not set how many decisions get made either. It says
who decides what (the routing thresholds and the escalation target) and how a leader shares one
working day between deciding, supporting, coaching, directing, the shared leadership pool and their
own work (the rest). How many decisions a leader makes follows from the time given to deciding and
the leader's competence; how much support or coaching a person gets, from the time given to it and
the size of the team. Latency, engagement, turnover, output and resilience come from the mechanisms
in the other core modules.

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
    "time_deciding",
    "time_supporting",
    "time_coaching",
    "time_directing",
    "time_pool",
    "consultation_days",
    "consultation_effort",
    "voice",
    "vision",
    "pressure",
)
TIME_SHARES: tuple[str, ...] = (
    "time_deciding",
    "time_supporting",
    "time_coaching",
    "time_directing",
    "time_pool",
)

# Defaults, one row per style: the style descriptions of the source material (who decides, how a
# leader spends the day, what people meet) turned into mechanism settings. The time shares leave
# the rest of a leader's day for their own productive work.
# fmt: off
DEFAULTS: dict[str, dict[str, float | str]] = {
    # Columns: routing | a leader's day | consultation | vision and pressure.
    "autocratic":       dict(authority_threshold=0.0,  escalation_threshold=0.0,  escalate_to="owner", time_deciding=0.55, time_supporting=0.05, time_coaching=0.0,  time_directing=0.25, time_pool=0.0,  consultation_days=0, consultation_effort=0.0, voice=0.05, vision=0.3,  pressure=0.5),   # noqa: E501
    "democratic":       dict(authority_threshold=0.05, escalation_threshold=0.8,  escalate_to="owner", time_deciding=0.35, time_supporting=0.15, time_coaching=0.05, time_directing=0.1,  time_pool=0.0,  consultation_days=2, consultation_effort=0.6, voice=0.8,  vision=0.4,  pressure=0.3),   # noqa: E501
    "servant":          dict(authority_threshold=0.35, escalation_threshold=0.85, escalate_to="owner", time_deciding=0.2,  time_supporting=0.3,  time_coaching=0.25, time_directing=0.05, time_pool=0.0,  consultation_days=1, consultation_effort=0.3, voice=0.6,  vision=0.5,  pressure=0.2),   # noqa: E501
    "distributed":      dict(authority_threshold=0.7,  escalation_threshold=0.0,  escalate_to="pool",  time_deciding=0.1,  time_supporting=0.2,  time_coaching=0.1,  time_directing=0.05, time_pool=0.15, consultation_days=0, consultation_effort=0.1, voice=0.7,  vision=0.5,  pressure=0.3),   # noqa: E501
    "laissez_faire":    dict(authority_threshold=1.0,  escalation_threshold=1.0,  escalate_to="owner", time_deciding=0.05, time_supporting=0.02, time_coaching=0.0,  time_directing=0.02, time_pool=0.0,  consultation_days=0, consultation_effort=0.0, voice=0.3,  vision=0.05, pressure=0.05),  # noqa: E501
    "transformational": dict(authority_threshold=0.15, escalation_threshold=0.8,  escalate_to="owner", time_deciding=0.3,  time_supporting=0.2,  time_coaching=0.1,  time_directing=0.1,  time_pool=0.0,  consultation_days=1, consultation_effort=0.4, voice=0.6,  vision=0.9,  pressure=0.6),   # noqa: E501
    "situational":      dict(authority_threshold=0.3,  escalation_threshold=0.8,  escalate_to="owner", time_deciding=0.3,  time_supporting=0.2,  time_coaching=0.1,  time_directing=0.15, time_pool=0.0,  consultation_days=0, consultation_effort=0.2, voice=0.5,  vision=0.4,  pressure=0.3),   # noqa: E501
}
# fmt: on
# Situational leaders replace the authority threshold per person with the S1–S4 row for that
# person's development level, and share their directing, supporting and coaching time by the
# row's weights (see leadsim.scenario.schema.SituationalLevel).
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
    # A day has one day in it: overrides that overbook a leader are scaled back to a full day.
    booked = sum(table[name] for name in TIME_SHARES)
    scale = np.where(booked > 1.0, 1.0 / np.maximum(booked, 1e-12), 1.0)
    for name in TIME_SHARES:
        table[name] = table[name] * scale
    table["time_own_work"] = 1.0 - booked * scale
    return table
