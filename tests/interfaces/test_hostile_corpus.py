"""A corpus of hostile and inconsistent scenarios (tests/data/hostile): each is refused with
a message naming the file, the line or field and the value, exit status 2, no traceback."""

import codecs
import subprocess
import sys
from pathlib import Path

import pytest

from sim.scenario.loader import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "hostile"
EXE = Path(sys.executable).parent / "iss-deorbit"
FILES = sorted(CORPUS.glob("*.yaml"))
CATEGORIES = ("yaml", "type", "unit", "date", "range", "cross", "extends", "name")


def expected(path: Path) -> str:
    first = path.read_text(encoding="utf-8", errors="replace").splitlines()[0]
    assert first.startswith("# expect: "), path
    return first.removeprefix("# expect: ")


def test_every_category_has_several_cases():
    for category in CATEGORIES:
        assert len([p for p in FILES if p.stem.startswith(category + "-")]) >= 5, category


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_refused_with_a_clear_message(path):
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert message.startswith(str(path)), message  # names the file first
    assert expected(path) in message, message
    assert "Traceback" not in message and len(message) < 2000


SCENARIO = "name: enc\nepoch: 2025-06-01\nend: 2026-06-01\n" \
           "object: {mass: 400 t, drag_area: 1500 m2, drag_coefficient: 2.0}\n" \
           "orbit: {mean_altitude: 415 km, inclination: 51.64 deg}\n"
ENCODINGS = {
    "utf16-le-bom.yaml": (SCENARIO.encode("utf-16"), "the file is UTF-16"),
    "utf16-be-bom.yaml": (codecs.BOM_UTF16_BE + SCENARIO.encode("utf-16-be"), "UTF-16"),
    "utf32-bom.yaml": (SCENARIO.encode("utf-32"), "the file is UTF-32"),
    "latin1.yaml": (SCENARIO.replace("name: enc", "name: enc\ndescription: café").encode(
        "latin-1"), "line 2: not UTF-8 text"),
    "nul-bytes.yaml": (SCENARIO.encode() + b"\x00\x00", "not valid YAML"),
    "invalid-utf8-sequence.yaml": (b"name: \xc3\x28\n", "line 1: not UTF-8 text"),
    "over-the-limit.yaml": (b"#" * (1024 * 1024 + 1), "limited to 1,048,576 bytes"),
}


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_only_utf8_with_or_without_bom(tmp_path, name):
    data, message = ENCODINGS[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ScenarioError, match=message):
        load_scenario(path)


def test_utf8_with_a_bom_is_read(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(codecs.BOM_UTF8 + SCENARIO.encode())
    assert load_scenario(path).scenario.name == "enc"


def test_special_files_are_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    import os

    os.mkfifo(fifo)  # reading a pipe would wait forever
    with pytest.raises(ScenarioError, match="no such scenario file"):
        load_scenario(fifo)
    with pytest.raises(ScenarioError, match="no such scenario file"):
        load_scenario(tmp_path)


def test_the_cli_checks_every_file_and_exits_2():
    done = subprocess.run([str(EXE), "validate", str(CORPUS)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Traceback" not in done.stderr + done.stdout
    assert "internal error" not in done.stderr
    for path in FILES:
        assert path.name in done.stderr, path.name


@pytest.mark.parametrize("stem", ["date-feb-30", "date-month-13", "date-feb-29-common-year"])
def test_an_impossible_date_is_invalid_input_not_a_failure(tmp_path, stem):
    path = CORPUS / f"{stem}.yaml"
    done = subprocess.run([str(EXE), "run", str(path), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert str(path) in done.stderr and "line " in done.stderr and "not a date" in done.stderr
    assert not any(tmp_path.iterdir())


def test_plan_with_an_impossible_target_date_exits_2():
    done = subprocess.run([str(EXE), "plan", "scenarios/nasa-2030.yaml", "--reentry",
                           "2031-02-30"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "--reentry" in done.stderr and "2031-02-30" in done.stderr
