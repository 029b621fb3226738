"""Earth rotation and geodetic coordinates: where an inertial position is over the Earth.

The integration frame is the Celestial Intermediate Reference System of date (equator of
date, x towards the Celestial Intermediate Origin); the Earth-fixed frame follows from it by
one rotation about z through the Earth rotation angle (IERS Conventions 2003/2010, eq. 5.15):

    ERA = 2 pi (0.7790572732640 + 1.00273781191135448 (JD_UT1 - 2451545.0))

UT1 is taken equal to UTC (|UT1 - UTC| < 0.9 s, i.e. < 0.4 km at the equator), and polar
motion (< 15 m) is neglected. Times are days since 1970-01-01 UTC.
"""

from __future__ import annotations

import math

import numpy as np

from .constants import FLATTENING, OMEGA_EARTH, R_EARTH

J2000_UNIX_DAY = 10957.5  # JD 2451545.0 (2000-01-01 12:00) as days since 1970-01-01
ERA_AT_J2000 = 0.7790572732640  # turns
ERA_EXTRA_RATE = 0.00273781191135448  # turns per UT1 day beyond one a day
E2 = FLATTENING * (2.0 - FLATTENING)  # first eccentricity squared of WGS-84


def earth_rotation_angle(day):
    """Earth rotation angle (rad, in [0, 2 pi)) at ``day`` (days since 1970, UT1 ~ UTC).

    Split as the IERS recommends: the whole-day part drops out of the fraction, so the
    angle keeps full precision decades from J2000.
    """
    du = np.asarray(day, dtype=float) - J2000_UNIX_DAY
    turns = np.mod(du, 1.0) + ERA_AT_J2000 + ERA_EXTRA_RATE * du
    return 2.0 * math.pi * np.mod(turns, 1.0)


def inertial_to_earth_fixed(r, day):
    """Position(s) ``r`` (..., 3) in the intermediate inertial frame to Earth-fixed, same unit."""
    theta = earth_rotation_angle(day)
    r = np.asarray(r, dtype=float)
    c, s = np.cos(theta), np.sin(theta)
    return np.stack([c * r[..., 0] + s * r[..., 1], -s * r[..., 0] + c * r[..., 1], r[..., 2]],
                    axis=-1)


def earth_fixed_to_inertial(r, day):
    """The inverse of ``inertial_to_earth_fixed``."""
    theta = earth_rotation_angle(day)
    r = np.asarray(r, dtype=float)
    c, s = np.cos(theta), np.sin(theta)
    return np.stack([c * r[..., 0] - s * r[..., 1], s * r[..., 0] + c * r[..., 1], r[..., 2]],
                    axis=-1)


def velocity_relative_to_earth(r, v):
    """v - omega x r (inertial components): the velocity seen from the rotating Earth."""
    r, v = np.asarray(r, dtype=float), np.asarray(v, dtype=float)
    return np.stack([v[..., 0] + OMEGA_EARTH * r[..., 1], v[..., 1] - OMEGA_EARTH * r[..., 0],
                     v[..., 2]], axis=-1)


def geodetic_from_earth_fixed(r_m):
    """WGS-84 geodetic (lat rad, lon rad in (-pi, pi], height m) of Earth-fixed ``r_m`` (m).

    Fixed-point iteration on the latitude (Bowring's starting value); five passes converge to
    below 1e-12 rad for any height from the centre's neighbourhood to the Moon.
    """
    r_m = np.asarray(r_m, dtype=float)
    x, y, z = r_m[..., 0], r_m[..., 1], r_m[..., 2]
    p = np.hypot(x, y)
    lon = np.arctan2(y, x)
    lat = np.arctan2(z, p * (1.0 - E2))
    for _ in range(5):
        sin_lat = np.sin(lat)
        n = R_EARTH / np.sqrt(1.0 - E2 * sin_lat**2)
        height = p * np.cos(lat) + z * sin_lat - R_EARTH * np.sqrt(1.0 - E2 * sin_lat**2)
        lat = np.arctan2(z, p * (1.0 - E2 * n / (n + height)))
    sin_lat = np.sin(lat)
    height = p * np.cos(lat) + z * sin_lat - R_EARTH * np.sqrt(1.0 - E2 * sin_lat**2)
    return lat, lon, height


def earth_fixed_from_geodetic(lat, lon, height):
    """Earth-fixed position (m) of WGS-84 geodetic latitude, longitude (rad) and height (m)."""
    lat, lon, height = (np.asarray(x, dtype=float) for x in (lat, lon, height))
    n = R_EARTH / np.sqrt(1.0 - E2 * np.sin(lat) ** 2)
    return np.stack([(n + height) * np.cos(lat) * np.cos(lon),
                     (n + height) * np.cos(lat) * np.sin(lon),
                     (n * (1.0 - E2) + height) * np.sin(lat)], axis=-1)


def ground_point(r_inertial_m, day):
    """Geodetic (lat deg, lon deg, height m) below inertial position(s) at ``day``."""
    lat, lon, h = geodetic_from_earth_fixed(inertial_to_earth_fixed(r_inertial_m, day))
    return np.degrees(lat), np.degrees(lon), h
