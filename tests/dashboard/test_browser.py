"""The dashboard as a user meets it: a real Streamlit server, a real Chromium, a widget change."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

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
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
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


def wait_until_done(page, timeout_ms=120_000):
    """The app has finished running: no running status widget, the charts are drawn."""
    page.wait_for_selector(".js-plotly-plot", timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=timeout_ms)
    page.wait_for_timeout(500)


def verdict(page, name: str) -> str:
    """The one-sentence verdict the dashboard writes for a scenario."""
    return page.locator('[data-testid="stMarkdownContainer"]').filter(
        has_text=f"{name} —").first.inner_text()


def test_compare_change_a_widget_and_see_the_metric_change(server):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 2400})
        page.goto(server)
        wait_until_done(page)
        assert page.get_by_text("ISS end of life").first.is_visible()
        before = verdict(page, "nasa-2030")
        assert re.search(r"keeps [\d,]+ kg", before), before
        page.screenshot(path=str(SHOTS / "01-opening.png"), full_page=True)
        box = page.get_by_role("spinbutton", name="USDV propellant (t)")
        box.fill("12")
        box.press("Enter")
        # the rerun (campaign, footprint) takes a few seconds: wait for the verdict to change
        page.wait_for_function(
            """before => [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
                 .some(e => e.innerText.includes('nasa-2030 —') && e.innerText !== before)""",
            arg=before, timeout=120_000)
        wait_until_done(page)
        after = verdict(page, "nasa-2030")
        assert after != before, (before, after)
        page.screenshot(path=str(SHOTS / "02-less-usdv-propellant.png"), full_page=True)
        page.get_by_role("tab", name="Timeline").click()
        page.wait_for_timeout(800)
        page.screenshot(path=str(SHOTS / "03-timeline.png"), full_page=False)
        browser.close()
