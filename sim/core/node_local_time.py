"""Local solar time of an orbit's ascending node, and the node's J2 regression.

NRLMSIS takes local solar time as ``UT + longitude / 15`` (mean solar time; pymsis computes
it that way from the date and longitude). The node's longitude is its right ascension minus
the Greenwich sidereal angle, so the node's local time *as NRLMSIS sees it* is

    LST_node = UT + (RAAN - GMST) / 15 h

with RAAN in the frame of the element sets (SGP4's TEME: true equator, mean equinox of date)
and GMST the IAU 1982 Greenwich mean sidereal time that SGP4 itself uses to rotate TEME to the
Earth-fixed frame (Vallado, *Fundamentals of Astrodynamics*, 4th ed., eq. 3-47). The Sun's
right ascension never enters: mean solar time is what the model was given. Times are days
since 1970-01-01 UTC (UT1 ~ UTC).
"""

from __future__ import annotations

import math

import numpy as np

from .constants import J2, MU_EARTH, R_EARTH

J2000_UNIX_DAY = 10957.5  # JD 2451545.0 (2000-01-01 12:00 UT) as days since 1970-01-01
DAYS_PER_CENTURY = 36525.0


def gmst_rad(day):
    """Greenwich mean sidereal time (rad, [0, 2 pi)), IAU 1982, at ``day`` (UT1 ~ UTC).

    Vallado eq. 3-47: GMST = 67310.54841 s + (876600 h + 8640184.812866 s) T
    + 0.093104 T^2 - 6.2e-6 T^3, T in Julian centuries of UT1 from J2000.
    """
    du = np.asarray(day, dtype=float) - J2000_UNIX_DAY
    t = du / DAYS_PER_CENTURY
    # 876600 h per century is exactly one turn a solar day: keep only the day's fraction
    seconds = (67310.54841 + 86400.0 * np.mod(du, 1.0) + 8640184.812866 * t
               + 0.093104 * t * t - 6.2e-6 * t ** 3)
    return 2.0 * math.pi * np.mod(seconds / 86400.0, 1.0)


def node_local_time_h(day, raan_rad):
    """Local (mean) solar time of the ascending node, hours in [0, 24)."""
    day = np.asarray(day, dtype=float)
    ut_h = 24.0 * np.mod(day, 1.0)
    lon_h = (np.asarray(raan_rad, dtype=float) - gmst_rad(day)) * 12.0 / math.pi
    return np.mod(ut_h + lon_h, 24.0)


def nodal_rate_rad_s(mean_alt_m, inclination_rad, ecc=0.0):
    """Secular J2 regression of the node, dOmega/dt (rad/s; negative for prograde orbits).

    dOmega/dt = -3/2 n J2 (R_eq / p)^2 cos i (Vallado eq. 9-41), a = R_eq + ``mean_alt_m``.
    """
    a = R_EARTH + np.asarray(mean_alt_m, dtype=float)
    n = np.sqrt(MU_EARTH / a ** 3)
    p = a * (1.0 - ecc * ecc)
    return -1.5 * n * J2 * (R_EARTH / p) ** 2 * math.cos(inclination_rad)


def node_path_rad(days, mean_alt_m, inclination_rad, raan0_rad):
    """Right ascension of the node at ``days`` (sorted), integrated from ``raan0_rad`` at
    ``days[0]`` by the trapezoidal rule over the mean-altitude path ``mean_alt_m``."""
    days = np.asarray(days, dtype=float)
    rate = nodal_rate_rad_s(mean_alt_m, inclination_rad) * 86400.0
    steps = 0.5 * (rate[1:] + rate[:-1]) * np.diff(days)
    return raan0_rad + np.concatenate(([0.0], np.cumsum(steps)))
