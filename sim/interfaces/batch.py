"""A batch of runs: every scenario checked first, then run, each result written whole.

Before anything runs, every scenario is loaded and validated, and the output names are
checked: two scenarios that would write the same result folder (the same ``name``, or names
that differ only in case) refuse the batch, naming both files. Temporaries left in the output
folder by a run that was killed are removed first.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from sim.api import LoadedScenario, Result as RunResult, ScenarioError, load_scenario, simulate

from .atomic import clean_stale
from .provenance import result_name
from .writers import write_result


@dataclass(frozen=True)
class Outcome:
    path: str
    kind: str  # ok | invalid | failed
    message: str
    name: str = ""
    status: str = ""
    reentry_utc: str | None = None


@dataclass(frozen=True)
class Prepared:
    loaded: list[LoadedScenario]
    invalid: list[Outcome]
    collisions: list[str]


def prepare(files: list[Path], overrides: list) -> Prepared:
    """Load every scenario (with the overrides) and find output-name collisions."""
    loaded, invalid = [], []
    for path in files:
        try:
            loaded.append(load_scenario(path, overrides))
        except ScenarioError as exc:
            invalid.append(Outcome(str(path), "invalid", str(exc)))
    seen: dict[str, LoadedScenario] = {}
    collisions = []
    for item in loaded:
        name = result_name(item)
        first = seen.setdefault(name.casefold(), item)
        if first is not item:
            collisions.append(f"{first.path} and {item.path} both write the result "
                              f"'{name}' (field 'name'); give each scenario its own name")
    return Prepared(loaded, invalid, collisions)


def _failed(loaded: LoadedScenario, why: str) -> Outcome:
    return Outcome(loaded.path, "failed", f"{loaded.path}: failed while running: {why}")


def compute_one(loaded: LoadedScenario) -> tuple[Outcome, RunResult | None]:
    """Run one scenario (on a Dask worker, say); never raises. The result comes back to be
    written where the command runs, so workers need no shared file system."""
    try:
        result = simulate(loaded)
    except ScenarioError as exc:
        return Outcome(loaded.path, "invalid", str(exc)), None
    except Exception as exc:  # a bug or an impossible case: report it, keep the batch going
        return _failed(loaded, f"{exc.__class__.__name__}: {exc}"), None
    s = result.summary
    return Outcome(loaded.path, "ok", "", result_name(loaded), s["status"],
                   s["reentry_utc"]), result


def _write(loaded: LoadedScenario, computed: tuple[Outcome, RunResult | None], out: str,
           fmt: str) -> Outcome:
    outcome, result = computed
    if result is None:
        return outcome
    try:
        write_result(result, Path(out), loaded, fmt)
    except Exception as exc:
        return _failed(loaded, f"{exc.__class__.__name__}: {exc}")
    return outcome


def run_one(loaded: LoadedScenario, out: str, fmt: str) -> Outcome:
    """Run and write one scenario; never raises."""
    return _write(loaded, compute_one(loaded), out, fmt)


def run_all(loaded: list[LoadedScenario], out: str, fmt: str, jobs: int,
            dask: str | None = None) -> list[Outcome]:
    """Every scenario, one after another, in a process pool (``jobs``) or as one Dask task
    each (``dask``: "local" or a scheduler's address); one failure never stops the rest."""
    clean_stale(Path(out))
    if dask:
        from .executors import DaskExecutor

        with DaskExecutor(address=dask, workers=max(jobs, 2), label="run") as executor:
            return run_with(executor, loaded, out, fmt)
    outcomes = []
    if jobs <= 1 or len(loaded) <= 1:
        for k, item in enumerate(loaded, 1):
            outcomes.append(run_one(item, out, fmt))
            _progress(k, len(loaded), outcomes[-1])
        return outcomes
    from concurrent.futures import ProcessPoolExecutor, as_completed  # only for a pool

    with ProcessPoolExecutor(max_workers=min(jobs, len(loaded))) as pool:
        futures = [pool.submit(run_one, item, out, fmt) for item in loaded]
        for k, future in enumerate(as_completed(futures), 1):
            outcomes.append(future.result())
            _progress(k, len(loaded), outcomes[-1])
    return outcomes


def run_with(executor, loaded: list[LoadedScenario], out: str, fmt: str) -> list[Outcome]:
    """One task a scenario on ``executor`` (a Dask one, say); the results are written here,
    atomically, as a serial batch writes them. A scenario whose task was lost even after its
    worker was replaced is a failed outcome like any other."""
    settled = executor.map_settled(compute_one, loaded)
    outcomes = []
    for k, (item, done) in enumerate(zip(loaded, settled), 1):
        outcomes.append(_write(item, done.value, out, fmt) if done.ok else
                        _failed(item, f"the task was lost: {done.error}"))
        _progress(k, len(loaded), outcomes[-1])
    return outcomes


def _progress(done: int, total: int, outcome: Outcome) -> None:
    if sys.stderr.isatty():
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} "
                         f"{Path(outcome.path).name[:40]:40s}")
        sys.stderr.flush()
        if done == total:
            sys.stderr.write("\n")
    else:
        print(f"[{done}/{total}] {outcome.path}: {outcome.kind}", file=sys.stderr)


def table(outcomes: list[Outcome]) -> str:
    rows = [("scenario", "result", "status", "reentry (UTC)")]
    for o in outcomes:
        rows.append((o.name or Path(o.path).stem, o.kind, o.status or "-", o.reentry_utc or "-"))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)
