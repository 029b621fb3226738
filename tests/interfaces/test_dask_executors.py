"""Dask executors on real clusters on loopback: same bytes as serial, and a killed worker
loses no samples. Every cluster call is bounded in time."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import sim.campaign.ensemble as ensemble_module
from sim.api import load_scenario, run_ensemble
from sim.interfaces.ensemble_files import write_ensemble
from sim.interfaces.executors import DaskExecutor, SerialExecutor

from ..conftest import ROOT, SCENARIOS

pytestmark = pytest.mark.slow
FILES = ("ensemble.json", "samples.parquet", "bands.parquet")
DASK = str(Path(sys.executable).with_name("dask"))


def _written(result, folder, loaded):
    path = write_ensemble(result, folder, loaded)
    return {name: (path / name).read_bytes() for name in FILES}


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env():
    return {**os.environ, "PYTHONPATH": str(ROOT), "NUMBA_NUM_THREADS": "1"}


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


@pytest.fixture
def cluster():
    """A `dask scheduler` and two `dask worker` processes (no nanny: a killed worker stays
    dead) on a free loopback port."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--dashboard-address", ":0", "--no-show"], env=_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    time.sleep(1.5)
    for _ in range(2):
        procs.append(subprocess.Popen([DASK, "worker", address, "--nthreads", "1",
                                       "--no-nanny", "--no-dashboard"], env=_env(),
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    from distributed import Client

    client = Client(address, timeout="30s")
    client.wait_for_workers(2, timeout=60)
    yield client, procs
    client.close()
    for proc in procs:
        proc.kill()
        proc.wait(timeout=10)


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
    serial = _written(run_ensemble(loaded, 18, 6), tmp_path / "s", loaded)
    killed = []

    def kill_a_busy_worker():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            busy = [w for w, tasks in client.processing().items() if tasks]
            info = client.scheduler_info()["workers"]
            if busy and len(info) == 2:
                time.sleep(0.5)  # let it get into the chunk
                pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            time.sleep(0.1)

    thread = threading.Thread(target=kill_a_busy_worker, daemon=True)
    thread.start()
    result = run_ensemble(loaded, 18, 6, DaskExecutor(client=client))
    thread.join(timeout=10)
    assert killed, "no worker was killed: the test did not exercise the failure"
    assert len(client.scheduler_info()["workers"]) == 1
    assert _written(result, tmp_path / "k", loaded) == serial
