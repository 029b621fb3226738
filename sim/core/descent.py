"""Cowell flight through the lower atmosphere: the final burn, the descent, falling fragments.

Two-body + J2 + drag in the co-rotating atmosphere (NRLMSIS through a ``DensityCube``) +
retrograde thrust with mass flow, in the intermediate inertial frame of ``frames`` (SI:
metres, seconds, kg). Fixed-step RK4 whose step shrinks with the drag relaxation rate
2 / tau = rho v_rel / B (B = m / C_D A): a light fragment near the ground relaxes to its
terminal speed in a fraction of a second, and RK4 is stable only for steps below ~1.4 tau
(its stability limit is 2.79 / rate on the negative real axis); steps of tau keep a margin
and track the terminal fall to centimetres. Steps land on the burn's start and end, and the
thrust is on or off for a whole step, so the burn costs no order of accuracy. A flight
stops at a geodetic height (the last step cut to land on it), at a time limit, or (when
asked) once it has settled into a vertical fall through the co-rotating air: its horizontal
speed relative to the air, which drag damps at the rate rho v_rel / (2 B), would carry it no
further than a given distance, so the rest of the fall lands below where it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np

from .constants import FLATTENING, MU_EARTH, OMEGA_EARTH, R_EARTH
from .descent_atmosphere import DensityCube, cube_log_rho
from .gravity import j2_gravity

STOP_HEIGHT, STOP_TIME, STOP_SETTLED = 1, 2, 3
# step = STIFF_STEP / (drag relaxation rate) = tau: z = -2 on RK4's stability interval
# (-2.79, 0), damping 1/3 a step; a 0.6 / rate step moved fragment impacts by < 0.1 m
STIFF_STEP = 2.0
# Longest step (s), and a shorter one below FINE_BELOW_M: the cube's ln rho is piecewise
# linear in altitude, and below ~130 km (the base of the thermosphere, where the scale height
# grows from ~6 to ~20 km) its slope changes most from node to node; RK4 loses order at each
# such kink, in proportion to the drag. Against 0.05 s steps, final burns of musk-2027,
# nasa-2030 and a 150 x 230 km test orbit break up 5-25 m off (5 s throughout: up to 210 m);
# fragments land within 1 m.
MAX_STEP_S = 5.0
FINE_STEP_S = 2.0
FINE_BELOW_M = 130e3


@dataclass(frozen=True)
class Thrust:
    """A finite retrograde burn: ``force_n`` from ``start_s`` for ``duration_s``; pitch and
    yaw (rad) tilt the thrust off the anti-velocity direction (execution errors)."""

    force_n: float = 0.0
    mdot_kg_s: float = 0.0
    start_s: float = 0.0
    duration_s: float = 0.0
    pitch_rad: float = 0.0
    yaw_rad: float = 0.0


NO_THRUST = Thrust()


@dataclass(frozen=True)
class Flight:
    status: int  # STOP_HEIGHT or STOP_TIME
    t_s: float  # seconds after the start when it stopped
    state: np.ndarray  # (x, y, z, vx, vy, vz, m) at the stop
    path_t: np.ndarray  # recorded samples (every ``record_s``)
    path: np.ndarray


@numba.njit(cache=True)
def geodetic_height(x, y, z):
    """Height above the WGS-84 ellipsoid to ~20 m, and geocentric latitude (rad)."""
    r = math.sqrt(x * x + y * y + z * z)
    sin_lat = z / r
    return r - R_EARTH * (1.0 - FLATTENING * sin_lat * sin_lat), math.asin(sin_lat)


@numba.njit(cache=True)
def _rho(x, y, z, t, cube, alt_km, lat0, dlat, dlst, theta0, ut0_h, scale):
    h, lat = geodetic_height(x, y, z)
    lon = math.atan2(y, x) - (theta0 + OMEGA_EARTH * t)
    lst = (ut0_h + t / 3600.0 + math.degrees(lon) / 15.0) % 24.0
    return scale * math.exp(cube_log_rho(cube, alt_km, lat0, dlat, dlst, h / 1000.0,
                                         math.degrees(lat), lst))


@numba.njit(cache=True)
def _deriv(t, u, p, cube, alt_km, thr, burning, out):
    """du/dt; ``p`` = (lat0, dlat, dlst, theta0, ut0_h, scale, cd_area), ``thr`` = (force,
    mdot, start, end, pitch, yaw); ``burning``: the thrust is on. Returns the drag
    relaxation rate rho v_rel / B (1/s)."""
    x, y, z, vx, vy, vz, m = u[0], u[1], u[2], u[3], u[4], u[5], u[6]
    ax, ay, az, _ = j2_gravity(x, y, z, MU_EARTH, R_EARTH)
    wx, wy, wz = vx + OMEGA_EARTH * y, vy - OMEGA_EARTH * x, vz
    vrel = math.sqrt(wx * wx + wy * wy + wz * wz)
    rho = _rho(x, y, z, t, cube, alt_km, p[0], p[1], p[2], p[3], p[4], p[5])
    k = -0.5 * rho * vrel * p[6] / m
    ax += k * wx
    ay += k * wy
    az += k * wz
    dm = 0.0
    if burning:
        v = math.sqrt(vx * vx + vy * vy + vz * vz)
        # local frame: -v along track, n = radial part normal to v, h = orbit normal
        hx, hy, hz = y * vz - z * vy, z * vx - x * vz, x * vy - y * vx
        hn = math.sqrt(hx * hx + hy * hy + hz * hz)
        nx, ny, nz = (hy * vz - hz * vy) / (hn * v), (hz * vx - hx * vz) / (hn * v), \
            (hx * vy - hy * vx) / (hn * v)
        cp, sp, cy, sy = math.cos(thr[4]), math.sin(thr[4]), math.cos(thr[5]), math.sin(thr[5])
        a = thr[0] / m
        ax += a * (-cp * cy * vx / v + sp * cy * nx + sy * hx / hn)
        ay += a * (-cp * cy * vy / v + sp * cy * ny + sy * hy / hn)
        az += a * (-cp * cy * vz / v + sp * cy * nz + sy * hz / hn)
        dm = -thr[1]
    out[0], out[1], out[2] = vx, vy, vz
    out[3], out[4], out[5] = ax, ay, az
    out[6] = dm
    return rho * vrel * p[6] / m


@numba.njit(cache=True)
def _rk4(t, u, dt, p, cube, alt_km, thr, burning, k1, k2, k3, k4, tmp):
    """One RK4 step from (t, u); ``k1`` already holds du/dt there."""
    tmp[:] = u + 0.5 * dt * k1
    _deriv(t + 0.5 * dt, tmp, p, cube, alt_km, thr, burning, k2)
    tmp[:] = u + 0.5 * dt * k2
    _deriv(t + 0.5 * dt, tmp, p, cube, alt_km, thr, burning, k3)
    tmp[:] = u + dt * k3
    _deriv(t + dt, tmp, p, cube, alt_km, thr, burning, k4)
    return u + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)


@numba.njit(cache=True)
def _burning(thr, t_mid):
    return thr[0] > 0.0 and thr[2] <= t_mid < thr[3]


@numba.njit(cache=True)
def _settled(u, relax, settle_m):
    """Falling, with the air-relative horizontal speed's remaining drift 2 w_h / relax (the
    cross-track part of v_rel decays at half the drag relaxation rate) under ``settle_m``."""
    x, y, z = u[0], u[1], u[2]
    wx, wy, wz = u[3] + OMEGA_EARTH * y, u[4] - OMEGA_EARTH * x, u[5]
    r = math.sqrt(x * x + y * y + z * z)
    w_r = (wx * x + wy * y + wz * z) / r
    w_h = math.sqrt(max(wx * wx + wy * wy + wz * wz - w_r * w_r, 0.0))
    return w_r < 0.0 and 2.0 * w_h < settle_m * relax


@numba.njit(cache=True)
def integrate(u0, t_max, dt_max, p, cube, alt_km, thr, stop_h, record_s, path_t, path,
              settle_m):
    """Fly from ``u0`` at t = 0 until the geodetic height falls to ``stop_h`` (m), until
    ``t_max``, or (``settle_m`` > 0) until settled into a vertical fall.
    Returns (status, t, u, n_recorded)."""
    u = u0.copy()
    k1, k2, k3, k4, tmp = np.empty(7), np.empty(7), np.empty(7), np.empty(7), np.empty(7)
    t = 0.0
    n_rec = 0
    next_rec = 0.0
    h0, _ = geodetic_height(u[0], u[1], u[2])
    while True:
        if n_rec < path.shape[0] and t >= next_rec:
            path_t[n_rec] = t
            path[n_rec] = u
            n_rec += 1
            next_rec += record_s
        on = _burning(thr, t)
        relax = _deriv(t, u, p, cube, alt_km, thr, on, k1)
        if settle_m > 0.0 and not on and relax > 0.0 and _settled(u, relax, settle_m):
            return STOP_SETTLED, t, u, n_rec
        dt = min(dt_max, FINE_STEP_S) if h0 < FINE_BELOW_M else dt_max
        dt = min(dt, STIFF_STEP / relax) if relax > 0.0 else dt
        dt = max(dt, 1e-3)
        for edge in (thr[2], thr[3]):  # land exactly on the burn's start and end
            if thr[0] > 0.0 and t < edge < t + dt:
                dt = edge - t
        if t + dt >= t_max:
            dt = t_max - t
        if _burning(thr, t + 0.5 * dt) != on:  # t within rounding of an edge
            on = not on
            _deriv(t, u, p, cube, alt_km, thr, on, k1)
        new = _rk4(t, u, dt, p, cube, alt_km, thr, on, k1, k2, k3, k4, tmp)
        h1, _ = geodetic_height(new[0], new[1], new[2])
        if h1 <= stop_h:
            # regula falsi on the fraction of the step where the height crosses stop_h
            lo, hi, g_lo, g_hi = 0.0, 1.0, h0 - stop_h, h1 - stop_h
            frac = 1.0
            for _ in range(4):
                frac = lo + (hi - lo) * g_lo / (g_lo - g_hi)
                new = _rk4(t, u, dt * frac, p, cube, alt_km, thr, on, k1, k2, k3, k4, tmp)
                g, _ = geodetic_height(new[0], new[1], new[2])
                g -= stop_h
                if abs(g) < 0.5:
                    break
                if g > 0.0:
                    lo, g_lo = frac, g
                else:
                    hi, g_hi = frac, g
            return STOP_HEIGHT, t + dt * frac, new, n_rec
        t += dt
        u = new
        h0 = h1
        if t >= t_max:
            return STOP_TIME, t, u, n_rec


@dataclass(frozen=True)
class Atmosphere:
    """What the integrator needs about the air on the day: the cube and a density scale."""

    cube: DensityCube
    theta0: float  # Earth rotation angle (rad) at the flight's t = 0
    day0: float  # days since 1970 at the flight's t = 0
    density_scale: float = 1.0


def fly(u0: np.ndarray, cd_area_m2: float, air: Atmosphere, stop_height_m: float,
        t_max_s: float, thrust: Thrust = NO_THRUST, dt_max_s: float = MAX_STEP_S,
        record_s: float = 0.0, settle_m: float = 0.0) -> Flight:
    """Fly state ``u0`` = (x, y, z, vx, vy, vz, m) (m, m/s, kg) until ``stop_height_m``.

    ``record_s`` > 0 keeps a sample every so many seconds (ground tracks, checks);
    ``settle_m`` > 0 stops (``STOP_SETTLED``) once the fall has settled to within that drift.
    """
    cube = air.cube
    ut0_h = (air.day0 % 1.0) * 24.0
    p = np.array([cube.lat_deg[0], cube.lat_deg[1] - cube.lat_deg[0],
                  cube.lst_h[1] - cube.lst_h[0], air.theta0, ut0_h, air.density_scale,
                  cd_area_m2])
    thr = np.array([thrust.force_n, thrust.mdot_kg_s, thrust.start_s,
                    thrust.start_s + thrust.duration_s, thrust.pitch_rad, thrust.yaw_rad])
    n_rec = int(t_max_s / record_s) + 2 if record_s > 0 else 0
    path_t, path = np.empty(n_rec), np.empty((n_rec, 7))
    status, t, u, n = integrate(np.asarray(u0, float), float(t_max_s), float(dt_max_s), p,
                                cube.log_rho, cube.alt_km, thr, float(stop_height_m),
                                record_s if record_s > 0 else 1e30, path_t, path,
                                float(settle_m))
    return Flight(int(status), float(t), u, path_t[:n], path[:n])
