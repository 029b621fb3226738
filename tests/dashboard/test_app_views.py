"""The dashboard's views, edits and address through Streamlit's AppTest."""

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from .conftest import few_samples
from .test_app import verdicts

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")


@pytest.fixture(scope="module")
def app():
    with few_samples():
        at = AppTest.from_file(APP, default_timeout=600).run()
        assert not at.exception, [e.value for e in at.exception]
        yield at


def figures(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def show(at, view: str):
    at.session_state["view"] = view
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return figures(at)


def test_only_the_picked_view_is_drawn(app):
    assert len(figures(app)) == 1  # the opening view: the altitude overview, nothing hidden
    for view in ("Last days", "How sure", "Propellant", "Sun & air", "Budget"):
        assert len(show(app, view)) >= 1, view
    show(app, "Altitude")


def test_the_overview_draws_bands_markers_today_and_usdv_ready(app):
    fig = show(app, "Altitude")[0]
    names = [t.get("name") or "" for t in fig["data"]]
    assert any("90 % of futures" in n for n in names) and any("50 % of futures" in n
                                                              for n in names)
    fills = [t for t in fig["data"] if t.get("fill") == "tonexty"]
    assert len(fills) == 4  # two bands for each of the two scenarios
    marks = [t for t in fig["data"] if (t.get("marker") or {}).get("symbol") == "x"]
    assert len(marks) == 2 and all("reentry" in t["text"][0] for t in marks)
    notes = [a["text"] for a in fig["layout"]["annotations"]]
    assert "today" in notes and "USDV ready" in notes
    # both lines end at the same entry altitude: no false difference at the end
    lines = [t for t in fig["data"] if t.get("name") in ("nasa-2030", "musk-2027")]
    assert {t["y"][-1] for t in lines} == {100.0}


def test_the_map_is_drawn_without_network_resources(app):
    figs = show(app, "Where")
    maps = [f for f in figs if any(t.get("name") == "coastline" for t in f["data"])]
    assert maps, "no footprint map"
    for fig in maps:
        text = json.dumps(fig)
        assert "geo" not in fig["layout"] and "mapbox" not in fig["layout"]
        assert "http" not in text  # no tiles, no topology downloads
        names = {t.get("name") for t in fig["data"]}
        assert {"target zone", "impacts, nominal", "aim"} <= names
    show(app, "Altitude")


def test_flux_chart_splits_measured_from_forecast(app):
    fig = show(app, "Sun & air")[0]
    names = [t.get("name") or "" for t in fig["data"]]
    assert "measured daily F10.7 (CelesTrak)" in names
    assert sum("forecast" in n for n in names) == 2
    notes = [a["text"] for a in fig["layout"]["annotations"]]
    assert any("measured | forecast" in n for n in notes)
    assert fig["layout"]["yaxis2"]["exponentformat"] == "power"  # 10^-12, not "1p"
    show(app, "Altitude")


def test_sources_name_publications_and_edited_fields(app):
    app.number_input(key="nasa-2030:usdv.propellant").set_value(12.0).run()
    show(app, "Sources")
    text = "\n".join(md.value for md in app.markdown)
    assert "edited here to 12 t; no longer the published figure" in text
    assert ".txt" not in text  # publications, never internal file names
    assert re.search(r"\]\(https?://", text), "no links to publications"
    app.button(key="nasa-2030:reset").click().run()
    show(app, "Altitude")


def test_edits_are_kept_per_scenario_and_in_the_address(app):
    app.number_input(key="nasa-2030:usdv.propellant").set_value(13.0).run()
    app.selectbox(key="target").set_value("musk-2027").run()
    app.number_input(key="musk-2027:usdv.propellant").set_value(15.0).run()
    found = verdicts(app)
    assert "nasa-2030 (edited)" in found and "musk-2027 (edited)" in found
    params = {k: app.query_params[k] for k in app.query_params}
    flat = {k: v[0] if isinstance(v, list) else v for k, v in params.items()}
    assert flat["compare"] == "nasa-2030,musk-2027"
    assert flat["edit.nasa-2030"] == "usdv.propellant:13 t"
    assert flat["edit.musk-2027"] == "usdv.propellant:15 t"
    # the same address opens the same view in a new session
    with few_samples():
        fresh = AppTest.from_file(APP, default_timeout=600)
        for key, value in flat.items():
            fresh.query_params[key] = value
        fresh.run()
    assert not fresh.exception
    assert verdicts(fresh) == found
    assert fresh.selectbox(key="target").value == "musk-2027"
    assert fresh.number_input(key="musk-2027:usdv.propellant").value == pytest.approx(15.0)
    app.button(key="musk-2027:reset").click().run()
    app.selectbox(key="target").set_value("nasa-2030").run()
    assert app.number_input(key="nasa-2030:usdv.propellant").value == pytest.approx(13.0)
    app.button(key="nasa-2030:reset").click().run()
    assert set(verdicts(app)) == {"nasa-2030", "musk-2027"}


def test_an_address_with_unknown_parts_still_opens(app):
    with few_samples():
        at = AppTest.from_file(APP, default_timeout=600)
        at.query_params["compare"] = "nasa-2030,no-such-scenario"
        at.query_params["edit.nasa-2030"] = "usdv.propellant:14 t;object.evil:1"
        at.run()
    assert not at.exception
    assert set(verdicts(at)) == {"nasa-2030 (edited)"}
    notes = " ".join(i.value for i in at.info)
    assert "no-such-scenario" in notes and "object.evil" in notes
