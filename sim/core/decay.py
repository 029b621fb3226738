"""Long-term propagation of mean elements (RK4, adaptive step) with stop events.

Each sample advances on its own steps: at most to the next whole day (daily dense output, and
the density field changes daily) and at most ``max_da_m`` of semi-major axis (so the last,
fast part of a decay is resolved). A sample stops when its perigee altitude falls to
``stop_perigee_m`` (reentry) or its mean altitude to ``stop_mean_m`` (an operations trigger);
the masks are written as ``not (h >= stop)`` so a NaN also stops it. The rates are
``mean_elements.averaged_rates``: the one orbit-average rule (trapezoidal in eccentric anomaly)
that the ensemble kernel also uses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np

from .constants import DAY, R_EARTH
from .density_field import DensityField
from .mean_elements import A, ARGLAT, E, N_STATE, averaged_rates

RUNNING, REACHED_END, STOP_PERIGEE, STOP_MEAN = 0, 1, 2, 3
STATUS_NAMES = ("running", "reached_end", "stop_perigee", "stop_mean_altitude")


@dataclass(frozen=True)
class DecayRun:
    """Outputs on a common time grid; rows after a sample stops are NaN."""

    t_days: np.ndarray  # (n_rows,) days from the field's first day: start, whole days, end
    states: np.ndarray  # (n_samples, n_rows, 6): a (m), e, i, raan, argp, u (rad)
    t_stop: np.ndarray  # (n_samples,) days, time the sample stopped (t_end if it did not)
    final: np.ndarray  # (n_samples, 6) state at t_stop
    status: np.ndarray  # (n_samples,) REACHED_END, STOP_PERIGEE or STOP_MEAN


@numba.njit(cache=True)
def _rk4(state, bc, t_day, dt_s, log_rho, alt_m, corotate, scale, scratch):
    """One RK4 step. The stages live in ``scratch`` (5 x N_STATE) rather than in array
    expressions (each of which allocates); the arithmetic is the same term by term."""
    k1, k2, k3, k4, stage = scratch[0], scratch[1], scratch[2], scratch[3], scratch[4]
    dt_d = dt_s / DAY
    half = 0.5 * dt_s
    averaged_rates(state, bc, t_day, log_rho, alt_m, corotate, scale, k1)
    for i in range(N_STATE):
        stage[i] = state[i] + half * k1[i]
    averaged_rates(stage, bc, t_day + 0.5 * dt_d, log_rho, alt_m, corotate, scale, k2)
    for i in range(N_STATE):
        stage[i] = state[i] + half * k2[i]
    averaged_rates(stage, bc, t_day + 0.5 * dt_d, log_rho, alt_m, corotate, scale, k3)
    for i in range(N_STATE):
        stage[i] = state[i] + dt_s * k3[i]
    averaged_rates(stage, bc, t_day + dt_d, log_rho, alt_m, corotate, scale, k4)
    sixth = dt_s / 6.0
    new = np.empty(N_STATE)
    for i in range(N_STATE):
        new[i] = state[i] + sixth * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i])
    new[E] = max(new[E], 0.0)
    new[ARGLAT] = new[ARGLAT] % (2.0 * math.pi)  # keeps full precision over years of revs
    return new, abs(k1[A])


@numba.njit(cache=True)
def _crossing(h_prev, h_new, stop):
    """Fraction of the step at which h reaches stop (1 if h is NaN)."""
    if not (h_new == h_new) or h_prev == h_new:
        return 1.0
    return min(max((h_prev - stop) / (h_prev - h_new), 0.0), 1.0)


@numba.njit(cache=True)
def _propagate_one(state0, bc, t0, t_end, log_rho, alt_m, corotate, scale, stop_perigee_m,
                   stop_mean_m, max_da_m, row_t, out_states, final):
    state = state0.copy()
    t = t0
    out_states[0] = state
    row = 1
    first_rates = np.empty(N_STATE)
    scratch = np.empty((5, N_STATE))
    averaged_rates(state, bc, t, log_rho, alt_m, corotate, scale, first_rates)
    rate = abs(first_rates[A])
    while t < t_end:
        t_next = min(math.floor(t + 1e-9) + 1.0, t_end)
        dt_d = t_next - t
        if rate > 0.0:
            dt_d = min(dt_d, max_da_m / rate / DAY)
        dt_d = max(dt_d, 1e-6)
        new, rate = _rk4(state, bc, t, dt_d * DAY, log_rho, alt_m, corotate, scale, scratch)
        hp_old = state[A] * (1.0 - state[E]) - R_EARTH
        hp_new = new[A] * (1.0 - new[E]) - R_EARTH
        hm_old = state[A] - R_EARTH
        hm_new = new[A] - R_EARTH
        stop_p = not (hp_new >= stop_perigee_m)
        stop_m = not (hm_new >= stop_mean_m)
        if stop_p or stop_m:
            frac_p = _crossing(hp_old, hp_new, stop_perigee_m) if stop_p else 2.0
            frac_m = _crossing(hm_old, hm_new, stop_mean_m) if stop_m else 2.0
            frac = min(frac_p, frac_m)
            final[:] = state + frac * (new - state)
            final[ARGLAT] = (state[ARGLAT] + frac * _wrapped_step(state[ARGLAT], new[ARGLAT])) \
                % (2.0 * math.pi)
            t_stop = t + frac * dt_d
            for r in range(row, row_t.size):
                if row_t[r] <= t_stop:
                    out_states[r] = final
            return t_stop, STOP_PERIGEE if frac_p <= frac_m else STOP_MEAN
        state = new
        t = t + dt_d
        while row < row_t.size and row_t[row] <= t + 1e-9:
            out_states[row] = state
            row += 1
    final[:] = state
    return t_end, REACHED_END


@numba.njit(cache=True)
def _wrapped_step(u_old, u_new):
    """u_new - u_old taken forward through the 2 pi wrap (steps are under a day: the station
    turns ~16 times, but only the fractional turn is needed to interpolate the phase)."""
    return (u_new - u_old) % (2.0 * math.pi)


@numba.njit(cache=True)
def output_times(t0, t_end):
    """The start, every whole day after it, and the end."""
    if t_end <= t0:
        return np.array([t0])
    first, last = math.floor(t0) + 1.0, math.ceil(t_end)
    n_whole = 0
    day = first
    while day < last and day < t_end:
        n_whole += 1
        day += 1.0
    out = np.empty(n_whole + 2)
    out[0] = t0
    for k in range(n_whole):
        out[k + 1] = first + k
    out[n_whole + 1] = t_end
    return out


@numba.njit(cache=True)
def _propagate_all(states0, bcs, t0, t_end, log_rho, alt_m, corotate, scale, stop_perigee_m,
                   stop_mean_m, max_da_m):
    """Every sample, one after another, on the common output grid (one call from Python:
    a 60-day segment of the campaign costs tens of microseconds, so the call itself counts)."""
    n = states0.shape[0]
    row_t = output_times(t0, t_end)
    states = np.full((n, row_t.size, N_STATE), np.nan)
    final = np.empty((n, N_STATE))
    t_stop = np.empty(n)
    status = np.empty(n, dtype=np.int64)
    for k in range(n):
        t_stop[k], status[k] = _propagate_one(
            states0[k], bcs[k], t0, t_end, log_rho, alt_m, corotate, scale, stop_perigee_m,
            stop_mean_m, max_da_m, row_t, states[k], final[k])
    return row_t, states, t_stop, final, status


def with_phase(states: np.ndarray) -> np.ndarray:
    """States with the mean argument of latitude: 5-column states get u = 0."""
    if states.shape[-1] == N_STATE:
        return states
    pad = np.zeros(states.shape[:-1] + (N_STATE - states.shape[-1],))
    return np.concatenate([states, pad], axis=-1)


def propagate_decay(states0, bc, field: DensityField, t0: float, t_end: float, *,
                    corotate: bool = True, stop_perigee_m: float = 120e3,
                    stop_mean_m: float = 0.0, max_da_m: float = 500.0,
                    density_scale: float = 1.0) -> DecayRun:
    """Propagate mean-element states from ``t0`` to ``t_end`` (days).

    ``states0``: (n, 6) or (6,) array of a (m), e, i, raan, argp, u (rad) — a 5-element state
    starts at u = 0; ``bc``: ballistic coefficient(s) m / (C_D A), kg/m^2; ``density_scale``
    multiplies the field's density. Times are days from ``field.first_day``. Samples run one
    after another here; ``ensemble_decay`` carries large ensembles on a sample axis.
    """
    states0 = with_phase(np.atleast_2d(np.asarray(states0, dtype=float)))
    n = states0.shape[0]
    bcs = np.full(n, float(bc)) if np.ndim(bc) == 0 else np.asarray(bc, dtype=float)
    if not np.all(bcs > 0):
        raise ValueError("ballistic coefficient must be positive")
    row_t, states, t_stop, final, status = _propagate_all(
        np.ascontiguousarray(states0), bcs, float(t0), float(t_end), field.log_rho, field.alt_m,
        bool(corotate), float(density_scale), float(stop_perigee_m), float(stop_mean_m),
        float(max_da_m))
    return DecayRun(t_days=row_t, states=states, t_stop=t_stop, final=final, status=status)
