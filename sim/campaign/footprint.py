"""The footprint of a targeted reentry: phase the final burn, fly it down, drop the pieces.

Inputs are explicit (the burn's earliest time, the mean elements and the argument of
latitude at that time, mass, C_D A, thrust, Isp, burn duration, the day's flux indices), so
the campaign or a script can call it wherever the final burn is planned. Heel and toe are the
extreme impacts along the track (light pieces land first, dense ones last), the width their
spread across it; the centre is the midpoint of heel and toe.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from sim.core.constants import G0, OMEGA_EARTH
from sim.core.descent import STOP_HEIGHT, Atmosphere, Thrust, fly
from sim.core.fragments import DEFAULT_CLASSES, FragmentClass, breakup_kicks, fly_fragments
from sim.core.frames import earth_rotation_angle, ground_point
from sim.core.great_circle import along_cross_km, inside_polygon, local_east_north_km, midpoint
from sim.core.land import LandMask, load_land_mask
from sim.core.orbit_state import state_from_elements

from . import phasing
from .cube_cache import cached_cube

KICK_SIGMA_M_S = 3.0  # break-up velocity spread, 1 sigma per axis (assumed)
KICKS_PER_CLASS = 8
MAX_DESCENT_S = 4 * 3600.0
AIM_TOLERANCE_KM = 2.0
GROUND_SPEED_KM_S = 7.0  # first guess of how fast the centre moves with the ignition
# m/s: the USDV's ~16 t give ~100 m/s on the station, the lowering and final burns need
# ~50-60 m/s; phasing beyond this would eat the margin (and is not a "small manoeuvre")
MAX_PHASING_DV = 25.0
MAX_SLIDE_S = 1350.0  # a quarter of a low orbit: the burn stays on the apogee half
TRACK_BEFORE_S = 1.5 * 5400.0  # ground track drawn this long before the burn


@dataclass(frozen=True)
class FinalBurn:
    """The final burn as the campaign plans it (SI; days since 1970)."""

    earliest_day: float
    elements: np.ndarray  # mean (a m, e, i, raan, argp rad)
    arg_latitude: float  # rad, at earliest_day
    mass_kg: float
    cd_area_m2: float
    thrust_n: float
    isp_s: float
    duration_s: float
    phasing_from_day: float | None = None  # drift for phasing from here (default: earliest)

    @property
    def drift_before_s(self) -> float:
        """Time available before the earliest burn time to drift into phase (s)."""
        if self.phasing_from_day is None:
            return 0.0
        return max(self.earliest_day - self.phasing_from_day, 0.0) * 86400.0

    def thrust(self, ignition_s: float = 0.0, scale: float = 1.0, pitch: float = 0.0,
               yaw: float = 0.0) -> Thrust:
        force = self.thrust_n * scale
        return Thrust(force, force / (self.isp_s * G0), ignition_s, self.duration_s, pitch,
                      yaw)


@dataclass(frozen=True)
class Target:
    aim: tuple[float, float]  # lat, lon deg
    zone: np.ndarray  # (n, 2) lat, lon deg
    breakup_alt_m: float
    breakup_spread_m: float
    classes: tuple[FragmentClass, ...] = DEFAULT_CLASSES
    window_days: float = 1.0


@dataclass(frozen=True)
class Drop:
    """One descent: break-up and where the pieces land (times in days since 1970)."""

    breakup_day: float
    breakup_lat_lon: tuple[float, float]
    lat: np.ndarray
    lon: np.ndarray
    day: np.ndarray
    class_index: np.ndarray
    path_day: np.ndarray  # the descent until break-up, sampled every 10 s
    path_inertial_m: np.ndarray  # (n, 3)

    @functools.cached_property
    def _ground_path(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # only the nominal drop's track is drawn: the aiming and dispersion drops skip this
        return ground_point(self.path_inertial_m, self.path_day)

    @property
    def track(self) -> np.ndarray:
        """(n, 2) lat, lon (deg) of the descent until break-up."""
        lat, lon, _ = self._ground_path
        return np.column_stack([lat, lon])

    @property
    def entry_100km_day(self) -> float:
        """The first path sample at or below 100 km (the break-up time if none)."""
        below = np.nonzero(self._ground_path[2] <= 100e3)[0]
        return float(self.path_day[below[0]]) if len(below) else self.breakup_day


@functools.lru_cache(maxsize=1)
def land_mask() -> LandMask:
    return load_land_mask()


@functools.lru_cache(maxsize=8)
def _cube(day: float, f107: float, f107a: float, ap: float):
    return cached_cube(day, f107, f107a, ap)


def atmosphere_at(day0: float, weather: tuple[float, float, float], t_s: float = 0.0,
                  density_scale: float = 1.0) -> Atmosphere:
    """The day's NRLMSIS cube (built at ``day0``) seen from a clock starting ``t_s`` later."""
    day = day0 + t_s / 86400.0
    return Atmosphere(_cube(round(day0, 6), *weather), float(earth_rotation_angle(day)), day,
                      density_scale)


