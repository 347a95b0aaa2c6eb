"""leadsim: an agent-based simulator of leadership in small and medium businesses.

The public API::

    import leadsim
    scenario = leadsim.load_scenario("default", overrides={"org.size": 120})
    result = leadsim.run(scenario, seed=1)
    result.steps      # one row per day (pandas)
    result.summary    # one record per run (dict)

Every entry point (``run``, ``run_batch``, ``sweep``, ``sensitivity``, ``compare``,
``load_scenario``) takes a :class:`Scenario`, a mapping of fields, a YAML path or a bundled
scenario's name.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING

# The names below are imported on first use (PEP 562): `import leadsim` costs nothing, so the
# command line starts fast and a sweep worker or a docs build loads only what it touches.
_LAZY = {
    "run": "leadsim.api",
    "run_batch": "leadsim.api",
    "RunBatch": "leadsim.api",
    "RunResult": "leadsim.results",
    "read_steps": "leadsim.results",
    "summaries_frame": "leadsim.results",
    "SHOCK_TYPES": "leadsim.scenario",
    "STYLE_NAMES": "leadsim.scenario",
    "Scenario": "leadsim.scenario",
    "ScenarioError": "leadsim.scenario",
    "load_scenario": "leadsim.scenario",
    "scenario_hash": "leadsim.scenario",
    "validate_scenario": "leadsim.scenario",
    "compare": "leadsim.compare",
    "sensitivity": "leadsim.sweeps",
    "sweep": "leadsim.sweeps",
    # The Mesa face: sweeps, reports and sweep workers never pay for Mesa.
    "SMBModel": "leadsim.model",
    "Employee": "leadsim.model",
    "Leader": "leadsim.model",
}

__all__ = [  # noqa: RUF022 - kept in the order of _LAZY
    "__version__",
    "run",
    "run_batch",
    "RunBatch",
    "RunResult",
    "read_steps",
    "summaries_frame",
    "SHOCK_TYPES",
    "STYLE_NAMES",
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "scenario_hash",
    "validate_scenario",
    "compare",
    "sensitivity",
    "sweep",
    "SMBModel",
    "Employee",
    "Leader",
]


def _version() -> str:
    # Looking the version up scans the installed distributions (tens of ms): done on first use.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("leadsim")
    except PackageNotFoundError:  # running from a source tree without installing
        return "0.0.0+unknown"


def __getattr__(name: str) -> object:
    if name == "__version__":
        globals()[name] = value = _version()
        return value
    module = _LAZY.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    try:  # a submodule used as an attribute (leadsim.scenario.parse_value)
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise
    raise AttributeError(f"module 'leadsim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


class _Package(types.ModuleType):
    """The package module: ``leadsim.compare`` stays the function when its subpackage is imported."""

    def __setattr__(self, name: str, value: object) -> None:
        # Importing leadsim.compare (the report's subpackage) would bind the attribute to the
        # module; the public name is the function, as it was when this package imported eagerly.
        if name == "compare" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


if TYPE_CHECKING:  # for type checkers and editors: the same names, imported eagerly
    from leadsim.api import RunBatch, run, run_batch
    from leadsim.compare import compare
    from leadsim.model import Employee, Leader, SMBModel
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
    from leadsim.sweeps import sensitivity, sweep
