"""The bundled scenarios, company profiles and experiments.

Installed from a wheel they are package data, ``leadsim/data/{scenarios,experiments}`` (setup.py maps
them into the package), found with :mod:`importlib.resources`. In a source checkout, or an editable
install of one, they are read where they live: ``scenarios/``, ``scenarios/profiles/`` and
``experiments/`` at the repository root. Either way an experiment's ``base: ../scenarios/x.yaml``
points at the right file, because the two folders keep their layout side by side.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from leadsim.scenario.loader import ScenarioError

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def data_root() -> Path:
    """The folder holding ``scenarios/`` and ``experiments/``: in the package, else the checkout."""
    packaged = files("leadsim") / "data"
    # A wheel installs as plain files, so the resource is a real folder (never a zip member).
    if isinstance(packaged, Path) and (packaged / "scenarios").is_dir():
        return packaged
    return PROJECT_ROOT


SCENARIOS_DIR = data_root() / "scenarios"
PROFILES_DIR = SCENARIOS_DIR / "profiles"
EXPERIMENTS_DIR = data_root() / "experiments"


def bundled_scenarios() -> list[Path]:
    """The bundled scenario files, by name."""
    return sorted(SCENARIOS_DIR.glob("*.yaml"))


def bundled_profiles() -> list[Path]:
    """The bundled company profiles (for ``compare``), by name."""
    return sorted(PROFILES_DIR.glob("*.yaml"))


def bundled_experiments() -> list[Path]:
    """The bundled sweep experiments, by name."""
    return sorted(EXPERIMENTS_DIR.glob("*.yaml"))


def _resolve(name_or_path: str | Path, folder: Path, kind: str) -> Path:
    """A file from a path, or from a bundled file's name in ``folder``; else a one-line error."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    bundled = folder / f"{name_or_path}.yaml"
    if not path.suffix and path.name == str(name_or_path) and bundled.is_file():
        return bundled
    names = ", ".join(p.stem for p in sorted(folder.glob("*.yaml")))
    raise ScenarioError(f"{name_or_path}: no such {kind} file or bundled {kind}; bundled: {names}")


def resolve_scenario(name_or_path: str | Path) -> Path:
    """A scenario file from a path, or from a bundled scenario's name (``default``)."""
    return _resolve(name_or_path, SCENARIOS_DIR, "scenario")


def resolve_profile(name_or_path: str | Path) -> Path:
    """A profile file from a path, or a bundled profile's or else scenario's name (``default``)."""
    path = Path(name_or_path)
    profile = PROFILES_DIR / f"{name_or_path}.yaml"
    if not path.is_file() and not path.suffix and profile.is_file():
        return profile
    return resolve_scenario(name_or_path)


def resolve_experiment(name_or_path: str | Path) -> Path:
    """An experiment file from a path, or from a bundled experiment's name (``quick``)."""
    return _resolve(name_or_path, EXPERIMENTS_DIR, "experiment")
