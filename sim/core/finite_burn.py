"""Finite burns: thrust over an arc of the orbit, integrated in Cowell's form.

A burn of ~20-40 minutes spans a quarter of a revolution, so where and how long it burns
changes what it achieves. The burn is centred on apogee; the state is integrated with fixed-step
RK4 (10 s steps, J2 + drag + thrust + mass flow). Mean elements come in and go out; to avoid
confusing J2's short-period terms with the burn's effect, the change is measured as the
difference between one-revolution averages of the osculating a and eccentricity vector after
the burn and after the same coast without it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np

from .constants import G0, MU_EARTH, R_EARTH
from .cowell import j2_drag
from .density_field import DensityField
from .mean_elements import A, ARGLAT, ARGP, E, INC, RAAN

K_KM = MU_EARTH / 1e9
STEP_S = 10.0


@dataclass(frozen=True)
class BurnOutcome:
    state: np.ndarray  # mean elements after the burn (a m, e, i, raan, argp rad)
    duration_s: float
    propellant_kg: float
    dv_m_s: float  # ideal (rocket-equation) delta-v of the propellant burned
    start_day: float  # days (field time) at ignition


@numba.njit(cache=True, inline="always")  # arrays passed to a call cost refcounts
def _thrusting_rates(t_s, u, log_rho, alt_m, t0_day, cd_area, corotate, thrust_n, mdot, out):
    """d/dt of (x, y, z, vx, vy, vz, m) (km, km/s, kg) into ``out``: two-body + J2 + drag
    (``cowell.j2_drag``, with C_D A and the current mass, which falls during the burn) and
    a retrograde thrust along the inertial velocity."""
    x, y, z, vx, vy, vz, mass = u[0], u[1], u[2], u[3], u[4], u[5], u[6]
    ax, ay, az = j2_drag(t_s, x, y, z, vx, vy, vz, K_KM, log_rho, alt_m, t0_day,
                         mass / cd_area, corotate)
    v = math.sqrt(vx * vx + vy * vy + vz * vz)
    acc = -1.0 * thrust_n / mass / 1000.0 / v  # km/s^2 per (km/s) of velocity
    out[0], out[1], out[2] = vx, vy, vz
    out[3] = ax + acc * vx
    out[4] = ay + acc * vy
    out[5] = az + acc * vz
    out[6] = -mdot


@numba.njit(cache=True)
def _rk4_path(u0, n_steps, dt, t0_day, log_rho, alt_m, cd_area, corotate, thrust, mdot,
              burn_steps, out, stop_radius_km=0.0):
    """Fixed-step RK4; returns the number of steps taken (fewer if |r| fell to stop_radius).

    The stages live in scratch rows rather than array expressions (each of which allocates);
    the arithmetic is the same term by term."""
    u = u0.copy()
    k = np.empty((4, 7))
    stage = np.empty(7)
    out[0] = u
    half, sixth = dt / 2, dt / 6.0
    for s in range(n_steps):
        t = s * dt
        f_thrust = thrust if s < burn_steps else 0.0
        f_mdot = mdot if s < burn_steps else 0.0
        _thrusting_rates(t, u, log_rho, alt_m, t0_day, cd_area, corotate, f_thrust, f_mdot,
                         k[0])
        for i in range(7):
            stage[i] = u[i] + half * k[0, i]
        _thrusting_rates(t + half, stage, log_rho, alt_m, t0_day, cd_area, corotate, f_thrust,
                         f_mdot, k[1])
        for i in range(7):
            stage[i] = u[i] + half * k[1, i]
        _thrusting_rates(t + half, stage, log_rho, alt_m, t0_day, cd_area, corotate, f_thrust,
                         f_mdot, k[2])
        for i in range(7):
            stage[i] = u[i] + dt * k[2, i]
        _thrusting_rates(t + dt, stage, log_rho, alt_m, t0_day, cd_area, corotate, f_thrust,
                         f_mdot, k[3])
        for i in range(7):
            u[i] = u[i] + sixth * (k[0, i] + 2 * k[1, i] + 2 * k[2, i] + k[3, i])
            out[s + 1, i] = u[i]
        if u[0] ** 2 + u[1] ** 2 + u[2] ** 2 < stop_radius_km ** 2:
            return s + 1
    return n_steps


def _state_vector(elements: np.ndarray, nu: float) -> np.ndarray:
    """Position (km) and velocity (km/s) from (a m, e, i, raan, argp) at true anomaly nu."""
    a_km = elements[A] / 1000.0
    e, inc, raan, argp = elements[E], elements[INC], elements[RAAN], elements[ARGP]
    p = a_km * (1 - e * e)
    r_pf = p / (1 + e * math.cos(nu)) * np.array([math.cos(nu), math.sin(nu), 0.0])
    v_pf = math.sqrt(K_KM / p) * np.array([-math.sin(nu), e + math.cos(nu), 0.0])
    rot = _perifocal_to_inertial(raan, inc, argp)
    return np.concatenate([rot @ r_pf, rot @ v_pf])


def _perifocal_to_inertial(raan, inc, argp):
    co, so, ci, si, cw, sw = (math.cos(raan), math.sin(raan), math.cos(inc), math.sin(inc),
                              math.cos(argp), math.sin(argp))
    return np.array([[co * cw - so * sw * ci, -co * sw - so * cw * ci, so * si],
                     [so * cw + co * sw * ci, -so * sw + co * cw * ci, -co * si],
                     [sw * si, cw * si, ci]])


@numba.njit(cache=True)
def _osculating_a_and_ecc_sum(path):
    """Osculating semi-major axis (km) of each row, and the sum of the eccentricity vectors
    over the rows in numpy's order (row by row, as ``mean(axis=0)`` adds them)."""
    n = path.shape[0]
    a = np.empty(n)
    ecc = np.zeros(3)
    for i in range(n):
        x, y, z, vx, vy, vz = path[i, 0], path[i, 1], path[i, 2], path[i, 3], path[i, 4], \
            path[i, 5]
        rn = math.sqrt(x * x + y * y + z * z)
        v2 = vx * vx + vy * vy + vz * vz
        a[i] = 1.0 / (2.0 / rn - v2 / K_KM)
        rv = x * vx + y * vy + z * vz
        c = v2 - K_KM / rn
        ecc[0] += (c * x - rv * vx) / K_KM
        ecc[1] += (c * y - rv * vy) / K_KM
        ecc[2] += (c * z - rv * vz) / K_KM
    return a, ecc


