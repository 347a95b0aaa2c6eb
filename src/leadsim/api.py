"""The Python API: run a scenario once or as a batch of replications."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from leadsim.core import Engine
from leadsim.results import RunResult, results_from_engine
from leadsim.scenario import Scenario, validate_scenario

DayCallback = Callable[[int], None]


def with_days(scenario: Scenario, days: int | None) -> Scenario:
    """The scenario with another horizon (validated again: shocks must stay inside it)."""
    if days is None or days == scenario.days:
        return scenario
    return validate_scenario(scenario.model_dump(), f"scenario '{scenario.name}'", {"days": days})


def run(
    scenario: Scenario,
    seed: int | None = None,
    *,
    days: int | None = None,
    on_day: DayCallback | None = None,
) -> RunResult:
    """Run one scenario once.

    Args:
        scenario: a validated scenario (see :func:`leadsim.load_scenario`).
        seed: the run's seed; default the scenario's own.
        days: another horizon than the scenario's.
        on_day: called with the day number after each simulated day (for progress bars).

    Returns:
        The run's per-day frame, summary and per-shock resilience.
    """
    seed = scenario.seed if seed is None else seed
    return run_batch(scenario, [seed], days=days, on_day=on_day)[0]


def run_batch(
    scenario: Scenario,
    seeds: Sequence[int],
    *,
    days: int | None = None,
    keep_steps: bool = True,
    on_day: DayCallback | None = None,
) -> list[RunResult]:
    """Run many replications of one scenario together in the vectorised engine.

    The results equal running each seed alone with :func:`run`.

    Args:
        scenario: a validated scenario.
        seeds: one seed per replication.
        days: another horizon than the scenario's.
        keep_steps: keep each run's per-day frame (off saves memory in large sweeps).
        on_day: called with the day number after each simulated day.
    """
    engine = Engine(with_days(scenario, days), seeds)
    engine.run(on_day=on_day)
    return results_from_engine(engine, keep_steps=keep_steps)
