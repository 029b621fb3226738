"""``iss-deorbit ensemble``: Monte Carlo ensembles of scenarios, here or on a Dask cluster."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from sim.api import ScenarioError, load_scenario, run_ensemble

from .ensemble_files import write_ensemble
from .executors import ChunkFailure, ClusterUnavailable, executor_for
from .exit_status import FAILED, INVALID, OK
from .scenario_paths import scenario_files


UNCERTAINTY_OFF = {"solar_amplitude": "false", "solar_timing": "false", "solar_daily": "false",
                   "density": "0", "ballistic": "0", "burn_magnitude": "0",
                   "burn_pointing": "0 deg", "thrust": "0", "usdv_ready_slip": "0 d",
                   "docking_slip": "0 d", "crew_departure_slip": "0 d"}


def _ensemble_overrides(args) -> list[str]:
    """--set, then --uncertainty KEY=VALUE and --off SOURCE as uncertainty.* overrides."""
    texts = list(args.set)
    texts += [f"uncertainty.{item}" for item in args.uncertainty]
    for source in args.off:
        if source not in UNCERTAINTY_OFF:
            raise ScenarioError(f"--off {source}: unknown source; choose from "
                                f"{', '.join(UNCERTAINTY_OFF)}")
        texts.append(f"uncertainty.{source}={UNCERTAINTY_OFF[source]}")
    return texts


def ensemble(args) -> int:
    """Monte Carlo ensembles of scenarios: OUT/<name>/ensemble.json, samples, bands."""
    files, missing = scenario_files(args.paths)
    for message in missing:
        print(message, file=sys.stderr)
    if args.samples < 1:
        print("iss-deorbit ensemble: --samples must be at least 1", file=sys.stderr)
        return INVALID
    try:
        overrides = _ensemble_overrides(args)
        loaded = [load_scenario(path, overrides) for path in files]
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
        return INVALID
    if not loaded:
        print("no scenario files to run", file=sys.stderr)
        return INVALID
    status = OK
    with contextlib.ExitStack() as stack:
        try:  # one cluster (or connection) for the whole batch
            executor = stack.enter_context(executor_for(args.dask, args.jobs))
        except ClusterUnavailable as exc:
            print(f"iss-deorbit ensemble: {exc}", file=sys.stderr)
            return FAILED
        for path, scenario in zip(files, loaded):
            executor.label = scenario.scenario.name
            try:
                result = run_ensemble(scenario, args.samples, args.seed, executor)
            except (ChunkFailure, ClusterUnavailable) as exc:
                print(f"{path}: {exc}", file=sys.stderr)
                status = FAILED
                continue
            folder = write_ensemble(result, Path(args.out), scenario)
            print(_ensemble_line(result.summary, folder))
    return INVALID if missing and status == OK else status


def _ensemble_line(s: dict, folder: Path) -> str:
    r = s["reentry_utc"]
    return (f"{s['scenario']}: reentry {str(r['p50'])[:10]} (90 %: {str(r['p5'])[:10]} .. "
            f"{str(r['p95'])[:10]}); " + ", ".join(
                f"P({k}) {100 * v:.1f} %" for k, v in s["probabilities"].items() if v)
            + f" -> {folder}")
