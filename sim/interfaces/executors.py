"""Where chunks of work run: here, in a local process pool, or on a Dask cluster.

Every executor has ``map(function, jobs) -> results in job order`` and
``map_settled(function, jobs) -> one Settled per job`` (its value, or why it could not be
computed). The functions are pure, so the results do not depend on the executor. A job lost
with its worker is resubmitted (Dask reschedules it on the remaining workers); ``map`` raises
``ChunkFailure`` naming the jobs that still failed, never a partial answer passed off as
whole, while ``map_settled`` lets a batch report each failure and go on. An executor is also a
context manager: a Dask cluster is started (or a scheduler connected to) once for everything
run inside the ``with``.
"""

from __future__ import annotations

import contextlib
import sys
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

RETRIES = 2  # resubmissions of a job whose worker died or that raised


class ChunkFailure(RuntimeError):
    """Jobs that could not be computed, with the reason for each."""

    def __init__(self, failures: list[tuple[int, str]]):
        self.failures = failures
        super().__init__("chunks failed: " + "; ".join(f"#{i}: {why}" for i, why in failures))


class ClusterUnavailable(RuntimeError):
    """The Dask cluster could not be started, or its scheduler not reached."""


@dataclass(frozen=True)
class Settled:
    """One job's outcome: its value, or (``error``) why it could not be computed."""

    value: object = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _progress_line(done: int, total: int, label: str) -> None:
    if not sys.stderr.isatty():
        return
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


class _Executor:
    label: str

    def map_settled(self, function: Callable, jobs: Sequence) -> list[Settled]:
        raise NotImplementedError

    def map(self, function: Callable, jobs: Sequence) -> list:
        settled = self.map_settled(function, jobs)
        failures = [(k, s.error) for k, s in enumerate(settled) if not s.ok]
        if failures:
            raise ChunkFailure(failures)
        return [s.value for s in settled]

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None


@dataclass
class SerialExecutor(_Executor):
    label: str = ""

    def map_settled(self, function: Callable, jobs: Sequence) -> list[Settled]:
        results = []
        for k, job in enumerate(jobs, 1):
            try:
                results.append(Settled(function(job)))
            except Exception as exc:
                results.append(Settled(error=f"{exc.__class__.__name__}: {exc}"))
            _progress_line(k, len(jobs), self.label)
        return results


@dataclass
class ProcessExecutor(_Executor):
    """A local process pool (``concurrent.futures``)."""

    workers: int = 2
    label: str = ""

    def map_settled(self, function: Callable, jobs: Sequence) -> list[Settled]:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=self.workers) as pool:
            futures = {pool.submit(function, job): k for k, job in enumerate(jobs)}
            return _collect(as_completed(futures), futures.__getitem__, len(jobs), self.label)


@contextlib.contextmanager
def _dask_client(address: str, workers: int):
    """A client of a new ``LocalCluster`` on loopback ("local") or of a running scheduler;
    ``ClusterUnavailable`` when neither can be had."""
    from distributed import Client, LocalCluster

    with contextlib.ExitStack() as stack:
        try:
            if address == "local":
                cluster = stack.enter_context(LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                    dashboard_address=None))
                client = stack.enter_context(Client(cluster))
            else:
                client = stack.enter_context(Client(address, timeout="30s"))
        except (OSError, TimeoutError) as exc:
            raise ClusterUnavailable(f"Dask at {address}: {exc}") from exc
        yield client


@dataclass
class DaskExecutor(_Executor):
    """Jobs as Dask tasks on a ``distributed.Client``: a ``LocalCluster`` (``address`` =
    "local") or a running scheduler (``tcp://HOST:PORT``). Used in a ``with``, the cluster
    (or connection) serves every ``map`` inside it; otherwise each ``map`` makes its own."""

    address: str = "local"
    workers: int = 2
    label: str = ""
    client: object | None = None  # an existing distributed.Client (tests, notebooks)
    _stack: contextlib.ExitStack | None = field(default=None, init=False, repr=False)

    def __enter__(self):
        if self.client is None:
            self._stack = contextlib.ExitStack()
            self.client = self._stack.enter_context(_dask_client(self.address, self.workers))
        return self

    def __exit__(self, *exc) -> None:
        if self._stack is not None:
            stack, self._stack, self.client = self._stack, None, None
            stack.close()

    def map_settled(self, function: Callable, jobs: Sequence) -> list[Settled]:
        if self.client is not None:
            return self._run(self.client, function, jobs)
        with _dask_client(self.address, self.workers) as client:
            return self._run(client, function, jobs)

    def _run(self, client, function: Callable, jobs: Sequence) -> list[Settled]:
        from distributed import as_completed

        # pure=False and a fresh token: same-looking jobs, and jobs of an earlier map on the
        # same client, stay distinct tasks; retries: a job whose worker died (or that
        # raised) is run again elsewhere
        token = uuid.uuid4().hex
        futures = [client.submit(function, job, pure=False, retries=RETRIES,
                                 key=f"{function.__name__}-{k}-{token}")
                   for k, job in enumerate(jobs)]
        index = {f.key: k for k, f in enumerate(futures)}
        return _collect(as_completed(futures), lambda f: index[f.key], len(jobs), self.label)


def _collect(finished, position: Callable, count: int, label: str) -> list[Settled]:
    """One ``Settled`` per job, in job order, from futures as they finish."""
    results: list = [None] * count
    for done, future in enumerate(finished, 1):
        try:
            results[position(future)] = Settled(future.result())
        except Exception as exc:
            results[position(future)] = Settled(error=f"{exc.__class__.__name__}: {exc}")
        _progress_line(done, count, label)
    return results


DASK_SCHEMES = ("tcp://", "tls://", "inproc://", "ucx://")


def dask_address(text: str) -> str:
    """``--dask``'s value: "local", or a scheduler address such as tcp://HOST:PORT."""
    import argparse

    scheme = next((s for s in DASK_SCHEMES if text.startswith(s)), None)
    if text == "local" or (scheme and len(text) > len(scheme)):
        return text
    raise argparse.ArgumentTypeError(
        f"{text!r}: give 'local' (a cluster on this machine) or a scheduler address such as "
        "tcp://HOST:PORT")


def executor_for(dask: str | None, jobs: int = 0, label: str = "") -> _Executor:
    """The executor the command line asks for: ``--dask local|tcp://...`` or ``--jobs N``."""
    if dask:
        return DaskExecutor(address=dask, workers=max(jobs, 2), label=label)
    if jobs > 1:
        return ProcessExecutor(workers=jobs, label=label)
    return SerialExecutor(label=label)
