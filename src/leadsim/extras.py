"""Optional dependencies: import one, or say in one line which extra to install.

The core (``pip install leadsim``) runs scenarios, batches and local grid sweeps. The rest comes
with extras: ``demo`` (the classroom page), ``dask`` (sweeps on a cluster), ``sensitivity`` (SALib
designs and indices), ``calibrate`` (SALib samples for ``leadsim calibrate`` and ``compare``),
``xarray`` (labelled arrays of a batch), ``ema`` (the EMA workbench adapter) and ``docs``; ``all``
is every one of them.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class MissingExtra(ImportError):
    """An optional dependency is not installed; the message names the extra that brings it."""


def import_extra(module: str, extra: str, feature: str) -> ModuleType:
    """Import ``module`` from an optional extra.

    Args:
        module: the module to import (``"SALib.sample.sobol"``).
        extra: the leadsim extra that installs it (``"sensitivity"``).
        feature: what needs it, for the message (``"a sobol design"``).

    Raises:
        MissingExtra: one line: what needs it and the ``pip install`` command.
    """
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        top = module.partition(".")[0]
        if exc.name is None or exc.name.partition(".")[0] != top:
            raise  # the extra is there but something it imports is broken: show the real error
        raise MissingExtra(
            f"{feature} needs the optional package {top} (not installed); "
            f"install it with: pip install 'leadsim[{extra}]'"
        ) from None
