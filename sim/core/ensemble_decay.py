"""Natural decay of many samples at once: the sample axis of the mean-element propagator.

Each sample has its own initial (a, e), ballistic coefficient, density scale factor and flux
realisation (amplitude, timing shift, row of a residual bank; ``solar_realisations``). The
kernel runs the samples in parallel (``numba.prange``), each one day at a time: the day's
flux (previous day's F10.7, the 81-day centred mean of the sample's own realised flux kept as
a running window, Ap, day of year) is folded into the NRLMSIS orbit-mean table once, leaving
a profile in altitude that the Runge-Kutta stages read by linear interpolation in ln rho.
Memory is the inputs, four numbers a sample, and an optional float32 daily altitude history.

Differences from ``decay.propagate_decay`` (the single-run kernel, tested against it): the
flux is constant over each UTC day instead of linear between days, and only a, e are carried
(drag changes neither the inclination nor, in the mean, the node or perigee that it depends
on). The quadrature follows ``quadrature.level_for``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np
from numba import prange

from .constants import DAY, MU_EARTH, OMEGA_EARTH, R_EARTH
from .decay import REACHED_END, STOP_PERIGEE
from .msis_table import YEAR_DAYS, MsisTable, _bracket
from .quadrature import NODE_COUNTS, NODES_W, NODES_X, level_for

NODES_COS = np.cos(np.pi * (NODES_X + 1.0))
from .solar_realisations import F107_MIN_PHYSICAL, WINDOW, ResidualBank
from .space_weather import OBSERVED, DailyWeather

HALF = WINDOW // 2
RING = 128  # a power of two above WINDOW + 1: the ring index is a bit mask
MASK = RING - 1


@dataclass(frozen=True)
class FluxInputs:
    """The nominal daily flux the realisations perturb, and the residual bank.

    Arrays are indexed from ``first_day`` (days since 1970); they must reach 40 + |shift|
    days beyond the propagated span at both ends.
    """

    first_day: int
    f107: np.ndarray  # nominal daily F10.7 (sfu)
    ap: np.ndarray  # nominal daily Ap
    observed: np.ndarray  # uint8, 1 where the day is observed (never perturbed)
    floor: float  # quiet-Sun floor of the amplitude scale (sfu)
    bank_f107: np.ndarray  # (n_bank, n) multipliers exp(r) from first_day (n_bank may be 0)
    bank_ap: np.ndarray  # (n_bank, n) multipliers of Ap + 1


@dataclass(frozen=True)
class SampleInputs:
    """Per-sample draws; all arrays of length n."""

    a_m: np.ndarray
    e: np.ndarray
    inclination: np.ndarray  # rad
    ballistic: np.ndarray  # kg/m^2
    ln_density_scale: np.ndarray
    flux_scale: np.ndarray
    shift_days: np.ndarray  # int64
    bank_index: np.ndarray  # int64, -1: no day-to-day residual


@dataclass(frozen=True)
class EnsembleDecay:
    t_stop: np.ndarray  # (n,) days from the flux's first_day
    status: np.ndarray  # (n,) decay.STOP_PERIGEE or REACHED_END
    a_m: np.ndarray  # (n,) at t_stop
    e: np.ndarray
    history_km: np.ndarray | None  # (n, n_days) float32 mean altitude at 00:00 UTC of each
    # day from the start day on (0 after reentry), or None


@numba.njit(cache=True)
def _f107_at(m, k, flux_scale, shift_days, bank_index, f107, observed, floor, bank_f):
    """Realised F10.7 of sample k at index m of the flux arrays."""
    if observed[m]:
        return f107[m]
    f = max(floor + flux_scale[k] * (f107[m - shift_days[k]] - floor), F107_MIN_PHYSICAL)
    b = bank_index[k]
    return f * bank_f[b, m] if b >= 0 else f


@numba.njit(cache=True)
def _ap_at(m, k, shift_days, bank_index, ap, observed, bank_ap):
    """Realised Ap of sample k at index m of the flux arrays."""
    if observed[m]:
        return ap[m]
    a = ap[m - shift_days[k]]
    b = bank_index[k]
    return (a + 1.0) * bank_ap[b, m] - 1.0 if b >= 0 else a


@numba.njit(cache=True)
def _profile_node(ih, log_rho, seasonal, i_f, wf, ifa, wfa, iap, wap, i_d, wd):
    """ln rho at altitude node ih for the day's (F10.7, F10.7a, Ap, day of year) weights;
    ``i_d`` and the next seasonal node (wrapping round the year) carry weights 1 - wd, wd."""
    i_d1 = i_d + 1 if i_d + 1 < seasonal.shape[2] else 0
    total = 0.0
    for c in range(2):
        wc = wfa if c else 1.0 - wfa
        total += wc * ((1.0 - wd) * seasonal[ih, ifa + c, i_d]
                       + wd * seasonal[ih, ifa + c, i_d1])
        for b in range(2):
            wb = wc * (wf if b else 1.0 - wf)
            total += wb * ((1.0 - wap) * log_rho[ih, i_f + b, ifa + c, iap]
                           + wap * log_rho[ih, i_f + b, ifa + c, iap + 1])
    return total


@numba.njit(cache=True)
def _rates(a, e, cos_inc, bc, corotate, level, day, prof, stamp, tab, w, out):
    """da/dt, de/dt (per second) on the day's ln-rho profile; the profile's altitude nodes
    are folded from the table when first needed that day (``stamp`` holds the day each
    node of ``prof`` was computed for)."""
    log_rho, seasonal, alt_km = tab[0], tab[1], tab[2]
    i_f, wf, ifa, wfa, iap, wap, i_d, wd, ln_scale = w
    n_alt = alt_km.size
    da = 0.0
    de = 0.0
    h_ang = math.sqrt(MU_EARTH * a * (1.0 - e * e))
    for k in range(NODE_COUNTS[level]):
        cos_e = NODES_COS[level, k]
        one_m = 1.0 - e * cos_e
        r = a * one_m
        v2 = MU_EARTH * (2.0 / r - 1.0 / a)
        v = math.sqrt(v2)
        h = (r - R_EARTH) / 1000.0
        if h <= alt_km[0]:
            ih, wh = 0, 0.0
        else:
            ih = min(np.searchsorted(alt_km, h) - 1, n_alt - 2)
            wh = (h - alt_km[ih]) / (alt_km[ih + 1] - alt_km[ih])
        for node in range(ih, ih + 2):
            if stamp[node] != day:
                prof[node] = _profile_node(node, log_rho, seasonal, i_f, wf, ifa, wfa, iap,
                                           wap, i_d, wd) + ln_scale
                stamp[node] = day
        slope = (prof[ih + 1] - prof[ih]) / (alt_km[ih + 1] - alt_km[ih])
        rho = math.exp(prof[ih] + wh * slope * (alt_km[ih + 1] - alt_km[ih]))
        factor = (1.0 - OMEGA_EARTH * h_ang * cos_inc / v2) ** 2 if corotate else 1.0
        f_t = -0.5 * rho * factor * v2 / bc
        weight = 0.5 * NODES_W[level, k] * one_m
        da += weight * 2.0 * a * a * v * f_t / MU_EARTH
        de += weight * 2.0 * (e + (cos_e - e) / one_m) * f_t / v
    out[0] = da
    out[1] = de if e > 0.0 else 0.0
    out[2] = slope / 1000.0  # d ln rho / d a (1/m) at the last node: for the circular step


@numba.njit(cache=True)
def _one(k, s, flux_first, f107, ap, observed, floor, bank_f, bank_ap, tab, t0, t_end,
         stop_perigee_m, corotate, max_da_m, history, t_stop, status, a_out, e_out):
    log_rho, seasonal, alt_km, f_nodes, fa_nodes, ap_nodes = tab
    a_m, e_arr, inc_arr, bc_arr, ln_scale, fscale, shifts, banks = s
    n_alt = alt_km.size
    prof = np.empty(n_alt)
    stamp = np.full(n_alt, -(1 << 40), dtype=np.int64)
    k1 = np.empty(3)
    k2 = np.empty(3)
    a, e, cos_inc, bc = a_m[k], e_arr[k], math.cos(inc_arr[k]), bc_arr[k]
    day0 = int(math.floor(t0))
    # the realised flux of the last 82 days in a ring, and the sum of the 81 centred on
    # the current day: one new day's flux a step
    ring = np.empty(RING)
    window = 0.0
    for m in range(day0 - HALF - 1, day0 + HALF + 1):
        ring[m & MASK] = _f107_at(m, k, fscale, shifts, banks, f107, observed, floor, bank_f)
        if m >= day0 - HALF:
            window += ring[m & MASK]
    t = t0
    day = day0
    n_hist = history.shape[1]
    while True:
        if day - day0 < n_hist:
            history[k, day - day0] = (a - R_EARTH) / 1000.0
        ap_day = _ap_at(day, k, shifts, banks, ap, observed, bank_ap)
        i_f, wf = _bracket(f_nodes, ring[(day - 1) & MASK])
        ifa, wfa = _bracket(fa_nodes, window / WINDOW)
        iap, wap = _bracket(ap_nodes, ap_day)
        pos = ((flux_first + day) % YEAR_DAYS) / YEAR_DAYS * seasonal.shape[2] - 0.5
        i_d = int(math.floor(pos))
        w = (i_f, wf, ifa, wfa, iap, wap, i_d % seasonal.shape[2], pos - i_d, ln_scale[k])
        day_end = min(day + 1.0, t_end)
        while t < day_end - 1e-9:
            level = level_for(a, e)
            _rates(a, e, cos_inc, bc, corotate, level, day, prof, stamp, tab, w, k1)
            dt = day_end - t
            if k1[0] != 0.0:
                dt = min(dt, max_da_m / abs(k1[0]) / DAY)
            dt = max(dt, 1e-6)
            dts = dt * DAY
            if e == 0.0:
                # circular: da/dt = r0 exp(g (a - a0)) over the step (ln rho linear in
                # altitude, the other factors vary by ~1e-5), integrated exactly
                growth = k1[2] * k1[0] * dts
                da = -math.log1p(-growth) / k1[2] if abs(growth) > 1e-12 else k1[0] * dts
                a_new, e_new = a + da, 0.0
            else:  # midpoint rule
                _rates(a + 0.5 * dts * k1[0], max(e + 0.5 * dts * k1[1], 0.0), cos_inc, bc,
                       corotate, level, day, prof, stamp, tab, w, k2)
                a_new = a + dts * k2[0]
                e_new = max(e + dts * k2[1], 0.0)
            hp_old = a * (1.0 - e) - R_EARTH
            hp_new = a_new * (1.0 - e_new) - R_EARTH
            if not (hp_new >= stop_perigee_m):
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
        new = _f107_at(day + HALF + 1, k, fscale, shifts, banks, f107, observed, floor, bank_f)
        window += new - ring[(day - HALF) & MASK]
        ring[(day + HALF + 1) & MASK] = new
        day += 1
    t_stop[k] = t_end
    a_out[k] = a
    e_out[k] = e
    status[k] = REACHED_END


@numba.njit(parallel=True, cache=True)
def _advance(s, flux_first, f107, ap, observed, floor, bank_f, bank_ap, tab, t0, t_end,
             stop_perigee_m, corotate, max_da_m, history, t_stop, status, a_out, e_out):
    for k in prange(s[0].size):
        _one(k, s, flux_first, f107, ap, observed, floor, bank_f, bank_ap, tab, t0, t_end,
             stop_perigee_m, corotate, max_da_m, history, t_stop, status, a_out, e_out)


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
    n_days = int(math.ceil(t_end) - math.floor(t0)) + 1
    hist = np.zeros((n, n_days) if history else (n, 0), dtype=np.float32)
    t_stop, a_out, e_out = np.empty(n), np.empty(n), np.empty(n)
    status = np.empty(n, dtype=np.int64)
    s = (np.ascontiguousarray(samples.a_m, dtype=float), np.ascontiguousarray(samples.e, float),
         np.ascontiguousarray(samples.inclination, float),
         np.ascontiguousarray(samples.ballistic, float),
         np.ascontiguousarray(samples.ln_density_scale, float),
         np.ascontiguousarray(samples.flux_scale, float),
         np.ascontiguousarray(samples.shift_days, np.int64),
         np.ascontiguousarray(samples.bank_index, np.int64))
    tab = (table.log_rho, table.seasonal, table.alt_km, table.f107, table.f107a, table.ap)
    if flux.bank_f107.shape[0] == 0 and np.any(samples.bank_index >= 0):
        raise ValueError("samples index a residual bank but none was given")
    bank_f = flux.bank_f107 if flux.bank_f107.size else np.ones((1, 1))
    bank_ap = flux.bank_ap if flux.bank_ap.size else np.ones((1, 1))
    _advance(s, float(first), flux.f107, flux.ap, flux.observed.astype(np.uint8), flux.floor,
             bank_f, bank_ap, tab, t0, t_end, stop_perigee_m, corotate, max_da_m, hist, t_stop,
             status, a_out, e_out)
    return EnsembleDecay(t_stop + first, status, a_out, e_out, hist if history else None)


def flux_inputs(base: DailyWeather, floor: float, bank: ResidualBank | None) -> FluxInputs:
    """Kernel inputs from a nominal daily weather (with margins) and a residual bank (whose
    rows start on the same day and are at least as long)."""
    n = base.f107.size
    if bank is not None:
        if bank.first_day != base.first_day or bank.ln_f107.shape[1] < n:
            raise ValueError("the residual bank must start with the weather and cover it")
        bank_f, bank_ap = np.exp(bank.ln_f107[:, :n]), np.exp(bank.ln_ap[:, :n])
    else:
        bank_f = bank_ap = np.ones((0, n))
    return FluxInputs(base.first_day, np.ascontiguousarray(base.f107, dtype=float),
                      np.ascontiguousarray(base.ap, dtype=float),
                      (base.source == OBSERVED).astype(np.uint8), floor,
                      np.ascontiguousarray(bank_f), np.ascontiguousarray(bank_ap))
