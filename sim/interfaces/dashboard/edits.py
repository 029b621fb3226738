"""A reader's edits to the scenarios: kept per scenario, applied to YAML, carried in the URL.

An edit is a dotted scenario path and its new value written the way a scenario file writes it
(``"12 t"``, ``"strong"``, ``"6 months"``, ``"2026-08-01"``), so an edited scenario downloads
as YAML that the command line runs to the same result, and a view survives a round trip
through its address: ``?compare=nasa-2030,musk-2027&adjust=nasa-2030
&edit.nasa-2030=usdv.propellant:12 t;solar_activity.level:strong``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .model import KNOBS, edited, get
from .verdict import day_text

STORM = "storm"  # start/days/Ap of one added storm, appended to the scenario's own
SPECIAL_LABELS = {"reboost.until": "Reboosts stop", "solar_activity.level": "Solar activity",
                  "solar_activity.shift": "Solar cycle shift", STORM: "Added storm"}
LABELS = {**{k.path: k.label for k in KNOBS}, **SPECIAL_LABELS}
EDIT_PREFIX = "edit."
SEPARATOR, ASSIGN = ";", ":"


@dataclass
class ViewState:
    """What a shared address reopens: the scenarios compared, the one adjusted, the view and
    every scenario's edits."""

    compare: list[str]
    adjust: str | None = None
    view: str | None = None
    edits: dict[str, dict[str, str]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)  # parts of an address not understood


def number_or_text(text: str) -> float | str:
    """A plain number is written as a number (a drag coefficient), anything else as text."""
    try:
        return float(text)
    except ValueError:
        return text


def storm_text(start: dt.date, days: int, ap: int) -> str:
    return f"{start.isoformat()}/{days}/{ap}"


def _storm(text: str) -> dict:
    start, days, ap = text.split("/")
    dt.date.fromisoformat(start)  # a bad date is refused here, not deep inside the run
    return {"start": start, "duration": f"{int(days)} d", "ap": int(ap)}


def apply(raw: dict, changes: dict[str, str]) -> dict:
    """``raw`` with the edits applied (a copy; ``raw`` itself is left as it was)."""
    plain = {}
    for path, text in changes.items():
        if path == STORM:
            storms = list(get(raw, "solar_activity.storms") or [])
            plain["solar_activity.storms"] = storms + [_storm(text)]
        else:
            plain[path] = number_or_text(text)
    return edited(raw, plain) if plain else raw


def encode(state: ViewState) -> dict[str, str]:
    """Query parameters for a view (only edited scenarios get an ``edit.`` parameter)."""
    params = {"compare": ",".join(state.compare)}
    if state.adjust:
        params["adjust"] = state.adjust
    if state.view:
        params["view"] = state.view
    for name, changes in state.edits.items():
        if changes:
            params[EDIT_PREFIX + name] = SEPARATOR.join(
                f"{path}{ASSIGN}{text}" for path, text in sorted(changes.items()))
    return params


def decode(params: dict[str, str], known: set[str]) -> ViewState:
    """The view an address asks for. Unknown scenarios and fields are left out and listed in
    ``ignored`` (an old or hand-typed link still opens); values are checked when run."""
    ignored = []
    compare = [n for n in params.get("compare", "").split(",") if n]
    ignored += [f"scenario {n!r}" for n in compare if n not in known]
    compare = [n for n in compare if n in known]
    edits: dict[str, dict[str, str]] = {}
    for key, value in params.items():
        if not key.startswith(EDIT_PREFIX):
            continue
        name = key[len(EDIT_PREFIX):]
        if name not in known:
            ignored.append(f"edits of unknown scenario {name!r}")
            continue
        for part in filter(None, value.split(SEPARATOR)):
            path, _, text = part.partition(ASSIGN)
            if path not in LABELS or not text:
                ignored.append(f"{name}: {part!r}")
                continue
            edits.setdefault(name, {})[path] = text.strip()
    adjust = params.get("adjust")
    return ViewState(compare=compare, adjust=adjust if adjust in known else None,
                     view=params.get("view"), edits=edits, ignored=ignored)


def _shown_before(raw: dict, path: str) -> str:
    if path == STORM:
        return "none"
    value = get(raw, path)
    return "—" if value is None else str(value)[:10] if path == "reboost.until" else str(value)


def _moved_days(before: str | None, after: str | None) -> str | None:
    if not before or not after:
        return None
    days = (dt.datetime.fromisoformat(after[:19]) - dt.datetime.fromisoformat(before[:19])).days
    if abs(days) < 1:
        return "reentry unchanged"
    return f"reentry {abs(days)} days {'later' if days > 0 else 'earlier'} ({day_text(after)})"


def change_line(raw: dict, changes: dict[str, str], before: dict, after: dict) -> str:
    """"what changed → what moved" in one line: the edited values, then the consequences
    (status, reentry date, USDV margin) between the unedited and the edited runs."""
    changed = ", ".join(f"{LABELS.get(p, p)} {_shown_before(raw, p)} → {t}"
                        for p, t in sorted(changes.items()))
    moved = []
    if before.get("status") != after.get("status"):
        moved.append(f"status {before.get('status', '?').replace('_', ' ')} → "
                     f"{after.get('status', '?').replace('_', ' ')}")
    date = _moved_days(before.get("reentry_utc"), after.get("reentry_utc"))
    if date:
        moved.append(date)
    a, b = before.get("usdv_propellant_margin_kg"), after.get("usdv_propellant_margin_kg")
    if a is not None and b is not None and abs(a - b) >= 1:
        moved.append(f"USDV margin {a:,.0f} → {b:,.0f} kg")
    return f"{changed} ⟶ " + ("; ".join(moved) if moved else "no change in the outcome")
