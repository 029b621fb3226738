"""Warm-up: compile every numba kernel into numba's cache and fill the user cache, once.

numba compiles a kernel the first time it meets new argument types (tens of seconds for all
of ours) and keeps the machine code in its cache; later processes only load it (~10 ms a
kernel). ``iss-deorbit warm`` (run by ``make install``) flies two short warm-up scenarios
through every path a user's first run takes: a controlled deorbit (decay, perigee-lowering
and final burns, the footprint with its descent and fragments) and an uncontrolled decay,
each as a single run and as a small ensemble (the campaign's samples and the sample-axis
kernel). It also byte-compiles the package and fills the user cache (the parsed CelesTrak
record, the warm-up's NRLMSIS descent cube). Calibration and prediction use the same
kernels with the same types.
"""

from __future__ import annotations

import compileall
import copy
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sim.scenario.loader import validate_mapping

from .ensemble import plan_jobs, run_chunk
from .planner import run_with_plan
from .table_cache import warm_correction

_STATION = {"preset": "iss", "mass": "473264 kg", "drag_area": "1525 m2",
            "drag_coefficient": 2.2}
CONTROLLED = {
    "name": "warm-up-deorbit", "epoch": "2030-06-01", "object": _STATION,
    "orbit": {"mean_altitude": "235 km", "inclination": "51.64 deg"},
    "tanks": [{"name": "station", "propellant": "800 kg", "attitude": "1 kg/d"}],
    "usdv": {"docking": "2030-06-01", "propellant": "16 t", "reserve": "300 kg"},
    "crew_departure": {"altitude": None, "date": "2030-06-01"},
    "perigee_lowering": {"start_altitude": "230 km", "perigees": ["190 km", "165 km", "145 km"],
                         "spacing": "1.3 d"},
    "final_burn": {"target_perigee": "50 km"}}
DECAY = {"name": "warm-up-decay", "epoch": "2030-06-01", "object": _STATION,
         "orbit": {"mean_altitude": "200 km", "inclination": "51.64 deg"}}
ENSEMBLE_SAMPLES = 2


@dataclass(frozen=True)
class WarmUp:
    """What a warm-up did: kernel signatures compiled now and those numba's cache had."""

    compiled: int
    from_cache: int
    cpu_s: float


def _kernel_stats() -> tuple[int, int]:
    from numba.core.registry import CPUDispatcher

    compiled = loaded = 0
    for name, module in list(sys.modules.items()):
        if name.startswith("sim.") and module is not None:
            for value in vars(module).values():
                if isinstance(value, CPUDispatcher) and value.__module__ == name:
                    compiled += sum(value.stats.cache_misses.values())
                    loaded += sum(value.stats.cache_hits.values())
    return compiled, loaded


def warm_up(progress: Callable[[str], None] | None = None) -> WarmUp:
    """Run the warm-ups (a second call only loads what the first compiled: ~2 s)."""
    say = progress or (lambda text: None)
    start = time.process_time()
    package = Path(__file__).resolve().parents[1]
    compileall.compile_dir(str(package), quiet=2)  # no-op where pip did it or it is read-only
    for mapping in (CONTROLLED, DECAY):
        say(f"{mapping['name']}: one run, then an ensemble of {ENSEMBLE_SAMPLES}")
        loaded = validate_mapping(copy.deepcopy(mapping), f"<{mapping['name']}>")
        run_with_plan(loaded)
        jobs, _ = plan_jobs(loaded, ENSEMBLE_SAMPLES, seed=0)
        for job in jobs:
            run_chunk(job)
    warm_correction()  # the node-local-time correction of element-set histories
    compiled, from_cache = _kernel_stats()
    return WarmUp(compiled, from_cache, time.process_time() - start)
