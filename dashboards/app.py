"""ISS end of life: compare and adjust the 2027 and 2030 deorbit timelines.

Run with ``streamlit run dashboards/app.py`` (or ``make run``). Everything is computed on
this machine from the scenarios in ``scenarios/``; nothing is fetched from the network.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pandas as pd
import streamlit as st

from sim.api import ScenarioError
from sim.scenario.facts import load_facts
from sim.interfaces.dashboard import charts
from sim.interfaces.dashboard import model
from sim.interfaces.plots import altitude_figure, figure_bytes
from sim.interfaces.result_files import StoredResult

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"

st.set_page_config(page_title="ISS deorbit: 2027 vs 2030", page_icon="🛰️", layout="wide")


@st.cache_resource(show_spinner=False)
def library() -> dict:
    return model.library(SCENARIOS)


@st.cache_resource(show_spinner=False, max_entries=128)
def run_text(text: str, docking_guess: str | None = None):
    """Run a scenario given as YAML text; cached on the text. Returns (result, error, ms).

    A resource cache hands back the same object (no unpickling on every redraw); results are
    never modified after they are made."""
    start = time.perf_counter()
    try:
        result = model.run_raw(model.from_yaml(text), docking_guess=docking_guess)
    except ScenarioError as exc:
        return None, str(exc).replace("dashboard:", "").strip(), 0.0
    except Exception as exc:  # a run that cannot be computed is a message, not a traceback
        return None, f"the run could not be computed ({exc.__class__.__name__}: {exc})", 0.0
    return result, None, (time.perf_counter() - start) * 1000.0


@st.cache_data(show_spinner=False)
def editing_base(name: str) -> str:
    """The scenario with reboosts pinned to its planned stop date (precomputed once)."""
    raw = library()[name].raw
    result, _, _ = run_text(model.to_yaml(raw))
    base = model.fixed_stop(raw, result) if result is not None else raw
    return model.to_yaml(base)


def adjust_widgets(name: str, loaded) -> dict:
    """Widgets for what users argue about; returns the changes (path -> YAML value)."""
    raw = model.from_yaml(editing_base(name))
    changes = {}
    key = f"{name}:"
    until = model.get(raw, "reboost.until")
    if until is not None:
        day = pd.Timestamp(str(until)).date()
        chosen = st.date_input("Reboosts stop (UTC)", value=day, key=key + "until",
                               min_value=loaded.scenario.epoch.date(),
                               max_value=dt.date(2035, 12, 31),
                               help="Altitude maintenance ends; natural decay begins.")
        if chosen != day:
            changes["reboost.until"] = chosen.isoformat()
    solar = loaded.scenario.solar_activity
    level = st.selectbox("Solar activity", model.SOLAR_LEVELS, key=key + "level",
                         index=model.SOLAR_LEVELS.index(solar.level),
                         help="weak / strong: predicted flux above 65 sfu x 0.6 / x 1.4")
    if level != solar.level:
        changes["solar_activity.level"] = level
    shift = st.slider("Solar cycle timing shift (months)", -24, 24,
                      int(round(solar.shift / 30.4375)), key=key + "shift",
                      help="> 0: the predicted cycle comes later")
    if shift != int(round(solar.shift / 30.4375)):
        changes["solar_activity.shift"] = f"{shift} months"
    if st.checkbox("Add a geomagnetic storm", key=key + "storm"):
        start = st.date_input("Storm starts", key=key + "storm_start",
                              value=loaded.scenario.epoch.date() + dt.timedelta(days=365))
        days = st.slider("Storm length (days)", 1, 10, 3, key=key + "storm_days")
        ap = st.slider("Storm Ap", 20, 400, 200, key=key + "storm_ap")
        storms = list(model.get(raw, "solar_activity.storms") or [])
        changes["solar_activity.storms"] = storms + [
            {"start": start.isoformat(), "duration": f"{days} d", "ap": ap}]
    for knob in model.KNOBS:
        shown = model.knob_value(loaded, knob)
        if shown is None:
            continue
        unit = f" ({knob.unit})" if knob.unit else ""
        value = st.number_input(f"{knob.label}{unit}", min_value=knob.low, max_value=knob.high,
                                value=float(min(max(shown, knob.low), knob.high)),
                                step=knob.step, key=key + knob.path,
                                help=f"allowed {knob.low:g} to {knob.high:g} {knob.unit}")
        if abs(value - shown) > 1e-9:
            changes[knob.path] = model.knob_text(knob, value)
    return changes


def headline(results: dict) -> None:
    for name, result in results.items():
        summary = result.summary
        st.markdown(f"**{name}** — {model.verdict(summary)}")
    st.dataframe(pd.DataFrame(model.headline_table(results)), hide_index=True,
                 width="stretch", key="headline")
    for name, result in results.items():
        for issue in result.summary.get("issues", []):
            st.warning(f"{name}: {issue['message']}")
        plan = result.summary.get("plan")
        if plan and plan.get("status") == "infeasible_natural_decay":
            st.info(f"{name}: natural decay cannot reach {plan['target_reentry_utc'][:10]}; "
                    f"even with no reboost after the epoch the station comes down on "
                    f"{str(plan.get('earliest_natural_reentry_utc'))[:10]}. A direct deorbit "
                    f"from {plan.get('altitude_on_target_date_km')} km would need "
                    f"{plan.get('direct_deorbit_delta_v_m_s')} m/s, about "
                    f"{plan.get('direct_deorbit_propellant_kg', 0):,.0f} kg.")


def sources_view(results: dict, loaded_by_name: dict) -> None:
    facts = load_facts()
    rows = []
    for name in results:
        loaded = loaded_by_name.get(name)
        for field, fact_id in (loaded.sources.items() if loaded else []):
            fact = facts.get(fact_id)
            rows.append({"scenario": name, "field": field, "fact": fact_id,
                         "statement": fact.statement if fact else "?",
                         "publication": fact.publication if fact else "?",
                         "published": fact.published if fact else "?",
                         "document": fact.document if fact else "?"})
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    else:
        st.write("These scenarios cite no sources.")


def downloads(name: str, raw: dict, result) -> None:
    """The files are made when a button is pressed (deferred), not on every redraw."""
    st.download_button("Scenario (YAML)", model.to_yaml(raw), file_name=f"{name}.yaml",
                       mime="application/x-yaml", key=f"dl-yaml-{name}")
    st.download_button("Results (CSV)", lambda: pd.DataFrame(result.columns).to_csv(index=False),
                       file_name=f"{name}-timeseries.csv", mime="text/csv",
                       key=f"dl-csv-{name}")

    def png() -> bytes:
        stored = StoredResult(Path("."), result.summary, charts.frame(result))
        return figure_bytes(altitude_figure(stored), "png")

    st.download_button("Altitude chart (PNG)", png, file_name=f"{name}-altitude.png",
                       mime="image/png", key=f"dl-png-{name}")


def take_upload(upload, lib: dict, uploads: dict) -> None:
    """Check an upload; list it under its name, or '<name> (upload)' beside a library one."""
    try:
        loaded = model.from_upload(upload.getvalue(), upload.name, SCENARIOS)
    except ScenarioError as exc:
        st.error(str(exc))
        return
    name = loaded.scenario.name
    key = model.upload_key(name, lib)
    uploads[key] = loaded
    if key != name:
        st.success(f"Loaded {name} from {upload.name}. The library has a scenario of that "
                   f"name, so the upload is listed as '{key}' beside it: add it above to "
                   "compare.")
    else:
        st.success(f"Loaded {name}: add it above to compare.")


def main() -> None:
    started = time.perf_counter()
    lib = library()
    uploads = st.session_state.setdefault("uploads", {})
    st.title("ISS end of life: deorbit in 2027 or in 2030?")
    st.caption("Orbit decay under NRLMSIS 2.1 with CelesTrak's solar-flux history and "
               "forecast, reboosts, the US Deorbit Vehicle's burns and every kilogram of "
               "propellant. Change a setting on the left: the comparison recomputes.")
    with st.sidebar:
        st.header("Scenarios")
        compare_box = st.container()  # drawn above the uploader, filled after it
        upload = st.file_uploader(
            "Upload a scenario (YAML)", type=["yaml", "yml"], key="upload",
            max_upload_size=model.UPLOAD_LIMIT_MB,
            help=f"at most {model.UPLOAD_LIMIT_MB} MB ({model.UPLOAD_LIMIT:,} bytes), checked "
                 "like the command line; it may extend a library scenario, e.g. "
                 "'extends: nasa-2030.yaml'")
        if upload is not None:
            take_upload(upload, lib, uploads)
        options = list(lib) + [n for n in uploads if n not in lib]
        default = [n for n in model.DEFAULT_PAIR if n in options]
        chosen = compare_box.multiselect("Compare", options, default=default, key="chosen")
        if not chosen:
            st.info("Pick at least one scenario.")
            return
        target = st.selectbox("Adjust", chosen, key="target")
        loaded_by_name = {**lib, **uploads}
        st.header(f"Adjust {target}")
        changes = adjust_widgets(target, loaded_by_name[target]) if target in lib else {}
    results, raws, timings = {}, {}, {}
    for name in chosen:
        if name in lib:
            base = model.from_yaml(editing_base(name))
        else:
            base = uploads[name].raw
        raw = model.edited(base, changes) if name == target else base
        guess = None
        if raw is not base:  # start from the unedited run's docking date
            unedited, _, _ = run_text(model.to_yaml(base))
            guess = unedited.summary.get("usdv_docking_utc") if unedited else None
        result, error, ms = run_text(model.to_yaml(raw), guess)
        if error:
            st.error(f"{name}: this combination is not possible.\n\n{error}")
            continue
        results[name], raws[name], timings[name] = result, raw, ms
    if not results:
        return
    headline(results)
    timing = st.empty()
    tabs = st.tabs(["Altitude", "Propellant", "Solar flux & density", "Budget", "Timeline",
                    "Sources", "Download"])
    with tabs[0]:
        st.plotly_chart(charts.altitude_overlay(results), width="stretch")
        for name, result in results.items():
            st.plotly_chart(charts.altitude_detail(name, result), width="stretch")
    with tabs[1]:
        for name, result in results.items():
            st.plotly_chart(charts.propellant_chart(name, result), width="stretch")
    with tabs[2]:
        st.plotly_chart(charts.flux_chart(results), width="stretch")
    with tabs[3]:
        fig = charts.budget_chart(results)
        if fig is not None:
            st.plotly_chart(fig, width="stretch")
        st.dataframe(pd.DataFrame([{**row, "scenario": name} for name, r in results.items()
                                   for row in model.budget_rows(r.summary)]), hide_index=True)
    with tabs[4]:
        fig = charts.timeline_chart(results)
        if fig is not None:
            st.plotly_chart(fig, width="stretch")
    with tabs[5]:
        sources_view(results, loaded_by_name)
    with tabs[6]:
        for name, result in results.items():
            st.subheader(name)
            downloads(name, raws[name], result)
    if target in timings:
        timing.caption(f"Server time: {target} computed in {timings[target]:.0f} ms, page "
                       f"built in {(time.perf_counter() - started) * 1000:.0f} ms (settings "
                       "seen before come from the cache).")


try:
    main()
except Exception as exc:  # the boundary: whatever happens, a message and never a traceback
    st.error(f"Something went wrong and this view could not be drawn "
             f"({exc.__class__.__name__}: {exc}). Change a setting or reload the page.")
