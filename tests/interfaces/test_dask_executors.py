"""Dask executors on real clusters on loopback: same bytes as serial, and a killed worker
loses no samples. Every cluster call is bounded in time."""

import time

import pytest

import sim.campaign.ensemble as ensemble_module
from sim.api import load_scenario, run_ensemble
from sim.interfaces.ensemble_files import write_ensemble
from sim.interfaces.executors import DaskExecutor, SerialExecutor

from ..conftest import SCENARIOS
from .conftest import kill_a_busy_worker

pytestmark = pytest.mark.slow
FILES = ("ensemble.json", "samples.parquet", "bands.parquet")


def _written(result, folder, loaded):
    path = write_ensemble(result, folder, loaded)
    return {name: (path / name).read_bytes() for name in FILES}


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(ensemble_module, "KERNEL_CHUNK", 100)
    monkeypatch.setattr(ensemble_module, "CAMPAIGN_CHUNK", 3)


def test_local_cluster_matches_serial(tmp_path, small_chunks):
    loaded = load_scenario(SCENARIOS / "iss-natural-decay-2025.yaml")
    serial = _written(run_ensemble(loaded, 400, 3, SerialExecutor()), tmp_path / "s", loaded)
    dask = _written(run_ensemble(loaded, 400, 3, DaskExecutor("local", workers=2)),
                    tmp_path / "d", loaded)
    assert serial == dask


def test_scheduler_and_workers_match_serial(tmp_path, small_chunks, cluster):
    client, _ = cluster
    loaded = load_scenario(SCENARIOS / "musk-2027.yaml")
    serial = _written(run_ensemble(loaded, 12, 5), tmp_path / "s", loaded)
    remote = _written(run_ensemble(loaded, 12, 5, DaskExecutor(client=client)),
                      tmp_path / "r", loaded)
    assert serial == remote


def test_killed_worker_loses_no_samples(tmp_path, small_chunks, cluster):
    client, procs = cluster
    loaded = load_scenario(SCENARIOS / "musk-2027.yaml")
    serial = _written(run_ensemble(loaded, 120, 6), tmp_path / "s", loaded)
    thread, killed = kill_a_busy_worker(client)
    result = run_ensemble(loaded, 120, 6, DaskExecutor(client=client))
    finished = time.monotonic()
    thread.join(timeout=10)
    assert killed and killed[0] < finished, "no worker was killed while the chunks ran"
    assert len(client.scheduler_info()["workers"]) == 1
    assert _written(result, tmp_path / "k", loaded) == serial
