"""Parameter sweeps: experiments, designs, seeds, backends, the Parquet store, sensitivity.

The public entry points are :func:`sweep` and :func:`sensitivity` (also ``leadsim.sweep`` and
``leadsim.sensitivity``), and the ``leadsim sweep``, ``leadsim sensitivity`` and ``leadsim plot``
commands.
"""

from leadsim.sweeps.api import SweepReport, load_runs, load_steps, run_sweep, sweep
from leadsim.sweeps.design import Experiment, SweepError, read_experiment
from leadsim.sweeps.plan import Plan, load_plan
from leadsim.sweeps.sensitivity import sensitivity
from leadsim.sweeps.store import read_provenance

__all__ = [
    "Experiment",
    "Plan",
    "SweepError",
    "SweepReport",
    "load_plan",
    "load_runs",
    "load_steps",
    "read_experiment",
    "read_provenance",
    "run_sweep",
    "sensitivity",
    "sweep",
]
