"""What every visitor sees, computed once and kept on disk: the library's ensembles.

An ensemble of a few hundred samples takes seconds to minutes, far too long for a page, so
``make run`` computes the ones the opening view shows (``python -m
sim.interfaces.dashboard.precompute``) into the user cache, keyed by the scenario's YAML text,
the sample count, the seed and the code itself: an edited scenario or a changed engine never
meets a stale entry. The dashboard reads these; an edit's ensemble is run on request.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.api import ScenarioError, load_scenario, run_ensemble
from sim.campaign.user_cache import cache_dir, content_key
from sim.interfaces.atomic import write_atomic_bytes

SEED = 1
SAMPLES_ENV = "ISS_DEORBIT_DASHBOARD_SAMPLES"
DEFAULT_SAMPLES = 200  # p5/p95 move by days between 200 and 400 samples (docs/uncertainty.md)
BAND_POINTS = 250  # days of the altitude fan sent to the browser


def samples() -> int:
    """Samples per ensemble: ``$ISS_DEORBIT_DASHBOARD_SAMPLES`` (tests use a few), else 200."""
    text = os.environ.get(SAMPLES_ENV, "")
    return int(text) if text.isdigit() and int(text) > 0 else DEFAULT_SAMPLES


@dataclass(frozen=True)
class Spread:
    """An ensemble as the dashboard draws it: ``ensemble.json``, the altitude fan on a thinned
    day grid, and each sample's reentry date and status."""

    summary: dict
    band_time: list[str]
    band: dict[str, list[float]]  # "p5".."p95" -> km (NaN once that share has reentered)
    reentry_utc: list[str | None]
    status: list[str]


@functools.lru_cache(maxsize=1)
def code_key() -> str:
    """A hash of the package's source: a changed engine invalidates every stored ensemble."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parents[2]
    for path in sorted(root.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _path(yaml_text: str, n: int, seed: int) -> Path:
    folder = cache_dir() / "dashboard-ensembles"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{content_key(yaml_text, str(n), str(seed), code_key())}.json"


def _thin_rows(n_rows: int) -> np.ndarray:
    step = max(1, n_rows // BAND_POINTS)
    rows = np.arange(0, n_rows, step)
    return rows if rows[-1] == n_rows - 1 else np.append(rows, n_rows - 1)


def _spread(ensemble) -> Spread:
    bands, rows = ensemble.bands, _thin_rows(len(ensemble.bands["time_utc"]))
    band = {p: [round(float(bands[f"altitude_{p}_km"][r]), 1) for r in rows]
            for p in ("p5", "p25", "p50", "p75", "p95")}
    return Spread(summary=ensemble.summary,
                  band_time=[str(bands["time_utc"][r])[:10] for r in rows], band=band,
                  reentry_utc=[None if v is None or v != v else str(v)
                               for v in ensemble.samples["reentry_utc"]],
                  status=[str(s) for s in ensemble.samples["status"]])


def _to_json(spread: Spread) -> bytes:
    data = {"summary": spread.summary, "band_time": spread.band_time, "band": spread.band,
            "reentry_utc": spread.reentry_utc, "status": spread.status}
    return json.dumps(data, allow_nan=True).encode()


def stored(yaml_text: str, n: int | None = None, seed: int = SEED) -> Spread | None:
    """The stored ensemble of this exact scenario text, or None."""
    path = _path(yaml_text, n or samples(), seed)
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return Spread(**data)


def compute(raw: dict, yaml_text: str, n: int | None = None, seed: int = SEED) -> Spread:
    """Run the ensemble of an (edited) scenario mapping and store it."""
    n = n or samples()
    ensemble = run_ensemble(load_scenario(raw), n, seed)
    spread = _spread(ensemble)
    path = _path(yaml_text, n, seed)
    write_atomic_bytes(path, lambda fh: fh.write(_to_json(spread)))
    return spread


def _run_path(yaml_text: str) -> Path:
    folder = cache_dir() / "dashboard-runs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{content_key(yaml_text, code_key())}.pickle"


def stored_run(yaml_text: str):
    """A library scenario's run stored by ``keep_run`` (a new server's first visitor reads
    it instead of running the campaign), or None."""
    import pickle

    try:
        return pickle.loads(_run_path(yaml_text).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def keep_run(yaml_text: str, run) -> None:
    """Store the run of a library scenario (never of an edit: those are the reader's)."""
    import pickle

    write_atomic_bytes(_run_path(yaml_text), lambda fh: pickle.dump(run, fh))


def main(argv: list[str] | None = None) -> int:
    """Precompute what the opening view shows: runs and ensembles of the opening pair."""
    from .model import DEFAULT_PAIR, fixed_stop, library, run_yaml, to_yaml

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("names", nargs="*", help="scenario names (default: the opening pair)")
    parser.add_argument("--scenarios", default="scenarios", help="the scenario folder")
    args = parser.parse_args(argv)
    lib = library(Path(args.scenarios))
    for name in args.names or DEFAULT_PAIR:
        if name not in lib:
            print(f"precompute: no scenario named {name!r} in {args.scenarios}", file=sys.stderr)
            return 2
        text = to_yaml(lib[name].raw)
        if stored(text) is None:
            try:
                compute(lib[name].raw, text)
            except ScenarioError as exc:
                print(f"precompute: {name}: {exc}", file=sys.stderr)
                return 2
        run = stored_run(text) or run_yaml(text)
        keep_run(text, run)
        if run.result is not None:  # the pinned copy the dashboard edits from
            pinned = to_yaml(fixed_stop(lib[name].raw, run.result))
            keep_run(pinned, stored_run(pinned) or run_yaml(pinned))
        print(f"precompute: {name}: run and {samples()} samples ready")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
