"""How fast the dashboard is for a visitor, measured in a real browser against its targets.

``python -m dashboards.speed`` (or ``python dashboards/speed.py``, ``make dashboard-speed``)
starts ``streamlit run dashboards/app.py --server.headless true`` on a free loopback port, the
way a user does, and drives Debian's Chromium with Playwright. One full visit (load and widget
changes) is made and discarded so the server is warm (imports done, numba compiled, caches
filled); then ``--repeats`` visits, each in a fresh browser context (a new visitor with an empty
browser cache), measure first meaningful paint, redraw after a widget change and payload per
rerun (what exactly, and how, is in ``dashboards/speed_browser.py``), and beside each step the
time the server's script took and the CPU seconds the server and the browser spent (these
depend far less on other people's load than wall-clock times do: compare versions with them
when the machine is shared). The median and every sample of each figure are printed beside the
dashboard's targets (first paint <= 2.5 s, redraw <= 0.7 s, payload per rerun <= 300 KB);
``--json FILE`` writes the same.

Exit status: 0 measured (whether the targets are met or not), 1 the server did not start or the
page did not finish, 2 a bad option, no Chromium, or no such widget.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(ROOT))

from dashboards.speed_browser import (  # noqa: E402
    CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, Options, SpeedError, Visit, visit)
from dashboards.speed_cpu import CpuMeter  # noqa: E402
from sim.interfaces.atomic import write_atomic_bytes  # noqa: E402
from sim.interfaces.exit_status import INVALID, OK  # noqa: E402

TARGET_FIRST_PAINT_S, TARGET_REDRAW_S, TARGET_PAYLOAD_KB = 2.5, 0.7, 300.0
SERVER_START_S = 120.0


@dataclass(frozen=True)
class Figure:
    key: str  # its name in the JSON
    label: str
    unit: str
    target: float | None  # the median must not exceed it
    path: str  # where a ``Visit`` holds it


FIGURES = (
    Figure("first_paint_s", "first meaningful paint", "s", TARGET_FIRST_PAINT_S,
           "first.elapsed_s"),
    Figure("first_script_s", "  script finished", "s", None, "first.script_s"),
    Figure("first_server_cpu_s", "  server CPU", "s", None, "first.cpu.server_s"),
    Figure("first_browser_cpu_s", "  browser CPU", "s", None, "first.cpu.browser_s"),
    Figure("redraw_new_s", "redraw, new setting", "s", TARGET_REDRAW_S, "new.elapsed_s"),
    Figure("script_new_s", "  script finished", "s", None, "new.script_s"),
    Figure("server_cpu_new_s", "  server CPU", "s", None, "new.cpu.server_s"),
    Figure("browser_cpu_new_s", "  browser CPU", "s", None, "new.cpu.browser_s"),
    Figure("redraw_seen_s", "redraw, setting seen before", "s", TARGET_REDRAW_S,
           "seen.elapsed_s"),
    Figure("script_seen_s", "  script finished", "s", None, "seen.script_s"),
    Figure("server_cpu_seen_s", "  server CPU", "s", None, "seen.cpu.server_s"),
    Figure("browser_cpu_seen_s", "  browser CPU", "s", None, "seen.cpu.browser_s"),
    Figure("payload_new_kb", "payload per rerun, new setting", "KB", TARGET_PAYLOAD_KB,
           "new.ws_kb"),
    Figure("payload_seen_kb", "payload per rerun, setting seen before", "KB",
           TARGET_PAYLOAD_KB, "seen.ws_kb"),
    Figure("first_load_ws_kb", "first load: websocket", "KB", None, "first.ws_kb"),
    Figure("first_load_http_kb", "first load: HTTP (page, static assets)", "KB", None,
           "http_kb"),
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamlitServer:
    """``streamlit run <app>`` on a free loopback port; stopped through its own process group."""

    def __init__(self, app: Path):
        self.url = f"http://127.0.0.1:{free_port()}"
        # a file, not a pipe: a pipe nobody reads would stall the server once it fills
        self.log = tempfile.NamedTemporaryFile(prefix="dashboard-speed-", suffix=".log")
        path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", self.url.rsplit(":", 1)[1],
             "--browser.gatherUsageStats", "false"],
            # as `make dashboard` starts it: OpenBLAS's spinning threads off
            cwd=ROOT, env={"OPENBLAS_NUM_THREADS": "1", **os.environ, "PYTHONPATH": path},
            stdout=self.log,
            stderr=subprocess.STDOUT, start_new_session=True)

    def wait_healthy(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        why = (f"exited with status {self.proc.returncode}" if self.proc.poll() is not None
               else f"did not answer within {timeout_s:.0f} s")
        output = Path(self.log.name).read_text(errors="replace")[-2000:]
        raise SpeedError(f"the Streamlit server on {self.url} {why}; its output:\n{output}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def measure(opts: Options) -> list[Visit]:
    """One discarded visit to warm the server, then ``opts.repeats`` measured ones."""
    from playwright.sync_api import Error as PlaywrightError, sync_playwright

    server = StreamlitServer(opts.app)
    try:
        server.wait_healthy(SERVER_START_S)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=opts.chromium, args=CHROMIUM_ARGS)
            progress(f"server up on {server.url}; warming it with one visit (discarded)")
            cpu = CpuMeter(server.proc.pid)
            visit(browser, server.url, opts, 1, False, cpu)
            visits = []
            for i in range(opts.repeats):
                shots = i == 0 and opts.shots is not None
                visits.append(visit(browser, server.url, opts, i + 2, shots, cpu))
                progress(f"visit {i + 1}/{opts.repeats}: first paint "
                         f"{visits[-1].first.elapsed_s:.3f} s, redraw "
                         f"{visits[-1].new.elapsed_s:.3f} s")
            browser.close()
        return visits
    except PlaywrightError as exc:
        raise SpeedError(f"the page did not finish (limit {opts.timeout_s:g} s per wait): "
                         f"{str(exc).splitlines()[0]}") from exc
    finally:
        server.stop()


def summary(visits: list[Visit], opts: Options) -> dict:
    """Medians, samples and pass/miss of every figure (rounded: ms, 0.1 KB)."""
    figures = {}
    for fig in FIGURES:
        samples = [round(attrgetter(fig.path)(v), 3 if fig.unit == "s" else 1)
                   for v in visits]
        median = statistics.median(samples)
        figures[fig.key] = {"label": fig.label, "unit": fig.unit, "median": median,
                            "target": fig.target, "samples": samples,
                            "met": None if fig.target is None else median <= fig.target}
    return {"app": str(opts.app.relative_to(ROOT) if opts.app.is_relative_to(ROOT)
                       else opts.app),
            "viewport": list(opts.viewport), "repeats": opts.repeats,
            "widget": visits[0].widget, "settle_ms": opts.settle_ms,
            "cpus": os.cpu_count(),
            "load_average_1_5_15_min": [round(x, 2) for x in os.getloadavg()],
            "charts_redrawn": all(v.new.charts_changed and v.seen.charts_changed
                                  for v in visits),
            "figures": figures}


def table(result: dict) -> str:
    width, height = result["viewport"]
    lines = [f"Dashboard speed: {result['repeats']} fresh visit(s) to a warm server, viewport "
             f"{width}x{height}, widget changed: {result['widget']!r}, load average "
             f"{result['load_average_1_5_15_min'][1]:.1f} over 5 min on {result['cpus']} CPUs",
             f"{'figure':<46}{'median':>9}  {'target':<14}samples"]
    for fig in result["figures"].values():
        target = ("" if fig["target"] is None else
                  f"<= {fig['target']:g} {'met' if fig['met'] else 'MISSED'}")
        digits = 2 if fig["unit"] == "s" else 0
        samples = " ".join(f"{s:.{digits}f}" for s in fig["samples"])
        lines.append(f"{fig['label'] + ' (' + fig['unit'] + ')':<46}"
                     f"{fig['median']:>9.{digits}f}  {target:<14}{samples}")
    if not result["charts_redrawn"]:
        lines.append("warning: the charts did not change after a widget change; pick a "
                     "widget that moves them with --widget")
    return "\n".join(lines)


def parse(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m dashboards.speed", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5,
                        help="measured visits; the medians of at least 5 are the figures")
    parser.add_argument("--phone", action="store_true", help="390x844 instead of 1400x1000")
    parser.add_argument("--widget", help="label of the number input to change (default: the "
                        "first one in the sidebar)")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--shots", type=Path, help="save screenshots of the first visit here")
    parser.add_argument("--app", type=Path, default=ROOT / "dashboards" / "app.py")
    parser.add_argument("--chromium", default=CHROMIUM)
    parser.add_argument("--settle-ms", type=int, default=1000,
                        help="a redraw is over once the page has not changed for this long")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds allowed for each wait in the page")
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.settle_ms < 100 or args.timeout <= 0:
        raise SpeedError("--repeats must be >= 1, --settle-ms >= 100 and --timeout > 0", INVALID)
    if not Path(args.chromium).exists():
        raise SpeedError(f"no Chromium at {args.chromium}: install Debian's "
                         "(sudo apt-get install chromium, or make browser)", INVALID)
    if not args.app.is_file():
        raise SpeedError(f"no app at {args.app}", INVALID)
    return Options(args.app.resolve(), args.repeats, PHONE if args.phone else DESKTOP,
                   args.widget, args.settle_ms, args.timeout, args.shots, args.chromium,
                   args.json)


def main(argv: list[str] | None = None) -> int:
    try:
        opts = parse(argv)
        result = summary(measure(opts), opts)
    except SpeedError as exc:
        print(f"dashboard speed: {exc}", file=sys.stderr)
        return exc.status
    print(table(result))
    if opts.json is not None:
        text = json.dumps(result, indent=2) + "\n"
        write_atomic_bytes(opts.json, lambda fh: fh.write(text.encode("utf-8")))
    return OK


if __name__ == "__main__":
    sys.exit(main())
