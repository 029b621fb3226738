"""`iss-deorbit run --dask`: one task a scenario on a real Dask cluster on loopback. The same
bytes as a serial batch, a bad scenario never stops the batch, a killed worker loses no
scenario. Every cluster call is bounded in time."""

import time
from pathlib import Path

import pytest
import yaml

from sim.api import load_scenario
from sim.interfaces import batch
from sim.interfaces.cli import main
from sim.interfaces.executors import DaskExecutor

from ..conftest import SCENARIOS
from .conftest import kill_a_busy_worker

pytestmark = pytest.mark.slow
SMALL = {"name": "small", "epoch": "2025-06-01", "end": "2026-06-01",
         "object": {"mass": "400 t", "drag_area": "1500 m2", "drag_coefficient": 2.0},
         "orbit": {"mean_altitude": "415 km", "inclination": "51.64 deg"}}


def _scenarios(folder: Path) -> list[Path]:
    """Three small runs and one invalid file (a negative mass)."""
    paths = []
    for k, end in enumerate(("2026-01-01", "2026-06-01", "2027-01-01")):
        path = folder / f"s{k}.yaml"
        path.write_text(yaml.safe_dump({**SMALL, "name": f"small-{k}", "end": end}))
        paths.append(path)
    bad = folder / "bad.yaml"
    bad.write_text(yaml.safe_dump({**SMALL, "name": "bad",
                                   "object": {**SMALL["object"], "mass": "-4 t"}}))
    return paths + [bad]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_local_cluster_writes_what_a_serial_batch_writes(tmp_path, capsys):
    paths = [str(p) for p in _scenarios(tmp_path)]
    serial = main(["run", *paths, "--out", str(tmp_path / "s"), "--jobs", "1"])
    dask = main(["run", *paths, "--out", str(tmp_path / "d"), "--dask", "local", "--jobs", "2"])
    assert serial == dask == 2  # the invalid file is reported; the others still ran
    assert "bad.yaml" in capsys.readouterr().err
    written = _files(tmp_path / "d")
    assert written == _files(tmp_path / "s")
    assert {Path(name).parts[0] for name in written} == {"small-0", "small-1", "small-2"}


def test_a_scenario_failing_on_a_worker_is_reported_and_the_rest_are_written(tmp_path,
                                                                             monkeypatch):
    """A threaded LocalCluster (in-process transport), so that its workers see this
    process's stand-in failure."""
    from distributed import Client, LocalCluster

    loaded = [load_scenario(p) for p in _scenarios(tmp_path)[:3]]
    real = batch.simulate

    def simulate(item):
        if item.scenario.name == "small-1":
            raise RuntimeError("boom")
        return real(item)

    monkeypatch.setattr(batch, "simulate", simulate)
    out = tmp_path / "out"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        outcomes = batch.run_with(DaskExecutor(client=client), loaded, str(out), "csv")
    kinds = {Path(o.path).stem: o for o in outcomes}
    assert kinds["s1"].kind == "failed" and "RuntimeError: boom" in kinds["s1"].message
    assert kinds["s0"].kind == kinds["s2"].kind == "ok"
    assert sorted(p.name for p in out.iterdir()) == ["small-0", "small-2"]


def test_killed_worker_loses_no_scenario(tmp_path, cluster):
    client, _ = cluster
    loaded = [load_scenario(SCENARIOS / "nasa-2030.yaml", [f"name=nasa-{k}"]) for k in range(6)]
    serial = batch.run_all(loaded, str(tmp_path / "s"), "csv", 1)
    thread, killed = kill_a_busy_worker(client)
    outcomes = batch.run_with(DaskExecutor(client=client), loaded, str(tmp_path / "k"), "csv")
    finished = time.monotonic()
    thread.join(timeout=10)
    assert killed and killed[0] < finished, "no worker was killed while the scenarios ran"
    assert len(client.scheduler_info()["workers"]) == 1
    assert [o.kind for o in outcomes] == [o.kind for o in serial] == ["ok"] * 6
    assert _files(tmp_path / "k") == _files(tmp_path / "s")
