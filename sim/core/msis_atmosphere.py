"""NRLMSIS 2.1 through pymsis, with the space-weather indices always passed explicitly.

Without explicit F10.7, F10.7a and Ap pymsis tries to download a space-weather file, which
fails offline; every call here hands them over.
"""

import numpy as np

from .constants import FLATTENING, R_EARTH

_UNIX_EPOCH = np.datetime64("1970-01-01T00:00:00", "s")


def msis_density(day, lon_deg, lat_deg, alt_km, f107, f107a, ap):
    """Total mass density (kg/m^3, float64) from NRLMSIS 2.1.

    ``day`` is days since 1970-01-01 (UTC, fractional); ``alt_km`` geodetic altitude; ``f107``
    the previous day's observed F10.7, ``f107a`` its 81-day centred mean, ``ap`` the daily Ap.
    All inputs broadcast to one shape.
    """
    import pymsis  # deferred: its import costs ~0.1 s and only table builds and checks call it

    arrays = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in
                                   (day, lon_deg, lat_deg, alt_km, f107, f107a, ap)))
    shape = arrays[0].shape
    day, lon, lat, alt, f, fa, a = (x.ravel() for x in arrays)
    dates = _UNIX_EPOCH + np.round(day * 86400.0).astype("timedelta64[s]")
    aps = np.repeat(a[:, None], 7, axis=1)  # daily Ap only (MSIS switch 9 = 1 uses column 0)
    out = pymsis.calculate(dates, lon, lat, alt, f, fa, aps, version=2.1)
    return out[..., 0].astype(np.float64).reshape(shape)


def orbit_points(inclination_rad, n_u=8, n_lst=4):
    """Latitudes, local-time offsets and ellipsoid drops sampled evenly along an orbit.

    Argument of latitude u and the node's local solar time are both spread uniformly: the
    station's node sweeps all local times every ~60 days, so a long-term mean averages over both.
    Returns (lat_deg, lst_hours, geodetic_offset_km) flattened over the (u, lst) grid.
    """
    u = (np.arange(n_u) + 0.5) * 2 * np.pi / n_u
    node_lst = np.arange(n_lst) * 24.0 / n_lst
    sin_lat = np.sin(inclination_rad) * np.sin(u)
    lat = np.degrees(np.arcsin(sin_lat))
    dlon_hours = np.degrees(np.arctan2(np.cos(inclination_rad) * np.sin(u), np.cos(u))) / 15.0
    lst = (node_lst[None, :] + dlon_hours[:, None]) % 24.0
    # |r| - R_eq lies this far below the geodetic altitude (ellipsoid radius shrinks with lat).
    offset_km = R_EARTH * FLATTENING * sin_lat**2 / 1000.0
    lat_grid = np.repeat(lat[:, None], n_lst, axis=1)
    off_grid = np.repeat(offset_km[:, None], n_lst, axis=1)
    return lat_grid.ravel(), lst.ravel(), off_grid.ravel()


def orbit_mean_msis(day_of_year, radius_alt_km, f107, f107a, ap, inclination_rad, year=2019):
    """MSIS density averaged along a circular orbit and over the node's local time.

    ``radius_alt_km`` is |r| - R_eq; inputs broadcast together. The date is 00:00 UT of
    ``day_of_year`` so that longitude = local solar time x 15 deg.
    """
    lat, lst, offset = orbit_points(inclination_rad)
    base = np.datetime64(f"{year}-01-01", "D").astype(np.int64)
    args = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in
                                 (day_of_year, radius_alt_km, f107, f107a, ap)))
    doy, h, f, fa, a = (x[..., None] for x in args)
    rho = msis_density(base + np.floor(doy), lst * 15.0, lat, h + offset, f, fa, a)
    return rho.mean(axis=-1)
