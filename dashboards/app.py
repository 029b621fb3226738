"""ISS end of life: which deorbit timeline works, when, and how sure.

Run with ``streamlit run dashboards/app.py`` (or ``make run``). Everything is computed on this
machine from the scenarios in ``scenarios/``; nothing is fetched from the network. Only the
view a reader picks is drawn, and what every visitor sees first is computed once per server.
"""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from sim.interfaces.dashboard import edits as edit_state
from sim.interfaces.dashboard import model, precompute, sidebar, views
from sim.interfaces.dashboard.charts import PALETTE, Shown
from sim.interfaces.dashboard.verdict import shown_name, verdict

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
VIEWS = ("Altitude", "Last days", "How sure", "Where", "Propellant", "Sun & air", "Budget",
         "Sources", "How this works", "Download")

st.set_page_config(page_title="ISS deorbit timelines", page_icon="🛰️", layout="wide")
st.markdown(views.PHONE_CSS, unsafe_allow_html=True)


@st.cache_resource(show_spinner=False)
def library() -> dict:
    return model.library(SCENARIOS)


@st.cache_resource(show_spinner=False, max_entries=256)
def run_text(text: str, docking_guess: str | None = None, where: bool = True) -> model.Run:
    """A resource cache hands back the same object: results are never modified. Library
    scenarios' runs also come from and go to the disk, so a new server starts warm."""
    if docking_guess is None and where:
        stored = precompute.stored_run(text)
        if stored is not None:
            return stored
    run = model.run_yaml(text, docking_guess, where)
    if docking_guess is None and where and run.result is not None and text in library_texts():
        precompute.keep_run(text, run)
    return run


@st.cache_resource(show_spinner=False)
def library_texts() -> set[str]:
    """The YAML of every library scenario, as written and with its stop date pinned."""
    return {model.to_yaml(loaded.raw) for loaded in library().values()}


@st.cache_data(show_spinner=False)
def editing_base(name: str) -> str:
    """The scenario with reboosts pinned to its planned stop date, so edits run directly."""
    raw = library()[name].raw
    run = run_text(model.to_yaml(raw))
    text = model.to_yaml(model.fixed_stop(raw, run.result) if run.result else raw)
    library_texts().add(text)
    return text


@st.cache_resource(show_spinner=False, max_entries=64)
def stored_spread(text: str):
    return precompute.stored(text)


def library_spread(name: str):
    """The ensemble of a library scenario as written: on disk after ``make run``, else
    computed once per server (the first visitor waits, nobody after)."""
    text = model.to_yaml(library()[name].raw)
    spread = stored_spread(text)
    if spread is None:
        with st.spinner(f"Running {precompute.samples()} simulated futures of {name} "
                        "(once per server)…"):
            precompute.compute(library()[name].raw, text)
        stored_spread.clear()
        spread = stored_spread(text)
    return spread


def open_state(lib: dict) -> None:
    """The first run of a session reads the address: scenarios, the adjusted one, edits."""
    if "edits" in st.session_state:
        return
    state = edit_state.decode(st.query_params.to_dict(), set(lib))
    st.session_state["edits"] = state.edits
    st.session_state["chosen"] = state.compare or [n for n in model.DEFAULT_PAIR if n in lib]
    if state.adjust:
        st.session_state["target"] = state.adjust
    if state.view in VIEWS:
        st.session_state["view"] = state.view
    if state.ignored:
        st.session_state["ignored"] = state.ignored


def keep_address(chosen: list[str], target: str | None, view: str, lib: dict) -> None:
    state = edit_state.ViewState(compare=[n for n in chosen if n in lib], adjust=target,
                                 view=view, edits=st.session_state["edits"])
    wanted = edit_state.encode(state)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def side(lib: dict, uploads: dict) -> tuple[list[str], str | None]:
    with st.sidebar:
        st.header("Scenarios")
        compare_box = st.container()  # drawn above the uploader, filled after it
        views.upload_box(uploads, lib, SCENARIOS)
        options = list(lib) + [n for n in uploads if n not in lib]
        chosen = compare_box.multiselect("Compare", options, key="chosen")
        if not chosen:
            return [], None
        target = st.selectbox("Adjust", chosen, key="target")
        loaded = lib.get(target) or uploads[target]
        st.header(f"Adjust {target}")
        base = model.from_yaml(editing_base(target)) if target in lib else loaded.raw
        edits = st.session_state["edits"]
        edits[target] = sidebar.adjust(target, base, loaded, edits.get(target, {}))
        if not edits[target]:
            edits.pop(target)
    return chosen, target


