"""An ensemble's result: percentiles, probabilities, altitude bands and the sample table.

``EnsembleResult.summary`` is what ``ensemble.json`` holds; its names are a contract like
``summary.json``'s: each outcome under the summary's own name with p5 ... p95 (over the
samples that have it, ``samples`` of them), and ``probabilities`` with one entry per status
and ``target_met``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.scenario.loader import LoadedScenario
from sim.scenario.model import UncertaintySpec
from sim.scenario.units import iso_utc, to_day

from .results import RunResult
from .ensemble_draws import SampleDraws
from .ensemble import (ALT_BIN_KM, DATE_FIELDS, OUTCOME_FIELDS, ChunkResult, EnsembleJob,
                       dense_histogram)

PERCENTILES = (5, 25, 50, 75, 95)
STATUSES = ("controlled_reentry", "uncontrolled_reentry", "insufficient_propellant",
            "usdv_not_docked", "usdv_not_ready", "reboost_propellant_exhausted",
            "insufficient_propellant_for_phasing", "in_orbit_at_end", "failed")


@dataclass(frozen=True)
class EnsembleResult:
    name: str
    nominal: RunResult  # the scenario as written, whose decisions the samples keep
    summary: dict  # ensemble.json
    samples: dict  # column -> array, one row a sample (samples.parquet)
    bands: dict  # column -> array, one row a day (bands.parquet)

    @property
    def samples_frame(self):
        import pandas as pd

        return pd.DataFrame(self.samples)

    @property
    def bands_frame(self):
        import pandas as pd

        return pd.DataFrame(self.bands)


def _percentiles(values: np.ndarray, is_date: bool) -> dict:
    have = values[~np.isnan(values)]
    if not have.size:
        return {f"p{q}": None for q in PERCENTILES} | {"samples": 0}
    points = np.percentile(have, PERCENTILES)
    cells = {f"p{q}": iso_utc(float(v)) if is_date else round(float(v), 2)
             for q, v in zip(PERCENTILES, points)}
    return cells | {"samples": int(have.size)}


def band_percentiles(histogram: np.ndarray) -> np.ndarray:
    """(n_days, len(PERCENTILES)) altitude (km) from daily 1-km histograms, linear within a
    bin (bin 0 holds the reentered samples, reported as 0 km)."""
    cum = np.cumsum(histogram, axis=1)
    total = cum[:, -1]
    days = np.arange(histogram.shape[0])
    out = np.empty((histogram.shape[0], len(PERCENTILES)))
    for j, q in enumerate(PERCENTILES):
        target = q / 100.0 * total
        idx = np.minimum((cum < target[:, None]).sum(axis=1), histogram.shape[1] - 1)
        below = np.where(idx > 0, cum[days, np.maximum(idx - 1, 0)], 0)
        inside = histogram[days, idx]
        frac = np.where(inside > 0, (target - below) / np.maximum(inside, 1), 0.0)
        out[:, j] = np.where(idx == 0, 0.0, (idx + frac) * ALT_BIN_KM)
    return out


def _target_met(status: np.ndarray, reentry: np.ndarray, job: EnsembleJob) -> float | None:
    target = job.decision.target_day
    if target is None:
        return None
    sc = job.loaded.scenario
    wanted = ("controlled_reentry",) if sc.usdv is not None and sc.final_burn is not None \
        else ("controlled_reentry", "uncontrolled_reentry")
    ok = np.isin(status, wanted) & (np.abs(reentry - target) <= job.spec.target_tolerance)
    return round(float(ok.mean()), 4)


def _assumptions(spec: UncertaintySpec, job: EnsembleJob) -> dict:
    spread = job.spread
    return {**spec.model_dump(),
            "burn_pointing_deg": round(math.degrees(spec.burn_pointing), 3),
            "measured_solar_amplitude_sigma_ln": round(spread.amplitude_sigma_ln, 4),
            "measured_solar_timing_sigma_days": round(spread.timing_sigma_days, 1),
            "solar_cycles_measured": [c.number for c in spread.cycles],
            "normal_draws_clipped_at_sigma": 3.0,
            "reboost_stop_utc": iso_utc(job.decision.stop_day),
            "usdv_docking_planned_utc": iso_utc(job.decision.docking_day)}


def combine(chunks: list[ChunkResult], jobs: list[EnsembleJob], nominal_run: RunResult,
            loaded: LoadedScenario) -> EnsembleResult:
    nominal = nominal_run.summary
    chunks = sorted(chunks, key=lambda c: c.start)
    job = jobs[0]
    draws = SampleDraws.concat([c.draws for c in chunks])
    status = np.array([s for c in chunks for s in c.status])
    values = {k: np.concatenate([c.values[k] for c in chunks]) for k in OUTCOME_FIELDS}
    n = len(draws)
    probabilities = {s: round(float(np.mean(status == s)), 4) for s in STATUSES}
    probabilities["target_met"] = _target_met(status, values["reentry_utc"], job)
    summary = {
        "scenario": loaded.scenario.name, "samples": n, "seed": job.seed,
        **{k: _percentiles(values[k], k in DATE_FIELDS) for k in OUTCOME_FIELDS},
        "probabilities": probabilities,
        "target_reentry_utc": iso_utc(job.decision.target_day),
        "target_tolerance_days": job.spec.target_tolerance,
        "nominal": {k: nominal.get(k) for k in ("status", *OUTCOME_FIELDS)},
        "assumptions": _assumptions(job.spec, job),
        "failed_samples": [{"sample": i, "error": m} for c in chunks for i, m in c.failures],
    }
    samples = {"sample": draws.index,
               **{f"draw_{name}": getattr(draws, name) for name in
                  ("flux_scale", "shift_days", "bank_row", "density_scale",
                   "ballistic_factor", "thrust_factor", "ready_slip_days",
                   "docking_slip_days", "crew_slip_days")},
               "draw_first_burn_factor": draws.burn_factors[:, 0],
               "status": status}
    for k in OUTCOME_FIELDS:
        samples[k] = [iso_utc(v) if not math.isnan(v) else None for v in values[k]] \
            if k in DATE_FIELDS else values[k]
    histogram = dense_histogram(chunks, job.n_days)
    bands_km = band_percentiles(histogram)
    days = job.first_day + np.arange(job.n_days, dtype=float)
    bands = {"time_utc": [iso_utc(d) for d in days],
             "days_from_epoch": days - to_day(loaded.scenario.epoch),
             **{f"altitude_p{q}_km": np.round(bands_km[:, j], 3)
                for j, q in enumerate(PERCENTILES)},
             "fraction_reentered": np.round(histogram[:, 0] / max(n, 1), 5)}
    return EnsembleResult(loaded.scenario.name, nominal_run, summary, samples, bands)
