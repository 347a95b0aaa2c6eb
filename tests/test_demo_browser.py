"""The classroom page in a real headless browser (Debian chromium driven by Playwright).

Each test starts ``leadsim demo`` as a real server on a free localhost port and always stops it.
The frame rate at 250 people is measured here too and written to tests/artifacts/framerate.txt.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"
ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_MS = 60_000
# solara's own front-end chatter that is not an error of the page
BENIGN_CONSOLE = ("Failed to evaluate Vue script",)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def demo_server(scenario: str, log: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """``leadsim demo SCENARIO`` on a free port; yields its address; always stops it."""
    port = free_port()
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "leadsim.cli.main", "demo", scenario, "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, f"the server exited early:\n{log.read_text()}"
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, f"no answer from {url}:\n{log.read_text()}"
                time.sleep(0.2)
        yield url, proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the server and nothing else: its own session
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@contextmanager
def open_page(browser, url: str):
    """A page at ``url`` collecting console errors and uncaught exceptions."""
    page = browser.new_page(viewport={"width": 1600, "height": 1200})
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    try:
        page.goto(url)
        yield page, errors
    finally:
        page.close()


def day(page) -> int:
    return int(page.locator(".leadsim-day").inner_text())


def image(page, selector: str) -> bytes:
    return page.locator(selector).first.screenshot()


def wait_until_changed(page, selector: str, before: bytes) -> bytes:
    """Wait (polling, no fixed sleep) until the figure under ``selector`` is redrawn differently."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while (after := image(page, selector)) == before:
        assert time.monotonic() < deadline, f"{selector} never changed"
        page.wait_for_timeout(100)
    return after


def choose(page, label: str, option: str, within: str = "body") -> None:
    """Pick ``option`` in the (Vuetify) select labelled ``label`` inside ``within``."""
    page.locator(within).locator(".v-input", has_text=label).locator(".v-select__slot").click()
    page.get_by_role("option", name=option, exact=True).click()


def step(page) -> None:
    before = day(page)
    page.get_by_role("button", name="Step", exact=True).click()
    page.wait_for_function(f"Number(document.querySelector('.leadsim-day').innerText) > {before}")


@pytest.fixture(scope="module")
def big_firm(tmp_path_factory) -> Path:
    """The founder-bottleneck scenario at 250 people: what 'readable at 250' is checked with."""
    data = yaml.safe_load((ROOT / "scenarios/founder_bottleneck.yaml").read_text())
    data["org"]["size"] = 250
    path = tmp_path_factory.mktemp("demo") / "big_firm.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_the_trainers_page_reacts_to_style_steps_and_shocks(browser, big_firm, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    with (
        demo_server(str(big_firm), tmp_path / "server.log") as (url, proc),
        open_page(browser, url) as (page, errors),
    ):
        page.locator(".leadsim-orgchart svg").wait_for()
        page.locator(".leadsim-charts svg").wait_for()
        assert "founder" in page.locator(".leadsim-story").inner_text().lower()
        assert day(page) == 0
        org0, charts0 = image(page, ".leadsim-orgchart"), image(page, ".leadsim-charts")

        # switch every leader to distributed leadership now
        page.locator(".leadsim-style-0").get_by_role("button", name="distributed").click()
        page.locator(".leadsim-numbers", has_text="→ distributed").wait_for()

        for _ in range(3):
            step(page)
        assert day(page) == 3
        org1 = wait_until_changed(page, ".leadsim-orgchart", org0)
        charts1 = wait_until_changed(page, ".leadsim-charts", charts0)

        # the owner leaves: the org chart marks them away, the charts shade the shock
        page.get_by_role("button", name="Key person leaves").click()
        page.locator(".leadsim-shock-list", has_text="key person loss (day 3)").wait_for()
        charts2 = wait_until_changed(page, ".leadsim-charts", charts1)
        step(page)  # the owner is gone from the next working day
        page.locator(".leadsim-away", has_text="owner").wait_for()
        wait_until_changed(page, ".leadsim-orgchart", org1)
        wait_until_changed(page, ".leadsim-charts", charts2)

        # frame rate at 250 people: days rendered per second while playing
        start_day, start = day(page), time.monotonic()
        page.get_by_role("button", name="▶").click()
        page.wait_for_function(
            f"Number(document.querySelector('.leadsim-day').innerText) >= {start_day + 15}"
        )
        rate = (day(page) - start_day) / (time.monotonic() - start)
        page.get_by_role("button", name="❚❚").click()
        (ARTIFACTS / "framerate.txt").write_text(
            f"250 people, one firm, render interval 1: {rate:.1f} steps rendered per second\n"
        )
        page.screenshot(path=str(ARTIFACTS / "demo_page.png"), full_page=True)

        assert rate > 0.5, f"the page plays only {rate:.2f} steps per second at 250 people"
        assert not [e for e in errors if not e.startswith(BENIGN_CONSOLE)], errors
        assert proc.poll() is None


def test_side_by_side_runs_two_styles_on_the_same_firm(browser, tmp_path):
    with (
        demo_server("owner_away", tmp_path / "server.log") as (url, _),
        open_page(browser, url) as (page, errors),
    ):
        page.locator(".leadsim-orgchart svg").wait_for()
        choose(page, "Side by side: second style", "distributed")
        page.get_by_role("button", name="Reset").click()
        page.locator(".leadsim-numbers", has_text="B: distributed").wait_for()
        assert "A: autocratic" in page.locator(".leadsim-numbers").inner_text()
        assert page.locator(".leadsim-style-1").count() == 1  # a live style switch per firm
        assert page.locator(".leadsim-orgchart svg").count() == 2  # an org chart per firm
        step(page)
        page.get_by_role("button", name="Demand drop").click()
        page.locator(".leadsim-shock-list", has_text="demand drop (day 1)").wait_for()
        step(page)
        page.screenshot(path=str(ARTIFACTS / "demo_side_by_side.png"), full_page=True)
        assert not [e for e in errors if not e.startswith(BENIGN_CONSOLE)], errors


def test_a_bad_scenario_shows_its_error_and_the_app_keeps_running(browser, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\norg:\n  size: 50\n  span_of_controll: 7\n")
    log = tmp_path / "server.log"
    with demo_server(str(bad), log) as (url, proc), open_page(browser, url) as (page, errors):
        message = page.locator(".leadsim-error").inner_text()
        assert "span_of_controll" in message and "unknown field" in message
        assert "org.span_of_controll: unknown field" in log.read_text()  # and on the terminal
        assert "Traceback" not in log.read_text()
        # the app keeps running: pick a bundled scenario instead
        choose(page, "Scenario", "owner_away", within=".leadsim-scenario")
        page.locator(".leadsim-story", has_text="installation company").wait_for()
        step(page)
        assert proc.poll() is None
        assert not [e for e in errors if not e.startswith(BENIGN_CONSOLE)], errors
