"""Orbit-averaged rates of the mean elements under drag and J2 (Gauss's equations).

Drag acts along the velocity relative to a co-rotating atmosphere; its tangential component
f_T = -1/2 rho F v^2 / B, with F = (1 - omega_E h cos i / v^2)^2 the co-rotation factor
(~0.92 for the ISS). Averages over the mean anomaly are taken as Gauss-Legendre sums over the
eccentric anomaly, <X> = 1/(2 pi) \\oint X (1 - e cos E) dE. J2 adds the secular node and
perigee drifts. SI units: metres, seconds, kg; B = m / (C_D A) in kg/m^2.
"""

import math

import numba
import numpy as np

from .constants import J2, MU_EARTH, OMEGA_EARTH, R_EARTH
from .density_field import field_log_rho

N_NODES = 24
GL_X, GL_W = np.polynomial.legendre.leggauss(N_NODES)
A, E, INC, RAAN, ARGP = range(5)  # state layout


@numba.njit(cache=True)
def co_rotation_factor(a, e, inc, v2):
    """(v_rel,T / v)^2: the along-track wind of the rotating atmosphere is omega_E h cos i / v."""
    h_ang = math.sqrt(MU_EARTH * a * (1.0 - e * e))
    return (1.0 - OMEGA_EARTH * h_ang * math.cos(inc) / v2) ** 2


@numba.njit(cache=True)
def averaged_rates(state, bc, t_day, log_rho, alt_m, corotate, gl_x, gl_w, out):
    """Write d(state)/dt (per second) into ``out`` for state (a, e, i, raan, argp)."""
    a, e, inc = state[A], state[E], state[INC]
    da = 0.0
    de = 0.0
    for k in range(gl_x.size):
        ecc_anom = math.pi * (gl_x[k] + 1.0)
        cos_e = math.cos(ecc_anom)
        one_m = 1.0 - e * cos_e
        r = a * one_m
        v2 = MU_EARTH * (2.0 / r - 1.0 / a)
        v = math.sqrt(v2)
        cos_nu = (cos_e - e) / one_m
        factor = co_rotation_factor(a, e, inc, v2) if corotate else 1.0
        rho = math.exp(field_log_rho(log_rho, alt_m, t_day, r - R_EARTH))
        f_t = -0.5 * rho * factor * v2 / bc
        weight = 0.5 * gl_w[k] * one_m  # 1/(2 pi) * (pi w_k) * (1 - e cos E)
        da += weight * 2.0 * a * a * v * f_t / MU_EARTH
        de += weight * 2.0 * (e + cos_nu) * f_t / v
    n = math.sqrt(MU_EARTH / a**3)
    p = a * (1.0 - e * e)
    j2_rate = n * J2 * (R_EARTH / p) ** 2
    out[A] = da
    out[E] = de if (e > 0.0 or de > 0.0) else 0.0
    out[INC] = 0.0
    out[RAAN] = -1.5 * j2_rate * math.cos(inc)
    out[ARGP] = 0.75 * j2_rate * (5.0 * math.cos(inc) ** 2 - 1.0)
