"""Fit the ballistic coefficient of one drag-only segment to its whole altitude curve.

The model is the product's own: ``sim.core.decay.propagate_decay`` through the daily NRLMSIS
orbit-mean field built from the observed flux. Two parameters are fitted by Gauss-Newton
least squares over every element set of the segment: the initial mean altitude (so one noisy
first set does not bias the slope) and ln B. The Jacobian comes from finite differences, all
three propagations (nominal, +dh0, +dlnB) in one call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.interpolate import CubicSpline

from sim.core.constants import R_EARTH
from sim.core.decay import propagate_decay
from sim.core.density_field import DensityField

from sim.history.altitude_history import AltitudeHistory
from sim.scenario.units import iso_utc

START_BC = 100.0  # kg/m^2, first guess; the fit converges from anywhere in 10..1000
STEP_H_KM = 0.01
STEP_LN_BC = 0.01
MAX_ITERATIONS = 20
BC_LIMITS = (1.0, 1e5)  # kg/m^2, physical bounds (a sheet of foil to a dense sphere)


class FitError(ValueError):
    """A segment the model cannot follow (e.g. it stops before the segment ends)."""


@dataclass(frozen=True)
class SegmentFit:
    start_day: float
    end_day: float
    n_points: int
    loss_km: float  # observed altitude lost over the segment (first minus last set)
    ballistic_coefficient: float  # kg/m^2
    sigma_ln_bc: float  # the fit's own standard error of ln B (residuals taken as independent)
    initial_alt_km: float  # fitted mean altitude at start_day
    rms_km: float  # residual RMS of the fitted curve
    model_alt_km: np.ndarray  # fitted curve at the observation epochs


def initial_state(alt_km: float, ecc: float, inc_rad: float) -> np.ndarray:
    """Mean elements a (m), e, i, raan, argp; node and perigee do not change the decay."""
    return np.array([R_EARTH + alt_km * 1000.0, ecc, inc_rad, 0.0, 0.0])


def model_altitudes(field: DensityField, day0: float, days: np.ndarray, alt0_km: np.ndarray,
                    ecc: float, inc_rad: float, bcs: np.ndarray) -> np.ndarray:
    """Mean altitude (km) at ``days`` for each (initial altitude, B) pair; NaN once stopped."""
    states = np.stack([initial_state(h, ecc, inc_rad) for h in alt0_km])
    t0 = day0 - field.first_day
    t_end = max(float(days[-1]) - field.first_day, t0 + 1e-3)
    run = propagate_decay(states, bcs, field, t0, t_end)
    out = np.empty((len(bcs), days.size))
    for k in range(len(bcs)):
        alt = run.states[k, :, 0] / 1000.0 - R_EARTH / 1000.0
        ok = np.isfinite(alt)
        if ok.sum() < 2:
            out[k] = np.nan
            continue
        t = run.t_days[ok] + field.first_day
        spline = CubicSpline(t, alt[ok]) if ok.sum() >= 3 else (lambda x: np.interp(x, t, alt[ok]))
        out[k] = np.where(days <= t[-1] + 1e-9, spline(days), np.nan)
    return out


def recency_weights(days: np.ndarray) -> np.ndarray:
    """Weights rising linearly from 0 at the first set to 1 at the last: B drifts, and the end
    of a window, where a prediction starts, tells most about the B to come."""
    span = days[-1] - days[0]
    return (days - days[0]) / span if span > 0 else np.ones(days.size)


def fit_segment(segment: AltitudeHistory, field: DensityField, inc_rad: float,
                weights: np.ndarray | None = None) -> SegmentFit:
    """Least-squares (initial altitude, ln B) for one drag-only segment; every set counts the
    same unless ``weights`` (one per set) are given."""
    days, obs = segment.day, segment.mean_alt_km
    root_w = np.sqrt(np.ones(days.size) if weights is None else np.asarray(weights, float))
    ecc = float(np.median(segment.eccentricity[:3]))
    params = np.array([float(np.median(obs[:3])), math.log(START_BC)])
    previous, step = None, None
    for _ in range(MAX_ITERATIONS):
        trial = np.array([params, params + [STEP_H_KM, 0.0], params + [0.0, STEP_LN_BC]])
        curves = model_altitudes(field, days[0], days, trial[:, 0], ecc, inc_rad,
                                 np.exp(trial[:, 1]))
        if not np.all(np.isfinite(curves)):
            # the trial reenters before the segment ends: back off half the last step, or
            # (first guess) try a thinner-drag B
            if previous is not None:
                step = step / 2.0
                params = previous + step
            else:
                params[1] += 0.7
            continue
        resid = curves[0] - obs
        jac = np.stack([(curves[1] - curves[0]) / STEP_H_KM,
                        (curves[2] - curves[0]) / STEP_LN_BC], axis=1)
        step = np.linalg.lstsq(jac * root_w[:, None], -resid * root_w, rcond=None)[0]
        step[1] = np.clip(step[1], -1.0, 1.0)  # ln B moves at most a factor e per iteration
        previous = params.copy()
        params = params + step
        params[1] = np.clip(params[1], *np.log(BC_LIMITS))
        if abs(step[1]) < 1e-5 and abs(step[0]) < 1e-4:
            break
    curve = model_altitudes(field, days[0], days, params[:1], ecc, inc_rad,
                            np.exp(params[1:]))[0]
    if not np.all(np.isfinite(curve)):
        raise FitError(f"segment from {iso_utc(days[0])[:10]}: the model reenters before its "
                       "end")
    at_limit = [b for b in BC_LIMITS if abs(params[1] - math.log(b)) < 1e-9]
    if at_limit:
        # the least squares ran into a physical bound: no B makes drag alone draw this curve
        raise FitError(f"segment from {iso_utc(days[0])[:10]}: B ran to its limit of "
                       f"{at_limit[0]:g} kg/m2; these altitudes do not fall the way drag "
                       "alone would make them")
    resid = curve - obs
    dof = max(days.size - 2, 1)
    wjac = jac * root_w[:, None]
    wres = resid * root_w
    cov = np.linalg.pinv(wjac.T @ wjac) * float(wres @ wres) / dof
    return SegmentFit(float(days[0]), float(days[-1]), int(days.size),
                      float(obs[0] - obs[-1]), float(math.exp(params[1])),
                      float(math.sqrt(max(cov[1, 1], 0.0))), float(params[0]),
                      float(np.sqrt(np.mean(resid**2))), curve)
