"""The dashboard speed script: a real server, Debian's Chromium, every figure measured.

Speed itself is judged by the script's medians against the targets, not here: these tests check
that the script measures (positive figures, in an order that is physically possible) and that
it fails loudly when the server cannot start.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "dashboards" / "speed.py"
CHROMIUM = "/usr/bin/chromium"
FIGURES = ("first_paint_s", "redraw_new_s", "redraw_seen_s", "payload_new_kb",
           "payload_seen_kb", "first_load_ws_kb", "first_load_http_kb")


def run_script(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=1200, env=env)


@pytest.mark.slow
@pytest.mark.skipif(not Path(CHROMIUM).exists(),
                    reason="Debian's chromium is not installed (make browser installs it)")
def test_one_visit_gives_every_figure(tmp_path):
    out = tmp_path / "speed.json"
    done = run_script("--repeats", "1", "--json", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(out.read_text())
    figures = {key: fig["median"] for key, fig in result["figures"].items()}
    for key in FIGURES:
        assert figures[key] > 0, (key, figures)
        assert result["figures"][key]["samples"] == [figures[key]]
    # the page cannot show the finished run before the server has finished it
    assert figures["first_paint_s"] >= figures["first_script_s"] > 0
    assert figures["redraw_new_s"] >= figures["script_new_s"] > 0
    assert figures["redraw_seen_s"] >= figures["script_seen_s"] > 0
    # the server computes the new setting; the browser draws the first page
    assert figures["server_cpu_new_s"] > 0 and figures["first_browser_cpu_s"] > 0
    # the static assets (Streamlit's JavaScript) dwarf the app's first websocket payload
    assert figures["first_load_http_kb"] > figures["first_load_ws_kb"]
    assert result["charts_redrawn"], "the widget change did not move a chart"
    assert result["widget"], result
    for label in ("first meaningful paint", "redraw, new setting",
                  "payload per rerun, new setting", "<= 2.5", "<= 0.7", "<= 300"):
        assert label in done.stdout, (label, done.stdout)


def test_a_server_that_cannot_start_is_a_clear_failure(tmp_path):
    # `python -m streamlit` finds this package first: a broken install that exits at once
    fake = tmp_path / "streamlit"
    fake.mkdir()
    (fake / "__init__.py").write_text("")
    (fake / "__main__.py").write_text("import sys\nprint('streamlit is broken here')\n"
                                      "sys.exit(3)\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = run_script("--repeats", "1", "--chromium", sys.executable, env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "exited with status 3" in done.stderr, done.stderr
    assert "streamlit is broken here" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr, done.stderr


def test_a_missing_chromium_is_invalid_input():
    done = run_script("--chromium", "/nonexistent/chromium")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "no Chromium at /nonexistent/chromium" in done.stderr
    assert "apt-get install chromium" in done.stderr
