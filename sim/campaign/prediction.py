"""When does it come down: fit B on a window of the history, propagate from the window's end.

The nominal prediction propagates the fitted B through the observed flux and then CelesTrak's
forecast. When the history carries the node's right ascension, the atmosphere is the one the
node's local time sees, the node regressing by J2 along the nominal altitude path past the
window (the ensemble shares that path: the regression rate differs by < 1 %/10 km). The
90 % interval is the 5th..95th percentile of a seeded ensemble over:

- B and the density error together: ln(B / s) ~ N(ln B_fit, sigma) with sigma the
  calibration's spread (between-window scatter, or the prior). For a decay-only run a density
  scale s acts exactly as B / s, and the between-window scatter of a fitted B *is* the drift of
  the model's density error seen through the orbit, so one draw covers both.
- the flux forecast (days after CelesTrak's last observation only): the predicted flux above
  the quiet-Sun floor scaled by N(1, 0.2) (the product's weak/strong levels, 0.6/1.4, as
  +-2 sigma) and the cycle shifted by N(0, 6) months, drawn as ``FLUX_VARIANTS`` stratified
  pairs, each carrying an equal share of the samples.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from sim.core.constants import R_EARTH
from sim.core.decay import STOP_MEAN, STOP_PERIGEE, propagate_decay
from sim.core.space_weather import SolarActivity

from sim.history.altitude_history import AltitudeHistory
from sim.scenario.units import iso_utc

from .calibration import Calibration, calibrate_history, observed_field
from .drag_fit import initial_state
from .node_path import node_track
from .table_cache import Progress

FLUX_VARIANTS = 8
FLUX_SCALE_SIGMA = 0.2
FLUX_SHIFT_SIGMA_MONTHS = 6.0
HORIZON_YEARS = 30.0
DEFAULT_SAMPLES = 200


class PredictionError(ValueError):
    """A prediction that cannot be made (e.g. the fit window has no drag-only segment)."""


@dataclass(frozen=True)
class Prediction:
    calibration: Calibration
    start_day: float  # the last element set of the fit window
    start_alt_km: float  # fitted mean altitude there
    stop_altitude_km: float
    stop_on: str  # "perigee" (reentry) or "mean"
    predicted_day: float | None  # nominal run; None if not reached within the horizon
    interval_90: tuple[float | None, float | None]
    reached_fraction: float  # of the ensemble, within the horizon
    samples: int
    seed: int
    track_days: np.ndarray  # nominal run: days since 1970
    track_alt_km: np.ndarray

    def as_dict(self) -> dict:
        return {
            "predicted_utc": iso_utc(self.predicted_day),
            "interval_90_utc": [iso_utc(d) for d in self.interval_90],
            "fitted_ballistic_coefficient_kg_m2": round(self.calibration.ballistic_coefficient,
                                                        2),
            "fitted_interval_90_kg_m2": [round(x, 2) for x in self.calibration.interval_90],
            "fit_window_utc": [iso_utc(d) for d in self.calibration.window],
            "start_utc": iso_utc(self.start_day),
            "start_mean_altitude_km": round(self.start_alt_km, 3),
            "stop": {"altitude_km": self.stop_altitude_km, "on": self.stop_on},
            "days_from_start": (round(self.predicted_day - self.start_day, 2)
                                if self.predicted_day is not None else None),
            "ensemble": {"samples": self.samples, "seed": self.seed,
                         "reached_within_horizon": round(self.reached_fraction, 4),
                         "sigma_ln_ballistic_and_density": round(
                             self.calibration.sigma_ln_bc, 4),
                         "flux_scale_sigma": FLUX_SCALE_SIGMA,
                         "flux_shift_sigma_months": FLUX_SHIFT_SIGMA_MONTHS},
            "inclination_deg": round(self.calibration.inclination_deg, 4),
        }


def starting_point(cal: Calibration) -> tuple[float, float, float]:
    """(day, mean altitude km, eccentricity) at the window's last set: the fitted curve there
    if the last segment ends on it, else the observation itself (a manoeuvre came after)."""
    hist = cal.history
    last = cal.segments[-1]
    ecc = float(np.median(hist.eccentricity[-3:]))
    if last.end_day >= hist.day[-1] - 1e-9:
        return last.end_day, float(last.model_alt_km[-1]), ecc
    return float(hist.day[-1]), float(hist.mean_alt_km[-1]), ecc


def flux_variants(n: int) -> list[SolarActivity]:
    """Stratified (scale, shift) pairs: scale quantiles paired with a shuffled shift order."""
    q = (np.arange(n) + 0.5) / n
    scales = 1.0 + FLUX_SCALE_SIGMA * norm.ppf(q)
    shifts = FLUX_SHIFT_SIGMA_MONTHS * norm.ppf(q)[np.random.default_rng(1).permutation(n)]
    return [SolarActivity(scale=float(s), shift_months=float(m)) for s, m in zip(scales, shifts)]


def _run(cal, day0, alt0, ecc, bcs, activity, t_end_day, stop_km, stop_on, progress=None,
         node=None, path=None):
    field = observed_field(cal.inclination_deg, day0, t_end_day, activity, progress, node, path)
    state = initial_state(alt0, ecc, math.radians(cal.inclination_deg))
    stops = {"stop_perigee_m": stop_km * 1e3 if stop_on == "perigee" else 60e3,
             "stop_mean_m": stop_km * 1e3 if stop_on == "mean" else 0.0}
    run = propagate_decay(np.tile(state, (len(bcs), 1)), bcs, field, day0 - field.first_day,
                          t_end_day - field.first_day, **stops)
    reached = np.isin(run.status, (STOP_PERIGEE, STOP_MEAN))
    return run, np.where(reached, run.t_stop + field.first_day, np.nan), field.first_day


def _altitude_path(run, first_day: float) -> tuple[np.ndarray, np.ndarray]:
    """(days since 1970, mean altitude km) of a run's first sample, while it flies."""
    alt = run.states[0, :, 0] / 1000.0 - R_EARTH / 1000.0
    keep = np.isfinite(alt)
    return run.t_days[keep] + first_day, alt[keep]


