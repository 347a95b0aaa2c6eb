"""The comparison report in headless Chromium: no console error, the answer above the fold, a PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leadsim.compare import calibrate, compare

PROFILE = {
    "name": "browser_firm",
    "days": 60,
    "seed": 3,
    "warmup_days": 20,
    "org": {"size": 12, "span_of_control": 5},
    "shocks": [
        {"type": "demand_drop", "day": 20, "duration": 10, "magnitude": 0.3},
        {"type": "key_person_loss", "who": "owner", "day": 40, "duration": 10, "magnitude": 1.0},
    ],
    "observed": {
        "structure": "centralised",
        "turnover_per_year": 0.12,
        "decision_wait_days": 1.0,
        "engagement": {"mean": 3.0, "scale": [1, 5]},
        "revenue_per_year": 1_200_000,
    },
    "transition": {
        "cost": {"training": 12_000, "owner_time": 8_000},
        "duration_days": 30,
        "learning_dip": 0.1,
    },
    "calibration": {"days": 40},
}
FOLD = 768
MAX_HEIGHT = 4000


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """Four structures over three years, small: the tallest report the issue allows for."""
    fitted = calibrate(PROFILE, samples=8, seeds=1)
    result = compare(
        PROFILE,
        "centralised,distributed,servant,owner_led_teams",
        draws=3,
        reps=1,
        calibration=fitted,
        switch_day=20,
    )
    return result.write(tmp_path_factory.mktemp("report") / "report", pdf=True)["report.html"]


@pytest.mark.browser
def test_report_renders_with_the_answer_above_the_fold(report: Path, artifacts: Path, browser):
    problems: list[str] = []
    requests: list[str] = []
    page = browser.new_page(viewport={"width": 1366, "height": FOLD})
    try:
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(report.as_uri(), wait_until="load")
        answer = page.eval_on_selector("#answer", "e => e.getBoundingClientRect().toJSON()")
        height = page.evaluate("document.documentElement.scrollHeight")
        images = page.eval_on_selector_all("img", "els => els.map(e => [e.complete, e.naturalWidth])")
        headings = page.eval_on_selector_all("h2", "els => els.map(e => e.textContent)")
        first_screen = page.evaluate("document.querySelector('#answer').innerText")
        page.screenshot(path=str(artifacts / "compare_report_fold.png"))
        page.screenshot(path=str(artifacts / "compare_report.png"), full_page=True)
    finally:
        page.close()

    assert problems == []
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
    assert answer["bottom"] <= FOLD, f"the answer ends at {answer['bottom']} px, below the fold"
    assert height <= MAX_HEIGHT, f"{height} px for four structures"
    assert all(done and width > 100 for done, width in images)
    assert {"Measure by measure", "The switch, month by month", "Assumptions that drive the answer"} <= set(
        headings
    )
    # The first screen: a recommendation, three numbers, a caveat, and no hashes or jargon.
    assert "Main caveat" in first_screen and "cash after 3 years" in first_screen.lower()
    assert not re.search(r"\b[0-9a-f]{12,}\b", first_screen)
    assert "d_z" not in first_screen and "P(" not in first_screen


@pytest.mark.browser
def test_the_pdf_has_pages(report: Path):
    pdf = report.with_name("report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= 2, f"{pages} pages"
