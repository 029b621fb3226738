"""Bench lines for ensembles: the sample-axis kernel against a plain numba loop, and whole
ensembles (decay only, and the two campaigns) against one run of the same scenario.

The kernel's peer is the simple Monte Carlo a user would write: one sample at a time, an
exponential density in altitude (Vallado's 400 km row), Euler steps of a day (shorter near the
end). It runs each sample for exactly the days the kernel ran it, so both do the same
sample-days; the kernel's extra work is the NRLMSIS table with each sample's own flux
realisation. A whole ensemble's figure is ``sim.api.run_ensemble`` here (nominal run with its
footprint, draws, samples, statistics; no files), warm, best of repeats; a campaign's 1,000
samples are projected from 250 (nominal + 1,000 x the cost a sample).
"""

from __future__ import annotations

import math
import os
import resource
import time
from pathlib import Path

import numba
import numpy as np

from sim.api import load_scenario, run_ensemble, simulate
from sim.campaign.runner import fly
from sim.campaign.environment import flux_record, msis_table, residual_bank_for
from sim.core.constants import DAY, MU_EARTH, R_EARTH
from sim.core.ensemble_decay import SampleInputs, advance_ensemble, flux_inputs
from sim.core.exponential_atmosphere import exponential_density
from sim.core.solar_realisations import measure_cycle_spread
from sim.core.space_weather import daily_weather
from sim.scenario.units import parse_date, to_day

SAMPLES = 10_000
YEARS = 5.0
SCENARIOS = Path("scenarios")
CAMPAIGN_SAMPLES = 250  # measured; 1,000 are projected from these
CAMPAIGN_TARGETS = (("nasa-2030.yaml", 20.0), ("musk-2027.yaml", 10.0))
INC_DEG = 51.64
BC = 155.0


@numba.njit(cache=True)
def reference_loop(a0, bc, scale, days, rho0, h0, scale_height, stop_m, max_da_m):
    """Plain loop: each sample alone, rho = rho0 exp(-(h - h0)/H) * scale, Euler steps."""
    out = np.empty(a0.size)
    for k in range(a0.size):
        a = a0[k]
        t = 0.0
        while t < days[k]:
            rho = rho0 * scale[k] * math.exp(-(a - R_EARTH - h0) / scale_height)
            rate = -math.sqrt(MU_EARTH * a) * rho / bc[k] * 0.92
            dt = min(1.0, days[k] - t, max_da_m / abs(rate) / DAY)
            a += rate * dt * DAY
            t += dt
            if a - R_EARTH < stop_m:
                break
        out[k] = a
    return out