def drop(u0: np.ndarray, burn: FinalBurn, air: Atmosphere, thrust: Thrust, breakup_alt_m: float,
         classes, kicks: np.ndarray) -> Drop | None:
    """Burn and descend from ``u0`` at the clock of ``air``; None if it does not come down."""
    flight = fly(u0, burn.cd_area_m2, air, breakup_alt_m, MAX_DESCENT_S, thrust, record_s=10.0)
    if flight.status != STOP_HEIGHT:
        return None
    impacts = fly_fragments(flight.state, classes, air, flight.t_s, kicks)
    days = air.day0 + (flight.t_s + impacts.t_after_breakup_s) / 86400.0
    lat, lon, _ = ground_point(impacts.r_inertial_m, days)
    b_lat, b_lon, _ = ground_point(flight.state[:3], air.day0 + flight.t_s / 86400.0)
    return Drop(air.day0 + flight.t_s / 86400.0, (float(b_lat), float(b_lon)), lat, lon, days,
                impacts.class_index, air.day0 + flight.path_t / 86400.0, flight.path[:, :3])


def extreme_classes(classes) -> tuple[FragmentClass, FragmentClass]:
    ordered = sorted(classes, key=lambda c: c.ballistic_coefficient)
    return ordered[0], ordered[-1]


def centre_of(d: Drop) -> tuple[float, float, float]:
    """Heel-toe midpoint (lat, lon) and the mean impact day of a drop of the extreme classes."""
    lat, lon = midpoint(d.lat[0], d.lon[0], d.lat[-1], d.lon[-1])
    return lat, lon, float(np.mean(d.day))


@dataclass(frozen=True)
class Aimed:
    """The phased final burn and its nominal drop."""

    ignition_s: float
    u0: np.ndarray
    choice: phasing.PhasingChoice
    path: phasing.CoastPath
    drop: Drop | None


def _centre_after(burn, target, weather, path, t_ign, delay):
    """Footprint centre (east, north km from the aim) and the drop for an ignition at coast
    time ``t_ign`` reached ``delay`` s later by phasing."""
    start = phasing.state_at(path, t_ign)
    air = atmosphere_at(burn.earliest_day, weather, t_ign + delay)
    d = drop(start, burn, air, burn.thrust(), target.breakup_alt_m,
             extreme_classes(target.classes), np.zeros((2, 3)))
    if d is None:
        return None, None, start
    c_lat, c_lon, _ = centre_of(d)
    e, n = local_east_north_km(c_lat, c_lon, *target.aim)
    return np.array([float(e), float(n)]), d, start


def _jacobian(burn, target, weather, path, t_ign, delay, f):
    steps = (np.array([20.0, 0.0]), np.array([0.0, 20.0]))
    cols = [(_centre_after(burn, target, weather, path, t_ign + h[0], delay + h[1])[0] - f)
            / 20.0 for h in steps]
    return np.column_stack(cols)


def _solve(burn, target, weather, path, t_rev, delay0):
    """Newton on (slide along the orbit, phasing delay) with simulated drops."""
    x = np.array([0.0, delay0])
    f, d, start = _centre_after(burn, target, weather, path, t_rev, delay0)
    jac = None
    for _ in range(6):
        if f is None:
            return None
        if np.hypot(*f) < AIM_TOLERANCE_KM:
            break
        jac = _jacobian(burn, target, weather, path, t_rev + x[0], x[1], f)
        x = x - np.linalg.solve(jac, f)
        f, d, start = _centre_after(burn, target, weather, path, t_rev + x[0], x[1])
    if f is None:
        return None
    return x, d, start, jac


def _along_cross(d: Drop, aim) -> tuple[float, float]:
    """Where the aim lies from the drop's centre: along the track (heel to toe) and across."""
    c_lat, c_lon, _ = centre_of(d)
    along, cross = along_cross_km(np.array([aim[0]]), np.array([aim[1]]), c_lat, c_lon,
                                  d.lat[-1], d.lon[-1])
    return float(along[0]), float(cross[0])


def _slide(burn, target, weather, path, t_rev):
    """Slide the ignition along the orbit (at most a quarter revolution from apogee) until
    the centre is abeam the aim (secant steps); the last good descent is kept."""
    limit = MAX_SLIDE_S
    t, f_prev, t_prev, good = t_rev, None, None, None
    for _ in range(8):
        _, d, start = _centre_after(burn, target, weather, path, t, 0.0)
        if d is None:
            break
        along, cross = _along_cross(d, target.aim)
        good = (t, d, start, float(math.hypot(along, cross)))
        if abs(along) < AIM_TOLERANCE_KM:
            break
        step = along / GROUND_SPEED_KM_S if f_prev is None or along == f_prev else \
            -along * (t - t_prev) / (along - f_prev)
        new_t = float(np.clip(t + step, t_rev - limit, t_rev + limit))
        if new_t == t:
            break
        t_prev, f_prev, t = t, along, new_t
    return good


