"""The classroom page in a real headless browser (Debian chromium driven by Playwright).

Each test starts ``leadsim demo`` as a real server on a free localhost port and always stops it.
The page is checked as a trainer projects it: at 1280×720, 1024×768, 1920×1080 and at 150 % zoom
on 1280×720, with screenshots in tests/artifacts for each. The frame rate at 250 people is
measured too and written to tests/artifacts/framerate.txt.

With ``LEADSIM_DOCS_SCREENSHOTS=1`` the screenshots the teacher's guide uses are also written,
small, to docs/classroom/.
"""

from __future__ import annotations

import os
import re
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
DOCS_SHOTS = ROOT / "docs" / "classroom"
TIMEOUT_MS = 60_000
# solara's own front-end chatter that is not an error of the page
BENIGN_CONSOLE = ("Failed to evaluate Vue script",)
# (width, height, zoom): a zoom of 1.5 is what the browser's 150 % does to the page's CSS pixels
VIEWPORTS = {
    "1280x720": (1280, 720, 1.0),
    "1024x768": (1024, 768, 1.0),
    "1920x1080": (1920, 1080, 1.0),
    "1280x720-zoom150": (1280, 720, 1.5),
}
NAN = re.compile(r"\bnan\b", re.IGNORECASE)
# What a trainer would see if the page were wrong for a projector, measured in the page itself.
LAYOUT_JS = """() => {
  const vw = innerWidth, vh = innerHeight;
  const rect = (e) => { const r = e.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const figures = {};
  for (const name of ['orgchart', 'charts']) {
    const svg = document.querySelector(`.leadsim-${name} svg`);
    const r = rect(svg);
    // the picture is not covered: what is on top at its corners and centre is the picture
    const probes = [[r.left + 8, r.top + 8], [r.right - 8, r.top + 8], [r.left + 8, r.bottom - 8],
                    [r.right - 8, r.bottom - 8], [(r.left + r.right) / 2, (r.top + r.bottom) / 2]];
    const covered = probes.map(([x, y]) => document.elementFromPoint(x, y))
      .filter(hit => !hit || !hit.closest(`.leadsim-${name}`))
      .map(hit => hit ? hit.outerHTML.slice(0, 80) : 'nothing');
    figures[name] = {...r, covered};
  }
  const fonts = [...document.querySelectorAll('.leadsim-figure svg text')].map(
    t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
  const numbers = [...document.querySelectorAll('.leadsim-num')].map(
    e => parseFloat(getComputedStyle(e).fontSize));
  // controls cut off by their column or the window (style buttons used to overflow at 1024 px)
  const clipped = [...document.querySelectorAll('.v-btn, .leadsim-num')].filter(e => {
    const r = e.getBoundingClientRect(), column = e.closest('.leadsim-controls, .leadsim-main');
    const c = column ? column.getBoundingClientRect() : {left: 0, right: vw};
    return r.width > 0 && (r.left < c.left - 1 || r.right > c.right + 1 || r.right > vw + 1);
  }).map(e => e.innerText);
  return {vw, vh, scrollWidth: document.documentElement.scrollWidth,
          scrollHeight: document.documentElement.scrollHeight, figures,
          chartFont: Math.min(...fonts), numberFont: Math.min(...numbers), clipped};
}"""


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
def open_page(browser, url: str, viewport: str = "1280x720"):
    """A page at ``url`` in one of :data:`VIEWPORTS`, collecting console errors and exceptions."""
    width, height, zoom = VIEWPORTS[viewport]
    page = browser.new_page(
        viewport={"width": round(width / zoom), "height": round(height / zoom)}, device_scale_factor=zoom
    )
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    try:
        page.goto(url)
        page.locator(".leadsim-orgchart svg").first.wait_for()
        page.locator(".leadsim-charts svg").wait_for()
        yield page, errors
    finally:
        page.close()


def real_errors(errors: list[str]) -> list[str]:
    return [e for e in errors if not e.startswith(BENIGN_CONSOLE)]


