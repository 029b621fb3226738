"""Cowell's form: two-body + J2 + drag in a co-rotating atmosphere (thrust: ``finite_burn``).

The right-hand sides are numba functions on km and km/s (hapsira's core convention), so the
same physics serves hapsira's ``CowellPropagator`` (the reference for the mean-element
propagator) and our finite-burn integrations. Density comes from the same ``DensityField``
the mean-element propagator uses, at the radius altitude |r| - R_eq.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from .constants import DAY, OMEGA_EARTH, R_EARTH
from .density_field import DensityField, field_log_rho
from .gravity import j2_gravity

R_KM = R_EARTH / 1000.0


@numba.njit(cache=True, inline="always")  # arrays passed to a call cost refcounts
def j2_drag(t_s, x, y, z, vx, vy, vz, k, log_rho, alt_m, t0_day, bc, corotate):
    """(ax, ay, az) km/s^2 of two-body + J2 + drag at (x, y, z) km, (vx, vy, vz) km/s,
    ``t_s`` seconds from t0_day: scalars in and out, so an integrator needs no arrays."""
    ax, ay, az, r = j2_gravity(x, y, z, k, R_KM)
    wx = vx + OMEGA_EARTH * y if corotate else vx
    wy = vy - OMEGA_EARTH * x if corotate else vy
    wz = vz
    vrel = math.sqrt(wx * wx + wy * wy + wz * wz)
    rho = math.exp(field_log_rho(log_rho, alt_m, t0_day + t_s / DAY, (r - R_KM) * 1000.0))
    # 1/2 rho |v| v / B with v in m/s gives m/s^2; km/s inputs need a factor 1e3 (x1e3 x1e3 / 1e3)
    drag = -0.5 * rho * vrel / bc * 1000.0
    return ax + drag * wx, ay + drag * wy, az + drag * wz


@numba.njit(cache=True)
def accel_j2_drag(t_s, u, k, log_rho, alt_m, t0_day, bc, corotate):
    """du/dt (km, km/s) for state u = (x, y, z, vx, vy, vz) at ``t_s`` seconds from t0_day."""
    du = np.empty(6)
    du[0], du[1], du[2] = u[3], u[4], u[5]
    du[3], du[4], du[5] = j2_drag(t_s, u[0], u[1], u[2], u[3], u[4], u[5], k, log_rho, alt_m,
                                  t0_day, bc, corotate)
    return du


def drag_j2_rhs(field: DensityField, t0_day: float, bc: float, corotate: bool = True):
    """A right-hand side ``f(t, u, k)`` in hapsira's form (for ``CowellPropagator(f=...)``)."""
    log_rho, alt_m = field.log_rho, field.alt_m
    t0_rel = t0_day - field.first_day

    def f(t, u, k):
        return accel_j2_drag(t, u, k, log_rho, alt_m, t0_rel, bc, corotate)

    return f
