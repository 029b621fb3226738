"""The osculating state whose one-revolution averages are the given mean elements.

The long-term propagator carries mean elements: orbit averages, the definition
``finite_burn`` uses to read them back from a Cowell path (one-revolution means of the
osculating semi-major axis and eccentricity vector). Started as osculating in a Cowell flight
with J2, an ISS-like orbit's one-revolution mean semi-major axis comes out ~6 km low and its
perigee ~12 km low (the J2 short-period terms); at a 145 km perigee that is twice the density
and a reentry hours early. The osculating a and eccentricity vector are corrected by
fixed-point iteration until the drag-free two-body + J2 flight's averages match the mean
ones; the plane and the argument of latitude are kept (their short-period terms move the
station by ~1 s along its orbit).
"""

from __future__ import annotations

import math

import numpy as np

from .constants import MU_EARTH
from .descent import Atmosphere, fly
from .orbit_state import perifocal_basis, state_from_elements

ITERATIONS = 3  # the correction converges to < 1 m in a after two
SAMPLE_S = 5.0


def revolution_means(u0: np.ndarray, cube_air: Atmosphere) -> tuple[float, np.ndarray]:
    """One-revolution time averages of the osculating a (m) and eccentricity vector of a
    drag-free two-body + J2 flight from ``u0`` (x, y, z, vx, vy, vz, m)."""
    r0, v0 = u0[:3], u0[3:6]
    a0 = 1.0 / (2.0 / np.linalg.norm(r0) - float(v0 @ v0) / MU_EARTH)
    period = 2.0 * math.pi * math.sqrt(a0**3 / MU_EARTH)
    no_drag = Atmosphere(cube_air.cube, cube_air.theta0, cube_air.day0, 0.0)
    path = fly(u0, 1.0, no_drag, -1e9, period, dt_max_s=SAMPLE_S, record_s=SAMPLE_S).path
    r, v = path[:, :3], path[:, 3:6]
    rn = np.linalg.norm(r, axis=1)
    v2 = np.sum(v * v, axis=1)
    a = 1.0 / (2.0 / rn - v2 / MU_EARTH)
    ecc = ((v2 - MU_EARTH / rn)[:, None] * r - np.sum(r * v, axis=1)[:, None] * v) / MU_EARTH
    return float(a.mean()), ecc.mean(axis=0)


def osculating_state(elements: np.ndarray, arg_latitude: float, mass_kg: float,
                     cube_air: Atmosphere) -> np.ndarray:
    """(x, y, z, vx, vy, vz, m) at ``arg_latitude`` whose one-revolution means are the mean
    ``elements`` (a m, e, i, raan, argp rad); ``cube_air`` only lends its density cube (the
    averaging flight is drag-free)."""
    a_mean, e_mean, inc, raan, argp = (float(x) for x in elements[:5])
    basis = perifocal_basis(raan, inc, argp)
    e_target = e_mean * basis[:, 0]
    a_osc, e_osc = a_mean, e_target.copy()
    state = None
    for _ in range(ITERATIONS + 1):
        in_plane = basis.T @ e_osc
        ecc = math.hypot(in_plane[0], in_plane[1])
        w = argp + math.atan2(in_plane[1], in_plane[0])
        state = np.concatenate([state_from_elements(a_osc, ecc, inc, raan, w, arg_latitude),
                                [mass_kg]])
        if _ == ITERATIONS:
            break
        a_avg, e_avg = revolution_means(state, cube_air)
        a_osc += a_mean - a_avg
        e_osc = e_osc + e_target - e_avg
    return state
