"""A real Dask cluster on loopback for the executor tests: a `dask scheduler` and two
`dask worker` processes, as a user with a cluster runs them."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ..conftest import ROOT

DASK = str(Path(sys.executable).with_name("dask"))


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env():
    return {**os.environ, "PYTHONPATH": str(ROOT), "NUMBA_NUM_THREADS": "1"}


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


def kill_a_busy_worker(client) -> tuple[threading.Thread, list[float]]:
    """Start a thread that SIGKILLs the first worker seen busy (both still up), half a
    second into its task; returns the thread and the list the kill's time.monotonic() goes
    into."""
    killed: list[float] = []

    def watch():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            busy = [w for w, tasks in client.processing().items() if tasks]
            info = client.scheduler_info()["workers"]
            if busy and len(info) == 2:
                time.sleep(0.5)  # let it get into the task
                pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed.append(time.monotonic())
            time.sleep(0.1)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread, killed