def _samples(n: int, seed: int, spread) -> SampleInputs:
    rng = np.random.default_rng(seed)
    z = np.clip(rng.standard_normal((5, n)), -3, 3)
    a = R_EARTH + 415e3
    return SampleInputs(
        a_m=np.full(n, a), e=np.zeros(n), inclination=np.full(n, math.radians(INC_DEG)),
        ballistic=BC * np.exp(0.10 * z[0]), ln_density_scale=0.15 * z[1],
        flux_scale=np.exp(spread.amplitude_sigma_ln * z[2]),
        shift_days=np.round(spread.timing_sigma_days * z[3]).astype(np.int64),
        bank_index=rng.integers(0, 64, n))


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark (Linux: /proc/self/clear_refs, value 5)."""
    try:
        with open(f"/proc/{os.getpid()}/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _vm_hwm_mb() -> float:
    with open(f"/proc/{os.getpid()}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return float(line.split()[1]) / 1024.0
    return _peak_rss_mb()


def _rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return float(line.split()[1]) / 1024.0
    return 0.0


def _best_cpu(func, repeats: int = 3) -> tuple[float, float, object]:
    best_cpu, best_wall, out = math.inf, math.inf, None
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        out = func()
        best_cpu = min(best_cpu, time.process_time() - c0)
        best_wall = min(best_wall, time.perf_counter() - w0)
    return best_cpu, best_wall, out


def kernel_lines(samples: int = SAMPLES, years: float = YEARS) -> list[str]:
    record = flux_record()
    table = msis_table(INC_DEG)
    spread = measure_cycle_spread(record)
    first = int(np.datetime64("2025-06-01", "D").astype(np.int64))
    reach = int(3 * spread.timing_sigma_days) + 45
    base = daily_weather(record, first - reach, first + int(years * 366) + reach)
    bank = residual_bank_for(1, base.first_day, base.f107.size)
    flux = flux_inputs(base, 65.0, bank)
    inputs = _samples(samples, 1, spread)
    end = first + years * 365.25

    def kernel(history: bool):
        return advance_ensemble(inputs, flux, table, float(first), end, history=history)

    kernel(False)  # numba loads or compiles once
    _reset_peak()
    rss0 = _rss_mb()
    cpu_h, wall_h, run = _best_cpu(lambda: kernel(True), repeats=1)
    peak = _vm_hwm_mb() - rss0
    cpu, wall, run = _best_cpu(lambda: kernel(False))
    days = run.t_stop - first
    sample_days = float(days.sum())
    h_ref = 400e3
    rho0 = float(exponential_density(np.array([h_ref / 1e3]))[0])
    ref_args = (np.full(samples, R_EARTH + 415e3), inputs.ballistic,
                np.exp(inputs.ln_density_scale), days, rho0, h_ref, 58.515e3, 120e3, 500.0)
    reference_loop(*ref_args)
    ref_cpu, ref_wall, _ = _best_cpu(lambda: reference_loop(*ref_args))
    threads = numba.get_num_threads()
    return [
        f"decay-only ensemble: {samples:,} samples x {years:g} years from 415 km, NRLMSIS "
        f"table, per-sample B, density scale and flux realisation ({threads} threads)",
        f"  kernel: {cpu:.2f} s CPU ({wall:.2f} s wall), {1e9 * cpu / sample_days:.0f} ns CPU "
        f"a sample-day over {sample_days / 1e6:.1f} M sample-days (target <= 1.0 s)",
        f"  with the float32 daily history: {cpu_h:.2f} s CPU, peak memory +{peak:.0f} MB "
        f"(target <= 150 MB)",
        f"  plain numba loop (one sample at a time, exponential density): {ref_cpu:.2f} s CPU "
        f"({ref_wall:.2f} s wall, {1e9 * ref_cpu / sample_days:.0f} ns CPU a sample-day); "
        f"kernel / loop = {cpu / ref_cpu:.2f} in CPU, "
        f"{wall / ref_wall:.2f} in wall time",
    ]


def decay_ensemble_lines(samples: int = SAMPLES) -> list[str]:
    """The shipped natural decay as ``iss-deorbit ensemble`` runs it, against one run."""
    path = SCENARIOS / "iss-natural-decay-2025.yaml"
    if not path.is_file():
        return []
    loaded = load_scenario(path)
    run_ensemble(loaded, 200, 1)  # numba, tables, caches: loaded once
    cpu, wall, _ = _best_cpu(lambda: run_ensemble(loaded, samples, 1))
    single, _, _ = _best_cpu(lambda: simulate(loaded, where=False), repeats=5)
    return [f"ensemble of {path.name}, {samples:,} samples: {cpu:.2f} s CPU ({wall:.2f} s "
            f"wall; target <= 1.5 s); a sample costs 1/{single * samples / cpu:.0f} of one "
            f"run of the scenario ({1e3 * single:.0f} ms)"]


def campaign_ensemble_lines(samples: int = CAMPAIGN_SAMPLES) -> list[str]:
    """nasa-2030 and musk-2027: the nominal run (planner and footprint, once) and the
    samples, a sample's cost against one flight of the scenario without its footprint."""
    lines = []
    for name, target in CAMPAIGN_TARGETS:
        path = SCENARIOS / name
        if not path.is_file():
            continue
        loaded = load_scenario(path)
        run_ensemble(loaded, 4, 1)  # warm
        nominal, _, result = _best_cpu(lambda: simulate(loaded), repeats=2)
        total, _, _ = _best_cpu(lambda: run_ensemble(loaded, samples, 1), repeats=2)
        stop = (result.summary.get("plan") or {}).get("reboost_stop_utc")
        until = to_day(parse_date(stop)) if stop else None
        flight, _, _ = _best_cpu(lambda: fly(loaded.scenario, until, phased=False), repeats=3)
        per_sample = max(total - nominal, 0.0) / samples
        lines.append(
            f"ensemble of {name}: {1e3 * per_sample:.1f} ms CPU a sample ({samples} samples), "
            f"nominal run with its footprint {nominal:.2f} s; 1,000 samples ~"
            f"{nominal + 1000 * per_sample:.1f} s CPU (target <= {target:g} s); a sample "
            f"costs {per_sample / flight:.2f} x the nominal flown as a sample is "
            f"({1e3 * flight:.0f} ms: stop date pinned, burns as scheduled, no footprint)")
    return lines


def ensemble_lines() -> list[str]:
    return kernel_lines() + decay_ensemble_lines() + campaign_ensemble_lines()
