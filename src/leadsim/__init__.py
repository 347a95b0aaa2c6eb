"""leadsim: an agent-based simulator of leadership in small and medium businesses.

The public API::

    import leadsim
    scenario = leadsim.load_scenario("scenarios/default.yaml", overrides={"org.size": 120})
    result = leadsim.run(scenario, seed=1)
    result.steps      # one row per day (pandas)
    result.summary    # one record per run (dict)
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("leadsim")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+unknown"

from leadsim.api import run, run_batch
from leadsim.results import RunResult, read_steps, summaries_frame
from leadsim.scenario import (
    SHOCK_TYPES,
    STYLE_NAMES,
    Scenario,
    ScenarioError,
    load_scenario,
    scenario_hash,
    validate_scenario,
)

# isort: split
# Edges that build on the API above; imported last because they import from leadsim.
from leadsim.compare import compare
from leadsim.sweeps import sensitivity, sweep

__all__ = [
    "SHOCK_TYPES",
    "STYLE_NAMES",
    "Employee",
    "Leader",
    "RunResult",
    "SMBModel",
    "Scenario",
    "ScenarioError",
    "__version__",
    "compare",
    "load_scenario",
    "read_steps",
    "run",
    "run_batch",
    "scenario_hash",
    "sensitivity",
    "summaries_frame",
    "sweep",
    "validate_scenario",
]

# The Mesa face loads Mesa (and its visualisation stack) on first use only: sweeps, reports and
# sweep workers never pay for it.
_MESA_FACE = {"SMBModel", "Employee", "Leader"}


def __getattr__(name: str):
    if name in _MESA_FACE:
        from leadsim import model

        return getattr(model, name)
    raise AttributeError(f"module 'leadsim' has no attribute {name!r}")
