"""Orbit-averaged rates of the mean elements under drag and J2 (Gauss's equations).

Drag acts along the velocity relative to a co-rotating atmosphere; its tangential component
f_T = -1/2 rho F v^2 / B, with F = (1 - omega_E h cos i / v^2)^2 the co-rotation factor
(~0.92 for the ISS). Averages over the mean anomaly are sums over the eccentric anomaly,
<X> = 1/(2 pi) \\oint X (1 - e cos E) dE. J2 adds the secular node, perigee and mean-anomaly
drifts; the mean argument of latitude u = argp + M tells where the station is along its orbit.
SI units: metres, seconds, kg; B = m / (C_D A) in kg/m^2.

Quadrature (the one rule of every orbit average, single runs and the ensemble kernel alike):
the integrand is periodic in E, so the equally spaced (trapezoidal) rule converges
geometrically. For the dominant factor exp(x cos E), x = a e / H, the N-node sums alias the
harmonics of order N (da/dt: error ~ 2 (x/2)^N / N!) and, through the extra cos E of de/dt,
N - 1 (error ~ (x/2)^(N-1) / (N-1)!, relative to the mean density). ``quadrature_nodes`` picks
the smallest N with both below 1e-9 for a scale height H of 8 km (the thinnest the decay
meets, near 100 km), at least 4 so the cos E term of de/dt integrates exactly, at most 64:
4 nodes for near-circular orbits instead of 24 fixed ones. On an exactly circular orbit the
nodes coincide (r = a at every E): one evaluation gives da/dt, and de/dt is zero by symmetry.
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
    de_term = 1.0  # (x/2)^(n-1) / (n-1)!
    for n in range(1, MAX_NODES + 1):
        da_term = 2.0 * de_term * half_x / n  # 2 (x/2)^n / n!
        if n >= MIN_NODES and da_term < QUADRATURE_TOLERANCE and \
                de_term < QUADRATURE_TOLERANCE:
            return n
        de_term *= half_x / n
    return MAX_NODES


@numba.njit(cache=True)
def wind_term(a, e, cos_inc):
    """omega_E h cos i (m^2/s^2): the co-rotation factor is (1 - wind_term / v^2)^2."""
    h_ang = math.sqrt(MU_EARTH * a * (1.0 - e * e))
    return OMEGA_EARTH * h_ang * cos_inc


@numba.njit(cache=True)
def node_rates(a, e, cos_e, wind, rho, bc, n_nodes):
    """One node's share of (da/dt, de/dt) (per second) in the N-node trapezoidal average:
    the node at eccentric anomaly E (``cos_e``), density ``rho`` there (at r = a (1 - e cos E)),
    ``wind`` from ``wind_term`` (0 without co-rotation)."""
    one_m = 1.0 - e * cos_e
    r = a * one_m
    v2 = MU_EARTH * (2.0 / r - 1.0 / a)
    v = math.sqrt(v2)
    cos_nu = (cos_e - e) / one_m
    factor = (1.0 - wind / v2) ** 2
    f_t = -0.5 * rho * factor * v2 / bc
    weight = one_m / n_nodes  # 1/(2 pi) * (2 pi / N) * (1 - e cos E)
    return weight * 2.0 * a * a * v * f_t / MU_EARTH, weight * 2.0 * (e + cos_nu) * f_t / v


@numba.njit(cache=True)
def averaged_rates(state, bc, t_day, log_rho, alt_m, corotate, density_scale, out):
    """Write d(state)/dt (per second) into ``out`` for state (a, e, i, raan, argp, u).

    ``density_scale`` multiplies the atmosphere's density (1 for the model as it is).
    """
    a, e, inc = state[A], state[E], state[INC]
    wind = wind_term(a, e, math.cos(inc)) if corotate else 0.0
    if e == 0.0:  # the trapezoid's nodes coincide; de/dt vanishes by symmetry
        rho = density_scale * math.exp(field_log_rho(log_rho, alt_m, t_day, a - R_EARTH))
        da, de = node_rates(a, 0.0, 1.0, wind, rho, bc, 1)[0], 0.0
    else:
        n_nodes = quadrature_nodes(a, e)
        da = 0.0
        de = 0.0
        for k in range(n_nodes):
            cos_e = math.cos(2.0 * math.pi * k / n_nodes)
            r = a * (1.0 - e * cos_e)
            rho = density_scale * math.exp(field_log_rho(log_rho, alt_m, t_day, r - R_EARTH))
            da_k, de_k = node_rates(a, e, cos_e, wind, rho, bc, n_nodes)
            da += da_k
            de += de_k
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
