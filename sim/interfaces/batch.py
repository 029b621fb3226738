"""A batch of runs: every scenario checked first, then run, each result written whole.

Before anything runs, every scenario is loaded and validated, and the output names are
checked: two scenarios that would write the same result folder (the same ``name``, or names
that differ only in case) refuse the batch, naming both files. Temporaries left in the output
folder by a run that was killed are removed first.
"""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from sim.api import LoadedScenario, ScenarioError, load_scenario, simulate

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


def run_one(loaded: LoadedScenario, out: str, fmt: str) -> Outcome:
    """Run and write one scenario; never raises."""
    try:
        result = simulate(loaded)
        write_result(result, Path(out), loaded, fmt)
    except ScenarioError as exc:
        return Outcome(loaded.path, "invalid", str(exc))
    except Exception as exc:  # a bug or an impossible case: report it, keep the batch going
        return Outcome(loaded.path, "failed",
                       f"{loaded.path}: failed while running: {exc.__class__.__name__}: {exc}")
    s = result.summary
    return Outcome(loaded.path, "ok", "", result_name(loaded), s["status"], s["reentry_utc"])


def run_all(loaded: list[LoadedScenario], out: str, fmt: str, jobs: int) -> list[Outcome]:
    clean_stale(Path(out))
    outcomes = []
    if jobs <= 1 or len(loaded) <= 1:
        for k, item in enumerate(loaded, 1):
            outcomes.append(run_one(item, out, fmt))
            _progress(k, len(loaded), outcomes[-1])
        return outcomes
    with ProcessPoolExecutor(max_workers=min(jobs, len(loaded))) as pool:
        futures = [pool.submit(run_one, item, out, fmt) for item in loaded]
        for k, future in enumerate(as_completed(futures), 1):
            outcomes.append(future.result())
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
