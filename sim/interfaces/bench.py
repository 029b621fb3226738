"""``iss-deorbit bench``: speed as ratios within one process, plus the agreement figures.

Timings on a shared machine are noisy; a ratio against a reference run in the same process
is not. Every figure is CPU time (``time.process_time``; a child process's through
``resource``), the best of a few repeats after a warm-up (numba compiles once).
"""

from __future__ import annotations

import math
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from sim.validation.cowell_reference import compare_altitude_loss
from sim.campaign.environment import coesa76_table, flux_record, msis_table
from sim.scenario.loader import load_scenario
from sim.campaign.planner import run_with_plan
from sim.campaign.runner import run_scenario
from sim.scenario.units import parse_date, to_day
from sim.core.constants import R_EARTH
from sim.core.decay import propagate_decay
from sim.core.density_field import coesa76_field, msis_table_field
from sim.core.space_weather import daily_weather

INC_DEG = 51.64
BC = 120.0  # kg/m^2, an ISS-like ballistic coefficient
CAMPAIGNS = ("nasa-2030.yaml", "musk-2027.yaml")


def best_of(func, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.process_time()
        func()
        times.append(time.process_time() - start)
    return min(times)


def cowell_case() -> list[str]:
    field = coesa76_field(coesa76_table(), math.radians(INC_DEG), geodetic=False)
    compare_altitude_loss(field, BC, 415.0, INC_DEG, 0.2)  # warm-up: numba compiles
    c = compare_altitude_loss(field, BC, 415.0, INC_DEG, 30.0)
    start_state = np.array([R_EARTH + 415e3, 0.0, math.radians(INC_DEG), 0.0, 0.0])
    mean_s = best_of(lambda: propagate_decay(start_state, BC, field, 0.0, 30.0))
    return [
        "30-day decay from 415 km, i = 51.64 deg, B = 120 kg/m2, tabulated COESA76, co-rotating",
        f"  altitude loss: hapsira Cowell {c.loss_cowell_km:.4f} km, mean elements "
        f"{c.loss_mean_km:.4f} km, difference {100 * c.relative_difference:+.2f} %",
        f"  time: Cowell {c.seconds_cowell:.2f} s, mean elements {1e3 * mean_s:.3f} ms, "
        f"ratio {c.seconds_cowell / mean_s:,.0f}x (target >= 30,000x at <= 0.5 %)",
    ]


def msis_decay_case() -> list[str]:
    record = flux_record()
    table = msis_table(INC_DEG)
    first = int(np.datetime64("2025-06-01", "D").astype(np.int64))
    state = np.array([R_EARTH + 415e3, 0.0, math.radians(INC_DEG), 0.0, 0.0])

    def whole():
        weather = daily_weather(record, first - 1, first + 5 * 366)
        field = msis_table_field(table, weather)
        return propagate_decay(state, 155.0, field, 1.0, 5 * 366.0)

    run = whole()
    seconds = best_of(whole)
    weather = daily_weather(record, first - 1, first + 5 * 366)
    field = msis_table_field(table, weather)
    prop_s = best_of(lambda: propagate_decay(state, 155.0, field, 1.0, 5 * 366.0))
    return [
        "ISS decay from 415 km on 2025-06-01 (B = 155 kg/m2), NRLMSIS orbit-mean table, "
        "CelesTrak flux, 5-year span",
        f"  reentry after {run.t_stop[0] - 1:.1f} d; whole run (weather + density field + "
        f"propagation) {1e3 * seconds:.1f} ms, propagation alone {1e3 * prop_s:.1f} ms "
        "(target < 50 ms)",
    ]


def campaign_cases() -> list[str]:
    """Each main scenario as `iss-deorbit run` does it (planner included), and with the
    reboost stop date pinned to the plan's answer (what a dashboard edit re-runs): the
    campaign itself, then what the footprint / casualty risk adds on top."""
    folder = Path("scenarios")
    lines = []
    for name in CAMPAIGNS:
        path = folder / name
        if not path.is_file():
            continue
        loaded = load_scenario(path)
        result = run_with_plan(loaded)
        whole = best_of(lambda: run_with_plan(loaded, where=False), repeats=3)
        stop = (result.summary.get("plan") or {}).get("reboost_stop_utc")
        until = to_day(parse_date(stop)) if stop else None
        pinned = best_of(lambda: run_scenario(loaded, until, where=False), repeats=3)
        where = best_of(lambda: run_scenario(loaded, until), repeats=2) - pinned
        lines.append(f"campaign {name}: with the planner {1e3 * whole:.0f} ms CPU (target "
                     f"<= 100 ms), stop date pinned {1e3 * pinned:.0f} ms (target <= 40 ms); "
                     f"the footprint or casualty risk adds {1e3 * where:.0f} ms")
    return lines


def _child_cpu(argv: list[str]) -> float:
    """CPU time (user + system, s) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, capture_output=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


# what every process that calls a cached numba kernel pays: Python, numpy, numba's import and
# its first cache load (which imports numba's registries and, for its BLAS check, scipy.linalg)
NUMBA_FLOOR = "from sim.core.gravity import j2_gravity; j2_gravity(7e6, 0.0, 1e6, 4e14, 6e6)"


def cold_run_case(scenario: str = "scenarios/musk-2027.yaml", repeats: int = 5) -> list[str]:
    """A cold `iss-deorbit run` in a fresh interpreter (imports, data, numba cache loads),
    against the start-up of a process that only loads one cached numba kernel."""
    if not Path(scenario).is_file():
        return []
    import tempfile

    floor_cmd = [sys.executable, "-c", NUMBA_FLOOR]
    _child_cpu(floor_cmd)  # compiles it into numba's cache if it is not there yet
    runs, floors = [], []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as out:
            runs.append(_child_cpu([sys.executable, "-m", "sim.interfaces.cli", "run", scenario,
                                    "--out", out, "--jobs", "1"]))
        floors.append(_child_cpu(floor_cmd))
    return [f"cold `iss-deorbit run {scenario}`: {min(runs):.2f} s CPU, best of {repeats} "
            f"(target <= 1.2 s); a process that only loads one cached numba kernel: "
            f"{min(floors):.2f} s"]


def run_bench() -> str:
    from .bench_ensemble import ensemble_lines

    lines = cowell_case() + msis_decay_case() + ensemble_lines() + campaign_cases() + \
        cold_run_case()
    return "\n".join(lines)