def keep(page, name: str, docs: bool = False) -> None:
    """Screenshot to tests/artifacts; also, small, to docs/classroom when asked for the guide."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    if docs and os.environ.get("LEADSIM_DOCS_SCREENSHOTS"):
        from PIL import Image

        DOCS_SHOTS.mkdir(exist_ok=True)
        with Image.open(path) as image:
            small = image.convert("RGB").resize((960, round(960 * image.height / image.width)), Image.LANCZOS)
            # octree keeps the palette's colours (median cut greyed the cividis scale): ~50 kB a picture
            small.quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(
                DOCS_SHOTS / f"{name}.png", optimize=True
            )


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
    labelled = re.compile(f"^{re.escape(label)}")  # "Scenario", not "as in the scenario"
    page.locator(within).locator(".v-input", has_text=labelled).locator(".v-select__slot").click()
    page.get_by_role("option", name=option, exact=True).click()


def step(page) -> None:
    before = day(page)
    page.locator(".leadsim-step:visible").first.click()
    page.wait_for_function(f"Number(document.querySelector('.leadsim-day').innerText) > {before}")


def playing(page) -> bool:
    return "❚❚" in page.locator(".leadsim-play:visible").first.inner_text()


def page_text(page) -> str:
    """Everything the page shows as text, the charts' SVG text included."""
    return page.evaluate(
        "() => document.body.innerText + ' ' + [...document.querySelectorAll("
        "'.leadsim-figure')].map(f => f.textContent).join(' ')"
    )


def play_until(page, selector: str, timeout_s: float = 120) -> list[str]:
    """Press play; until ``selector`` shows and play has stopped, collect any "nan" on the page."""
    before = day(page)
    page.locator(".leadsim-play:visible").first.click()
    seen: list[str] = []
    deadline = time.monotonic() + timeout_s
    # not "wait for ❚❚ first": a firm that fails on its first days stops before a poll sees it
    while not (day(page) > before and page.locator(selector).count() and not playing(page)):
        assert time.monotonic() < deadline, f"{selector} never showed"
        seen += NAN.findall(page_text(page))
        page.wait_for_timeout(150)
    return seen + NAN.findall(page_text(page))


@pytest.fixture(scope="module")
def owner_away_server(tmp_path_factory) -> Iterator[str]:
    """One ``leadsim demo owner_away`` for the layout checks (every page gets its own model)."""
    with demo_server("owner_away", tmp_path_factory.mktemp("demo") / "server.log") as (url, _):
        yield url


@pytest.fixture(scope="module")
def big_firm(tmp_path_factory) -> Path:
    """The founder-bottleneck scenario at 250 people: what 'readable at 250' is checked with."""
    data = yaml.safe_load((ROOT / "scenarios/founder_bottleneck.yaml").read_text())
    data["org"]["size"] = 250
    path = tmp_path_factory.mktemp("demo") / "big_firm.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_firm_fits_a_projector_without_scrolling(browser, owner_away_server, viewport):
    with open_page(browser, owner_away_server, viewport) as (page, errors):
        step(page)  # numbers in the headline
        page.locator(".leadsim-orgchart", has_text="day 1").wait_for()  # the frame is drawn
        layout = page.evaluate(LAYOUT_JS)
        keep(page, f"demo_{viewport}", docs=viewport == "1280x720")
        assert layout["scrollWidth"] <= layout["vw"] and layout["scrollHeight"] <= layout["vh"], layout
        for name, box in layout["figures"].items():
            assert box["left"] >= 0 and box["top"] >= 0, (name, layout)
            assert box["right"] <= layout["vw"] and box["bottom"] <= layout["vh"], (name, layout)
            assert box["covered"] == [], (name, layout)  # e.g. by Solara's badge
        assert layout["clipped"] == [], layout
        if viewport == "1280x720":  # the back row reads 20 px
            assert layout["chartFont"] >= 20, layout
            assert layout["numberFont"] >= 20, layout
        assert not real_errors(errors), errors