def aim_final_burn(burn: FinalBurn, target: Target, weather,
                   max_phasing_dv: float = MAX_PHASING_DV) -> Aimed:
    """Choose the revolution and the ignition time that centre the footprint on the aim.

    Each revolution's burn centred on apogee is simulated; the revolution whose footprint
    track passes nearest the aim is taken and the ignition slid along the orbit until the
    centre is abeam the aim. The rest (the aim's distance off that track) needs phasing: a
    delay dt in reaching the ignition point leaves the inertial descent unchanged and turns
    the Earth by omega dt beneath it. It is applied (Newton on slide and delay with simulated
    descents) only if its delta-v stays within ``max_phasing_dv``; otherwise the miss stays.
    """
    el = burn.elements
    u0 = np.concatenate([state_from_elements(*el[:5], burn.arg_latitude), [burn.mass_kg]])
    air0 = atmosphere_at(burn.earliest_day, weather)
    path = phasing.coast(u0, burn.cd_area_m2, air0, target.window_days * 86400.0,
                         target.breakup_alt_m)
    candidates = phasing.apogee_ignitions(path, float(el[4]), burn.duration_s)
    best = None
    for rev, t_rev in enumerate(candidates if len(candidates) else [0.0]):
        _, d, _ = _centre_after(burn, target, weather, path, float(t_rev), 0.0)
        if d is None:
            continue
        along, cross = _along_cross(d, target.aim)
        # off-track distance first; a long slide moves the burn far from apogee
        score = abs(cross) + 0.1 * abs(along)
        if best is None or score < best[0]:
            best = (score, rev, float(t_rev))
    slid = None if best is None else _slide(burn, target, weather, path, best[2])
    if slid is None:
        return Aimed(0.0, u0, phasing.PhasingChoice(0.0, 0.0, 0, math.nan, math.nan), path,
                     None)
    t_ign, nominal, start, miss = slid
    rev = best[1]
    solved = _solve(burn, target, weather, path, t_ign, 0.0)
    if solved is not None:
        x, d2, start2, _ = solved
        dv = phasing.phasing_dv(start2, x[1], t_ign + x[0] + x[1] + burn.drift_before_s)
        if dv <= max_phasing_dv:
            return Aimed(t_ign + x[0] + x[1], start2, phasing.PhasingChoice(
                t_ign + x[0] + x[1], float(x[1]), rev, miss, dv), path, d2)
    return Aimed(t_ign, start, phasing.PhasingChoice(t_ign, 0.0, rev, miss, 0.0), path,
                 nominal)


@dataclass(frozen=True)
class Footprint:
    aimed: Aimed
    drop: Drop  # all classes with their break-up kicks
    along_km: np.ndarray
    cross_km: np.ndarray
    heel: int  # index into drop's impacts
    toe: int
    centre: tuple[float, float]
    inside_zone: bool
    min_land_km: float
    track: np.ndarray  # (n, 2) ground track before the burn and through the descent


def footprint(burn: FinalBurn, target: Target, weather, seed: int = 2031) -> Footprint | None:
    """The phased, nominal footprint of all fragment classes (None: the burn cannot bring
    the station down)."""
    aimed = aim_final_burn(burn, target, weather)
    if aimed.drop is None:
        return None
    rng = np.random.default_rng(seed)
    kicks = breakup_kicks(KICKS_PER_CLASS, len(target.classes), KICK_SIGMA_M_S, rng)
    air = atmosphere_at(burn.earliest_day, weather, aimed.ignition_s)
    full = drop(aimed.u0, burn, air, burn.thrust(), target.breakup_alt_m, target.classes, kicks)
    light, heavy = extreme_classes(target.classes)
    li, hi = target.classes.index(light), target.classes.index(heavy)
    heel0 = int(np.nonzero(full.class_index == li)[0][0])
    toe0 = int(np.nonzero(full.class_index == hi)[0][0])
    along, cross = along_cross_km(full.lat, full.lon, full.lat[heel0], full.lon[heel0],
                                  full.lat[toe0], full.lon[toe0])
    heel, toe = int(np.argmin(along)), int(np.argmax(along))
    centre = midpoint(full.lat[heel], full.lon[heel], full.lat[toe], full.lon[toe])
    inside = bool(np.all(inside_polygon(full.lat, full.lon, target.zone)))
    land = float(np.min(land_mask().distance_to_land_km(full.lat, full.lon)))
    return Footprint(aimed, full, along, cross, heel, toe, centre, inside, land,
                     _track(aimed, burn, full))


def _track(aimed: Aimed, burn: FinalBurn, full: Drop) -> np.ndarray:
    path = aimed.path
    keep = (path.t_s <= aimed.ignition_s) & (path.t_s >= aimed.ignition_s - TRACK_BEFORE_S)
    lat, lon, _ = ground_point(path.states[keep, :3], burn.earliest_day + path.t_s[keep] / 86400)
    return np.vstack([np.column_stack([lat, lon]), full.track])
