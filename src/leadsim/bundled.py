"""The bundled scenarios and experiments that ship beside the package."""

from __future__ import annotations

from pathlib import Path

from leadsim.scenario import ScenarioError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCENARIOS_DIR = PROJECT_ROOT / "scenarios"
EXPERIMENTS_DIR = PROJECT_ROOT / "experiments"


def bundled_scenarios() -> list[Path]:
    """The bundled scenario files, by name."""
    return sorted(SCENARIOS_DIR.glob("*.yaml"))


def resolve_scenario(name_or_path: str | Path) -> Path:
    """A scenario file from a path, or from a bundled scenario's name (``default``)."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    bundled = SCENARIOS_DIR / f"{name_or_path}.yaml"
    if not path.suffix and bundled.is_file():
        return bundled
    names = ", ".join(p.stem for p in bundled_scenarios())
    raise ScenarioError(f"{name_or_path}: no such scenario file or bundled scenario; bundled: {names}")
