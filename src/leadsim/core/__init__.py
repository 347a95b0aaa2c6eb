"""The numpy engine: struct-of-arrays state, one function per mechanism, no Mesa, pandas or files."""

from leadsim.core.engine import METRICS, Engine
from leadsim.core.styles import DEFAULTS as STYLE_DEFAULTS
from leadsim.core.styles import PARAMS as STYLE_PARAMS
from leadsim.core.styles import STYLES

__all__ = ["METRICS", "STYLES", "STYLE_DEFAULTS", "STYLE_PARAMS", "Engine"]
