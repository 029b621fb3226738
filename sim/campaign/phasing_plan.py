"""Lining up the final ground track by timing: where the apogee goes, which revolution to
fire on, and the small phase shift left to pay for.

Real deorbits phase with the timing of the burns before the final one. Mir (23 March 2001)
fired its two perigee-lowering burns on consecutive revolutions and the final burn two
revolutions later, all on the revolutions that put the last one over the South Pacific; ATV-1
(29 September 2008) spent three weeks drifting on a lower orbit before its two deorbit burns
so that the second fell over the right ground track. The final burn is centred on apogee, and
on the near-circular orbit the lowering starts from, the apogee is wherever the first lowering
burn is fired: its timing places the descent along the orbit at no cost. Three knobs remain,
in order of cost:

1. the start of the lowering, delayed by ``S`` seconds: a fraction of a revolution turns the
   apogee (and the whole descent) by ``alpha = n S`` in the orbit plane, whole revolutions
   move the series later by ``q T0`` (time only);
2. the revolution ``k`` of the final burn after the last lowering burn (time only, within the
   guard perigee and the phasing window);
3. what is left, a delay ``dt`` in reaching the ignition point, bought with a drift on a
   slightly different orbit (two tangential burns, ``v |dt| / (1.5 T_drift)``: delta-v).

Knobs 1-2 step the arrival time by the pre-lowering and the final periods (``q T0 + k T3``):
the ground track at a fixed place on the orbit moves by ``-(omega_E - Omega_dot) T`` a
revolution (~23 deg), and ``16 T0`` misses one nodal day ``D = 2 pi / (omega_E - Omega_dot)``
by a few hundred seconds, so a window of a day reaches only part of the phases (for the ISS
lowering from 220 km, the whole circle takes four to five days); the rest is knob 3.

Where the centre lands for a turned orbit and a moved clock comes from one simulated reference
descent (``CentreMap``): its break-up state turned rigidly in the orbit plane (exact for the
two-body motion and the Earth's turn), the centre at the reference's distance downrange of the
break-up along its heading over the ground (after break-up the pieces slow down in air that
turns with the Earth). The descent from a ~130 km perigee depends on where the perigee falls
(latitude, local time), so the map only brackets each placement, which is then found on
simulated descents; the plan is checked by flying the lowering ahead with the chosen timing,
and the campaign corrects the last kilometres after flying it (``final_aim.solve``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from sim.core.constants import OMEGA_EARTH
from sim.core.frames import ground_point, inertial_to_earth_fixed, velocity_relative_to_earth
from sim.core.great_circle import along_cross_km, destination

SCAN_POINTS = 144  # 2.5 deg steps around the orbit for the latitude roots
BRACKET_STEP = 0.02  # rad (~130 km along the track), growing by 1.6 a try
BRACKET_TRIES = 8
POLISH_STEPS = 8
LATITUDE_TOLERANCE_DEG = 0.005  # ~0.5 km
COST_QUANTUM_M_S = 0.1  # timings within this delta-v (~17 kg on the ISS) count as equal: earliest
DELAY_QUANTUM_S = 10.0  # without a drift: delays within this (~1 km across the track) are equal


def _turn(r: np.ndarray, axis: np.ndarray, angle: float) -> np.ndarray:
    """Rodrigues' rotation of the rows of ``r`` about the unit ``axis``."""
    c, s = math.cos(angle), math.sin(angle)
    return r * c + np.cross(axis, r) * s + np.outer(r @ axis, axis) * (1.0 - c)


@dataclass(frozen=True)
class CentreMap:
    """The footprint centre if the orbit is turned by ``alpha`` (rad) in its plane and every
    time is moved by ``tau`` (s): the reference descent's break-up state turned rigidly (the
    orbit plane regressing at ``raan_rate`` rad/s over ``tau``), the centre the reference's
    distance downrange of the break-up point along the descent's heading over the ground
    (after break-up the pieces slow down in the air, which turns with the Earth)."""

    breakup: np.ndarray  # inertial (x, y, z, vx, vy, vz) at break-up, m, m/s
    day: float  # of the break-up, days since 1970
    downrange_km: float  # from the break-up point to the centre, along the heading
    normal: np.ndarray  # unit orbit normal at the reference ignition
    raan_rate: float

    def breakup_point(self, alpha: float, tau: float) -> tuple[float, float, float]:
        """(lat, lon, heading rad from north) of the turned break-up over the ground."""
        rv = _turn(self.breakup.reshape(2, 3), self.normal, alpha)
        rv = _turn(rv, np.array([0.0, 0.0, 1.0]), self.raan_rate * tau)
        day = self.day + tau / 86400.0
        lat, lon, _ = ground_point(rv[0], day)
        v_rel = inertial_to_earth_fixed(velocity_relative_to_earth(rv[0], rv[1]), day)
        la, lo = math.radians(float(lat)), math.radians(float(lon))
        east = -math.sin(lo) * v_rel[0] + math.cos(lo) * v_rel[1]
        north = (-math.sin(la) * math.cos(lo) * v_rel[0] - math.sin(la) * math.sin(lo) * v_rel[1]
                 + math.cos(la) * v_rel[2])
        return float(lat), float(lon), math.atan2(east, north)

    def centre(self, alpha: float, tau: float) -> tuple[float, float]:
        lat, lon, heading = self.breakup_point(alpha, tau)
        c_lat, c_lon = destination(lat, lon, heading, self.downrange_km)
        return float(c_lat), float(c_lon)


