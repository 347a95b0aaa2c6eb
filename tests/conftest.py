"""Shared fixtures: small scenarios that run fast."""

from __future__ import annotations

from pathlib import Path

import pytest

import leadsim

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's; Playwright's own browser download does not work here
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",  # the machine's network is closed: no calls home
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


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


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright, shared by the browser tests."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian chromium: run `make browser-deps`")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
