"""Random realisations of the future solar flux around a scenario's nominal forecast.

A realisation changes only predicted days (observed days stay observed):

    F10.7(d) = max(floor + s (F_nom(d - shift) - floor), 50) * exp(r_F(d))
    Ap(d)    = (Ap_nom(d - shift) + 1) * exp(r_Ap(d)) - 1

with ``s`` the cycle's amplitude above the quiet-Sun floor, ``shift`` its timing (days) and
r_F, r_Ap day-to-day residuals: AR(1) series fitted to observed ln F10.7 and ln(Ap + 1) about
their 81-day centred means, taken from a small seeded bank so that an ensemble stores an
index, not a series. The residuals are shifted by -sigma^2/2 so they keep the mean flux.
The 81-day F10.7a of a realisation is the centred mean of its own daily flux.

The spreads are measured on CelesTrak's history: ``measure_cycle_spread`` (amplitude and
timing, cycles 19-25) and ``fit_ar1`` (day-to-day).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .space_weather import OBSERVED, DailyWeather, FluxRecord, centred_mean

SMOOTH_DAYS = 395  # ~13 months: the usual smoothing for solar-cycle extrema
MIN_CYCLE_SEPARATION = 7 * 365  # days between two maxima (or minima) of different cycles
# Cycle numbering (SIDC/NOAA convention): cycle 19 peaked in 1958 and cycles last ~11 years.
CYCLE_19_MAXIMUM_DAY = -4300  # 1958-03-25, days since 1970
MEAN_CYCLE_DAYS = 4018
F107_MIN_PHYSICAL = 50.0  # sfu; below anything observed and outside MSIS's fit
WINDOW = 81


@dataclass(frozen=True)
class SolarCycle:
    number: int
    maximum_day: int  # days since 1970 of the smoothed maximum
    maximum_f107: float  # smoothed F10.7 at the maximum, sfu
    minimum_day: int | None  # the smoothed minimum that starts the cycle (None: not on record)


@dataclass(frozen=True)
class CycleSpread:
    """Cycle-to-cycle spread: amplitude above the floor (log-normal sigma) and timing (days)."""

    cycles: tuple[SolarCycle, ...]
    amplitude_sigma_ln: float  # std of ln(max F10.7 - floor) over the cycles
    timing_sigma_days: float  # std of the cycle lengths (minimum to minimum)
    floor: float


@dataclass(frozen=True)
class Ar1:
    """x_t = phi x_{t-1} + sigma eps_t; stationary std = sigma / sqrt(1 - phi^2)."""

    phi: float
    sigma: float

    @property
    def stationary_std(self) -> float:
        return self.sigma / np.sqrt(1.0 - self.phi ** 2)


@dataclass(frozen=True)
class ResidualBank:
    """``n`` residual series over days ``first_day`` ... (ln multipliers, mean-preserving)."""

    first_day: int
    ln_f107: np.ndarray  # (n, n_days)
    ln_ap: np.ndarray  # (n, n_days)


def _smoothed_observed(record: FluxRecord) -> tuple[np.ndarray, np.ndarray]:
    observed = record.kind == OBSERVED
    days = record.day[observed]
    full = np.arange(days[0], days[-1] + 1)
    f107 = np.interp(full, days, record.f107[observed])
    # the ends use the part of the window that exists: cycle 19 peaked five months after
    # the record starts
    return full, centred_mean(f107, SMOOTH_DAYS)


def _extrema(values: np.ndarray, sign: float, keep_start: bool = False) -> list[int]:
    """Indices of the largest (sign=+1) or smallest values, each at least a cycle apart.

    An extremum within 60 days of an end is where the record stops, not a turning point, and
    is dropped; ``keep_start`` keeps one at the start (cycle 19 peaked in March 1958, five
    months into the record, so its smoothed maximum sits on the record's first days).
    """
    order = np.argsort(-sign * values, kind="stable")
    chosen: list[int] = []
    blocked = np.zeros(len(values), dtype=bool)  # within a cycle of an extremum chosen
    for idx in order:
        if not blocked[idx]:
            chosen.append(int(idx))
            blocked[max(idx - MIN_CYCLE_SEPARATION + 1, 0):idx + MIN_CYCLE_SEPARATION] = True
    edge = 60
    return sorted(i for i in chosen if (keep_start or edge <= i) and i < len(values) - edge)


def solar_cycles(record: FluxRecord) -> list[SolarCycle]:
    """Maxima and minima of the 13-month smoothed observed F10.7, numbered by date."""
    days, smooth = _smoothed_observed(record)
    maxima = _extrema(smooth, +1.0, keep_start=True)
    minima = _extrema(smooth, -1.0)
    cycles = []
    for k, i_max in enumerate(maxima):
        before = [m for m in minima if m < i_max and (k == 0 or m > maxima[k - 1])]
        number = 19 + round((days[i_max] - CYCLE_19_MAXIMUM_DAY) / MEAN_CYCLE_DAYS)
        cycles.append(SolarCycle(int(number), int(days[i_max]), float(smooth[i_max]),
                                 int(days[before[-1]]) if before else None))
    return cycles


def measure_cycle_spread(record: FluxRecord, floor: float = 65.0) -> CycleSpread:
    """Amplitude and timing spread of solar cycles 19-25 in CelesTrak's observed flux."""
    cycles = tuple(solar_cycles(record))
    amplitudes = np.log([c.maximum_f107 - floor for c in cycles])
    starts = [c.minimum_day for c in cycles if c.minimum_day is not None]
    lengths = np.diff(starts)
    return CycleSpread(cycles, float(np.std(amplitudes, ddof=1)),
                       float(np.std(lengths, ddof=1)), floor)


def _ar1_fit(x: np.ndarray) -> Ar1:
    x = x - x.mean()
    # np.sum, not np.dot: a threaded BLAS sums in an order that depends on its thread count,
    # and an ensemble must give the same bits on every worker
    phi = float(np.sum(x[1:] * x[:-1]) / np.sum(x[:-1] * x[:-1]))
    return Ar1(phi, float(np.std(x[1:] - phi * x[:-1], ddof=1)))


def fit_ar1(record: FluxRecord, years: float = 33.0) -> tuple[Ar1, Ar1]:
    """AR(1) fits of ln F10.7 and ln(Ap + 1) about their 81-day centred means, over the last
    ``years`` (three cycles) of observations. Returns (F10.7 fit, Ap fit)."""
    observed = (record.kind == OBSERVED) & ~np.isnan(record.ap)
    recent = observed & (record.day > record.last_observed_day - years * 365.25)
    ln_f = np.log(record.f107[recent])
    ln_ap = np.log(record.ap[recent] + 1.0)
    inner = slice(WINDOW // 2, -(WINDOW // 2))
    return (_ar1_fit((ln_f - np.log(centred_mean(np.exp(ln_f), WINDOW)))[inner]),
            _ar1_fit((ln_ap - centred_mean(ln_ap, WINDOW))[inner]))


def ar1_filter(eps: np.ndarray, phi: float) -> np.ndarray:
    """x_t = phi x_{t-1} + eps_t along the last axis, from x_0 = eps_0 (what
    ``scipy.signal.lfilter([1], [1, -phi], eps)`` computes, without importing scipy.signal,
    ~1.5 s)."""
    series = np.empty_like(eps)
    series[..., 0] = eps[..., 0]
    for t in range(1, eps.shape[-1]):
        series[..., t] = eps[..., t] + phi * series[..., t - 1]
    return series


def _ar1_series(fit: Ar1, rng: np.random.Generator, n_series: int, n_days: int) -> np.ndarray:
    eps = rng.standard_normal((n_series, n_days)) * fit.sigma
    eps[:, 0] *= 1.0 / np.sqrt(1.0 - fit.phi ** 2)  # start in the stationary distribution
    return ar1_filter(eps, fit.phi) - 0.5 * fit.stationary_std ** 2  # E[exp(r)] = 1


def residual_bank(f107_fit: Ar1, ap_fit: Ar1, n_series: int, first_day: int, n_days: int,
                  seed: np.random.SeedSequence) -> ResidualBank:
    rng = np.random.default_rng(seed)
    return ResidualBank(first_day, _ar1_series(f107_fit, rng, n_series, n_days),
                        _ar1_series(ap_fit, rng, n_series, n_days))


@dataclass(frozen=True)
class FluxDraw:
    """One sample's flux: amplitude scale, timing shift (whole days), bank row (-1: none)."""

    scale: float = 1.0
    shift_days: int = 0
    bank_index: int = -1


def realised_daily(base: DailyWeather, draw: FluxDraw, bank: ResidualBank | None,
                   first_day: int, last_day: int, floor: float) -> DailyWeather:
    """The realisation on ``first_day`` ... ``last_day``; ``base`` must extend at least
    40 + |shift| days beyond both ends (its 81-day means are recomputed here)."""
    days = np.arange(first_day - WINDOW // 2, last_day + WINDOW // 2 + 1)
    idx = days - base.first_day
    src_idx = idx - draw.shift_days
    if idx.min() < 0 or src_idx.min() < 0 or max(idx.max(), src_idx.max()) >= len(base.f107):
        raise ValueError("base weather does not cover the realisation's span and shift")
    predicted = base.source[idx] != OBSERVED
    f107 = np.maximum(floor + draw.scale * (base.f107[src_idx] - floor), F107_MIN_PHYSICAL)
    ap = base.ap[src_idx].copy()
    if draw.bank_index >= 0 and bank is not None:
        rows = days - bank.first_day
        f107 = f107 * np.exp(bank.ln_f107[draw.bank_index, rows])
        ap = (ap + 1.0) * np.exp(bank.ln_ap[draw.bank_index, rows]) - 1.0
    f107 = np.where(predicted, f107, base.f107[idx])
    ap = np.where(predicted, ap, base.ap[idx])
    inner = slice(WINDOW // 2, len(days) - WINDOW // 2)
    fa = np.convolve(f107, np.ones(WINDOW) / WINDOW, mode="same")
    return DailyWeather(first_day=first_day, f107=f107[inner], f107a=fa[inner], ap=ap[inner],
                        source=base.source[idx][inner],
                        notes=base.notes + ("a random realisation of the predicted flux",))