def centre_map(ref, centre: tuple[float, float], normal: np.ndarray,
               raan_rate: float) -> CentreMap:
    """The map of a reference drop (``final_drop.Drop``) and its centre."""
    base = CentreMap(ref.breakup_state, ref.breakup_day, 0.0, normal, raan_rate)
    lat, lon, heading = base.breakup_point(0.0, 0.0)
    ahead = destination(lat, lon, heading, 100.0)
    along, _ = along_cross_km(np.array([centre[0]]), np.array([centre[1]]), lat, lon, *ahead)
    return replace(base, downrange_km=float(along[0]))


def nodal_day_s(raan_rate: float) -> float:
    """Time for the Earth to turn once beneath the regressing orbit plane (s)."""
    return 2.0 * math.pi / (OMEGA_EARTH - raan_rate)


def _clock_for(lon_now: float, lon_aim: float, raan_rate: float) -> float:
    """The clock shift (s, within half a nodal day) that brings a centre at ``lon_now`` to
    ``lon_aim``: the ground beneath a fixed inertial point turns west at omega_E - Omega_dot."""
    turn = math.remainder(math.radians(lon_now - lon_aim), 2.0 * math.pi)
    return turn / (OMEGA_EARTH - raan_rate)


def _latitude_roots(cmap: CentreMap, lat_aim: float) -> list[float]:
    """The turns alpha that put the map's centre on the aim's latitude (a scan, then
    bisection); the latitude does not depend on the clock."""
    grid = np.linspace(0.0, 2.0 * math.pi, SCAN_POINTS + 1)
    g = np.array([cmap.centre(a, 0.0)[0] - lat_aim for a in grid])
    roots = []
    for k in np.nonzero(np.sign(g[:-1]) * np.sign(g[1:]) < 0)[0]:
        lo, hi, g_lo = grid[k], grid[k + 1], g[k]
        for _ in range(40):
            mid = 0.5 * (lo + hi)
            g_mid = cmap.centre(mid, 0.0)[0] - lat_aim
            if np.sign(g_mid) == np.sign(g_lo):
                lo, g_lo = mid, g_mid
            else:
                hi = mid
        roots.append(0.5 * (lo + hi))
    return roots


def placements(cmap: CentreMap, aim, real=None) -> list[tuple[float, float]]:
    """Every (alpha in [0, 2 pi), tau in (-D/2, D/2]) that puts the centre on the aim: one
    for each pass of the orbit over the aim's latitude (none if it never gets there).

    ``real(alpha, tau)`` -> (lat, lon) or None flies the turned descent; each root of the
    map is then refined on it (the descent from a low perigee changes with where the perigee
    falls: the map's roots can be off by ~15 deg of turn), keeping the map's root if the
    simulated latitude cannot be bracketed near it.
    """
    day = nodal_day_s(cmap.raan_rate)
    found: list[tuple[float, float]] = []
    for alpha in _latitude_roots(cmap, aim[0]):
        tau = _clock_for(cmap.centre(alpha, 0.0)[1], aim[1], cmap.raan_rate)
        if real is not None:
            alpha, tau = _on_descents(cmap, aim, real, alpha, tau)
        alpha, tau = alpha % (2.0 * math.pi), math.remainder(tau, day)
        if all(abs(math.remainder(alpha - a, 2 * math.pi)) > 1e-3 for a, _ in found):
            found.append((alpha, tau))
    return found


def closest_approach(cmap: CentreMap, aim) -> tuple[float, float]:
    """(alpha, tau) of the map's centre nearest the aim's latitude, at its longitude (for an
    aim the centre's track never reaches)."""
    grid = np.linspace(0.0, 2.0 * math.pi, SCAN_POINTS, endpoint=False)
    alpha = float(grid[np.argmin([abs(cmap.centre(a, 0.0)[0] - aim[0]) for a in grid])])
    return alpha, _clock_for(cmap.centre(alpha, 0.0)[1], aim[1], cmap.raan_rate)


