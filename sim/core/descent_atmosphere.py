"""NRLMSIS 2.1 tabulated for one descent: ln rho over geodetic altitude x latitude x local time.

A descent lasts about an hour on one day, so the day's space-weather indices are fixed; what
varies is the place (altitude, latitude, local solar time). Direct pymsis calls cannot run
inside a numba right-hand side (~12 us a point through Python), so the day's MSIS is
evaluated once on a grid and interpolated trilinearly in ln rho. Measured error against
direct calls at random places from 0 to 400 km: ~1 % rms, below 5 % worst, on days of low,
medium and high activity. The grid's UT is the descent's start; local time carries the Sun's motion
during the descent, the small UT-only terms of MSIS (< 1 % in an hour) are held fixed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np

from .msis_atmosphere import msis_density

CUBE_ALT_KM = np.concatenate([np.arange(0.0, 100.0, 4.0), np.arange(100.0, 200.0, 5.0),
                              np.arange(200.0, 400.0, 20.0), np.arange(400.0, 701.0, 50.0)])
CUBE_LAT_DEG = np.arange(-90.0, 90.1, 10.0)
CUBE_LST_H = np.arange(0.0, 24.1, 2.0)  # last column repeats the first (periodic)


@dataclass(frozen=True)
class DensityCube:
    """ln rho (kg/m^3) on (geodetic altitude km, latitude deg, local solar time h)."""

    day: float  # days since 1970 at which the grid's UT is taken (the descent's start)
    alt_km: np.ndarray
    lat_deg: np.ndarray
    lst_h: np.ndarray
    log_rho: np.ndarray  # (n_alt, n_lat, n_lst)

    @property
    def ut_hours(self) -> float:
        return (self.day % 1.0) * 24.0


def msis_cube(day: float, f107: float, f107a: float, ap: float) -> DensityCube:
    """The grid from direct NRLMSIS 2.1 calls at ``day`` with the given indices
    (previous day's F10.7, its 81-day mean, daily Ap)."""
    ut = (day % 1.0) * 24.0
    alt, lat, lst = np.meshgrid(CUBE_ALT_KM, CUBE_LAT_DEG, CUBE_LST_H[:-1], indexing="ij")
    lon = ((lst - ut) * 15.0 + 180.0) % 360.0 - 180.0
    rho = msis_density(day, lon, lat, alt, f107, f107a, ap)
    log_rho = np.log(rho)
    log_rho = np.concatenate([log_rho, log_rho[:, :, :1]], axis=2)
    return DensityCube(float(day), CUBE_ALT_KM, CUBE_LAT_DEG, CUBE_LST_H, log_rho)


def cube_density(cube: DensityCube, alt_km, lat_deg, lst_h):
    """Vectorised evaluation (checks and plots; the integrators call ``cube_log_rho``)."""
    args = np.broadcast_arrays(*(np.asarray(x, float) for x in (alt_km, lat_deg, lst_h)))
    out = np.empty(args[0].size)
    for k, (h, la, t) in enumerate(zip(*(a.ravel() for a in args))):
        out[k] = cube_log_rho(cube.log_rho, cube.alt_km, cube.lat_deg[0], cube.lat_deg[1]
                              - cube.lat_deg[0], cube.lst_h[1] - cube.lst_h[0], h, la, t)
    return np.exp(out).reshape(args[0].shape)


@numba.njit(cache=True)
def cube_log_rho(log_rho, alt_km, lat0, dlat, dlst, h_km, lat_deg, lst_h):
    """Trilinear ln rho; altitude extrapolates with the end segment's scale height."""
    n = alt_km.size
    j = min(max(np.searchsorted(alt_km, h_km) - 1, 0), n - 2)
    s = (h_km - alt_km[j]) / (alt_km[j + 1] - alt_km[j])
    fy = (lat_deg - lat0) / dlat
    iy = min(max(int(math.floor(fy)), 0), log_rho.shape[1] - 2)
    wy = min(max(fy - iy, 0.0), 1.0)
    fz = (lst_h % 24.0) / dlst
    iz = min(int(math.floor(fz)), log_rho.shape[2] - 2)
    wz = fz - iz
    total = 0.0
    for a, wa in ((j, 1.0 - s), (j + 1, s)):
        for b, wb in ((iy, 1.0 - wy), (iy + 1, wy)):
            for c, wc in ((iz, 1.0 - wz), (iz + 1, wz)):
                total += wa * wb * wc * log_rho[a, b, c]
    return total
