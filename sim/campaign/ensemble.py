"""Monte Carlo ensembles of a scenario: chunks of samples, each a pure function of its job.

A scenario with a campaign (reboosts, the USDV, burns) flies each sample through the campaign
runner; a pure natural decay (no operations at all) goes through the sample-axis kernel
(``sim.core.ensemble_decay``), all samples of a chunk at once. Either way a chunk returns its
draws, its outcomes and a histogram of the daily mean altitude (1 km bins), which add up
across chunks, so the altitude bands do not depend on how the samples were split.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numba
import numpy as np

from sim.core.constants import R_EARTH
from sim.core.decay import STOP_PERIGEE
from sim.core.ensemble_decay import SampleInputs, advance_ensemble, flux_inputs
from sim.core.solar_realisations import CycleSpread, measure_cycle_spread
from sim.core.space_weather import daily_weather
from sim.scenario.loader import LoadedScenario
from sim.scenario.model import Scenario, UncertaintySpec
from sim.scenario.units import parse_date, to_day

from .ensemble_draws import CLIP_SIGMA, Decision, SampleDraws, draw_samples, sample_scenario
from .environment import msis_table, residual_bank_for, solar_activity, flux_record
from .results import RunResult, run_status
from .station import USDV
from .runner import fly, initial_state

OUTCOME_FIELDS = ("reentry_utc", "decay_start_utc", "usdv_docking_utc", "crew_departure_utc",
                  "usdv_propellant_used_kg", "usdv_propellant_margin_kg", "total_delta_v_m_s")
DATE_FIELDS = OUTCOME_FIELDS[:4]
ALT_BIN_KM = 1.0
ALT_BINS = 1001  # 0 ... 1000 km; bin 0 also holds reentered samples
KERNEL_CHUNK = 2000
CAMPAIGN_CHUNK = 25


@dataclass(frozen=True)
class EnsembleJob:
    """Everything a worker needs for samples ``start`` ... ``stop - 1`` (picklable)."""

    loaded: LoadedScenario
    decision: Decision
    spec: UncertaintySpec
    spread: CycleSpread
    seed: int
    start: int
    stop: int
    first_day: int  # band grid: whole days from here
    n_days: int
    end_day: float


@dataclass(frozen=True)
class ChunkResult:
    start: int
    draws: SampleDraws
    status: list[str]
    values: dict[str, np.ndarray]  # OUTCOME_FIELDS -> (n,) floats (days for dates; NaN: none)
    altitude_counts: tuple[np.ndarray, np.ndarray]  # sparse (n_days, ALT_BINS) histogram:
    # flat indices day * ALT_BINS + bin, and their counts
    failures: list[tuple[int, str]] = field(default_factory=list)


def is_decay_only(sc: Scenario) -> bool:
    """A pure natural decay: nothing changes the station but drag (the kernel's case)."""
    stops_at_once = sc.reboost is None or (sc.reboost.until is not None and
                                           to_day(sc.reboost.until) <= to_day(sc.epoch))
    return (stops_at_once and sc.usdv is None and sc.boost is None and not sc.tanks
            and sc.perigee_lowering is None and sc.final_burn is None
            and (sc.crew_departure is None or sc.object.drag_area_uncrewed is None)
            and sc.atmosphere.model == "nrlmsis")


def chunk_bounds(samples: int, kernel: bool) -> list[tuple[int, int]]:
    size = KERNEL_CHUNK if kernel else CAMPAIGN_CHUNK
    return [(k, min(k + size, samples)) for k in range(0, samples, size)]


@numba.njit(cache=True)
def _altitude_counts(altitude_km):
    """The (n_days, ALT_BINS) histogram of (n, n_days) daily altitudes (NaN counts as 0 km),
    sparse: flat indices day * ALT_BINS + bin, and their counts. A chunk's samples fill few
    bins a day (a dense histogram of a decade is ~13 MB a chunk); counting runs bin-major,
    since a sample stays in a 1 km bin for days."""
    n, n_days = altitude_km.shape
    counts = np.zeros((ALT_BINS, n_days), dtype=np.int32)
    for k in range(n):
        for j in range(n_days):
            h = altitude_km[k, j]
            b = int(h / ALT_BIN_KM) if h > 0.0 else 0
            counts[min(b, ALT_BINS - 1), j] += 1
    filled = 0
    for b in range(ALT_BINS):
        for j in range(n_days):
            filled += counts[b, j] != 0
    index = np.empty(filled, dtype=np.int64)
    value = np.empty(filled, dtype=np.int32)
    m = 0
    for b in range(ALT_BINS):
        for j in range(n_days):
            if counts[b, j] != 0:
                index[m], value[m] = j * ALT_BINS + b, counts[b, j]
                m += 1
    return index, value


def dense_histogram(chunks: list, n_days: int) -> np.ndarray:
    index = np.concatenate([c.altitude_counts[0] for c in chunks])
    counts = np.concatenate([c.altitude_counts[1] for c in chunks])
    total = np.bincount(index, weights=counts, minlength=n_days * ALT_BINS)
    return total.astype(np.int64).reshape(n_days, ALT_BINS)


def _empty_values(n: int) -> dict[str, np.ndarray]:
    return {name: np.full(n, np.nan) for name in OUTCOME_FIELDS}


def run_chunk(job: EnsembleJob) -> ChunkResult:
    draws = draw_samples(job.seed, job.start, job.stop, job.spec, job.spread)
    if is_decay_only(job.loaded.scenario):
        return _kernel_chunk(job, draws)
    return _campaign_chunk(job, draws)


def _day(text: str | None) -> float:
    return math.nan if text is None else to_day(parse_date(text))


def _campaign_chunk(job: EnsembleJob, draws: SampleDraws) -> ChunkResult:
    n = len(draws)
    values, status, failures = _empty_values(n), [], []
    altitude = np.zeros((n, job.n_days), dtype=np.float32)
    grid = job.first_day + np.arange(job.n_days, dtype=float)
    for i in range(n):
        draw = draws.row(i)
        loaded = sample_scenario(job.loaded, job.decision, draw, job.seed, job.end_day)
        try:
            mission = fly(loaded.scenario, docking_guess=job.decision.docking_day, phased=False)
        except Exception as exc:  # one sample's failure is reported, not fatal to the run
            failures.append((draw.index, f"{exc.__class__.__name__}: {exc}"))
            status.append("failed")
            continue
        status.append(run_status(mission))
        for name, value in _outcomes(mission).items():
            values[name][i] = value
        rows = mission.timeline.arrays()
        alt = (rows["states"][:, 0] - R_EARTH) / 1e3
        after = 0.0 if not math.isnan(mission.reentry_day) else float(alt[-1])
        altitude[i] = np.interp(grid, rows["t"], alt, left=float(alt[0]), right=after)
    return ChunkResult(job.start, draws, status, values, _altitude_counts(altitude),
                       failures)


def _outcomes(mission) -> dict[str, float]:
    """The summary's outcome fields (as in ``results.assemble``; dates as days) without
    building the time-series columns a sample does not keep."""
    marks = mission.marks
    usdv = mission.station.tanks.get(USDV)
    nan = math.nan

    def day(value):
        return nan if value is None else value

    return {"reentry_utc": mission.reentry_day,
            "decay_start_utc": day(marks.decay_start),
            "usdv_docking_utc": day(marks.usdv_docking),
            "crew_departure_utc": day(marks.crew_departure),
            "usdv_propellant_used_kg": usdv.burned + usdv.attitude_used if usdv else nan,
            "usdv_propellant_margin_kg": usdv.usable if usdv else nan,
            "total_delta_v_m_s": mission.dv_cum}


def _flux_reach(spread: CycleSpread) -> int:
    return int(math.ceil(CLIP_SIGMA * spread.timing_sigma_days)) + 45


def _kernel_chunk(job: EnsembleJob, draws: SampleDraws) -> ChunkResult:
    sc = job.loaded.scenario
    state = initial_state(sc.orbit)
    n = len(draws)
    reach = _flux_reach(job.spread)
    epoch = to_day(sc.epoch)
    first = int(math.floor(epoch)) - reach
    base = daily_weather(flux_record(), first, int(math.ceil(job.end_day)) + reach,
                         solar_activity(sc.solar_activity))
    bank = residual_bank_for(job.seed, base.first_day, base.f107.size) \
        if job.spec.solar_daily else None
    b0 = _ballistic(sc)
    samples = SampleInputs(
        a_m=np.full(n, state[0]), e=np.full(n, state[1]), inclination=np.full(n, state[2]),
        ballistic=b0 * draws.ballistic_factor,
        ln_density_scale=np.log(sc.atmosphere.density_scale * draws.density_scale),
        flux_scale=draws.flux_scale, shift_days=draws.shift_days, bank_index=draws.bank_row)
    run = advance_ensemble(samples, flux_inputs(base, sc.solar_activity.floor, bank),
                           msis_table(round(math.degrees(state[2]), 3)), epoch, job.end_day,
                           stop_perigee_m=sc.stop_altitude,
                           corotate=sc.atmosphere.co_rotation, history=True)
    values = _empty_values(n)
    reentered = run.status == STOP_PERIGEE
    values["reentry_utc"] = np.where(reentered, run.t_stop, np.nan)
    values["decay_start_utc"][:] = epoch
    values["total_delta_v_m_s"][:] = 0.0
    status = ["uncontrolled_reentry" if r else "in_orbit_at_end" for r in reentered]
    # the kernel's history starts on the epoch's day; the band grid on job.first_day
    hist = run.history_km
    offset = int(math.floor(epoch)) - job.first_day
    if offset != 0 or hist.shape[1] != job.n_days:
        hist = np.zeros((n, job.n_days), dtype=np.float32)
        width = min(run.history_km.shape[1], job.n_days - offset)
        hist[:, offset:offset + width] = run.history_km[:, :width]
    return ChunkResult(job.start, draws, status, values, _altitude_counts(hist))


def _ballistic(sc: Scenario) -> float:
    from .station import station_from

    return station_from(sc).ballistic_coefficient


def nominal_decision(loaded: LoadedScenario) -> tuple[Decision, RunResult]:
    """Run the scenario as written (planner included) and keep what it decided."""
    from .planner import run_with_plan

    nominal = run_with_plan(loaded)
    summary = nominal.summary
    sc = loaded.scenario
    stop = (summary.get("plan") or {}).get("reboost_stop_utc")
    if sc.reboost is not None and sc.reboost.until is not None:
        stop_day = to_day(sc.reboost.until)
    else:
        stop_day = _day(stop) if stop else None
    docking = _day(summary.get("usdv_docking_utc")) if sc.usdv is not None else math.nan
    return Decision(stop_day, None if math.isnan(docking) else docking,
                    to_day(sc.plan.reentry) if sc.plan else None,
                    None if summary["reentry_utc"] is None else _day(summary["reentry_utc"])
                    ), nominal


def ensemble_span(loaded: LoadedScenario, decision: Decision) -> tuple[int, int, float]:
    """(first day, number of days, end day) of the ensemble's propagation and bands: up to
    2.5 times the nominal lifetime for a natural decay, 1.5 times with a campaign (whose burns
    bring it down), at least 3 years past the nominal reentry."""
    sc = loaded.scenario
    epoch = to_day(sc.epoch)
    limit = to_day(sc.end) if sc.end else epoch + 40 * 365.25
    nominal = decision.nominal_reentry_day or limit
    factor = 2.5 if is_decay_only(sc) else 1.5
    end = min(limit, max(epoch + factor * (nominal - epoch), nominal + 3 * 365.25))
    first = int(math.floor(epoch))
    return first, int(math.ceil(end)) - first + 1, end


def plan_jobs(loaded: LoadedScenario, samples: int, seed: int,
              spec: UncertaintySpec | None = None) -> tuple[list[EnsembleJob], RunResult]:
    """The chunks of an ensemble and the nominal run."""
    spec = spec or loaded.scenario.uncertainty
    decision, nominal = nominal_decision(loaded)
    spread = measure_cycle_spread(flux_record(), loaded.scenario.solar_activity.floor)
    first, n_days, end = ensemble_span(loaded, decision)
    kernel = is_decay_only(loaded.scenario)
    jobs = [EnsembleJob(loaded, decision, spec, spread, seed, a, b, first, n_days, end)
            for a, b in chunk_bounds(samples, kernel)]
    return jobs, nominal
