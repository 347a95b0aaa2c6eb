"""Compare leadership structures for one company profile: paired runs, intervals, a report.

from leadsim.compare import compare
result = compare("scenarios/profiles/default.yaml", "centralised,distributed", reps=30)
result.headline      # one row per metric: both means, the paired difference, d_z, P(better)
result.write("out/compare")   # report.html, headline.csv, headline.md, ...
"""

from leadsim.compare.analysis import (
    DEFAULT_GRID_REPS,
    DEFAULT_REPS,
    DEFAULT_SIZES,
    DEFAULT_TURBULENCE,
    METRICS,
    Comparison,
    Metric,
    compare,
)
from leadsim.compare.stats import TooFewReplications
from leadsim.compare.structures import PRESETS, Structure, StructureError, parse_structures

__all__ = [
    "DEFAULT_GRID_REPS",
    "DEFAULT_REPS",
    "DEFAULT_SIZES",
    "DEFAULT_TURBULENCE",
    "METRICS",
    "PRESETS",
    "Comparison",
    "Metric",
    "Structure",
    "StructureError",
    "TooFewReplications",
    "compare",
    "parse_structures",
]
