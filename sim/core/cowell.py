"""Cowell's formulation: two-body + J2 + drag in a co-rotating atmosphere, plus finite thrust.

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


@numba.njit(cache=True)
def accel_j2_drag(t_s, u, k, log_rho, alt_m, t0_day, bc, corotate):
    """du/dt (km, km/s) for state u = (x, y, z, vx, vy, vz) at ``t_s`` seconds from t0_day."""
    x, y, z, vx, vy, vz = u[0], u[1], u[2], u[3], u[4], u[5]
    ax, ay, az, r = j2_gravity(x, y, z, k, R_KM)
    wx = vx + OMEGA_EARTH * y if corotate else vx
    wy = vy - OMEGA_EARTH * x if corotate else vy
    wz = vz
    vrel = math.sqrt(wx * wx + wy * wy + wz * wz)
    rho = math.exp(field_log_rho(log_rho, alt_m, t0_day + t_s / DAY, (r - R_KM) * 1000.0))
    # 1/2 rho |v| v / B with v in m/s gives m/s^2; km/s inputs need a factor 1e3 (x1e3 x1e3 / 1e3)
    drag = -0.5 * rho * vrel / bc * 1000.0
    du = np.empty(6)
    du[0], du[1], du[2] = vx, vy, vz
    du[3] = ax + drag * wx
    du[4] = ay + drag * wy
    du[5] = az + drag * wz
    return du


def drag_j2_rhs(field: DensityField, t0_day: float, bc: float, corotate: bool = True):
    """A right-hand side ``f(t, u, k)`` in hapsira's form (for ``CowellPropagator(f=...)``)."""
    log_rho, alt_m = field.log_rho, field.alt_m
    t0_rel = t0_day - field.first_day

    def f(t, u, k):
        return accel_j2_drag(t, u, k, log_rho, alt_m, t0_rel, bc, corotate)

    return f


@numba.njit(cache=True)
def accel_thrusting(t_s, u, k, log_rho, alt_m, t0_day, cd_area, corotate, thrust_n, mdot,
                    direction):
    """d/dt of (x, y, z, vx, vy, vz, m) with thrust along ``direction`` (+1 prograde, -1 retro).

    Drag here uses C_D A (m^2) and the current mass, since the mass falls during the burn.
    """
    mass = u[6]
    du6 = accel_j2_drag(t_s, u[:6], k, log_rho, alt_m, t0_day, mass / cd_area, corotate)
    vx, vy, vz = u[3], u[4], u[5]
    v = math.sqrt(vx * vx + vy * vy + vz * vz)
    acc = direction * thrust_n / mass / 1000.0 / v  # km/s^2 per (km/s) of velocity
    du = np.empty(7)
    du[:6] = du6
    du[3] += acc * vx
    du[4] += acc * vy
    du[5] += acc * vz
    du[6] = -mdot
    return du
