"""What the ensemble kernel takes and gives: each sample's draws, the nominal flux its
realisation perturbs (with the residual bank), and the outcome; and the realised flux of one
sample on one day, as the kernel reads it.

A realisation (``solar_realisations``) changes only predicted days:
F10.7(d) = max(floor + s (F_nom(d - shift) - floor), 50) exp(r_F(d)) and
Ap(d) = (Ap_nom(d - shift) + 1) exp(r_Ap(d)) - 1; observed days stay observed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from .solar_realisations import F107_MIN_PHYSICAL, WINDOW, ResidualBank
from .space_weather import OBSERVED, DailyWeather

HALF = WINDOW // 2


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


@numba.njit(cache=True, inline="always")
def uint(i):
    """An index known to be non-negative, as numba reads it without a wrap-around check."""
    return np.uint64(i)


@numba.njit(cache=True, inline="always")
def f107_at(m, scale, shift, row, f107, observed, floor, bank_f):
    """Realised F10.7 of a sample at index m of the flux arrays."""
    if observed[uint(m)]:
        return f107[uint(m)]
    f = max(floor + scale * (f107[uint(m - shift)] - floor), F107_MIN_PHYSICAL)
    return f * bank_f[uint(row), uint(m)] if row >= 0 else f


@numba.njit(cache=True, inline="always")
def ap_at(m, shift, row, ap, observed, bank_ap):
    """Realised Ap of a sample at index m of the flux arrays."""
    if observed[uint(m)]:
        return ap[uint(m)]
    a = ap[uint(m - shift)]
    return (a + 1.0) * bank_ap[uint(row), uint(m)] - 1.0 if row >= 0 else a


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
