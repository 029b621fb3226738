"""Natural decay of many samples at once: the sample axis of the mean-element propagator.

Each sample has its own initial (a, e), ballistic coefficient, density scale factor and flux
realisation (amplitude, timing shift, row of a residual bank; ``solar_realisations``); the
inputs and outputs are in ``ensemble_inputs``. The kernel runs the samples in parallel
(``numba.prange``), each one day at a time: the day's flux (previous day's F10.7, the 81-day
centred mean of the sample's own realised flux kept as a running window, Ap, day of year) is
folded into the NRLMSIS orbit-mean table at the altitude nodes the orbit touches, and the
steps read ln rho there by linear interpolation.

A sample-day is kept to a few dozen operations: the smooth F10.7a bracket is walked on from
the previous day's, the F10.7 and Ap brackets (which jump across nodes from day to day) are
found without branches, with precomputed inverse node spacings (``ensemble_table``); the
day-of-year weights are shared by all samples, the two altitude nodes around a circular orbit
are folded together from raveled tables, and a circular orbit takes one exact step a day while
it loses under ``max_da_m``. One sample's steps are a chain of dependent operations (ln rho,
exp, the rate, the step), and that chain sets the cost: nothing else (the division of a
shortened step) is let onto it. Memory is the inputs, four numbers a sample, and an optional
float32 daily altitude history.

The orbit average is the single run's (``mean_elements``): the trapezoidal rule in eccentric
anomaly with ``quadrature_nodes`` and ``node_rates`` at each node; on a circular orbit the
nodes coincide and the average is the closed form da/dt = -sqrt(mu a) rho F / B (F the
co-rotation factor, tested equal to ``node_rates``). Differences from
``decay.propagate_decay`` (tested against it): the flux is constant over each UTC day instead
of linear between days, only a, e are carried (drag changes neither the inclination nor, in
the mean, the node or perigee that it depends on), and a circular step is integrated exactly
for ln rho linear in altitude, an eccentric one by the midpoint rule.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numba import prange

from .constants import DAY, MU_EARTH, OMEGA_EARTH, R_EARTH
from .decay import REACHED_END, STOP_PERIGEE
from .ensemble_inputs import (HALF, EnsembleDecay, FluxInputs, SampleInputs, ap_at, f107_at,
                              flux_inputs, uint)
from .ensemble_table import (altitude_walk, branchless_bracket, flat_table, fold_pair,
                             inverse_gaps, season_weights, walk)
from .mean_elements import node_rates, quadrature_nodes, wind_term
from .msis_table import MsisTable
from .solar_realisations import WINDOW

__all__ = ["EnsembleDecay", "FluxInputs", "SampleInputs", "advance_ensemble", "circular_rate",
           "flux_inputs"]

RING = 128  # a power of two above WINDOW + 1: the ring index is a bit mask
MASK = RING - 1
SERIES_LIMIT = 0.01  # |x| below which -log1p(-x)/x takes its series (error < x^4/5 < 2e-9)


@numba.njit(cache=True, inline="always")
def _log_step(rate_dt, g):
    """Change of a over a step with da/dt = r0 exp(g (a - a0)) (``rate_dt`` = r0 dt, m):
    -log1p(-g r0 dt) / g, by its series where g r0 dt is small."""
    x = g * rate_dt
    if abs(x) < SERIES_LIMIT:
        return rate_dt * (1.0 + x * (0.5 + x * (1.0 / 3.0 + x * 0.25)))
    return -math.log1p(-x) / g


@numba.njit(cache=True)
def circular_rate(a, rho, wind_coeff, inv_bc):
    """da/dt (m/s) on a circular orbit, ``node_rates`` at e = 0 in closed form:
    -sqrt(mu a) rho F / B, with the co-rotation factor F = (1 - omega_E h cos i / v^2)^2 =
    (1 - c a sqrt(mu a))^2, ``wind_coeff`` c = omega_E cos i / mu (0 without co-rotation)."""
    root = math.sqrt(MU_EARTH * a)
    factor = 1.0 - wind_coeff * a * root
    return -root * rho * factor * factor * inv_bc


@numba.njit(cache=True, inline="always")
def _eccentric_rates(a, e, bc, wind, tab, gaps, w, ln_scale):
    """(da/dt, de/dt) by the trapezoidal average (``quadrature_nodes`` nodes)."""
    flat, alt_km = tab, tab[3]
    n_nodes = quadrature_nodes(a, e)
    da = 0.0
    de = 0.0
    for k in range(n_nodes):
        cos_e = math.cos(2.0 * math.pi * k / n_nodes)
        h = (a * (1.0 - e * cos_e) - R_EARTH) / 1000.0
        ih, wh = altitude_walk(alt_km, gaps[0], h, min(np.searchsorted(alt_km, h),
                                                  alt_km.size - 2))
        lo, hi = fold_pair(ih, flat, w)
        rho = math.exp(lo + ln_scale + wh * (hi - lo))
        da_k, de_k = node_rates(a, e, cos_e, wind, rho, bc, n_nodes)
        da += da_k
        de += de_k
    return da, de


@numba.njit(cache=True, inline="always")
def _eccentric_step(a, e, dt_max, bc, cos_inc, corotate, tab, gaps, w, ln_scale, max_da_m):
    """One midpoint-rule step of (a, e): (new a, new e, step in days)."""
    wind = wind_term(a, e, cos_inc) if corotate else 0.0
    da1, de1 = _eccentric_rates(a, e, bc, wind, tab, gaps, w, ln_scale)
    dt = min(dt_max, max_da_m / abs(da1) / DAY) if da1 != 0.0 else dt_max
    dt = max(dt, 1e-6)
    dts = dt * DAY
    a_mid, e_mid = a + 0.5 * dts * da1, max(e + 0.5 * dts * de1, 0.0)
    wind = wind_term(a_mid, e_mid, cos_inc) if corotate else 0.0
    da2, de2 = _eccentric_rates(a_mid, e_mid, bc, wind, tab, gaps, w, ln_scale)
    return a + dts * da2, max(e + dts * de2, 0.0), dt


@numba.njit(cache=True)
def _one(k, s, flux, tab, gaps, doy_i, doy_w, t0, t_end, stop_perigee_m, corotate, max_da_m,
         history, t_stop, status, a_out, e_out):
    f107, ap, observed, floor, bank_f, bank_ap = flux
    alt_km, f_nodes, fa_nodes, ap_nodes = tab[3], tab[4], tab[5], tab[6]
    flat = tab
    inv_alt, inv_f, inv_fa, inv_ap = gaps
    a, e, cos_inc, bc = s[0][k], s[1][k], math.cos(s[2][k]), s[3][k]
    ln_scale, scale, shift, row = s[4][k], s[5][k], s[6][k], s[7][k]
    inv_bc = 1.0 / bc
    wind_coeff = OMEGA_EARTH * cos_inc / MU_EARTH if corotate else 0.0
    n_doy = np.int64(flat[2][4])
    max_da_days = max_da_m / DAY
    day0 = int(math.floor(t0))
    # the realised flux of the last 82 days in a ring, and the sum of the 81 centred on
    # the current day: one new day's flux a day
    ring = np.empty(RING)
    window = 0.0
    for m in range(day0 - HALF - 1, day0 + HALF + 1):
        ring[uint(m & MASK)] = f107_at(m, scale, shift, row, f107, observed, floor, bank_f)
        if m >= day0 - HALF:
            window += ring[uint(m & MASK)]
    i_f = ifa = iap = ih = 0
    t = t0
    day = day0
    n_hist = history.shape[1]
    while True:
        if day - day0 < n_hist:
            history[uint(k), uint(day - day0)] = (a - R_EARTH) / 1000.0
        i_f, wf = branchless_bracket(f_nodes, inv_f, ring[uint((day - 1) & MASK)])
        ifa, wfa = walk(fa_nodes, inv_fa, window * (1.0 / WINDOW), ifa)
        iap, wap = branchless_bracket(ap_nodes, inv_ap,
                                      ap_at(day, shift, row, ap, observed, bank_ap))
        i_d = doy_i[uint(day)]
        w = (i_f, wf, ifa, wfa, iap, wap, i_d, i_d + 1 if i_d + 1 < n_doy else 0,
             doy_w[uint(day)])
        folded = -1  # the altitude node lo, hi were folded at today
        lo = hi = 0.0
        day_end = min(day + 1.0, t_end)
        while t < day_end - 1e-9:
            dt_max = day_end - t
            if e == 0.0:
                ih, wh = altitude_walk(alt_km, inv_alt, (a - R_EARTH) * 1e-3, ih)
                if ih != folded:
                    lo, hi = fold_pair(ih, flat, w)
                    lo += ln_scale
                    hi += ln_scale
                    folded = ih
                rate = circular_rate(a, math.exp(lo + wh * (hi - lo)), wind_coeff, inv_bc)
                g = (hi - lo) * inv_alt[uint(ih)] * 1e-3  # d ln rho / da, 1/m
                # at most max_da_m of a a step. Two whole branches, not one dt chosen
                # between them: the compiler turns a choice of value into a select, which
                # puts the division on every step's chain of dependent operations
                if abs(rate) * dt_max <= max_da_days:
                    dt = dt_max
                    a_new, e_new = a + _log_step(rate * dt * DAY, g), 0.0
                else:
                    dt = max(max_da_days / abs(rate), 1e-6)
                    a_new, e_new = a + _log_step(rate * dt * DAY, g), 0.0
            else:
                a_new, e_new, dt = _eccentric_step(a, e, dt_max, bc, cos_inc, corotate, tab,
                                                   gaps, w, ln_scale, max_da_m)
            hp_new = a_new * (1.0 - e_new) - R_EARTH
            if not (hp_new >= stop_perigee_m):
                hp_old = a * (1.0 - e) - R_EARTH
                frac = 1.0
                if hp_new == hp_new and hp_old != hp_new:
                    frac = min(max((hp_old - stop_perigee_m) / (hp_old - hp_new), 0.0), 1.0)
                t_stop[k] = t + frac * dt
                a_out[k] = a + frac * (a_new - a)
                e_out[k] = e + frac * (e_new - e)
                status[k] = STOP_PERIGEE
                return
            a, e, t = a_new, e_new, t + dt
        if t >= t_end - 1e-9:
            break
        # slide the window one day on
        new = f107_at(day + HALF + 1, scale, shift, row, f107, observed, floor, bank_f)
        window += new - ring[uint((day - HALF) & MASK)]
        ring[uint((day + HALF + 1) & MASK)] = new
        day += 1
    t_stop[k] = t_end
    a_out[k] = a
    e_out[k] = e
    status[k] = REACHED_END


@numba.njit(parallel=True, cache=True)
def _advance(s, flux, tab, gaps, doy_i, doy_w, t0, t_end, stop_perigee_m, corotate, max_da_m,
             history, t_stop, status, a_out, e_out):
    for k in prange(s[0].size):
        _one(k, s, flux, tab, gaps, doy_i, doy_w, t0, t_end, stop_perigee_m, corotate,
             max_da_m, history, t_stop, status, a_out, e_out)


def advance_ensemble(samples: SampleInputs, flux: FluxInputs, table: MsisTable,
                     t0_day: float, t_end_day: float, *, stop_perigee_m: float = 120e3,
                     corotate: bool = True, max_da_m: float = 500.0,
                     history: bool = True) -> EnsembleDecay:
    """Propagate every sample from ``t0_day`` to a perigee of ``stop_perigee_m`` or
    ``t_end_day`` (absolute days since 1970; the result's ``t_stop`` is absolute too).

    ``history``: keep the daily mean altitude as float32 (n x days, 4 bytes a sample-day).
    """
    n = samples.a_m.size
    if not np.all(samples.ballistic > 0):
        raise ValueError("ballistic coefficient must be positive")
    first = flux.first_day
    t0, t_end = t0_day - first, t_end_day - first
    reach = int(np.abs(samples.shift_days).max(initial=0)) + HALF + 2
    if math.floor(t0) - reach < 0 or math.ceil(t_end) + reach >= flux.f107.size:
        raise ValueError("the flux arrays do not cover the span, the 81-day window and shifts")
    if flux.bank_f107.shape[0] == 0 and np.any(samples.bank_index >= 0):
        raise ValueError("samples index a residual bank but none was given")
    n_days = int(math.ceil(t_end) - math.floor(t0)) + 1
    hist = np.zeros((n, n_days) if history else (n, 0), dtype=np.float32)
    t_stop, a_out, e_out = np.empty(n), np.empty(n), np.empty(n)
    status = np.empty(n, dtype=np.int64)
    s = tuple(np.ascontiguousarray(x, dtype=float) for x in (
        samples.a_m, samples.e, samples.inclination, samples.ballistic,
        samples.ln_density_scale, samples.flux_scale)) + tuple(
        np.ascontiguousarray(x, dtype=np.int64) for x in (samples.shift_days, samples.bank_index))
    bank_f = flux.bank_f107 if flux.bank_f107.size else np.ones((1, 1))
    bank_ap = flux.bank_ap if flux.bank_ap.size else np.ones((1, 1))
    fl = (flux.f107, flux.ap, flux.observed.astype(np.uint8), float(flux.floor), bank_f, bank_ap)
    tab = flat_table(table) + (table.alt_km, table.f107, table.f107a, table.ap)
    gaps = tuple(inverse_gaps(x) for x in (table.alt_km, table.f107, table.f107a, table.ap))
    doy_i, doy_w = season_weights(first, flux.f107.size, table.seasonal.shape[2])
    _advance(s, fl, tab, gaps, doy_i, doy_w, t0, t_end, stop_perigee_m, corotate, max_da_m,
             hist, t_stop, status, a_out, e_out)
    return EnsembleDecay(t_stop + first, status, a_out, e_out, hist if history else None)
