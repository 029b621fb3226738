"""A corpus of bad scenarios: each gives a clear error naming file and field, exit status 2."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.scenario.loader import ScenarioError, load_scenario, load_text, validate_mapping

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "bad_scenarios"
EXE = Path(sys.executable).parent / "iss-deorbit"
FILES = sorted(CORPUS.glob("*.yaml"))


def expected(path: Path) -> str:
    first = path.read_text().splitlines()[0]
    assert first.startswith("# expect: ")
    return first.removeprefix("# expect: ")


def test_the_corpus_is_large_enough():
    assert len(FILES) >= 30


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_bad_scenario_gives_a_clear_error(path):
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert str(path) in message  # names the file
    assert expected(path) in message


def test_huge_file_is_refused(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("name: huge\ndescription: >\n" + ("  " + "x" * 100 + "\n") * 11000)
    with pytest.raises(ScenarioError, match="limited to"):
        load_scenario(path)


def test_yaml_tags_never_build_objects(tmp_path):
    marker = tmp_path / "pwned"
    text = f"name: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(ScenarioError):
        load_text(text)
    assert not marker.exists()


def test_cli_reports_every_bad_file_with_status_2():
    done = subprocess.run([str(EXE), "validate", str(CORPUS)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    for path in FILES:
        assert path.name in done.stderr, path.name


def test_cli_run_of_a_bad_file_exits_2_without_traceback(tmp_path):
    done = subprocess.run([str(EXE), "run", str(CORPUS / "negative-mass.yaml"), "--out",
                           str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "line 5" in done.stderr and "object.mass" in done.stderr and "-5 t" in done.stderr


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=20), st.dates().map(str),
                    st.sampled_from(["415 km", "473 t", "-1 km", "1 m2", "51.6 deg", "2 kg/d",
                                     "18 months", "nan", "inf km", "1e400 km"]))
KEYS = st.sampled_from(["name", "epoch", "end", "object", "orbit", "mass", "drag_area",
                        "mean_altitude", "inclination", "tanks", "usdv", "reboost",
                        "solar_activity", "storms", "level", "value", "source", "x"])
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=5)), max_leaves=20)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, VALUES, max_size=8))
def test_any_mapping_loads_or_gives_a_clear_error(data):
    try:
        validate_mapping(data, "fuzz.yaml")
    except ScenarioError as exc:
        assert str(exc).startswith("fuzz.yaml")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_loads_or_gives_a_clear_error(text):
    try:
        load_text(text, "fuzz.yaml")
    except ScenarioError as exc:
        assert "fuzz.yaml" in str(exc)


def test_a_valid_mapping_round_trips_through_yaml():
    text = (ROOT / "scenarios" / "iss-natural-decay-2025.yaml").read_text()
    loaded = load_text(text)
    again = load_text(yaml.safe_dump(loaded.raw))
    assert again.scenario == loaded.scenario
