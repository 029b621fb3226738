"""The command line as a user runs it: a real process, real files."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXE = Path(sys.executable).parent / "iss-deorbit"
FOUNDATION_COLUMNS = ["time_utc", "mean_altitude_km", "perigee_km", "apogee_km", "f107", "ap",
                      "density_kg_m3"]
CAMPAIGN_COLUMNS = ["phase", "mass_kg", "propellant_kg", "delta_v_cum_m_s"]


def cli(*args, cwd=ROOT):
    return subprocess.run([str(EXE), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "PYTHONWARNINGS": "ignore"})


def test_run_writes_the_contract_files(tmp_path):
    done = cli("run", "scenarios/iss-natural-decay-2025.yaml", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "iss-natural-decay-2025"
    frame = pd.read_csv(folder / "timeseries.csv")
    assert set(FOUNDATION_COLUMNS) <= set(frame.columns)
    assert frame["mean_altitude_km"].iloc[0] == pytest.approx(415.0)
    summary = json.loads((folder / "summary.json").read_text())
    assert {"scenario", "status", "reentry_utc", "days_to_reentry"} <= set(summary)
    assert summary["status"] == "uncontrolled_reentry"
    assert summary["reentry_utc"].startswith(("2028", "2029"))
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["packages"]["pymsis"]
    assert not list(folder.glob("*.tmp")) and not list(folder.glob(".*"))


def test_same_inputs_give_byte_identical_outputs(tmp_path):
    for out in ("a", "b"):
        assert cli("run", "scenarios/iss-natural-decay-2025.yaml", "--out",
                   str(tmp_path / out)).returncode == 0
    for name in ("timeseries.csv", "summary.json", "manifest.json"):
        a = (tmp_path / "a" / "iss-natural-decay-2025" / name).read_bytes()
        b = (tmp_path / "b" / "iss-natural-decay-2025" / name).read_bytes()
        assert a == b, name


def test_campaign_outputs(tmp_path):
    done = cli("run", "scenarios/nasa-2030.yaml", "scenarios/musk-2027.yaml", "--out",
               str(tmp_path))
    assert done.returncode == 0, done.stderr
    for name in ("nasa-2030", "musk-2027"):
        frame = pd.read_csv(tmp_path / name / "timeseries.csv")
        assert set(CAMPAIGN_COLUMNS) <= set(frame.columns)
        assert "propellant_usdv_kg" in frame.columns
        summary = json.loads((tmp_path / name / "summary.json").read_text())
        for key in ("decay_start_utc", "usdv_docking_utc", "crew_departure_utc",
                    "final_burn_utc", "reboost_propellant_kg", "usdv_propellant_used_kg",
                    "usdv_propellant_margin_kg", "total_delta_v_m_s", "events"):
            assert key in summary, (name, key)
        kinds = {e["kind"] for e in summary["events"]}
        assert {"usdv_docking", "final_burn", "reentry"} <= kinds
    nasa = json.loads((tmp_path / "nasa-2030" / "summary.json").read_text())
    assert nasa["status"] == "controlled_reentry"
    assert nasa["reentry_utc"].startswith(("2030-12", "2031-01", "2031-02"))
    musk = json.loads((tmp_path / "musk-2027" / "summary.json").read_text())
    assert musk["status"] == "usdv_not_ready"  # the vehicle is not ready before December 2028
    assert musk["plan"]["status"] == "infeasible_natural_decay"


def test_bad_scenario_is_a_clear_error_without_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nepoch: 2025-06-01\nobject:\n  mass: -5 t\n  drag_area: 1 m2\n"
                   "  drag_coefficient: 2.2\norbit:\n  mean_altitude: 400 km\n"
                   "  inclination: 51.6 deg\n")
    done = cli("run", str(bad), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert str(bad) in done.stderr and "line 4" in done.stderr
    assert "object.mass" in done.stderr and "-5 t" in done.stderr and "more than 0 kg" in done.stderr


def test_one_bad_scenario_does_not_stop_the_batch(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.yaml").write_text(
        (ROOT / "scenarios" / "iss-natural-decay-2025.yaml").read_text())
    (folder / "broken.yaml").write_text("name: broken\nepoch: [not a date\n")
    done = cli("run", str(folder), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert (tmp_path / "out" / "iss-natural-decay-2025" / "summary.json").is_file()
    assert "broken.yaml" in done.stderr and "not valid YAML" in done.stderr


def test_plan_answers_the_backward_question(tmp_path):
    done = cli("plan", "--reentry", "2031-01-15", "scenarios/nasa-2030.yaml", "--out",
               str(tmp_path))
    assert done.returncode == 0, done.stderr
    plan = json.loads((tmp_path / "plan.json").read_text())
    assert plan["plan_status"] == "feasible"
    assert abs(plan["reentry_minus_target_days"]) < 3
    assert plan["reboost_stop_utc"] < "2031"
    done = cli("plan", "--reentry", "not-a-date", "scenarios/nasa-2030.yaml")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_parquet_time_series(tmp_path):
    done = cli("run", "scenarios/iss-natural-decay-2025.yaml", "--out", str(tmp_path),
               "--format", "parquet")
    assert done.returncode == 0, done.stderr
    frame = pd.read_parquet(tmp_path / "iss-natural-decay-2025" / "timeseries.parquet")
    assert set(FOUNDATION_COLUMNS) <= set(frame.columns)
    assert frame["mean_altitude_km"].iloc[-1] < 130
