"""Orbit-averaged rates of the mean elements under drag and J2 (Gauss's equations).

Drag acts along the velocity relative to a co-rotating atmosphere; its tangential component
f_T = -1/2 rho F v^2 / B, with F = (1 - omega_E h cos i / v^2)^2 the co-rotation factor
(~0.92 for the ISS). Averages over the mean anomaly are sums over the eccentric anomaly,
<X> = 1/(2 pi) \\oint X (1 - e cos E) dE. J2 adds the secular node, perigee and mean-anomaly
drifts; the mean argument of latitude u = argp + M tells where the station is along its orbit.
SI units: metres, seconds, kg; B = m / (C_D A) in kg/m^2.

Quadrature: the integrand is periodic in E, so the equally spaced (trapezoidal) rule converges
geometrically; its error for the dominant factor exp(x cos E), x = a e / H, is about
2 (x/2)^N / N!. ``quadrature_nodes`` picks the smallest N with that below 1e-9 for a scale
height H of 8 km (the thinnest the decay meets, near 100 km), at least 4 so the cos E term of
de/dt integrates exactly at e = 0: 4 nodes for near-circular orbits instead of 24 fixed ones.
"""

import math

import numba
import numpy as np

from .constants import J2, MU_EARTH, OMEGA_EARTH, R_EARTH
from .density_field import field_log_rho

A, E, INC, RAAN, ARGP, ARGLAT = range(6)  # state layout: a, e, i, raan, argp, mean arg. of lat.
N_STATE = 6
MIN_NODES, MAX_NODES = 4, 64
THINNEST_SCALE_HEIGHT_M = 8000.0
QUADRATURE_TOLERANCE = 1e-9


@numba.njit(cache=True)
def quadrature_nodes(a, e):
    """Nodes in eccentric anomaly for the orbit average (see the module notes)."""
    half_x = 0.5 * a * e / THINNEST_SCALE_HEIGHT_M
    term = 2.0
    for n in range(1, MAX_NODES + 1):
        term *= half_x / n
        if n >= MIN_NODES and term < QUADRATURE_TOLERANCE:
            return n
    return MAX_NODES


@numba.njit(cache=True)
def co_rotation_factor(a, e, inc, v2):
    """(v_rel,T / v)^2: the along-track wind of the rotating atmosphere is omega_E h cos i / v."""
    h_ang = math.sqrt(MU_EARTH * a * (1.0 - e * e))
    return (1.0 - OMEGA_EARTH * h_ang * math.cos(inc) / v2) ** 2


@numba.njit(cache=True)
def averaged_rates(state, bc, t_day, log_rho, alt_m, corotate, density_scale, out):
    """Write d(state)/dt (per second) into ``out`` for state (a, e, i, raan, argp, u).

    ``density_scale`` multiplies the atmosphere's density (1 for the model as it is).
    """
    a, e, inc = state[A], state[E], state[INC]
    n_nodes = quadrature_nodes(a, e)
    da = 0.0
    de = 0.0
    for k in range(n_nodes):
        cos_e = math.cos(2.0 * math.pi * k / n_nodes)
        one_m = 1.0 - e * cos_e
        r = a * one_m
        v2 = MU_EARTH * (2.0 / r - 1.0 / a)
        v = math.sqrt(v2)
        cos_nu = (cos_e - e) / one_m
        factor = co_rotation_factor(a, e, inc, v2) if corotate else 1.0
        rho = density_scale * math.exp(field_log_rho(log_rho, alt_m, t_day, r - R_EARTH))
        f_t = -0.5 * rho * factor * v2 / bc
        weight = one_m / n_nodes  # 1/(2 pi) * (2 pi / N) * (1 - e cos E)
        da += weight * 2.0 * a * a * v * f_t / MU_EARTH
        de += weight * 2.0 * (e + cos_nu) * f_t / v
    n = math.sqrt(MU_EARTH / a**3)
    p = a * (1.0 - e * e)
    j2_rate = n * J2 * (R_EARTH / p) ** 2
    cos2 = math.cos(inc) ** 2
    out[A] = da
    out[E] = de if (e > 0.0 or de > 0.0) else 0.0
    out[INC] = 0.0
    out[RAAN] = -1.5 * j2_rate * math.cos(inc)
    out[ARGP] = 0.75 * j2_rate * (5.0 * cos2 - 1.0)
    mean_motion = n + 0.75 * j2_rate * math.sqrt(1.0 - e * e) * (3.0 * cos2 - 1.0)
    out[ARGLAT] = out[ARGP] + mean_motion
