"""The coast before the final burn, flown in Cowell's form: its apogee passes and its state
at any time.

The final burn keeps its place on the orbit (centred on apogee, where lowering the perigee
costs least; a ~130 km perigee makes the descent depend strongly on where the burn starts),
so the coast gives the passes it can fire on, one a revolution, and the state to fly it from
(``state_at``, continuous in time). Choosing among them is ``phasing_plan``'s and
``final_aim``'s work.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.core.constants import MU_EARTH, R_EARTH
from sim.core.descent import Atmosphere, fly
from sim.core.frames import earth_rotation_angle
from sim.core.mean_to_osculating import osculating_state
from sim.core.orbit_state import arguments_of_latitude, rotate_in_plane

COAST_RECORD_S = 20.0
COAST_STEP_S = 10.0  # RK4 step of the coast (two a sample)
MIN_PERIGEE_M = 120e3  # below this the coast is a reentry, not a revolution to wait for


@dataclass(frozen=True)
class CoastPath:
    t_s: np.ndarray  # seconds after the earliest burn time
    states: np.ndarray  # (n, 7) inertial states
    revolution: np.ndarray  # completed revolutions since t = 0 (node crossings)
    air: Atmosphere | None = None  # the coast's atmosphere and C_D A (to fly between samples)
    cd_area: float = 0.0


@dataclass(frozen=True)
class PhasingChoice:
    ignition_s: float  # after the earliest burn time (the wait)
    delay_s: float  # how much later the phased station reaches the ignition point
    revolution: int
    miss_without_phasing_km: float
    phasing_dv_m_s: float


def coast(u0: np.ndarray, cd_area: float, air: Atmosphere, window_s: float,
          stop_height_m: float) -> CoastPath:
    """The orbit without the burn over the window (shorter if it decays first)."""
    flight = fly(u0, cd_area, air, stop_height_m, max(window_s, COAST_RECORD_S),
                 dt_max_s=COAST_STEP_S, record_s=COAST_RECORD_S)
    u = arguments_of_latitude(flight.path[:, :3], flight.path[:, 3:6])
    revs = np.concatenate([[0], np.cumsum(np.diff(u) < -math.pi)])
    return CoastPath(flight.path_t, flight.path, revs, air, cd_area)


def coast_from(elements: np.ndarray, arg_latitude: float, mass_kg: float, cd_area: float,
               air: Atmosphere, window_s: float, stop_height_m: float) -> CoastPath:
    """The coast from mean elements (made osculating so that their one-revolution means
    agree: ``mean_to_osculating``)."""
    u0 = osculating_state(elements, arg_latitude, mass_kg, air)
    return coast(u0, cd_area, air, window_s, stop_height_m)


def orbit_frame(state: np.ndarray) -> np.ndarray:
    r = state[:3] / np.linalg.norm(state[:3])
    h = np.cross(state[:3], state[3:6])
    h = h / np.linalg.norm(h)
    return np.column_stack([r, np.cross(h, r), h])


def apogee_ignitions(path: CoastPath, argp: float, duration_s: float,
                     min_perigee_m: float = MIN_PERIGEE_M, argp_rate: float = 0.0) -> np.ndarray:
    """Times (s) on the coast when a burn of ``duration_s`` centred on apogee would start,
    one a revolution (the burn's place on the orbit is kept: only the revolution changes).
    ``argp`` is the mean argument of perigee at the coast's start and ``argp_rate`` (rad/s)
    its J2 drift; the angle is found on the coast's own argument of latitude, unwrapped."""
    u = np.unwrap(arguments_of_latitude(path.states[:, :3], path.states[:, 3:6]))
    period = path.t_s[-1] * 2 * math.pi / max(u[-1] - u[0], 1e-9) if len(u) > 1 else 5400.0
    target = argp + math.pi - math.pi * duration_s / period
    g = u - argp_rate * path.t_s  # the angle from the drifting apsides: still increasing
    first = target + 2 * math.pi * math.ceil((g[0] - target) / (2 * math.pi))
    wanted = np.arange(first, g[-1], 2 * math.pi)
    times = np.interp(wanted, g, path.t_s)
    # a revolution counts while the orbit still has one: perigee above min_perigee_m
    return np.array([t for t in times if _perigee_alt(state_at(path, t)) >= min_perigee_m])


def _perigee_alt(state: np.ndarray) -> float:
    r, v = state[:3], state[3:6]
    rn, v2 = np.linalg.norm(r), float(v @ v)
    a = 1.0 / (2.0 / rn - v2 / MU_EARTH)
    ecc = np.linalg.norm(((v2 - MU_EARTH / rn) * r - (r @ v) * v) / MU_EARTH)
    return float(a * (1.0 - ecc) - R_EARTH)


def state_at(path: CoastPath, t_s: float) -> np.ndarray:
    """The coasting state at ``t_s``, flown from the sample before it with the coast's own
    integrator (continuous in ``t_s``: a descent from a low perigee is sensitive to metres
    and tenths of m/s at the burn). Outside the coast, or without its atmosphere, the
    nearest sample is turned along the orbit at the mean motion."""
    k = int(np.clip(np.searchsorted(path.t_s, t_s, side="right") - 1, 0, len(path.t_s) - 1))
    s, step = path.states[k], t_s - path.t_s[k]
    if abs(step) < 1e-9:
        return s.copy()
    if path.air is None or step < 0 or step > 2 * COAST_RECORD_S:
        n = np.linalg.norm(s[3:6]) / np.linalg.norm(s[:3])
        return rotate_in_plane(s, n * step)
    day = path.air.day0 + path.t_s[k] / 86400.0
    air = Atmosphere(path.air.cube, float(earth_rotation_angle(day)), day,
                     path.air.density_scale)
    return fly(s, path.cd_area, air, -1e9, step, dt_max_s=COAST_STEP_S).state
