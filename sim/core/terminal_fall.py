"""The last part of a fragment's fall, once it has settled at its terminal speed.

A piece falling at its terminal speed v_t = sqrt(2 B g / rho) through air that turns with the
Earth drops along the local vertical: with no winds modelled, where it lands is the ground
point below where it settled, and only when it lands needs working out, as the integral of
dz / v_t(z) down the column. Flying that column step by step costs most of a light piece's
flight (RK4 steps are held to the drag relaxation time, a fraction of a second near the
ground, over a half-hour fall); the integral costs one pass down the density column.
What the shortcut leaves out is the Coriolis deflection of the fall, 2 Omega v_z balanced by
drag: a few metres to a few tens of metres for the lightest pieces (measured in
``tests/core/test_terminal_fall.py``), against footprints hundreds of kilometres long.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from .constants import G0, R_EARTH
from .descent import Atmosphere
from .descent_atmosphere import cube_log_rho
from .frames import earth_fixed_from_geodetic, earth_fixed_to_inertial, \
    geodetic_from_earth_fixed, inertial_to_earth_fixed

COLUMN_STEP_M = 200.0  # trapezoid step down the column: ~1/35 of the lowest scale height


@numba.njit(cache=True)
def fall_time_s(log_rho, alt_km, lat0, dlat, dlst, lat_deg, lst_h, height_m, b_kg_m2, scale):
    """Time (s) to fall ``height_m`` to the ground at the terminal speed
    sqrt(2 B g(z) / rho(z)) of ballistic coefficient ``b_kg_m2`` (trapezoid rule in z)."""
    n = max(int(math.ceil(height_m / COLUMN_STEP_M)), 1)
    dz = height_m / n
    total = 0.0
    for k in range(n + 1):
        z = k * dz
        rho = scale * math.exp(cube_log_rho(log_rho, alt_km, lat0, dlat, dlst, z / 1000.0,
                                            lat_deg, lst_h))
        g = G0 * (R_EARTH / (R_EARTH + z)) ** 2
        weight = 0.5 if k == 0 or k == n else 1.0
        total += weight * math.sqrt(rho / (2.0 * b_kg_m2 * g))
    return total * dz


def landing(state: np.ndarray, t_s: float, air: Atmosphere,
            b_kg_m2: float) -> tuple[np.ndarray, float]:
    """Inertial impact position (m) and time (s on ``air``'s clock) of a piece that settled
    at ``state`` = (x, y, z, ...) at ``t_s``: the ground point below it, reached after the
    column's fall time."""
    day = air.day0 + t_s / 86400.0
    lat, lon, height = geodetic_from_earth_fixed(inertial_to_earth_fixed(state[:3], day))
    cube = air.cube
    lst_h = ((day % 1.0) * 24.0 + math.degrees(float(lon)) / 15.0) % 24.0
    fall = fall_time_s(cube.log_rho, cube.alt_km, cube.lat_deg[0],
                       cube.lat_deg[1] - cube.lat_deg[0], cube.lst_h[1] - cube.lst_h[0],
                       math.degrees(float(lat)), lst_h, max(float(height), 0.0), b_kg_m2,
                       air.density_scale)
    ground = earth_fixed_from_geodetic(lat, lon, 0.0)
    t_impact = t_s + fall
    return earth_fixed_to_inertial(ground, air.day0 + t_impact / 86400.0), t_impact
