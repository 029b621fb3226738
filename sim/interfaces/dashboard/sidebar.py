"""The settings a reader changes, one scenario at a time, kept per scenario.

Widgets start from the scenario's edits (or its own values) every time they are drawn, so
switching "Adjust" to another scenario and back loses nothing: the edits live in the session
(and the address), not in the widgets, which Streamlit forgets once they are not drawn.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from . import model
from .edits import STORM, storm_text

MONTH = 30.4375


def _key(name: str, part: str) -> str:
    return f"{name}:{part}"


def reset(name: str) -> None:
    """Forget a scenario's edits and its widgets' state (a callback: runs before the rerun)."""
    st.session_state.setdefault("edits", {}).pop(name, None)
    for key in [k for k in st.session_state if str(k).startswith(f"{name}:")]:
        del st.session_state[key]


def _date(name: str, raw: dict, loaded, current: dict, changes: dict) -> None:
    until = model.get(raw, "reboost.until")
    if until is None:
        return
    base = pd.Timestamp(str(until)).date()
    shown = dt.date.fromisoformat(current["reboost.until"]) if "reboost.until" in current \
        else base
    chosen = st.date_input("Reboosts stop (UTC)", value=shown, key=_key(name, "until"),
                           min_value=loaded.scenario.epoch.date(),
                           max_value=dt.date(2035, 12, 31),
                           help="Altitude maintenance ends here; natural decay begins.")
    if chosen != base:
        changes["reboost.until"] = chosen.isoformat()


def _solar(name: str, loaded, current: dict, changes: dict) -> None:
    solar = loaded.scenario.solar_activity
    level = current.get("solar_activity.level", solar.level)
    chosen = st.selectbox("Solar activity", model.SOLAR_LEVELS, key=_key(name, "level"),
                          index=model.SOLAR_LEVELS.index(level) if level in
                          model.SOLAR_LEVELS else 0,
                          help="weak / strong: the predicted flux above 65 sfu × 0.6 / × 1.4")
    if chosen != solar.level:
        changes["solar_activity.level"] = chosen
    base_months = int(round(solar.shift / MONTH))
    text = current.get("solar_activity.shift", "")
    shown = int(float(text.split()[0])) if text else base_months
    months = st.slider("Solar cycle timing shift (months)", -24, 24, shown,
                       key=_key(name, "shift"), help="> 0: the predicted cycle comes later")
    if months != base_months:
        changes["solar_activity.shift"] = f"{months} months"


def _storm(name: str, loaded, current: dict, changes: dict) -> None:
    text = current.get(STORM)
    if not st.checkbox("Add a geomagnetic storm", value=text is not None,
                       key=_key(name, "storm")):
        return
    start, days, ap = (text.split("/") if text else
                       ((loaded.scenario.epoch.date() + dt.timedelta(days=365)).isoformat(),
                        "3", "200"))
    first = st.date_input("Storm starts", value=dt.date.fromisoformat(start),
                          key=_key(name, "storm_start"))
    length = st.slider("Storm length (days)", 1, 10, int(days), key=_key(name, "storm_days"))
    level = st.slider("Storm Ap", 20, 400, int(ap), key=_key(name, "storm_ap"))
    changes[STORM] = storm_text(first, length, level)


def _knobs(name: str, loaded, current: dict, changes: dict) -> None:
    for knob in model.KNOBS:
        base = model.knob_value(loaded, knob)
        if base is None:
            continue
        text = current.get(knob.path)
        shown = float(str(text).split()[0]) if text else base
        unit = f" ({knob.unit})" if knob.unit else ""
        value = st.number_input(f"{knob.label}{unit}", min_value=knob.low, max_value=knob.high,
                                value=float(min(max(shown, knob.low), knob.high)),
                                step=knob.step, key=_key(name, knob.path),
                                help=f"allowed {knob.low:g} to {knob.high:g} {knob.unit}")
        if abs(value - base) > 1e-9:
            changes[knob.path] = str(model.knob_text(knob, value))


def adjust(name: str, raw: dict, loaded, current: dict) -> dict[str, str]:
    """Draw the widgets of one scenario starting from its edits; return its edits now."""
    changes: dict[str, str] = {}
    _date(name, raw, loaded, current, changes)
    _solar(name, loaded, current, changes)
    _storm(name, loaded, current, changes)
    _knobs(name, loaded, current, changes)
    st.button(f"Reset {name}", key=_key(name, "reset"), on_click=reset, args=(name,),
              disabled=not changes, help="Back to the scenario as published")
    return changes
