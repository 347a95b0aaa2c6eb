"""Which leadership structure suits a firm: calibrated to its figures, in days, people and money.

from leadsim.compare import calibrate, compare
fit = calibrate("scenarios/profiles/default.yaml")      # posterior, fit, warnings
result = compare("scenarios/profiles/default.yaml")     # calibrates itself when not given one
result.answers       # per outcome: ranges and votes over plausible versions of the firm
result.jcurve        # the switch's cumulative cash difference, month by month
result.write("out/compare", pdf=True)   # report.html, report.pdf, answer.csv, ...
"""

from leadsim.compare.analysis import (
    DEFAULT_DAYS,
    DEFAULT_DRAWS,
    DEFAULT_GRID_REPS,
    DEFAULT_REPS,
    DEFAULT_SIZES,
    DEFAULT_TURBULENCE,
    METRICS,
    Comparison,
    Metric,
    compare,
)
from leadsim.compare.calibrate import Calibration, CalibrationError, calibrate
from leadsim.compare.profile import FirmProfile, load_firm
from leadsim.compare.stats import TooFewReplications
from leadsim.compare.structures import PRESETS, Structure, StructureError, parse_structures

__all__ = [
    "DEFAULT_DAYS",
    "DEFAULT_DRAWS",
    "DEFAULT_GRID_REPS",
    "DEFAULT_REPS",
    "DEFAULT_SIZES",
    "DEFAULT_TURBULENCE",
    "METRICS",
    "PRESETS",
    "Calibration",
    "CalibrationError",
    "Comparison",
    "FirmProfile",
    "Metric",
    "Structure",
    "StructureError",
    "TooFewReplications",
    "calibrate",
    "compare",
    "load_firm",
    "parse_structures",
]