def predict_from(cal: Calibration, stop_altitude_km: float = 120.0, stop_on: str = "perigee",
                 samples: int = DEFAULT_SAMPLES, seed: int = 0,
                 progress: Progress | None = None) -> Prediction:
    """Propagate from the end of a calibration's window (see the module note)."""
    day0, alt0, ecc = starting_point(cal)
    # the run stops on the perigee or on the mean altitude: compare the one it stops on
    start_km = alt0 - ecc * (alt0 + R_EARTH / 1000.0) if stop_on == "perigee" else alt0
    if start_km <= stop_altitude_km:
        raise PredictionError(f"the fit window ends with the {stop_on} at {start_km:.1f} km, "
                              f"already at or below the stop altitude {stop_altitude_km:g} km")
    horizon = day0 + HORIZON_YEARS * 365.25
    node = node_track(cal.history, cal.inclination_deg)
    path = None
    # with a known node, its regression past the window follows the nominal altitude path:
    # a first run at the window's last altitude gives the path, the second uses it
    for _ in range(2 if node is not None else 1):
        run, t_stop, first = _run(cal, day0, alt0, ecc, np.array([cal.ballistic_coefficient]),
                                  SolarActivity(), horizon, stop_altitude_km, stop_on, progress,
                                  node, path)
        path = _altitude_path(run, first)
    nominal = float(t_stop[0]) if np.isfinite(t_stop[0]) else None
    # the ensemble needs no more than four nominal spans (sigma ~ 0.1-0.2 in ln B)
    t_end = min(horizon, day0 + 4.0 * (nominal - day0)) if nominal else horizon
    rng = np.random.default_rng(seed)
    ln_factor = rng.standard_normal(samples) * cal.sigma_ln_bc
    bcs = cal.ballistic_coefficient * np.exp(ln_factor)
    groups = np.array_split(np.arange(samples), FLUX_VARIANTS)
    stops = np.full(samples, np.nan)
    for activity, idx in zip(flux_variants(FLUX_VARIANTS), groups):
        if idx.size:
            stops[idx] = _run(cal, day0, alt0, ecc, bcs[idx], activity, t_end,
                              stop_altitude_km, stop_on, None, node, path)[1]
    reached = np.isfinite(stops)
    # unreached samples count as later than any reached one
    ordered = np.sort(np.where(reached, stops, np.inf))
    low, high = (float(np.quantile(ordered, q, method="inverted_cdf")) for q in (0.05, 0.95))
    return Prediction(cal, day0, alt0, stop_altitude_km, stop_on, nominal,
                      tuple(x if math.isfinite(x) else None for x in (low, high)),
                      float(reached.mean()), samples, seed, *path)


def predict_history(history: AltitudeHistory, fit_start: float | None, fit_end: float | None,
                    inclination_deg: float | None = None, stop_altitude_km: float = 120.0,
                    stop_on: str = "perigee", samples: int = DEFAULT_SAMPLES, seed: int = 0,
                    progress: Progress | None = None) -> Prediction:
    """Fit on ``[fit_start, fit_end]`` (days since 1970; None: the history's ends), predict."""
    window = history.window(fit_start, fit_end)
    if len(window) < 2:
        raise PredictionError(f"{history.name}: fewer than two element sets in the fit window")
    cal = calibrate_history(window, inclination_deg, progress, recent=True)
    return predict_from(cal, stop_altitude_km, stop_on, samples, seed, progress)
