"""Leadership structures: named presets over the seven styles, and custom mixes by level.

A structure is what a strategist chooses between: "centralised" (the owner decides nearly
everything), "distributed" (decisions where the expertise is, within bounds), or a mix such as
``autocratic/distributed`` — the owner autocratic, every level below distributed. A structure only
sets ``leadership.by_level`` (and ``leadership.style``); everything else in the company profile,
including per-style parameter overrides, stays as the profile says.
"""

from __future__ import annotations

from dataclasses import dataclass

import leadsim
from leadsim import Scenario

MIX_SEPARATOR = "/"


class StructureError(ValueError):
    """A structure name that is neither a preset, a style, nor a mix of styles."""


@dataclass(frozen=True)
class Structure:
    """A leadership structure: a name and the styles by level, owner first.

    Attributes:
        name: the name the user gave (a preset, a style or a mix like ``autocratic/distributed``).
        by_level: styles by hierarchy level, owner first; deeper levels take the last one.
        description: one sentence on who decides.
    """

    name: str
    by_level: tuple[str, ...]
    description: str

    @property
    def label(self) -> str:
        """A human-readable name for tables and figures."""
        return self.name.replace("_", "-")

    def apply(self, profile: Scenario) -> Scenario:
        """The profile with this structure's leadership (validated again).

        Args:
            profile: the company profile.

        Returns:
            A new scenario; the profile itself is unchanged.
        """
        return leadsim.validate_scenario(
            profile.model_dump(),
            f"profile '{profile.name}' with structure '{self.name}'",
            {"leadership.style": self.by_level[0], "leadership.by_level": list(self.by_level)},
        )


def _one(style: str, text: str) -> tuple[tuple[str, ...], str]:
    return (style,), text


PRESETS: dict[str, tuple[tuple[str, ...], str]] = {
    "centralised": _one("autocratic", "the owner decides nearly everything: one queue at the top"),
    "distributed": _one(
        "distributed",
        "whoever holds the expertise decides within an authority threshold; "
        "above it a shared leadership pool",
    ),
    "democratic": _one("democratic", "team leaders decide after consulting their teams"),
    "servant": _one("servant", "team leaders decide, delegate low stakes and spend time coaching"),
    "transformational": _one("transformational", "team leaders decide around a strongly communicated vision"),
    "situational": _one(
        "situational",
        "each leader directs, coaches, supports or delegates by each person's readiness",
    ),
    "laissez_faire": _one("laissez_faire", "nobody formally decides; decisions wait for a taker"),
    "owner_led_teams": (
        ("autocratic", "distributed"),
        "the owner decides escalated matters alone; teams decide within bounds",
    ),
}
"""Named structures: styles by level and a sentence on who decides."""

ALIASES: dict[str, str] = {
    "centralized": "centralised",
    "autocratic": "centralised",
    "decentralised": "distributed",
    "decentralized": "distributed",
    "shared": "distributed",
    "participative": "democratic",
    "laissez-faire": "laissez_faire",
    "hybrid": "owner_led_teams",
}


def known_names() -> list[str]:
    """Every name :func:`parse_structure` accepts without a mix."""
    return sorted({*PRESETS, *ALIASES, *leadsim.STYLE_NAMES})


def _style(token: str, whole: str) -> str:
    style = token.strip().lower().replace("-", "_")
    if style not in leadsim.STYLE_NAMES:
        raise StructureError(
            f"unknown style '{token}' in structure '{whole}'; styles: " + ", ".join(leadsim.STYLE_NAMES)
        )
    return style


def parse_structure(name: str) -> Structure:
    """A structure from its name.

    Args:
        name: a preset (``centralised``, ``distributed``, ``democratic``, ``servant``, ...), an alias
            (``centralized``, ``decentralised``, ``hybrid``, ...), a style name, or a mix of styles by
            level separated by ``/`` (``autocratic/distributed``: autocratic owner, distributed below).

    Returns:
        The structure.

    Raises:
        StructureError: the name is none of these (the message lists what is allowed).
    """
    text = name.strip()
    key = text.lower()
    if not key:
        raise StructureError("empty structure name")
    if MIX_SEPARATOR in key:
        levels = tuple(_style(token, text) for token in key.split(MIX_SEPARATOR))
        described = ", then ".join(s.replace("_", "-") for s in levels)
        return Structure(key, levels, f"by level from the owner down: {described}")
    canonical = ALIASES.get(key, key.replace("-", "_"))
    if canonical in PRESETS:
        by_level, description = PRESETS[canonical]
        return Structure(canonical, by_level, description)
    if canonical in leadsim.STYLE_NAMES:  # a style without a preset sentence of its own
        return Structure(canonical, (canonical,), f"{canonical} leadership throughout")
    raise StructureError(
        f"unknown structure '{text}'; allowed: {', '.join(known_names())}, "
        "or a mix of styles by level such as autocratic/distributed"
    )


def parse_structures(names: str | list[str] | tuple[str, ...]) -> list[Structure]:
    """Structures from a comma-separated string or a list of names (the first is the baseline).

    Raises:
        StructureError: a name is unknown, fewer than two structures, or one is given twice.
    """
    if isinstance(names, str):
        names = [part for part in names.split(",") if part.strip()]
    structures = [parse_structure(name) for name in names]
    if len(structures) < 2:
        raise StructureError("give at least two structures to compare, e.g. centralised,distributed")
    seen: dict[tuple[str, ...], str] = {}
    for structure in structures:
        if structure.by_level in seen:
            raise StructureError(
                f"structures '{seen[structure.by_level]}' and '{structure.name}' are the same"
            )
        seen[structure.by_level] = structure.name
    return structures
