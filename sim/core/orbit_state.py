"""Position and velocity from orbital elements with the argument of latitude, and back.

The mean elements of the long-term propagator are used as osculating here (the J2
short-period terms, ~10 km in radius for the ISS, are within the targeting loop's reach: the
phasing corrects the burn time on the simulated impact, not on the elements).
"""

from __future__ import annotations

import math

import numpy as np

from .constants import MU_EARTH


def perifocal_basis(raan: float, inc: float, argp: float) -> np.ndarray:
    """Columns: unit vectors to perigee, 90 deg ahead in the plane, and the orbit normal."""
    co, so, ci, si, cw, sw = (math.cos(raan), math.sin(raan), math.cos(inc), math.sin(inc),
                              math.cos(argp), math.sin(argp))
    return np.array([[co * cw - so * sw * ci, -co * sw - so * cw * ci, so * si],
                     [so * cw + co * sw * ci, -so * sw + co * cw * ci, -co * si],
                     [sw * si, cw * si, ci]])


def state_from_elements(a: float, e: float, inc: float, raan: float, argp: float,
                        arg_latitude: float) -> np.ndarray:
    """(x, y, z, vx, vy, vz) in m and m/s at argument of latitude u = argp + true anomaly."""
    nu = arg_latitude - argp
    p = a * (1.0 - e * e)
    r = p / (1.0 + e * math.cos(nu))
    basis = perifocal_basis(raan, inc, argp)
    r_pf = np.array([r * math.cos(nu), r * math.sin(nu), 0.0])
    v_pf = math.sqrt(MU_EARTH / p) * np.array([-math.sin(nu), e + math.cos(nu), 0.0])
    return np.concatenate([basis @ r_pf, basis @ v_pf])


def argument_of_latitude(r: np.ndarray, v: np.ndarray):
    """u (rad, [0, 2 pi)) of inertial states: the angle from the ascending node.

    ``r`` and ``v`` are (3,) or (n, 3); the result is a float or an (n,) array.
    """
    r2, v2 = np.atleast_2d(r), np.atleast_2d(v)
    h = np.cross(r2, v2)
    node_norm = np.hypot(h[:, 0], h[:, 1])  # |(-h_y, h_x, 0)|
    equatorial = node_norm == 0.0
    safe = np.where(equatorial, 1.0, node_norm)
    cos_u = (-h[:, 1] * r2[:, 0] + h[:, 0] * r2[:, 1]) / (safe * np.linalg.norm(r2, axis=1))
    u = np.arccos(np.clip(cos_u, -1.0, 1.0))
    u = np.where(r2[:, 2] >= 0, u, 2 * math.pi - u)
    # equatorial orbit: no node, measure from x
    u = np.where(equatorial, np.arctan2(r2[:, 1], r2[:, 0]) % (2 * math.pi), u)
    return float(u[0]) if np.ndim(r) == 1 else u


def arguments_of_latitude(r: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``argument_of_latitude`` of many states at once: rows of r and v (n, 3); rad."""
    h = np.cross(r, v)
    node = np.stack([-h[:, 1], h[:, 0], np.zeros(len(h))], axis=1)
    node_norm = np.linalg.norm(node, axis=1)
    cos_u = np.sum(node * r, axis=1) / (node_norm * np.linalg.norm(r, axis=1))
    u = np.arccos(np.clip(cos_u, -1.0, 1.0))
    return np.where(r[:, 2] >= 0, u, 2 * math.pi - u)


def rotate_in_plane(state: np.ndarray, angle: float) -> np.ndarray:
    """The state turned by ``angle`` (rad) about its own orbit normal (a phase shift)."""
    r, v = state[:3], state[3:6]
    k = np.cross(r, v)
    k = k / np.linalg.norm(k)
    c, s = math.cos(angle), math.sin(angle)

    def turn(x):
        return x * c + np.cross(k, x) * s + k * (k @ x) * (1 - c)

    return np.concatenate([turn(r), turn(v), state[6:]])
