"""Scenarios: the schema, loading YAML files, dotted overrides and one-line errors."""

from leadsim.scenario.loader import (
    ScenarioError,
    apply_overrides,
    describe_error,
    load_scenario,
    parse_value,
    read_yaml,
    scenario_hash,
    validate_scenario,
)
from leadsim.scenario.schema import SHOCK_TYPES, STYLE_NAMES, Scenario, Shock, StyleParams

__all__ = [
    "SHOCK_TYPES",
    "STYLE_NAMES",
    "Scenario",
    "ScenarioError",
    "Shock",
    "StyleParams",
    "apply_overrides",
    "describe_error",
    "load_scenario",
    "parse_value",
    "read_yaml",
    "scenario_hash",
    "validate_scenario",
]
