"""A ready model for the EMA workbench: exploratory modelling and scenario discovery with leadsim.

Every experiment the workbench draws runs ``replications`` paired replications of the scenario
(the same seeds for every experiment: common random numbers) together through
:func:`leadsim.run_batch`, and reports the mean of each outcome over them, plus the share of runs
in which the firm survived. Needs the ``ema`` extra::

    from ema_workbench import perform_experiments
    from ema_workbench.analysis import prim
    import leadsim.ema

    model = leadsim.ema.model(
        "default",
        uncertainties={"org.size": (10, 120), "market.turbulence": (0.0, 2.0)},
        levers={"leadership.style": ["autocratic", "distributed"]},
        replications=8,
        overrides={"days": 130},
    )
    experiments, outcomes = perform_experiments(model, scenarios=40, policies=2)

The workbench wants parameter names that are Python identifiers, so a field's dots become double
underscores there: ``org.size`` is the column ``org__size`` of ``experiments``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

import leadsim
from leadsim.extras import import_extra
from leadsim.scenario.loader import ScenarioSource
from leadsim.sweeps.design import whole_number_field
from leadsim.sweeps.plan import summary_outputs

DEFAULT_OUTCOMES = ("latency_mean", "engagement_final", "output_total", "turnover_rate")
SURVIVAL = "survival"  # the share of replications in which the firm did not run out of cash

Range = tuple[float, float] | Sequence[Any]
SEPARATOR = "__"  # the workbench wants identifiers: org.span_of_control -> org__span_of_control


def parameter_name(field: str) -> str:
    """The workbench's name for a dotted scenario field (``org.size`` -> ``org__size``)."""
    return field.replace(".", SEPARATOR)


def field_name(parameter: str) -> str:
    """The dotted scenario field of a workbench parameter name (``org__size`` -> ``org.size``)."""
    return parameter.replace(SEPARATOR, ".")


@dataclass(frozen=True)
class BatchFunction:
    """The model function the workbench calls: parameters in, mean outcomes out.

    A plain picklable object (the scenario as fields), so the workbench's multiprocessing
    evaluator can send it to its worker processes.
    """

    scenario: dict[str, Any]
    seeds: tuple[int, ...]
    outcomes: tuple[str, ...]

    def __call__(self, **parameters: Any) -> dict[str, float]:
        """Run the replications of one experiment and average each outcome over them."""
        fields = {field_name(k): v for k, v in parameters.items()}
        scenario = leadsim.validate_scenario(self.scenario, "ema experiment", fields)
        runs = [r.summary for r in leadsim.run_batch(scenario, self.seeds, keep_steps=False)]
        result = {}
        for name in self.outcomes:
            if name == SURVIVAL:
                result[name] = float(np.mean([r["survived"] for r in runs]))
                continue
            values = np.array([np.nan if r[name] is None else r[name] for r in runs], dtype=float)
            result[name] = float(np.nanmean(values)) if np.isfinite(values).any() else float("nan")
        return result


def model(
    scenario: ScenarioSource = "default",
    *,
    uncertainties: Mapping[str, Range],
    levers: Mapping[str, Range] | None = None,
    outcomes: Sequence[str] = (*DEFAULT_OUTCOMES, SURVIVAL),
    replications: int = 10,
    seed: int | None = None,
    overrides: Mapping[str, Any] | None = None,
    name: str = "leadsim",
) -> Any:
    """An EMA workbench ``Model`` of a leadsim scenario.

    Args:
        scenario: the scenario the experiments start from (a Scenario, a mapping of fields, a
            YAML path or a bundled name).
        uncertainties: dotted scenario fields and their ranges: ``(low, high)`` (whole numbers
            where the scenario holds a whole number, such as ``org.size``) or a list of
            categories (``["autocratic", "servant"]``).
        levers: the same, for the policy levers (e.g. ``leadership.style``).
        outcomes: summary metrics (``leadsim run --json`` shows them), averaged over the
            replications, and ``survival``, the share of replications that survived.
        replications: paired runs per experiment.
        seed: the first seed (replication i uses ``seed + i``); default the scenario's.
        overrides: dotted fields set for every experiment (``{"days": 130}``).
        name: the model's name in the workbench (letters, digits and underscores).

    Returns:
        An ``ema_workbench.Model``, ready for ``perform_experiments``.

    Raises:
        leadsim.ScenarioError: the scenario, or a range end, fails validation (one line).
        leadsim.extras.MissingExtra: the ``ema`` extra is not installed.
    """
    ema = import_extra("ema_workbench", "ema", "leadsim.ema")
    base = leadsim.load_scenario(scenario, overrides)
    allowed = [*summary_outputs(), SURVIVAL]
    for outcome in outcomes:
        if outcome not in allowed:
            raise leadsim.ScenarioError(f"outcomes: unknown '{outcome}'; allowed: {', '.join(allowed)}")
    first = base.seed if seed is None else seed
    seeds = tuple(range(first, first + replications))
    function = BatchFunction(base.model_dump(mode="json"), seeds, tuple(outcomes))
    workbench_model = ema.Model(name, function=function)
    workbench_model.uncertainties = [_parameter(ema, base, k, v) for k, v in uncertainties.items()]
    workbench_model.levers = [_parameter(ema, base, k, v) for k, v in (levers or {}).items()]
    workbench_model.outcomes = [ema.ScalarOutcome(o) for o in outcomes]
    return workbench_model


def _parameter(ema: Any, base: leadsim.Scenario, field: str, values: Range) -> Any:
    """A workbench parameter for a dotted field, checked against the scenario at both ends."""
    is_range = (
        isinstance(values, tuple)
        and len(values) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    )
    for value in values:
        leadsim.validate_scenario(base.model_dump(), f"ema parameter {field}", {field: value})
    name = parameter_name(field)
    if not is_range:
        return ema.CategoricalParameter(name, list(values))
    low, high = values
    if whole_number_field(base, field):
        return ema.IntegerParameter(name, int(low), int(high))
    return ema.RealParameter(name, float(low), float(high))
