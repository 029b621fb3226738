"""Orbit-mean density as a grid over (day, altitude), built once per run for the propagators.

Whatever the model, the propagators see one thing: ln rho on a daily x altitude grid, with
altitude measured as |r| - R_eq ("radius altitude"). Interpolation is linear in time and in
ln rho over altitude, in numba, so a multi-year run costs milliseconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np

from .coesa76_atmosphere import Coesa76Table
from .constants import FLATTENING, R_EARTH
from .exponential_atmosphere import exponential_density
from .msis_atmosphere import orbit_mean_msis
from .msis_table import MsisTable, table_rows
from .node_lst_correction import NodeLstTable, correction_rows
from .space_weather import DailyWeather

# radius-altitude nodes for models given as functions of altitude (km)
STATIC_ALT_KM = np.concatenate([np.arange(60.0, 200.0, 2.0), np.arange(200.0, 1000.0, 5.0),
                                np.arange(1000.0, 2001.0, 25.0)])


@dataclass(frozen=True)
class DensityField:
    """ln rho (kg/m^3) on ``alt_m`` (radius altitude, m) for each day from ``first_day``."""

    first_day: float  # days since 1970-01-01 of row 0
    alt_m: np.ndarray
    log_rho: np.ndarray  # (n_days, n_alt)

    def density(self, day, radius_alt_m):
        """Vectorised evaluation (for plots and output; the propagators use ``field_log_rho``)."""
        day_b, h_b = np.broadcast_arrays(np.asarray(day, float), np.asarray(radius_alt_m, float))
        out = np.empty(day_b.size)
        for k, (d, h) in enumerate(zip(day_b.ravel(), h_b.ravel())):
            out[k] = field_log_rho(self.log_rho, self.alt_m, d - self.first_day, h)
        return np.exp(out).reshape(day_b.shape)


def mean_ellipsoid_drop_km(inclination_rad: float) -> float:
    """Orbit mean of R_eq - R(lat): add it to |r| - R_eq to get the mean geodetic altitude."""
    return R_EARTH * FLATTENING * math.sin(inclination_rad) ** 2 / 2.0 / 1000.0


def static_field(density_km, inclination_rad: float, geodetic: bool = True) -> DensityField:
    """A field from a model of altitude only (``density_km(alt_km) -> kg/m^3``)."""
    offset = mean_ellipsoid_drop_km(inclination_rad) if geodetic else 0.0
    log_rho = np.log(density_km(STATIC_ALT_KM + offset))[None, :]
    return DensityField(first_day=0.0, alt_m=STATIC_ALT_KM * 1000.0, log_rho=log_rho)


def exponential_field(inclination_rad: float, geodetic: bool = True) -> DensityField:
    return static_field(exponential_density, inclination_rad, geodetic)


def coesa76_field(table: Coesa76Table, inclination_rad: float,
                  geodetic: bool = True) -> DensityField:
    return static_field(table.density, inclination_rad, geodetic)


def _weather_rows(weather: DailyWeather):
    """Per-day inputs for MSIS: previous day's F10.7, F10.7a, Ap, day of year."""
    n = len(weather.f107)
    f107 = np.concatenate(([weather.f107[0]], weather.f107[:-1]))
    doy = (weather.first_day + np.arange(n)) % 365.25  # 1970-01-01 is day 0 of its year
    return f107, weather.f107a, weather.ap, doy


def msis_table_field(table: MsisTable, weather: DailyWeather) -> DensityField:
    """Daily field from the orbit-averaged NRLMSIS table (the fast default)."""
    f107, f107a, ap, doy = _weather_rows(weather)
    out = np.empty((len(f107), len(table.alt_km)))
    table_rows(table.log_rho, table.seasonal, table.alt_km, table.f107, table.f107a, table.ap,
               *(np.ascontiguousarray(x, dtype=float) for x in (f107, f107a, ap, doy)), out)
    return DensityField(first_day=float(weather.first_day), alt_m=table.alt_km * 1000.0,
                        log_rho=out)


def node_corrected_field(field: DensityField, correction: NodeLstTable, weather: DailyWeather,
                         node_lst_h: np.ndarray) -> DensityField:
    """``field`` times the node-local-time correction c (``node_lst_correction``), row by row.

    ``weather`` and ``node_lst_h`` (the node's local solar time, hours, at each row's 00:00 UT)
    cover the field's rows: a field of the all-local-time mean becomes the field an orbit
    with that node path sees. Apply it only where the node is known.
    """
    f107, f107a, _, doy = _weather_rows(weather)
    n = field.log_rho.shape[0]
    if weather.first_day != field.first_day or len(f107) != n or len(node_lst_h) != n:
        raise ValueError("weather, node local times and field must cover the same days")
    log_c = np.empty_like(field.log_rho)
    correction_rows(correction.log_c, correction.alt_km, correction.f107a,
                    np.ascontiguousarray(field.alt_m / 1000.0),
                    *(np.ascontiguousarray(x, dtype=float) for x in (f107a, doy, node_lst_h)),
                    log_c)
    return DensityField(first_day=field.first_day, alt_m=field.alt_m,
                        log_rho=field.log_rho + log_c)


def msis_direct_field(weather: DailyWeather, inclination_rad: float,
                      alt_km: np.ndarray) -> DensityField:
    """Daily field from direct NRLMSIS calls (48 a node: slow, for checks and short spans)."""
    f107, f107a, ap, doy = _weather_rows(weather)
    rho = orbit_mean_msis(doy[:, None], alt_km[None, :], f107[:, None], f107a[:, None],
                          ap[:, None], inclination_rad)
    return DensityField(first_day=float(weather.first_day), alt_m=np.asarray(alt_km) * 1000.0,
                        log_rho=np.log(rho))


@numba.njit(cache=True)
def field_log_rho(log_rho, alt_m, t_day, h_m):
    """ln rho at ``t_day`` (days from the field's first row) and radius altitude ``h_m``.

    Linear in time (clamped to the grid) and in ln rho over altitude (extrapolated past the
    ends with the end segment's scale height).
    """
    n_days = log_rho.shape[0]
    if n_days == 1:
        i0, i1, w = 0, 0, 0.0
    elif t_day <= 0.0:
        i0, i1, w = 0, 0, 0.0
    elif t_day >= n_days - 1:
        i0, i1, w = n_days - 1, n_days - 1, 0.0
    else:
        i0 = int(t_day)
        i1, w = i0 + 1, t_day - i0
    n = alt_m.size
    j = min(max(np.searchsorted(alt_m, h_m) - 1, 0), n - 2)
    s = (h_m - alt_m[j]) / (alt_m[j + 1] - alt_m[j])
    lo = log_rho[i0, j] * (1.0 - w) + log_rho[i1, j] * w
    hi = log_rho[i0, j + 1] * (1.0 - w) + log_rho[i1, j + 1] * w
    return lo + s * (hi - lo)
