"""What the dashboard shows and edits, as plain functions (tested without a browser).

The dashboard edits a scenario's merged YAML mapping: each widget writes a string with its
unit (``"16.3 t"``), so the edited scenario can be downloaded as YAML and run by the CLI with
the same result. A widget that changes a cited value drops the citation: the value is no
longer the source's.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from sim.api import LoadedScenario, Result as RunResult, ScenarioError, load_scenario, simulate
from sim.campaign.planner import run_with_plan  # for the docking guess, which the API lacks
from sim.scenario.loader import load_text, validate_mapping
from sim.scenario.safe_yaml import MAX_BYTES, YamlError, load as load_yaml
from sim.scenario.units import parse_date, to_day

DEFAULT_PAIR = ("nasa-2030", "musk-2027")
UPLOAD_LIMIT = MAX_BYTES  # the same limit as the command line: 1 MiB
UPLOAD_LIMIT_MB = UPLOAD_LIMIT // (1024 * 1024)  # Streamlit's unit (MiB) for the uploader
UPLOAD_SUFFIX = " (upload)"


@dataclass(frozen=True)
class Knob:
    """One widget: where it writes, its unit, its range and step."""

    path: str
    label: str
    unit: str
    low: float
    high: float
    step: float
    scale: float = 1.0  # SI value / scale = the number shown


KNOBS = [
    Knob("object.mass", "Station mass", "t", 300.0, 600.0, 1.0, 1000.0),
    Knob("object.drag_area", "Drag area", "m2", 800.0, 3000.0, 25.0),
    Knob("object.drag_coefficient", "Drag coefficient C_D", "", 1.5, 3.5, 0.05),
    Knob("reboost.floor", "Reboost floor", "km", 300.0, 440.0, 1.0, 1000.0),
    Knob("reboost.target", "Reboost target", "km", 310.0, 450.0, 1.0, 1000.0),
    Knob("usdv.propellant", "USDV propellant", "t", 0.0, 30.0, 0.1, 1000.0),
    Knob("usdv.thruster_thrust", "Thrust per Draco", "N", 100.0, 1000.0, 10.0),
    Knob("usdv.isp", "USDV specific impulse", "s", 200.0, 350.0, 1.0),
    Knob("usdv.lead_time", "USDV docks before final burn", "months", 1.0, 36.0, 1.0, 30.4375),
    Knob("crew_departure.altitude", "Crew leaves at", "km", 200.0, 420.0, 5.0, 1000.0),
    Knob("perigee_lowering.start_altitude", "Burns start at", "km", 160.0, 400.0, 5.0, 1000.0),
    Knob("final_burn.target_perigee", "Final-burn perigee", "km", 0.0, 100.0, 5.0, 1000.0),
]
SOLAR_LEVELS = ("nominal", "weak", "strong")


def library(folder: Path) -> dict[str, LoadedScenario]:
    """The valid scenarios of a folder by name (invalid ones are skipped)."""
    found = {}
    for path in sorted(Path(folder).glob("*.yaml")):
        try:
            loaded = load_scenario(path)
        except ScenarioError:
            continue
        found[loaded.scenario.name] = loaded
    return found


def plain(value):
    """A cited value's value."""
    if isinstance(value, dict) and "value" in value and "source" in value:
        return value["value"]
    return value


def get(raw: dict, path: str):
    node = raw
    for part in path.split("."):
        if not isinstance(node, dict) or node.get(part) is None:
            return None
        node = node[part]
    return plain(node)


def edited(raw: dict, changes: dict[str, object]) -> dict:
    """A copy of ``raw`` with ``changes`` (dotted path -> value) applied."""
    data = copy.deepcopy(raw)
    for path, value in changes.items():
        node = data
        parts = path.split(".")
        for part in parts[:-1]:
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
        node[parts[-1]] = value
    return data


def knob_value(loaded: LoadedScenario, knob: Knob) -> float | None:
    """The scenario's value for a knob, in the knob's unit (None: the field is absent)."""
    value = _si(loaded, knob.path)
    return None if value is None else value / knob.scale


def _si(loaded: LoadedScenario, path: str):
    node = loaded.scenario
    for part in path.split("."):
        node = getattr(node, part, None)
        if node is None:
            return None
    if path == "object.mass" and loaded.scenario.object.mass is None:
        return None
    return node if isinstance(node, (int, float)) else None


def knob_text(knob: Knob, shown: float) -> object:
    return shown if not knob.unit else f"{shown:g} {knob.unit}"


def to_yaml(raw: dict) -> str:
    return yaml.safe_dump(raw, sort_keys=False, allow_unicode=True)


def from_yaml(text: str, where: str = "dashboard") -> dict:
    """A mapping from YAML text, read by the same safe reader as scenario files."""
    try:
        data, _ = load_yaml(text, where)
    except YamlError as exc:
        raise ScenarioError(str(exc)) from None
    return data


