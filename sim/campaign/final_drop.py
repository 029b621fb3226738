"""One drop: the final burn flown in Cowell's form, the descent to break-up, the pieces to the
ground (the building block of the aim, the footprint and its dispersion).

Inputs are explicit (the burn's time, the mean elements and the argument of latitude at that
time, mass, C_D A, thrust, Isp, burn duration, the day's flux indices), so the campaign or a
script can call it wherever the final burn is planned. Light pieces land first (heel), dense
ones last (toe); the centre of a drop is the midpoint of its extreme classes' impacts.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from sim.core.constants import G0
from sim.core.descent import STOP_HEIGHT, Atmosphere, Thrust, fly
from sim.core.fragments import DEFAULT_CLASSES, FragmentClass, fly_fragments
from sim.core.frames import earth_rotation_angle, ground_point
from sim.core.great_circle import midpoint
from sim.core.land import LandMask, load_land_mask
from sim.scenario.reentry_spec import ReentrySpec

from .cube_cache import cached_cube

MAX_DESCENT_S = 4 * 3600.0
AIM_TOLERANCE_KM = 2.0


@dataclass(frozen=True)
class FinalBurn:
    """The final burn as the campaign plans it (SI; days since 1970)."""

    earliest_day: float  # the coast (and the clock of the aim) starts here
    elements: np.ndarray  # mean (a m, e, i, raan, argp rad)
    arg_latitude: float  # rad, at earliest_day
    mass_kg: float
    cd_area_m2: float
    thrust_n: float
    isp_s: float
    duration_s: float
    phasing_from_day: float | None = None  # drift for phasing from here (default: earliest)
    cube_day: float | None = None  # the NRLMSIS cube's time (default: earliest_day)

    @property
    def drift_before_s(self) -> float:
        """Time available before the earliest burn time to drift into phase (s)."""
        if self.phasing_from_day is None:
            return 0.0
        return max(self.earliest_day - self.phasing_from_day, 0.0) * 86400.0

    def air(self, weather: tuple[float, float, float], t_s: float = 0.0,
            density_scale: float = 1.0) -> Atmosphere:
        """The atmosphere seen from ``t_s`` after ``earliest_day``."""
        return atmosphere_at(self.earliest_day, weather, t_s, density_scale, self.cube_day)

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


def fragment_classes(spec: ReentrySpec) -> tuple[FragmentClass, ...]:
    if spec.fragments is None:
        return DEFAULT_CLASSES
    return tuple(FragmentClass(f.name, f.mass_share, f.piece_mass, f.piece_area,
                               f.drag_coefficient) for f in spec.fragments)


def target_of(spec: ReentrySpec) -> Target:
    return Target(tuple(spec.aim), np.array(spec.target_zone, float), spec.breakup_altitude,
                  spec.breakup_spread, fragment_classes(spec), spec.phasing_window)


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
    breakup_state: np.ndarray  # inertial (x, y, z, vx, vy, vz) at break-up, m and m/s

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
                  density_scale: float = 1.0, cube_day: float | None = None) -> Atmosphere:
    """The day's NRLMSIS cube (built at ``cube_day``, by default ``day0``) seen from a clock
    starting ``t_s`` after ``day0``."""
    day = day0 + t_s / 86400.0
    built = day0 if cube_day is None else cube_day
    return Atmosphere(_cube(round(built, 6), *weather), float(earth_rotation_angle(day)), day,
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
                impacts.class_index, air.day0 + flight.path_t / 86400.0,
                flight.path[:, :3].copy(), flight.state[:6].copy())


def extreme_classes(classes) -> tuple[FragmentClass, FragmentClass]:
    ordered = sorted(classes, key=lambda c: c.ballistic_coefficient)
    return ordered[0], ordered[-1]


def centre_of(d: Drop) -> tuple[float, float, float]:
    """Heel-toe midpoint (lat, lon) and the mean impact day of a drop of the extreme classes."""
    lat, lon = midpoint(d.lat[0], d.lon[0], d.lat[-1], d.lon[-1])
    return lat, lon, float(np.mean(d.day))
