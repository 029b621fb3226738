"""calibrate / predict / validation: what is refused before any work, what is refused after a
fit, and how their files reach the disk (all of them or none)."""

import errno
import subprocess
import sys
import tempfile

import numpy as np
import pytest

from sim.interfaces.atomic import write_file_set

ISS_TABLE = "sim/data/calibrations/iss-2024-2025-history.csv"
SZ11_TABLE = "sim/data/decays/sz11module.csv"


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "sim.interfaces.cli", *args],
                          capture_output=True, text=True)


def _refused(done, needle):
    assert done.returncode == 2, done.stdout + done.stderr
    assert needle in done.stderr and "Traceback" not in done.stderr


def test_an_out_that_is_a_file_is_refused_before_the_fit(tmp_path):
    a_file = tmp_path / "results"
    a_file.write_text("not a folder")
    _refused(run_cli("predict", ISS_TABLE, "--samples", "8", "--out", str(a_file)),
             "is a file, not a folder")
    _refused(run_cli("calibrate", ISS_TABLE, "--out", str(a_file / "sub")), "lies under a file")
    assert a_file.read_text() == "not a folder"


def test_validation_samples_are_checked_like_predict():
    _refused(run_cli("validation", "--case", "omid", "--samples", "0"), "--samples = 0")


def test_a_stop_altitude_above_the_starting_perigee_is_refused():
    # the Shenzhou-11 module on 2020-09-05: mean ~258 km, perigee ~240 km; the run stops on
    # the perigee, so 248 km is already passed even though the mean altitude is above it
    _refused(run_cli("predict", SZ11_TABLE, "--fit-window", "2020-08-07", "2020-09-06",
                     "--stop-altitude", "248 km", "--samples", "8"),
             "already at or below the stop altitude")


def test_a_history_that_drag_cannot_draw_is_refused(tmp_path):
    # 1,500 km losing 0.4 km a day: at that height NRLMSIS gives ~1e-15 kg/m3, a loss a
    # million times what drag can do; the fit runs into B's lower bound and says so
    days = np.arange(0.0, 12.0, 0.25)
    rows = [f"2024-10-{5 + int(d):02d}T{int(24 * (d % 1)):02d}:00:00Z,{1500.0 - 0.4 * d:.3f}"
            for d in days]
    history = tmp_path / "odd.csv"
    history.write_text("epoch_utc,mean_alt_km\n" + "\n".join(rows) + "\n")
    _refused(run_cli("calibrate", str(history), "--inclination", "51.64"),
             "do not fall the way drag alone would")


def test_a_failed_write_replaces_none_of_the_set(tmp_path, monkeypatch):
    (tmp_path / "prediction.json").write_bytes(b"old json")
    (tmp_path / "prediction.png").write_bytes(b"old png")
    real = tempfile.mkstemp
    calls = []

    def full_disk_on_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", full_disk_on_second)
    with pytest.raises(OSError):
        write_file_set(tmp_path, {"prediction.json": b"new json", "prediction.png": b"new"})
    assert (tmp_path / "prediction.json").read_bytes() == b"old json"
    assert (tmp_path / "prediction.png").read_bytes() == b"old png"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prediction.json", "prediction.png"]
    monkeypatch.undo()
    write_file_set(tmp_path, {"prediction.json": b"new json", "prediction.png": b"new"})
    assert (tmp_path / "prediction.png").read_bytes() == b"new"
