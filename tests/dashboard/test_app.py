"""The dashboard through Streamlit's AppTest: widgets change results, bad input gives messages."""

import re
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from sim.scenario.loader import load_text
from sim.campaign.runner import run_scenario
from sim.interfaces.dashboard import model

from .conftest import few_samples

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def app():
    with few_samples():
        at = AppTest.from_file(APP, default_timeout=600).run()
        assert not at.exception, [e.value for e in at.exception]
        yield at


def verdicts(at) -> dict:
    """Scenario label -> its verdict text (labels carry "(edited)" when edited)."""
    out = {}
    for md in at.markdown:
        match = re.match(r"\*\*(.+?)\*\*: ", md.value)
        if match:
            out[match.group(1)] = md.value
    return out


def test_opens_on_the_2030_vs_2027_comparison_verdict_first(app):
    assert app.multiselect(key="chosen").value == ["nasa-2030", "musk-2027"]
    found = verdicts(app)
    assert found["nasa-2030"].startswith("**nasa-2030**: **Feasible as planned**: targeted "
                                         "reentry on 2031")
    # feasibility leads: the 2027 date comes after the USDV readiness it depends on
    musk = found["musk-2027"]
    assert musk.startswith("**musk-2027**: **Not feasible as planned**: needs the USDV")
    assert musk.index("before it can be ready (December 2028)") < musk.index("2027-02-19")
    for text in found.values():  # the ensemble's interval and odds, in words
        assert "simulated futures come down between" in text and "The plan works in" in text
    table = app.dataframe[0].value
    assert list(table.columns)[:3] == ["", "nasa-2030", "musk-2027"]
    assert "USDV margin" in list(table[""])
    assert any("the planner's answer for the target, not an agency decision" in c.value
               for c in app.caption)
    assert any(c.value.startswith("Server time for this view:") for c in app.caption)


def test_a_widget_changes_the_result_and_the_label(app):
    before = verdicts(app)["nasa-2030"]
    app.number_input(key="nasa-2030:usdv.propellant").set_value(12.0).run()
    assert not app.exception
    found = verdicts(app)
    assert "nasa-2030" not in found and "nasa-2030 (edited)" in found
    assert found["nasa-2030 (edited)"] != before
    assert any("USDV propellant 16.3 t → 12 t" in md.value for md in app.markdown)
    assert "nasa-2030 (edited)" in list(app.dataframe[0].value.columns)
    app.selectbox(key="nasa-2030:level").set_value("strong").run()
    strong = verdicts(app)["nasa-2030 (edited)"]
    assert "2029" in strong or "2030" in strong  # a stronger Sun brings it down earlier
    app.button(key="nasa-2030:reset").click().run()  # back to the published scenario
    assert verdicts(app)["nasa-2030"] == before
    assert app.number_input(key="nasa-2030:usdv.propellant").value == pytest.approx(16.3)


def test_an_impossible_combination_is_a_message_not_a_traceback(app):
    app.number_input(key="nasa-2030:reboost.floor").set_value(430.0).run()  # above the target
    assert not app.exception
    assert any("not possible" in e.value and "target must be above floor" in e.value
               for e in app.error)
    app.number_input(key="nasa-2030:reboost.floor").set_value(400.0).run()
    assert not app.error


def test_bad_uploads_give_messages(app):
    app.file_uploader(key="upload").set_value(("bad.yaml", b"name: [unclosed", "text/yaml"))
    app.run()
    assert not app.exception
    assert any("bad.yaml" in e.value and "not valid YAML" in e.value for e in app.error)
    big = b"name: x\n" + b"#" * (model.UPLOAD_LIMIT + 10)
    app.file_uploader(key="upload").set_value(("big.yaml", big, "text/yaml")).run()
    assert any("limited to" in e.value for e in app.error)
    good = (ROOT / "scenarios" / "iss-natural-decay-2025.yaml").read_bytes()
    app.file_uploader(key="upload").set_value(("ok.yaml", good, "text/yaml")).run()
    assert any("Loaded iss-natural-decay-2025" in s.value for s in app.success)
    app.file_uploader(key="upload").set_value(None).run()