def _mean_a_and_ecc_vector(path: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean osculating a (km) and eccentricity vector over the path's rows (the per-row
    work in numba; the mean of a by numpy, whose pairwise sum sets the bits)."""
    a, ecc = _osculating_a_and_ecc_sum(path)
    return float(a.mean()), ecc / path.shape[0]


def _elements_from(a_km: float, ecc_vec: np.ndarray, old: np.ndarray) -> np.ndarray:
    """Mean elements with new a and eccentricity vector, keeping the orbital plane."""
    new = old.copy()
    new[A] = a_km * 1000.0
    rot = _perifocal_to_inertial(old[RAAN], old[INC], 0.0)  # x: node, y: in-plane
    in_plane = rot.T @ ecc_vec
    new[E] = float(math.hypot(in_plane[0], in_plane[1]))
    new[ARGP] = float(math.atan2(in_plane[1], in_plane[0])) if new[E] > 0 else old[ARGP]
    return new


CIRCULAR_E = 1e-4  # below this the apsides are undefined in practice: burn where the station is


def align_to_burn(elements: np.ndarray, duration_s: float) -> np.ndarray:
    """The elements at ignition of a burn centred on apogee that starts now.

    A burn's time is the plan's (a scenario's dates, or the lowering schedule), so the phase
    is made to agree with it: the mean argument of latitude u (index ARGLAT) is put half a burn
    before apogee. Over months of decay the along-track phase is lost in the drag uncertainty
    anyway; the final burn's phasing over the ground is chosen separately. On a near-circular
    orbit the apsides are undefined: the burn's centre becomes the apogee.
    """
    period = 2 * math.pi * math.sqrt(elements[A] ** 3 / MU_EARTH)
    half_arc = math.pi * duration_s / period
    out = elements.copy()
    if elements[E] < CIRCULAR_E:
        out[ARGP] = (elements[ARGLAT] + half_arc - math.pi) % (2 * math.pi)
    else:
        out[ARGLAT] = (elements[ARGP] + math.pi - half_arc) % (2 * math.pi)
    return out


def phase_after_burn(elements: np.ndarray, duration_s: float) -> float:
    """Mean argument of latitude at the end of a burn centred on apogee."""
    period = 2 * math.pi * math.sqrt(elements[A] ** 3 / MU_EARTH)
    return (elements[ARGP] + math.pi + math.pi * duration_s / period) % (2 * math.pi)


@dataclass(frozen=True)
class _BurnGrid:
    """Where a burn centred on apogee starts and how it is stepped (shared by both burns)."""

    u0: np.ndarray  # (x, y, z, vx, vy, vz, m) at ignition, km, km/s, kg
    mdot: float  # kg/s
    n_burn: int  # steps while thrusting
    dt: float  # s per step
    n_rev: int  # steps in one revolution


def _burn_grid(elements: np.ndarray, mass_kg: float, thrust_n: float, isp_s: float,
               duration_s: float) -> _BurnGrid:
    period = 2 * math.pi * math.sqrt(elements[A] ** 3 / MU_EARTH)
    nu_start = math.pi - math.pi * duration_s / period  # half the burn before apogee
    n_burn = max(int(math.ceil(duration_s / STEP_S)), 1)
    dt = duration_s / n_burn
    u0 = np.concatenate([_state_vector(elements, nu_start), [mass_kg]])
    return _BurnGrid(u0, thrust_n / (isp_s * G0), n_burn, dt, int(math.ceil(period / dt)))


def retro_burn(elements: np.ndarray, mass_kg: float, cd_area_m2: float, thrust_n: float,
               isp_s: float, duration_s: float, field: DensityField, day: float,
               corotate: bool = True) -> BurnOutcome:
    """A retrograde burn of ``duration_s`` centred on apogee, starting near field day ``day``."""
    g = _burn_grid(elements, mass_kg, thrust_n, isp_s, duration_s)
    n_burn, n_rev, mdot = g.n_burn, g.n_rev, g.mdot
    t0 = day - field.first_day
    # compare the revolution after the burn with the same revolution of the coast (half a
    # revolution after the burn ends); the paths stop where that window ends
    window = slice(n_burn + n_rev // 2, n_burn + n_rev // 2 + n_rev)
    # 'mdot' and thrust in SI; the path is in km, km/s and kg (_thrusting_rates converts)
    burned = np.empty((window.stop, 7))
    coast = np.empty_like(burned)
    _rk4_path(g.u0, burned.shape[0] - 1, g.dt, t0, field.log_rho, field.alt_m, cd_area_m2,
              corotate, thrust_n, mdot, n_burn, burned)
    _rk4_path(g.u0, coast.shape[0] - 1, g.dt, t0, field.log_rho, field.alt_m, cd_area_m2,
              corotate, 0.0, 0.0, 0, coast)
    a_b, e_b = _mean_a_and_ecc_vector(burned[window])
    a_c, e_c = _mean_a_and_ecc_vector(coast[window])
    a0_km = elements[A] / 1000.0
    rot = _perifocal_to_inertial(elements[RAAN], elements[INC], elements[ARGP])
    e0_vec = rot @ np.array([elements[E], 0.0, 0.0])
    state = _elements_from(a0_km + (a_b - a_c), e0_vec + (e_b - e_c), elements)
    if len(state) > ARGLAT:
        state[ARGLAT] = phase_after_burn(elements, duration_s)
    propellant = mdot * duration_s
    dv = isp_s * G0 * math.log(mass_kg / (mass_kg - propellant))
    return BurnOutcome(state, duration_s, propellant, dv, day)


@dataclass(frozen=True)
class FinalBurnOutcome:
    perigee_m: float  # mean perigee altitude (|r| - R_eq) after the burn
    apogee_m: float
    duration_s: float
    propellant_kg: float
    dv_m_s: float
    start_day: float
    reentry_day: float  # when |r| - R_eq fell to the stop altitude (NaN: not within 2 revs)


def final_burn(elements: np.ndarray, mass_kg: float, cd_area_m2: float, thrust_n: float,
               isp_s: float, duration_s: float, field: DensityField, day: float,
               stop_alt_m: float, corotate: bool = True) -> FinalBurnOutcome:
    """The last burn, centred on apogee, then the coast down to the stop altitude."""
    g = _burn_grid(elements, mass_kg, thrust_n, isp_s, duration_s)
    n_burn, dt, mdot = g.n_burn, g.dt, g.mdot
    n_total = n_burn + 2 * g.n_rev
    path = np.empty((n_total + 1, 7))
    stop_r = R_EARTH / 1000.0 + stop_alt_m / 1000.0
    steps = _rk4_path(g.u0, n_total, dt, day - field.first_day, field.log_rho, field.alt_m,
                      cd_area_m2, corotate, thrust_n, mdot, n_burn, path, stop_r)
    burned_steps = min(steps, n_burn)  # the burn ends early if the stop altitude comes first
    duration_s = burned_steps * dt
    # Osculating apsides swing by ~J2 (R/a)^2 a ~ 6 km over a revolution, as much as the
    # burn moves them near 150 km: report the mean apsides plus what the burn changed
    # against the same coast without thrust at the same moment.
    coast = np.empty((burned_steps + 1, 7))
    _rk4_path(g.u0, burned_steps, dt, day - field.first_day, field.log_rho, field.alt_m,
              cd_area_m2, corotate, 0.0, 0.0, 0, coast)
    rp_b, ra_b = _osculating_apsides(path[burned_steps])
    rp_c, ra_c = _osculating_apsides(coast[burned_steps])
    rp_mean = elements[A] * (1 - elements[E]) / 1000.0 + (rp_b - rp_c)
    ra_mean = elements[A] * (1 + elements[E]) / 1000.0 + (ra_b - ra_c)
    reentry = day + steps * dt / 86400.0 if steps < n_total else float("nan")
    propellant = mdot * duration_s
    return FinalBurnOutcome((rp_mean - R_EARTH / 1000.0) * 1000.0,
                            (ra_mean - R_EARTH / 1000.0) * 1000.0, duration_s,
                            propellant, isp_s * G0 * math.log(mass_kg / (mass_kg - propellant)),
                            day, reentry)


def _osculating_apsides(u: np.ndarray) -> tuple[float, float]:
    """Perigee and apogee radii (km) of the osculating orbit of (x, y, z, vx, vy, vz, m)."""
    r, v = u[:3], u[3:6]
    rn, v2 = np.linalg.norm(r), float(v @ v)
    a = 1.0 / (2.0 / rn - v2 / K_KM)
    ecc = np.linalg.norm(((v2 - K_KM / rn) * r - (r @ v) * v) / K_KM)
    return a * (1 - ecc), a * (1 + ecc)