def test_a_played_owner_away_year_pauses_at_the_shock_and_never_shows_nan(browser, owner_away_server):
    shock_day = yaml.safe_load((ROOT / "scenarios/owner_away.yaml").read_text())["shocks"][0]["day"]
    with open_page(browser, owner_away_server) as (page, errors):
        page.locator(".leadsim-speed").get_by_role("button", name="Fast").click()
        nans = play_until(page, ".leadsim-caption")
        # paused on the shock's first day, with what happened and a question for the class
        assert day(page) == shock_day + 1
        caption = page.locator(".leadsim-caption").inner_text()
        assert "away" in caption and "Ask the class" in caption
        assert "owner away" in page.locator(".leadsim-numbers").inner_text()
        keep(page, "demo_shock_pause", docs=True)

        nans += play_until(page, ".leadsim-yearend")
        year = page.locator(".leadsim-yearend").inner_text()
        assert "The year is over" in year and "Mean decision time" in year and "Longest wait" in year
        assert page.locator(".leadsim-play:visible").is_disabled()
        keep(page, "demo_year_over", docs=True)
        assert nans == [], f"'nan' on the page: {len(nans)} times"
        assert not real_errors(errors), errors


def test_a_failed_firm_shows_the_day_and_why(browser, tmp_path):
    broke = tmp_path / "broke.yaml"
    broke.write_text(
        yaml.safe_dump(
            {
                "name": "broke",
                "story": "A 20-person firm that sells below its costs.",
                "days": 120,
                "org": {"size": 20, "span_of_control": 5},
                "economics": {"price_per_unit": 150, "initial_cash_months": 0.5},
            }
        )
    )
    with (
        demo_server(str(broke), tmp_path / "server.log") as (url, _),
        open_page(browser, url) as (page, errors),
    ):
        page.locator(".leadsim-speed").get_by_role("button", name="Fast").click()
        play_until(page, ".leadsim-failed")
        card = page.locator(".leadsim-failed").inner_text()
        assert f"Day {day(page)}" in card and "run out of cash" in card
        assert "Cash" in card and "decisions waiting" in card
        # the org chart keeps the people of the last open day, and says when and why it closed
        org = page.locator(".leadsim-orgchart").inner_text()
        assert f"Closed on day {day(page)}: out of cash" in org and "vacant" not in org
        keep(page, "demo_failed", docs=True)
        assert not real_errors(errors), errors