def compute(name: str, lib: dict, uploads: dict) -> dict | None:
    """One scenario's run (edited if the reader edited it), base run and ensemble."""
    base_raw = model.from_yaml(editing_base(name)) if name in lib else uploads[name].raw
    original = lib[name].raw if name in lib else uploads[name].raw
    changes = st.session_state["edits"].get(name, {})
    raw = edit_state.apply(base_raw, changes)
    base = run_text(model.to_yaml(base_raw))
    if changes:
        raw = {**raw, "name": f"{raw.get('name', name)}-edited"}
    guess = base.result.summary.get("usdv_docking_utc") if changes and base.result else None
    # an edit is run without its footprint (a second saved per change); the Where view asks
    where = st.session_state.get("view") == "Where"
    run = run_text(model.to_yaml(raw), guess, where) if changes else base
    if run.error:
        st.error(f"{shown_name(name, bool(changes))}: this combination is not possible.\n\n"
                 f"{run.error}")
        return None
    spread = stored_spread(model.to_yaml(raw)) if changes else \
        (library_spread(name) if name in lib else None)
    return dict(name=name, raw=raw, base_raw=base_raw, original=original, changes=changes,
                base=base, run=run,
                spread=spread, ready=model.get(original, "usdv.launch_ready"))


def main() -> None:
    started = time.perf_counter()
    lib = library()
    uploads = st.session_state.setdefault("uploads", {})
    open_state(lib)
    st.title("ISS end of life: which deorbit timeline works?")
    st.caption("The station's decay under the real solar cycle, every burn and kilogram of "
               "propellant, and hundreds of simulated futures. Change the settings in the "
               "sidebar (» at the top left on a phone).")
    for note in st.session_state.pop("ignored", []):
        st.info(f"Part of the address was not understood and was left out: {note}")
    chosen, target = side(lib, uploads)
    if not chosen:
        st.info("Pick at least one scenario in the sidebar.")
        return
    computing = time.perf_counter()
    items = [c for c in (compute(n, lib, uploads) for n in chosen) if c is not None]
    computing = (time.perf_counter() - computing) * 1000.0
    if not items:
        return
    shown = [Shown(label=shown_name(i["name"], bool(i["changes"])), result=i["run"].result,
                   colour=PALETTE[k % len(PALETTE)], spread=i["spread"],
                   ready_utc=str(i["ready"]) if i["ready"] else None)
             for k, i in enumerate(items)]
    for item, s in zip(items, shown):
        v = verdict(item["name"], s.result.summary, item["original"],
                    edited=bool(item["changes"]), ready_iso=s.ready_utc,
                    ensemble=s.spread.summary if s.spread else None)
        if views.verdict_block(v, item, s):
            with st.spinner("Running the simulated futures…"):
                precompute.compute(item["raw"], model.to_yaml(item["raw"]))
            stored_spread.clear()
            st.rerun()
    view = st.pills("View", VIEWS, default="Altitude", key="view") or "Altitude"
    views.draw(view, shown, items)
    keep_address(chosen, target, view, lib)
    st.caption(f"Server time for this view: {(time.perf_counter() - started) * 1000:.0f} ms "
               f"in all, {computing:.0f} ms of it running scenarios (runs seen before come "
               "from the cache).")


try:
    main()
except Exception as exc:  # the boundary: whatever happens, a message and never a traceback
    st.error(f"Something went wrong and this view could not be drawn "
             f"({exc.__class__.__name__}: {exc}). Change a setting or reload the page.")
