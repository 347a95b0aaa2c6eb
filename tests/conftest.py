"""Shared fixtures: small scenarios that run fast."""

from __future__ import annotations

from pathlib import Path

import pytest

import leadsim

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture
def small_scenario() -> leadsim.Scenario:
    """A 30-person firm over 80 days with a demand drop."""
    return leadsim.validate_scenario(
        {
            "name": "small",
            "days": 80,
            "org": {"size": 30},
            "shocks": [{"type": "demand_drop", "day": 40, "duration": 10, "magnitude": 0.3}],
        }
    )


@pytest.fixture
def artifacts() -> Path:
    """Folder for screenshots and figures tests leave for people to look at (gitignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