def test_presenter_mode_and_german_are_one_click_away(browser, owner_away_server):
    with open_page(browser, owner_away_server) as (page, errors):
        step(page)
        number = ".leadsim-num"
        normal = float(page.locator(number).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
        page.keyboard.press("p")  # a key (or a presenter's remote) away
        page.locator(".leadsim-controls").wait_for(state="hidden")
        big = float(page.locator(number).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
        assert big > 1.4 * normal
        step(page)  # play and step stay at hand
        page.keyboard.press("n")  # so does the next day
        page.wait_for_function("Number(document.querySelector('.leadsim-day').innerText) === 3")
        keep(page, "demo_presenter", docs=True)
        page.locator(".leadsim-presenter").click()
        page.locator(".leadsim-controls").wait_for()

        choose(page, "Language", "Deutsch")
        page.locator(".leadsim-numbers", has_text="Tag").wait_for()
        assert "Engagement (0–1)" in page.locator(".leadsim-charts").inner_text()
        assert page.locator(".leadsim-play:visible").inner_text().strip() == "▶ Start"
        assert "Laissez-faire" in page.locator(".leadsim-style-0").inner_text()
        keep(page, "demo_german", docs=True)
        assert not real_errors(errors), errors


def test_settings_say_they_apply_on_reset_and_show_their_values(browser, owner_away_server):
    with open_page(browser, owner_away_server) as (page, errors):
        setup = page.locator(".leadsim-setup")
        assert "These apply on Reset" in setup.inner_text()
        assert "People: 30" in setup.inner_text()
        assert "Use Threads" not in page_text(page) and "Render Interval" not in page_text(page)
        assert "LAISSEZ_FAIRE" not in page_text(page) and "laissez_faire" not in page_text(page)
        slider = setup.locator(".v-input", has_text="People:").locator(".v-slider")
        slider.scroll_into_view_if_needed()
        box = slider.bounding_box()
        page.mouse.click(box["x"] + box["width"] * 0.9, box["y"] + box["height"] / 2)
        page.locator(".leadsim-pending").wait_for()
        people = int(re.search(r"People: (\d+)", setup.inner_text()).group(1))
        assert people > 30
        page.locator(".leadsim-reset").click()
        page.locator(".leadsim-note").wait_for()
        # the story follows the firm's size
        assert f"A {people}-person installation company" in page.locator(".leadsim-story").inner_text()
        assert not real_errors(errors), errors


def test_the_trainers_page_reacts_to_style_steps_and_shocks(browser, big_firm, tmp_path):
    with (
        demo_server(str(big_firm), tmp_path / "server.log") as (url, proc),
        open_page(browser, url) as (page, errors),
    ):
        assert "founder" in page.locator(".leadsim-story").inner_text().lower()
        assert day(page) == 0
        org0, charts0 = image(page, ".leadsim-orgchart"), image(page, ".leadsim-charts")

        # switch every leader to distributed leadership now
        page.locator(".leadsim-style-0").get_by_role("button", name="Distributed").click()
        page.locator(".leadsim-orgchart", has_text="→ Distributed").wait_for()

        for _ in range(3):
            step(page)
        assert day(page) == 3
        org1 = wait_until_changed(page, ".leadsim-orgchart", org0)
        charts1 = wait_until_changed(page, ".leadsim-charts", charts0)

        # the owner leaves: the org chart marks them away, the charts shade the shock
        page.get_by_role("button", name="Owner leaves").click()
        page.locator(".leadsim-shock-list", has_text="Owner leaves (day 4)").wait_for()
        charts2 = wait_until_changed(page, ".leadsim-charts", charts1)
        step(page)  # the owner is gone from the next working day
        page.locator(".leadsim-away", has_text="owner").wait_for()
        wait_until_changed(page, ".leadsim-orgchart", org1)
        wait_until_changed(page, ".leadsim-charts", charts2)

        # frame rate at 250 people: days rendered per second while playing fast
        page.locator(".leadsim-speed").get_by_role("button", name="Fast").click()
        start_day, start = day(page), time.monotonic()
        page.locator(".leadsim-play:visible").click()
        page.wait_for_function(
            f"Number(document.querySelector('.leadsim-day').innerText) >= {start_day + 15}"
        )
        rate = (day(page) - start_day) / (time.monotonic() - start)
        page.locator(".leadsim-play:visible").click()
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "framerate.txt").write_text(
            f"250 people, one firm, speed fast: {rate:.1f} steps rendered per second\n"
        )
        keep(page, "demo_page_250", docs=True)

        assert rate > 0.5, f"the page plays only {rate:.2f} steps per second at 250 people"
        assert not real_errors(errors), errors
        assert proc.poll() is None


def test_side_by_side_runs_two_styles_on_the_same_firm(browser, owner_away_server):
    with open_page(browser, owner_away_server) as (page, errors):
        choose(page, "Side by side: second style", "Distributed")
        page.locator(".leadsim-reset").click()
        page.locator(".leadsim-style-1").wait_for()  # a live style switch per firm
        assert page.locator(".leadsim-orgchart svg").count() == 2  # an org chart per firm
        step(page)
        numbers = page.locator(".leadsim-numbers").inner_text()
        assert "A: Autocratic" in numbers and "B: Distributed" in numbers
        page.get_by_role("button", name="Demand drop").click()
        page.locator(".leadsim-shock-list", has_text="Demand drop (day 2)").wait_for()
        step(page)
        layout = page.evaluate(LAYOUT_JS)
        keep(page, "demo_side_by_side", docs=True)
        assert layout["scrollHeight"] <= layout["vh"], layout
        assert not real_errors(errors), errors


def test_a_bad_scenario_shows_its_error_and_the_app_keeps_running(browser, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\norg:\n  size: 50\n  span_of_controll: 7\n")
    log = tmp_path / "server.log"
    with demo_server(str(bad), log) as (url, proc):
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        try:
            page.goto(url)
            message = page.locator(".leadsim-error").inner_text()
            assert "span_of_controll" in message and "unknown field" in message
            assert "org.span_of_controll: unknown field" in log.read_text()  # and on the terminal
            assert "Traceback" not in log.read_text()
            # the app keeps running: pick a bundled scenario instead
            choose(page, "Scenario", "owner away", within=".leadsim-setup")
            page.locator(".leadsim-story", has_text="installation company").wait_for()
            step(page)
            assert proc.poll() is None
            assert not real_errors(errors), errors
        finally:
            page.close()
