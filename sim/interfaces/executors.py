"""Where an ensemble's chunks run: here, in a local process pool, or on a Dask cluster.

Every executor has ``map(function, jobs) -> results in job order``; the chunk functions are
pure, so the results do not depend on the executor. A chunk lost with its worker is resubmitted
(Dask reschedules it on the remaining workers); one that still fails raises
``ChunkFailure`` naming the chunks, never a partial answer passed off as whole.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

RETRIES = 2  # resubmissions of a chunk whose worker died or that raised


class ChunkFailure(RuntimeError):
    """Chunks that could not be computed, with the reason for each."""

    def __init__(self, failures: list[tuple[int, str]]):
        self.failures = failures
        super().__init__("chunks failed: " + "; ".join(f"#{i}: {why}" for i, why in failures))


def _progress_line(done: int, total: int, label: str) -> None:
    if not sys.stderr.isatty():
        return
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


@dataclass
class SerialExecutor:
    label: str = ""

    def map(self, function: Callable, jobs: Sequence) -> list:
        results = []
        for k, job in enumerate(jobs, 1):
            results.append(function(job))
            _progress_line(k, len(jobs), self.label)
        return results


@dataclass
class ProcessExecutor:
    """A local process pool (``concurrent.futures``)."""

    workers: int = 2
    label: str = ""

    def map(self, function: Callable, jobs: Sequence) -> list:
        from concurrent.futures import as_completed

        with ProcessPoolExecutor(max_workers=self.workers) as pool:
            futures = {pool.submit(function, job): k for k, job in enumerate(jobs)}
            return _collect(as_completed(futures), futures.__getitem__, len(jobs), self.label)


@dataclass
class DaskExecutor:
    """Chunks as Dask tasks on a ``distributed.Client``: a ``LocalCluster`` (``address`` =
    "local") or a running scheduler (``tcp://HOST:PORT``)."""

    address: str = "local"
    workers: int = 2
    label: str = ""
    client: object | None = None  # an existing distributed.Client (tests, notebooks)

    def map(self, function: Callable, jobs: Sequence) -> list:
        from distributed import Client, LocalCluster

        if self.client is not None:
            return self._run(self.client, function, jobs)
        if self.address == "local":
            with LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                              host="127.0.0.1", dashboard_address=None) as cluster, \
                    Client(cluster) as client:
                return self._run(client, function, jobs)
        with Client(self.address, timeout="30s") as client:
            return self._run(client, function, jobs)

    def _run(self, client, function: Callable, jobs: Sequence) -> list:
        from distributed import as_completed

        # pure=False: same-looking jobs are still distinct tasks; retries: a chunk whose
        # worker died (or that raised) is run again elsewhere
        futures = [client.submit(function, job, pure=False, retries=RETRIES,
                                 key=f"ensemble-chunk-{k}-{id(jobs)}")
                   for k, job in enumerate(jobs)]
        index = {f.key: k for k, f in enumerate(futures)}
        return _collect(as_completed(futures), lambda f: index[f.key], len(jobs), self.label)


def _collect(finished, position: Callable, count: int, label: str) -> list:
    """Results in job order from futures as they finish; failed chunks named together."""
    results: list = [None] * count
    failures = []
    for done, future in enumerate(finished, 1):
        k = position(future)
        try:
            results[k] = future.result()
        except Exception as exc:
            failures.append((k, f"{exc.__class__.__name__}: {exc}"))
        _progress_line(done, count, label)
    if failures:
        raise ChunkFailure(sorted(failures))
    return results


def executor_for(dask: str | None, jobs: int = 0, label: str = ""):
    """The executor the command line asks for: ``--dask local|tcp://...`` or ``--jobs N``."""
    if dask:
        return DaskExecutor(address=dask, workers=max(jobs, 2), label=label)
    if jobs > 1:
        return ProcessExecutor(workers=jobs, label=label)
    return SerialExecutor(label=label)