def _on_descents(cmap: CentreMap, aim, real, alpha: float, tau: float) -> tuple[float, float]:
    """The map's root moved onto simulated descents: the latitude by bracketing and
    regula falsi in alpha (it does not depend on the clock), then the clock from the
    longitude (the Earth's turn is exact)."""
    def lat_error(a):
        hit = real(a, tau)
        return None if hit is None else hit[0] - aim[0]

    h = 1e-3
    slope = (cmap.centre(alpha + h, 0.0)[0] - cmap.centre(alpha - h, 0.0)[0]) / (2 * h)
    f0 = lat_error(alpha)
    if f0 is None or slope == 0.0:
        return alpha, tau
    step = -math.copysign(BRACKET_STEP, f0 * slope)
    a1, f1 = alpha, f0
    for _ in range(BRACKET_TRIES):
        a2 = a1 + step
        f2 = lat_error(a2)
        if f2 is None:
            return alpha, tau
        if np.sign(f2) != np.sign(f1):
            break
        a1, f1, step = a2, f2, step * 1.6
    else:
        return alpha, tau
    lo, f_lo, hi, f_hi = a1, f1, a2, f2
    for _ in range(POLISH_STEPS):
        mid = lo - f_lo * (hi - lo) / (f_hi - f_lo)
        f_mid = lat_error(mid)
        if f_mid is None:
            break
        if abs(f_mid) < LATITUDE_TOLERANCE_DEG:
            lo = mid
            break
        if np.sign(f_mid) == np.sign(f_lo):
            lo, f_lo = mid, f_mid
        else:
            hi, f_hi = mid, f_mid
    for _ in range(2):  # the clock: the longitude (the latitude barely moves with it)
        hit = real(lo, tau)
        if hit is None:
            break
        tau += _clock_for(hit[1], aim[1], cmap.raan_rate)
    return lo, tau


@dataclass(frozen=True)
class Timing:
    """One way to fly it: lowering start delay, revolution of the final burn, residual delay."""

    start_delay_s: float
    revolution: int  # index among the apogee passes after the last lowering burn
    delay_s: float  # the phase shift left for a drift (delta-v)
    spot: int = 0  # which placement (pass over the aim's latitude) it uses


@dataclass(frozen=True)
class Geometry:
    """What the choice needs about the orbits (SI; times in s after the last lowering burn)."""

    pass_times: np.ndarray  # apogee-centred ignitions of the final burn, one a revolution
    allowed: np.ndarray  # bool: the passes the plan may fire on (guard perigee, window)
    reference: int  # the pass the reference drop was flown from
    u_rate: float  # rad/s on the orbit before the lowering (mean argument of latitude)
    argp_rate: float  # rad/s, the apsides' J2 drift on the lowered orbit
    raan_rate: float  # rad/s
    ignition_bounds: tuple[float, float]  # the phased ignition must fall in here (s)
    final_dv: np.ndarray  # m/s, the final burn on each pass (lower apogee later: cheaper)
    speed: float  # m/s, orbital speed for the drift's delta-v
    drift_before_s: float  # the drift starts this long before the last lowering burn (S = 0)


def drift_dv(speed: float, delay_s: float, drift_s: float) -> float:
    """Delta-v (m/s) of a drift that arrives ``delay_s`` later after ``drift_s``: two
    tangential burns of (v/2)|da/a| with the period held at 1.5 da/a longer."""
    return math.inf if drift_s <= 0 else speed * abs(delay_s) / (1.5 * drift_s)


def choose(spots: list[tuple[float, float]], geo: Geometry, max_start_delay_s: float,
           drift: bool = True) -> Timing:
    """The timing of least delta-v, the final burn's and the drift's (to 0.1 m/s; then the
    earliest); with ``drift=False`` (no drift to be flown) the one of least delay, the
    aim's distance off the track (to 10 s; then the earliest).

    For pass k and start delay S the apogee is turned by ``u_rate S + argp_rate (t_k - t_ref)``
    (it must be ``alpha`` mod 2 pi) and the station arrives at ``t_k + S``; it should arrive
    at ``t_ref + tau`` mod one nodal day, the rest is the delay, bought with a drift from the
    plan to the burn. Whole revolutions of S step the arrival by the pre-lowering period,
    passes by the last orbit's: together they step it by the difference (~60 s for the ISS).
    """
    period0 = 2.0 * math.pi / geo.u_rate
    day = nodal_day_s(geo.raan_rate)
    t_ref = float(geo.pass_times[geo.reference])
    limit = max(max_start_delay_s, period0)  # placing the apogee may always take a revolution
    best: tuple | None = None
    for index, (alpha, tau) in enumerate(spots):
        for k in np.nonzero(geo.allowed)[0]:
            t_k = float(geo.pass_times[k])
            first = ((alpha - geo.argp_rate * (t_k - t_ref)) % (2 * math.pi)) / geo.u_rate
            for q in range(int((limit - first) // period0) + 1):
                start = first + q * period0
                delay = math.remainder(t_ref + tau - t_k - start, day)
                if not geo.ignition_bounds[0] <= t_k + delay <= geo.ignition_bounds[1]:
                    continue
                if drift:
                    span = geo.drift_before_s + start + t_k + delay
                    cost = geo.final_dv[k] + drift_dv(geo.speed, delay, span)
                    key = (round(cost / COST_QUANTUM_M_S), start + t_k)
                else:
                    key = (round(abs(delay) / DELAY_QUANTUM_S), start + t_k)
                if best is None or key < best[0]:
                    best = (key, Timing(start, int(k), delay, index))
    if best is None:
        raise ValueError("no placement of the final burn")
    return best[1]