def test_downloaded_yaml_loads_in_the_cli_and_gives_the_same_result():
    lib = model.library(ROOT / "scenarios")
    raw = model.edited(lib["musk-2027"].raw, {"usdv.propellant": "14 t"})
    in_dashboard = model.run_yaml(model.to_yaml(raw)).result
    text = model.to_yaml(raw)
    reloaded = load_text(text, "downloaded.yaml")
    assert run_scenario(reloaded).summary["usdv_propellant_used_kg"] == \
        in_dashboard.summary["usdv_propellant_used_kg"]
    assert yaml.safe_load(text)["usdv"]["propellant"] == "14 t"


def test_knobs_start_from_the_scenario_values():
    loaded = model.library(ROOT / "scenarios")["nasa-2030"]
    values = {k.path: model.knob_value(loaded, k) for k in model.KNOBS}
    assert values["usdv.propellant"] == pytest.approx(16.3)
    assert values["usdv.lead_time"] == pytest.approx(18.0)
    assert values["crew_departure.altitude"] == pytest.approx(330.0)
    assert values["object.mass"] == pytest.approx(473.264)


HOSTILE = ROOT / "tests" / "data" / "hostile"
UPLOADED = sorted(HOSTILE.glob("*.yaml"))
# two cases of each category of the corpus, plus encodings (all run through the uploader)
SAMPLE = [p for cat in ("yaml", "type", "unit", "date", "range", "cross", "extends", "name")
          for p in [q for q in UPLOADED if q.stem.startswith(cat + "-")][:2]] + \
    [HOSTILE / "yaml-alias-bomb.yaml", HOSTILE / "yaml-deep-flow.yaml",
     HOSTILE / "extends-root.yaml", HOSTILE / "date-feb-30.yaml"]
ENCODED = {"utf16.yaml": "name: x\n".encode("utf-16"),
           "latin1.yaml": "name: café\n".encode("latin-1")}


def test_hostile_uploads_give_messages_not_tracebacks(app):
    cases = [(p.name, p.read_bytes()) for p in SAMPLE] + list(ENCODED.items())
    for name, data in cases:
        app.file_uploader(key="upload").set_value((name, data, "text/yaml")).run()
        assert not app.exception, (name, [e.value for e in app.exception])
        errors = [e.value for e in app.error]
        assert any(e.startswith(name + ":") for e in errors), (name, errors)
        assert not any("Traceback" in e for e in errors)
    app.file_uploader(key="upload").set_value(None).run()


def test_an_upload_may_extend_a_library_scenario(app):
    text = b"extends: nasa-2030.yaml\nname: my-weak-sun\nsolar_activity: {level: weak}\n"
    app.file_uploader(key="upload").set_value(("mine.yaml", text, "text/yaml")).run()
    assert not app.exception and not app.error
    assert any("Loaded my-weak-sun" in s.value for s in app.success)
    assert "my-weak-sun" in app.multiselect(key="chosen").options
    escape = b"extends: ../README.md\nname: out\n"
    app.file_uploader(key="upload").set_value(("escape.yaml", escape, "text/yaml")).run()
    assert any("escape.yaml:" in e.value and "field 'extends'" in e.value for e in app.error)
    app.file_uploader(key="upload").set_value(None).run()


def test_an_upload_named_like_a_library_scenario_is_listed_beside_it(app):
    data = (ROOT / "scenarios" / "nasa-2030.yaml").read_bytes().replace(b"level: nominal",
                                                                        b"level: weak")
    app.file_uploader(key="upload").set_value(("nasa-2030.yaml", data, "text/yaml")).run()
    assert not app.exception
    assert any("listed as 'nasa-2030 (upload)'" in s.value for s in app.success)
    options = app.multiselect(key="chosen").options
    assert "nasa-2030" in options and "nasa-2030 (upload)" in options
    app.file_uploader(key="upload").set_value(None).run()


def test_the_upload_limit_shown_is_the_limit_applied():
    import tomllib

    from sim.scenario.safe_yaml import MAX_BYTES

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert model.UPLOAD_LIMIT == MAX_BYTES == config["server"]["maxUploadSize"] * 1024 * 1024
    with pytest.raises(model.ScenarioError, match="limited to 1,048,576 bytes"):
        model.from_upload(b"#" * (MAX_BYTES + 1), "big.yaml")
