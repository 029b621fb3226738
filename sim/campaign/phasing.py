"""Phasing the final burn: which revolution, what time along it, what phase shift it costs.

The burn keeps its place on the orbit (centred on apogee, where lowering the perigee costs
least; a 150 km perigee makes the descent depend strongly on where the burn starts), so
the freedom is which revolution, a small slide of the ignition along the orbit, and when the
station gets there. Each revolution's footprint is simulated; the one needing the least
phasing is chosen. What timing cannot remove (the
aim lies off that ground track) needs the station to reach the same point of its orbit a
little later or earlier, dt_phase, so the Earth has turned by omega dt_phase more beneath
the same descent: a phase shift delta = -n dt_phase bought by a small change of the orbital
period held over the wait T before the burn, delta = -1.5 n (da / a) T, i.e. two tangential
burns of (v / 2) |da / a| each: delta-v = v |dt_phase| / (1.5 T).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.core.constants import MU_EARTH, R_EARTH
from sim.core.descent import Atmosphere, fly
from sim.core.orbit_state import argument_of_latitude, rotate_in_plane

COAST_RECORD_S = 20.0
MIN_PERIGEE_M = 120e3  # below this the coast is a reentry, not a revolution to wait for


@dataclass(frozen=True)
class CoastPath:
    t_s: np.ndarray  # seconds after the earliest burn time
    states: np.ndarray  # (n, 7) inertial states
    revolution: np.ndarray  # completed revolutions since t = 0 (node crossings)
    arg_latitude: np.ndarray  # rad, [0, 2 pi), at each sample


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
                 dt_max_s=10.0, record_s=COAST_RECORD_S)
    u = argument_of_latitude(flight.path[:, :3], flight.path[:, 3:6])
    revs = np.concatenate([[0], np.cumsum(np.diff(u) < -math.pi)])
    return CoastPath(flight.path_t, flight.path, revs, u)


def orbit_frame(state: np.ndarray) -> np.ndarray:
    r = state[:3] / np.linalg.norm(state[:3])
    h = np.cross(state[:3], state[3:6])
    h = h / np.linalg.norm(h)
    return np.column_stack([r, np.cross(h, r), h])


def apogee_ignitions(path: CoastPath, argp: float, duration_s: float,
                     min_perigee_m: float = MIN_PERIGEE_M) -> np.ndarray:
    """Times (s) on the coast when a burn of ``duration_s`` centred on apogee would start,
    one a revolution (the burn's place on the orbit is kept: only the revolution changes).
    ``argp`` is the mean argument of perigee; the angle is found on the coast's own
    argument of latitude, unwrapped."""
    u = np.unwrap(path.arg_latitude)
    period = path.t_s[-1] * 2 * math.pi / max(u[-1] - u[0], 1e-9) if len(u) > 1 else 5400.0
    target = argp + math.pi - math.pi * duration_s / period
    first = target + 2 * math.pi * math.ceil((u[0] - target) / (2 * math.pi))
    wanted = np.arange(first, u[-1], 2 * math.pi)
    times = np.interp(wanted, u, path.t_s)
    # a revolution counts while the orbit still has one: perigee above min_perigee_m
    return np.array([t for t in times if _perigee_alt(state_at(path, t)) >= min_perigee_m])


def _perigee_alt(state: np.ndarray) -> float:
    r, v = state[:3], state[3:6]
    rn, v2 = np.linalg.norm(r), float(v @ v)
    a = 1.0 / (2.0 / rn - v2 / MU_EARTH)
    ecc = np.linalg.norm(((v2 - MU_EARTH / rn) * r - (r @ v) * v) / MU_EARTH)
    return float(a * (1.0 - ecc) - R_EARTH)


def phasing_dv(state: np.ndarray, delay_s: float, wait_s: float) -> float:
    """Delta-v (m/s) of the two tangential burns that make the station arrive ``delay_s``
    later over a drift of ``wait_s`` (inf if there is no time to drift)."""
    if abs(delay_s) < 1e-9:
        return 0.0
    if wait_s <= 0:
        return math.inf
    return float(np.linalg.norm(state[3:6]) * abs(delay_s) / (1.5 * wait_s))


def state_at(path: CoastPath, t_s: float) -> np.ndarray:
    """The coasting state at ``t_s``: the sample before it turned along the orbit at the
    mean motion (samples are 20 s apart, so the turn is a short step)."""
    k = int(np.clip(np.searchsorted(path.t_s, t_s) - 1, 0, len(path.t_s) - 1))
    s = path.states[k]
    n = np.linalg.norm(s[3:6]) / np.linalg.norm(s[:3])
    return rotate_in_plane(s, n * (t_s - path.t_s[k]))
