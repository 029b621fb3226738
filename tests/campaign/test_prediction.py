"""Prediction on real decays: the shipped cases (fit-then-predict) and the API/CLI paths."""

import json
import subprocess
import sys

import numpy as np
import pytest

from sim.api import predict
from sim.validation.real_decays import load_cases, run_case, run_validation, summary

ISS_TABLE = "sim/data/calibrations/iss-2024-2025-history.csv"


def test_object_40742_reentry_30_days_ahead():
    """1998-067GU decayed on 2015-12-23 (its last element set, at 162 km, that day). From a
    30-day fit ending a month before, the date must fall inside the 90 % interval and within
    10 % of the 31-day span (IADC-style campaigns: ~10 % mean error, Pardini & Anselmo 2017)."""
    case = next(c for c in load_cases() if c.case == "obj40742-30d")
    result = run_case(case, samples=64)
    assert result.inside_90
    assert result.error_pct < 10.0


def test_same_seed_same_dates_and_interval_brackets_the_nominal():
    a = predict(ISS_TABLE, ("2025-02-20T20:00:00", "2025-03-10"), samples=32).as_dict()
    b = predict(ISS_TABLE, ("2025-02-20T20:00:00", "2025-03-10"), samples=32).as_dict()
    assert a == b
    low, high = a["interval_90_utc"]
    assert low < a["predicted_utc"] < high
    # natural decay from ~418 km in March 2025 ends in 2027-2029 (DESIGN 4: 2028 from 415 km
    # on 2025-06-01 for B = 139-155)
    assert "2027" <= a["predicted_utc"][:4] <= "2029"


@pytest.mark.slow
def test_validation_on_the_shipped_real_decays():
    """The issue's targets are median error <= 5 % of the span, none worse than 10 %, the
    actual date inside the 90 % interval in at least 90 % of cases; they are missed and the
    README says so. Measured on the 20 shipped cases (200 samples): median 6.3 %, worst
    13.6 % (Shenzhou-11 module, 90 days out), 20/20 inside. This guards what is measured
    against regressions, with room for the 100-sample ensemble's interval noise (the
    nominal date does not depend on the sample count): median 7 %, worst 15 %, 18 of 20."""
    results = run_validation(samples=100)
    s = summary(results)
    assert s["cases"] == 20
    assert s["inside_90"] >= 18
    assert s["worst_error_pct"] <= 15.0
    assert s["median_error_pct"] <= 7.0


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "sim.interfaces.cli", *args],
                          capture_output=True, text=True, env=env)


def test_calibrate_cli_writes_calibration_json(tmp_path):
    done = run_cli("calibrate", ISS_TABLE, "--window", "2024-10-01", "2024-12-31",
                   "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    data = json.loads((tmp_path / "calibration.json").read_text())
    assert {"ballistic_coefficient_kg_m2", "interval_90_kg_m2", "segments"} <= set(data)
    assert (tmp_path / "calibration.png").stat().st_size > 10_000


@pytest.mark.parametrize("args, needle", [
    (["calibrate", "no-such-file.tle"], "no such history file"),
    (["calibrate", ISS_TABLE, "--window", "2024-12-01", "2024-11-01"], "must come after"),
    (["predict", ISS_TABLE, "--stop-altitude", "12 kg"], "--stop-altitude"),
    (["predict", ISS_TABLE, "--samples", "2"], "--samples = 2"),
    (["calibrate", ISS_TABLE, "--window", "2030-01-01", "2030-02-01"], "no drag-only segment"),
])
def test_bad_input_exits_2_with_a_message(args, needle):
    done = run_cli(*args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert needle in done.stderr and "Traceback" not in done.stderr
