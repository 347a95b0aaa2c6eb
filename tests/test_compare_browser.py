"""The comparison report renders in headless Chromium without console errors (screenshot saved)."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadsim.compare import compare

PROFILE = {
    "name": "browser_firm",
    "days": 60,
    "seed": 3,
    "org": {"size": 15, "span_of_control": 5},
    "shocks": [
        {"type": "demand_drop", "day": 20, "duration": 10, "magnitude": 0.3},
        {"type": "key_person_loss", "who": "owner", "day": 40, "duration": 10, "magnitude": 1.0},
    ],
}


@pytest.mark.browser
def test_report_renders_without_console_errors(tmp_path: Path, artifacts: Path, browser):
    result = compare(
        PROFILE, "centralised,distributed", reps=4, sizes=(8, 20), turbulence=(0.0, 1.0), grid_reps=3
    )
    report = result.write(tmp_path / "report")["report.html"]

    problems: list[str] = []
    requests: list[str] = []
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(report.as_uri(), wait_until="load")
        images = page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])")
        title = page.title()
        headings = page.eval_on_selector_all("h2", "els => els.map(e => e.textContent)")
        page.screenshot(path=str(artifacts / "compare_report.png"), full_page=True)
    finally:
        page.close()

    assert problems == []
    assert "browser_firm" in title
    assert len(images) == 3 and all(done and width > 100 for done, width in images)
    # Self-contained: the page itself and its data: images, nothing fetched from elsewhere.
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
    assert {"Headline", "Over time", "Resilience under shocks", "Where does the answer flip?"} <= set(
        headings
    )
    assert (artifacts / "compare_report.png").stat().st_size > 10_000
