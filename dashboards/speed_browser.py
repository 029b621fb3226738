"""What a visitor's browser sees: one fresh browser context, timed from inside the page.

Used by ``dashboards/speed.py`` (the command and its report). A visit measures

* **first meaningful paint**: navigation start until the page shows its verdict, a drawn plotly
  chart, and Streamlit has finished the script (status widget gone);
* **redraw after a widget change**: Enter pressed in a number input until the last change to the
  page once the rerun has finished; once to a value never computed ("new setting") and once
  back to the page's value ("setting seen before", served from the app's cache);
* **payload per rerun**: bytes of the websocket messages the server sent during that rerun (as
  the page receives them, after any websocket compression is undone); and, for the first
  load, the websocket bytes and the HTTP bytes of the page and its static assets.

How the end of a rerun is detected: Streamlit marks its root element with
``data-test-script-state`` (``running`` while the script runs, ``notRunning`` after), the
attribute Streamlit's own browser tests wait on. The status widget is not enough on its own: it
appears only once a rerun has run for 500 ms. A MutationObserver added before the page's own
scripts stamps every change to the page with ``performance.now()`` (milliseconds since
navigation start); a redraw ends at the last change once the script has finished and the page
has been quiet for ``--settle-ms``. Plotly draws into the page synchronously, so the last
change is within one frame of the last paint.

The selectors below are the only things tied to the app's layout: adapt them when it changes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sim.interfaces.exit_status import FAILED, INVALID

from dashboards.speed_cpu import CpuMeter, CpuReading

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
DESKTOP, PHONE = (1400, 1000), (390, 844)

APP_ROOT = '[data-testid="stApp"]'  # carries data-test-script-state and -connection-state
IDLE = APP_ROOT + '[data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
STATUS_WIDGET = '[data-testid="stStatusWidget"]'  # "Running...", shown after 500 ms of a run
MAIN = '[data-testid="stMain"]'
CHART = '[data-testid="stPlotlyChart"]'
CHART_DRAWN = CHART + " .main-svg"  # plotly has drawn the chart
VERDICT = MAIN + ' [data-testid="stMarkdownContainer"]'
# the verdict: a JavaScript regular expression, matched without regard to case
VERDICT_TEXT = r"\b(reentry|re-entry|feasible|still in orbit|runs short)\b"
SIDEBAR = '[data-testid="stSidebar"]'
EXPAND_SIDEBAR = '[data-testid="stExpandSidebarButton"]'  # the sidebar is collapsed on phones
NUMBER_INPUT = 'input[type="number"]'

KB = 1000.0  # the "1.1 MB per rerun" counts decimal kilobytes

# Runs in the page before its own scripts: stamps changes, the script state and Enter presses.
PROBE = """(cfg => {
  const s = window.__speed = {last: 0, lastChart: 0, ready: null, t0: null, runs: []};
  const verdict = new RegExp(cfg.verdictText, 'i');
  const shown = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const ready = () => document.querySelector(cfg.idle) && !document.querySelector(cfg.status)
    && [...document.querySelectorAll(cfg.chartDrawn)].some(shown)
    && [...document.querySelectorAll(cfg.verdict)].some(
         e => verdict.test(e.textContent) && shown(e));
  const inChart = r => { const n = r.target.nodeType === 1 ? r.target : r.target.parentElement;
                         return n && n.closest(cfg.chart); };
  let state = null;
  new MutationObserver(records => {
    const now = performance.now();
    s.last = now;
    if (records.some(inChart)) s.lastChart = now;
    const app = document.querySelector(cfg.app);
    const next = app && app.getAttribute('data-test-script-state');
    if (next !== state) { s.runs.push([next, now]); state = next; }
    if (s.ready === null && ready()) s.ready = now;
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  document.addEventListener('keydown', e => { if (e.key === 'Enter') s.t0 = performance.now(); },
                            true);
})(%s);"""
# When the first script run after a reset of __speed.runs finished (ms), or null: the first
# state that is not "notRunning" ("initial", "rerunRequested", "running"), then "notRunning".
SCRIPT_DONE = """() => { const r = __speed.runs, i = r.findIndex(([s]) => s !== 'notRunning');
  const done = i < 0 ? undefined : r.slice(i + 1).find(([s]) => s === 'notRunning');
  return done === undefined ? null : done[1]; }"""
RERUN_DONE = f"() => __speed.t0 !== null && ({SCRIPT_DONE})() !== null"


class SpeedError(Exception):
    """The measurement could not be made; ``status`` is the exit status."""

    def __init__(self, message: str, status: int = FAILED):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Step:
    """What one step of a visit (the first load, or a widget change) cost."""

    elapsed_s: float  # first load: until first meaningful paint; change: until redrawn
    script_s: float  # until Streamlit reported the script finished (the server's part)
    ws_kb: float  # websocket bytes received meanwhile
    cpu: CpuReading  # CPU seconds the server and the browser spent meanwhile
    charts_changed: bool  # a chart was drawn or redrawn


@dataclass(frozen=True)
class Visit:
    """One fresh browser context: a first load and two changes of a number input."""

    first: Step
    new: Step  # to a value never computed before
    seen: Step  # back to the page's value, which the app has computed before
    http_kb: float  # HTTP bytes of the first load: the page and its static assets
    widget: str  # the label of the number input changed


@dataclass(frozen=True)
class Options:
    app: Path
    repeats: int
    viewport: tuple[int, int]
    widget: str | None
    settle_ms: int
    timeout_s: float
    shots: Path | None
    chromium: str
    json: Path | None


class Traffic:
    """Bytes the page receives: websocket messages, and HTTP responses (body, as sent)."""

    def __init__(self, page):
        self.ws_bytes, self.requests = 0, []
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        page.on("requestfinished", self._request)

    def _request(self, request) -> None:
        self.requests.append(request)

    def _frame(self, payload) -> None:
        self.ws_bytes += len(payload.encode() if isinstance(payload, str) else payload)

    def http_bytes(self) -> int:
        return sum(max(r.sizes()["responseBodySize"], 0) for r in self.requests)


def wait_quiet(page, opts: Options) -> None:
    """Until the page has not changed for ``settle_ms``."""
    page.wait_for_function("ms => performance.now() - __speed.last >= ms", arg=opts.settle_ms,
                           polling=50, timeout=opts.timeout_s * 1000)


def number_widget(page, label: str | None):
    """The number input to change: by label, else the first one in the sidebar."""
    if label:
        field = page.get_by_role("spinbutton", name=label, exact=True).first
    else:
        field = page.locator(f"{SIDEBAR} {NUMBER_INPUT}").first
    if field.count() == 0:
        raise SpeedError(f"no number input {label or 'in the sidebar'!r} on the page: pass the "
                         "label of one with --widget", status=INVALID)
    return field


def reveal(page, field) -> None:
    """Open the sidebar if the widget hides there (narrow screens collapse it)."""
    if not field.is_visible() and page.locator(EXPAND_SIDEBAR).is_visible():
        page.locator(EXPAND_SIDEBAR).click()
        field.wait_for(state="visible")


def setting(field, k: int) -> str:
    """The page's value moved by ``k`` steps (down if up leaves the range), as typed."""
    text, step = field.input_value(), float(field.get_attribute("step") or 1)
    low = float(field.get_attribute("min") or "-inf")
    high = float(field.get_attribute("max") or "inf")
    value = float(text) + k * step if float(text) + k * step <= high else float(text) - k * step
    if value < low:
        raise SpeedError(f"{field.get_attribute('aria-label')!r} allows {low:g} to {high:g}: too "
                         "narrow for this many repeats; pick another with --widget", status=INVALID)
    decimals = len(text.split(".")[1]) if "." in text else 0
    return f"{value:.{decimals}f}"


def change(page, field, text: str, traffic: Traffic, opts: Options, cpu: CpuMeter) -> Step:
    """Type ``text`` in the number input and press Enter; time the rerun that follows."""
    reveal(page, field)
    field.fill(text)
    page.evaluate("() => { __speed.t0 = null; __speed.runs = []; __speed.lastChart = 0; }")
    traffic.ws_bytes, before = 0, cpu.read()
    field.press("Enter")
    page.wait_for_function(RERUN_DONE, polling=50, timeout=opts.timeout_s * 1000)
    wait_quiet(page, opts)
    used = cpu.read() - before
    t0, last, chart, done = page.evaluate(
        f"() => [__speed.t0, __speed.last, __speed.lastChart, ({SCRIPT_DONE})()]")
    return Step((last - t0) / 1000.0, (done - t0) / 1000.0, traffic.ws_bytes / KB, used,
                chart > t0)


def shot(page, opts: Options, name: str) -> None:
    """What the reader sees (the viewport), and the whole page in one tall picture."""
    opts.shots.mkdir(parents=True, exist_ok=True)
    tag = "phone" if opts.viewport == PHONE else f"{opts.viewport[0]}x{opts.viewport[1]}"
    page.screenshot(path=str(opts.shots / f"{tag}-{name}.png"))
    # Streamlit scrolls inside its main element, so a "full page" shot needs a taller window
    height = page.evaluate(f"() => Math.max(document.querySelector('{MAIN}')?.scrollHeight"
                           " || 0, document.body.scrollHeight)")
    page.set_viewport_size({"width": opts.viewport[0], "height": min(height, 8000)})
    page.wait_for_timeout(opts.settle_ms)  # charts follow the new width and height
    page.screenshot(path=str(opts.shots / f"{tag}-{name}-whole.png"))
    page.set_viewport_size(dict(zip(("width", "height"), opts.viewport)))
    wait_quiet(page, opts)


def first_load(page, url: str, traffic: Traffic, opts: Options, cpu: CpuMeter) -> Step:
    """Open the app; times count from navigation start."""
    before = cpu.read()
    page.goto(url, wait_until="commit")
    page.wait_for_function("() => __speed.ready !== null", polling=100,
                           timeout=opts.timeout_s * 1000)
    wait_quiet(page, opts)
    used = cpu.read() - before
    ready, done = page.evaluate(f"() => [__speed.ready, ({SCRIPT_DONE})()]")
    if done is None:  # cannot happen while Streamlit marks its script state; say so if it does
        raise SpeedError(f"the page never showed {APP_ROOT} running a script: adapt APP_ROOT")
    return Step(ready / 1000.0, done / 1000.0, traffic.ws_bytes / KB, used, True)


def visit(browser, url: str, opts: Options, k: int, shots: bool, cpu: CpuMeter) -> Visit:
    """A new visitor: load, change a number input to a new value (``k`` steps), change it back."""
    phone = opts.viewport == PHONE
    context = browser.new_context(viewport=dict(zip(("width", "height"), opts.viewport)),
                                  is_mobile=phone, has_touch=phone)
    try:
        page = context.new_page()
        page.add_init_script(PROBE % json.dumps(dict(
            app=APP_ROOT, idle=IDLE, status=STATUS_WIDGET, chart=CHART,
            chartDrawn=CHART_DRAWN, verdict=VERDICT, verdictText=VERDICT_TEXT)))
        traffic = Traffic(page)
        first = first_load(page, url, traffic, opts, cpu)
        http_kb = traffic.http_bytes() / KB
        if shots:
            shot(page, opts, "1-first-paint")
        field = number_widget(page, opts.widget)
        seen = field.input_value()
        new = change(page, field, setting(field, k), traffic, opts, cpu)
        if shots:
            shot(page, opts, "2-new-setting")
        back = change(page, field, seen, traffic, opts, cpu)
        return Visit(first, new, back, http_kb, field.get_attribute("aria-label"))
    finally:
        context.close()
