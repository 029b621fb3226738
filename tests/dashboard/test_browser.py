"""The dashboard as a user meets it: a real Streamlit server, a real Chromium, a widget change."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from sim.interfaces.dashboard.precompute import SAMPLES_ENV

from .conftest import TEST_SAMPLES

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(os.environ.get("DASHBOARD_SCREENSHOTS", ROOT / "build" / "screenshots"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                 reason="Debian's chromium is installed by .ci/run")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), SAMPLES_ENV: TEST_SAMPLES}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboards" / "app.py"),
         "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        os.killpg(proc.pid, signal.SIGTERM)
        pytest.fail("the Streamlit server did not start")
    yield url
    os.killpg(proc.pid, signal.SIGTERM)  # stop it by its process id
    proc.wait(timeout=20)


def wait_until_done(page, timeout_ms=180_000):
    """The app has finished running: no running status widget, a chart drawn."""
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=timeout_ms)
    page.wait_for_timeout(500)


def verdict(page, label: str) -> str:
    """The verdict the dashboard writes for a scenario (label as shown)."""
    return page.locator('[data-testid="stMarkdownContainer"]').filter(
        has_text=f"{label}: ").first.inner_text()


def launch(p):
    return p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def test_compare_edit_share_and_reset(server):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server)
        wait_until_done(page)
        before = verdict(page, "nasa-2030")
        assert "Feasible as planned" in before, before
        assert "Not feasible as planned" in verdict(page, "musk-2027")
        page.screenshot(path=str(SHOTS / "01-opening-1400.png"))
        box = page.get_by_role("spinbutton", name="USDV propellant (t)")
        box.fill("12")
        box.press("Enter")
        page.wait_for_function(
            """() => [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
                 .some(e => e.innerText.startsWith('nasa-2030 (edited): '))""",
            timeout=180_000)
        wait_until_done(page)
        assert "USDV propellant 16.3 t → 12 t" in page.content()
        assert "edit.nasa-2030=usdv.propellant" in page.url.replace("%3A", ":")
        page.screenshot(path=str(SHOTS / "02-edited-1400.png"))
        shared = page.url
        other = browser.new_page(viewport={"width": 1400, "height": 1000})
        other.goto(shared)  # the address reopens the edited view
        wait_until_done(other)
        assert verdict(other, "nasa-2030 (edited)") == verdict(page, "nasa-2030 (edited)")
        other.close()
        page.get_by_role("button", name="Reset nasa-2030").click()
        page.wait_for_function(
            """() => [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
                 .some(e => e.innerText.startsWith('nasa-2030: '))""", timeout=180_000)
        wait_until_done(page)
        assert verdict(page, "nasa-2030") == before
        page.get_by_text("Where", exact=True).first.click()
        page.wait_for_function(
            """() => [...document.querySelectorAll('.legendtext')]
                 .some(e => e.textContent === 'coastline')""", timeout=180_000)
        page.screenshot(path=str(SHOTS / "03-where-1400.png"))
        browser.close()


def test_phone_width_shows_the_verdict_first_and_nothing_cut_off(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True, device_scale_factor=2)
        page.goto(server)
        wait_until_done(page)
        title = page.locator("h1").first.bounding_box()
        assert title["height"] < 844 / 6, title  # the title no longer takes a third
        first = page.locator('[data-testid="stMarkdownContainer"]').filter(
            has_text="nasa-2030: ").first.bounding_box()
        assert first["y"] < 844 * 0.6, first  # a verdict starts on the first screen
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 390 + 1, overflow  # nothing wider than the screen
        page.screenshot(path=str(SHOTS / "04-opening-390.png"))
        browser.close()
