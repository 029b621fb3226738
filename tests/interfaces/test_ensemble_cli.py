"""`iss-deorbit ensemble`: files, byte-identical reruns, options, plots."""

import json

import pytest

from sim.interfaces.cli import main

from ..conftest import SCENARIOS

DECAY = str(SCENARIOS / "iss-natural-decay-2025.yaml")
FILES = ("ensemble.json", "samples.parquet", "bands.parquet", "summary.json")


def _run(tmp_path, name, *extra):
    out = tmp_path / name
    code = main(["ensemble", DECAY, "--samples", "200", "--seed", "4", "--out", str(out),
                 *extra])
    # --off and --uncertainty are overrides: such a result is written as <name>+set-<hash>
    found = sorted(out.glob("iss-natural-decay-2025*"))
    return code, found[0] if found else out / "iss-natural-decay-2025"


def test_files_contract_and_reruns_identical(tmp_path):
    code, folder = _run(tmp_path, "a")
    assert code == 0
    data = json.loads((folder / "ensemble.json").read_text())
    assert set(data["reentry_utc"]) == {"p5", "p25", "p50", "p75", "p95", "samples"}
    for name in ("decay_start_utc", "usdv_docking_utc", "crew_departure_utc",
                 "usdv_propellant_used_kg", "usdv_propellant_margin_kg", "total_delta_v_m_s"):
        assert name in data
    assert {"controlled_reentry", "uncontrolled_reentry", "insufficient_propellant",
            "usdv_not_ready", "target_met"} <= set(data["probabilities"])
    assert sum(v for k, v in data["probabilities"].items() if k != "target_met"
               and v is not None) == pytest.approx(1.0)
    code, again = _run(tmp_path, "b")
    for name in FILES:
        assert (folder / name).read_bytes() == (again / name).read_bytes(), name


def test_off_narrows_and_bad_source_is_invalid(tmp_path, capsys):
    code, folder = _run(tmp_path, "off", "--off", "solar_amplitude", "--off", "solar_timing")
    assert code == 0
    narrow = json.loads((folder / "ensemble.json").read_text())
    _, wide_folder = _run(tmp_path, "wide")
    wide = json.loads((wide_folder / "ensemble.json").read_text())
    assert narrow["reentry_utc"]["p95"] < wide["reentry_utc"]["p95"]
    assert main(["ensemble", DECAY, "--samples", "5", "--off", "sunspots",
                 "--out", str(tmp_path / "x")]) == 2
    assert "unknown source" in capsys.readouterr().err
    assert main(["ensemble", DECAY, "--samples", "5", "--uncertainty", "density=7",
                 "--out", str(tmp_path / "x")]) == 2


def test_plot_and_report_show_the_ensemble(tmp_path):
    code, folder = _run(tmp_path, "p")
    assert main(["plot", str(folder)]) == 0
    assert (folder / "plots" / "ensemble_fan.png").stat().st_size > 10_000
    assert main(["report", str(folder), "--out", str(tmp_path / "report")]) == 0
    page = (tmp_path / "report" / "index.html").read_text()
    assert "90 %" in page and "P(uncontrolled_reentry)" in page


def test_an_ensemble_folder_is_replaced_whole_or_not_at_all(tmp_path, monkeypatch):
    """A write that fails part-way (here: the bands) leaves the previous ensemble as it was,
    not a new summary and new samples beside the old bands, and no temporary behind."""
    from sim.api import load_scenario, run_ensemble
    from sim.interfaces import ensemble_files

    loaded = load_scenario(DECAY)
    folder = ensemble_files.write_ensemble(run_ensemble(loaded, 50, 1), tmp_path, loaded)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    real = ensemble_files._write_parquet

    def disk_full_at_the_bands(frame, path):
        if path.name == "bands.parquet":
            raise OSError("No space left on device")
        real(frame, path)

    monkeypatch.setattr(ensemble_files, "_write_parquet", disk_full_at_the_bands)
    with pytest.raises(OSError):
        ensemble_files.write_ensemble(run_ensemble(loaded, 50, 2), tmp_path, loaded)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == [folder.name]
