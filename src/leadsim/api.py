"""The Python API: run a scenario once or as a batch of replications."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from leadsim.core import Engine
from leadsim.extras import import_extra
from leadsim.results import RunResult, results_from_engine, summaries_frame
from leadsim.scenario import Scenario, load_scenario, validate_scenario
from leadsim.scenario.loader import ScenarioSource

if TYPE_CHECKING:
    import xarray

DayCallback = Callable[[int], None]


class RunBatch(list[RunResult]):
    """The runs of one batch, one :class:`RunResult` per seed in order, with tabular views.

    A plain list as far as callers are concerned (index it, iterate it, compare it); the views
    are built on demand.
    """

    def summaries(self) -> pd.DataFrame:
        """One row per run: the summary without the shock list."""
        return summaries_frame(self)

    def to_xarray(self, metrics: Sequence[str] | None = None) -> xarray.DataArray:
        """The per-day series as one labelled array: replication × day × metric.

        Needs the ``xarray`` extra, and the steps (``keep_steps=True``, the default).

        Args:
            metrics: the numeric per-day columns to include; default all of them.

        Returns:
            A DataArray named ``steps`` with coordinates ``replication`` (0..n-1, with each run's
            ``seed``), ``day`` and ``metric``, and the provenance (version, scenario, hash) in its
            attributes. ``.to_dataset("metric")`` gives one variable per metric.
        """
        xr = import_extra("xarray", "xarray", "RunBatch.to_xarray()")
        if not self:
            raise ValueError("an empty batch has no series")
        if any(r.steps.empty for r in self):
            raise ValueError("this batch kept no per-day series; run it with keep_steps=True")
        first = self[0].steps
        numeric = [c for c in first.columns if c != "day" and pd.api.types.is_numeric_dtype(first[c])]
        chosen = list(metrics) if metrics is not None else numeric
        unknown = [m for m in chosen if m not in numeric]
        if unknown:
            raise ValueError(f"metrics: unknown {', '.join(unknown)}; allowed: {', '.join(numeric)}")
        values = np.stack([r.steps[chosen].to_numpy(dtype=float) for r in self])
        provenance = self[0].provenance
        return xr.DataArray(
            values,
            dims=("replication", "day", "metric"),
            coords={
                "replication": np.arange(len(self)),
                "seed": ("replication", [r.seed for r in self]),
                "day": first["day"].to_numpy(),
                "metric": chosen,
            },
            name="steps",
            attrs={k: provenance[k] for k in ("version", "scenario", "scenario_hash")},
        )


def with_days(scenario: Scenario, days: int | None) -> Scenario:
    """The scenario with another horizon (validated again: shocks must stay inside it)."""
    if days is None or days == scenario.days:
        return scenario
    return validate_scenario(scenario.model_dump(), f"scenario '{scenario.name}'", {"days": days})


def run(
    scenario: ScenarioSource,
    seed: int | None = None,
    *,
    days: int | None = None,
    on_day: DayCallback | None = None,
) -> RunResult:
    """Run one scenario once.

    Args:
        scenario: a :class:`Scenario`, a mapping of fields, a YAML path or a bundled scenario's
            name (anything :func:`leadsim.load_scenario` takes).
        seed: the run's seed; default the scenario's own.
        days: another horizon than the scenario's.
        on_day: called with the day number after each simulated day (for progress bars).

    Returns:
        The run's per-day frame, summary and per-shock resilience.
    """
    scenario = load_scenario(scenario)
    seed = scenario.seed if seed is None else seed
    return run_batch(scenario, [seed], days=days, on_day=on_day)[0]


def run_batch(
    scenario: ScenarioSource,
    seeds: Sequence[int],
    *,
    days: int | None = None,
    keep_steps: bool = True,
    on_day: DayCallback | None = None,
) -> RunBatch:
    """Run many replications of one scenario together in the vectorised engine.

    The results equal running each seed alone with :func:`run`.

    Args:
        scenario: a :class:`Scenario`, a mapping of fields, a YAML path or a bundled name.
        seeds: one seed per replication.
        days: another horizon than the scenario's.
        keep_steps: keep each run's per-day frame (off saves memory in large sweeps).
        on_day: called with the day number after each simulated day.

    Returns:
        The runs in seed order: a list of :class:`RunResult` with views (``summaries()``,
        ``to_xarray()``).
    """
    engine = Engine(with_days(load_scenario(scenario), days), seeds)
    engine.run(on_day=on_day)
    return RunBatch(results_from_engine(engine, keep_steps=keep_steps))