def from_upload(data: bytes, name: str, library_folder: Path | None = None) -> LoadedScenario:
    """An uploaded scenario, checked like a file on the command line (same reader, same
    limit). ``extends`` may name a scenario of ``library_folder``, and nothing outside it."""
    if len(data) > UPLOAD_LIMIT:
        raise ScenarioError(f"{name}: {len(data):,} bytes; uploads are limited to "
                            f"{UPLOAD_LIMIT:,} bytes ({UPLOAD_LIMIT_MB} MB)")
    return load_text(data, name, library=library_folder)


def upload_key(name: str, taken) -> str:
    """The name an upload is listed under: its own, or ``<name> (upload)`` when a library
    scenario already has that name (the library's stays as it is)."""
    return name + UPLOAD_SUFFIX if name in taken else name


def fixed_stop(raw: dict, result: RunResult) -> dict:
    """Pin reboosts to the date the plan found, so edits run directly (no re-planning)."""
    stop = (result.summary.get("plan") or {}).get("reboost_stop_utc")
    if not stop or get(raw, "reboost.until") is not None or "reboost" not in raw:
        return raw
    data = edited(raw, {"reboost.until": stop})
    data.pop("plan", None)
    return data


HEADLINE = [("Reentry", "reentry_utc", "date"), ("Reboosts stop", "decay_start_utc", "date"),
            ("Natural decay", "months_of_natural_decay", "months"),
            ("USDV docks", "usdv_docking_utc", "date"),
            ("Crew leaves", "crew_departure_utc", "date"),
            ("USDV propellant used", "usdv_propellant_used_kg", "kg"),
            ("USDV margin", "usdv_propellant_margin_kg", "kg"),
            ("Reboost propellant", "reboost_propellant_kg", "kg"),
            ("Total Δv", "total_delta_v_m_s", "m/s"),
            ("Mean F10.7 in decay", "mean_f107_during_decay", "sfu")]


def headline_value(summary: dict, key: str, kind: str) -> str:
    value = summary.get(key)
    if value is None:
        return "—"
    if kind == "date":
        return str(value)[:10]
    if kind == "months":
        return f"{value:.1f} months"
    return f"{value:,.0f} {kind}" if kind in ("kg", "sfu") else f"{value:,.1f} {kind}"


def headline_delta(first: dict, other: dict, key: str, kind: str) -> str | None:
    a, b = first.get(key), other.get(key)
    if a is None or b is None:
        return None
    if kind == "date":
        days = (dt.datetime.fromisoformat(b[:19]) - dt.datetime.fromisoformat(a[:19])).days
        return f"{days / 30.4375:+.1f} months"
    return f"{b - a:+,.1f} {kind}"


def budget_rows(summary: dict) -> list[dict]:
    """Δv and propellant per kind of burn (reboosts, boost, lowering, final, attitude)."""
    totals: dict[str, list[float]] = {}
    for event in summary.get("events", []):
        if event["propellant_kg"] or event["delta_v_m_s"]:
            entry = totals.setdefault(event["kind"].replace("_", " "), [0.0, 0.0])
            entry[0] += event["delta_v_m_s"]
            entry[1] += event["propellant_kg"]
    rows = [{"burn": k, "delta_v_m_s": v[0], "propellant_kg": v[1]} for k, v in totals.items()]
    if summary.get("attitude_propellant_kg"):
        rows.append({"burn": "attitude control", "delta_v_m_s": 0.0,
                     "propellant_kg": summary["attitude_propellant_kg"]})
    return rows


def headline_table(results: dict) -> list[dict]:
    """Rows of the headline comparison: one a metric, a column a scenario, then differences."""
    names = list(results)
    first = results[names[0]].summary
    rows = []
    for label, key, kind in HEADLINE:
        row = {"": label}
        for name in names:
            row[name] = headline_value(results[name].summary, key, kind)
        for name in names[1:]:
            row[f"{name} vs {names[0]}"] = headline_delta(first, results[name].summary, key,
                                                          kind) or ""
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Run:
    """One computed view of a scenario: the run, the validated scenario, or why neither."""

    result: RunResult | None
    loaded: LoadedScenario | None
    error: str | None
    ms: float  # server time of the computation


def run_yaml(text: str, docking_guess: str | None = None, where: bool = True) -> Run:
    """Validate and run a scenario given as YAML text; errors become messages. ``where``:
    with the footprint or casualty risk (about a second more)."""
    import time

    start = time.perf_counter()
    try:
        raw = from_yaml(text)
        loaded = validate_mapping(raw, "dashboard")
        guess = None if docking_guess is None else to_day(parse_date(docking_guess))
        result = run_with_plan(loaded, guess, where=where)
    except ScenarioError as exc:
        return Run(None, None, str(exc).replace("dashboard:", "").strip(), 0.0)
    except Exception as exc:  # a run that cannot be computed is a message, not a traceback
        return Run(None, None, f"the run could not be computed ({exc.__class__.__name__}: "
                               f"{exc})", 0.0)
    return Run(result, loaded, None, (time.perf_counter() - start) * 1000.0)
