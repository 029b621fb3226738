"""Distances and directions on the Earth's surface (a sphere of the mean radius).

Footprints are hundreds to thousands of kilometres long; a sphere of radius 6,371.0088 km
(IUGG mean radius R1) is within 0.5 % of the ellipsoid's geodesic distance, well below the
spread of a debris footprint. Angles in degrees, distances in km.
"""

from __future__ import annotations

import numpy as np

MEAN_RADIUS_KM = 6371.0088


def _unit(lat_deg, lon_deg):
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle distance (km), accurate at all separations (atan2 form)."""
    a, b = _unit(lat1, lon1), _unit(lat2, lon2)
    cross = np.linalg.norm(np.cross(a, b), axis=-1)
    return MEAN_RADIUS_KM * np.arctan2(cross, np.sum(a * b, axis=-1))


def along_cross_km(lat, lon, origin_lat, origin_lon, towards_lat, towards_lon):
    """Along-track and cross-track distance (km) of points from ``origin`` on the great
    circle through ``origin`` and ``towards``; along is positive towards ``towards``, cross
    positive to the left of the direction of travel."""
    o = _unit(origin_lat, origin_lon)
    t = _unit(towards_lat, towards_lon)
    normal = np.cross(o, t)
    normal = normal / np.linalg.norm(normal)
    p = _unit(lat, lon)
    cross = MEAN_RADIUS_KM * np.arcsin(np.clip(p @ normal, -1.0, 1.0))
    in_plane = p - (p @ normal)[..., None] * normal
    forward = np.cross(normal, o)
    along = MEAN_RADIUS_KM * np.arctan2(in_plane @ forward, in_plane @ o)
    return along, cross


def local_east_north_km(lat, lon, origin_lat, origin_lon):
    """Azimuthal-equidistant east and north (km) of points about ``origin``."""
    dist = distance_km(origin_lat, origin_lon, lat, lon)
    az = bearing_rad(origin_lat, origin_lon, lat, lon)
    return dist * np.sin(az), dist * np.cos(az)


def bearing_rad(lat1, lon1, lat2, lon2):
    """Initial bearing (rad from north, clockwise) of the great circle from 1 to 2."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    return np.arctan2(np.sin(dl) * np.cos(p2),
                      np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl))


def destination(lat, lon, bearing, dist_km):
    """The point ``dist_km`` from (lat, lon) along initial ``bearing`` (rad): (lat, lon) deg."""
    p1, l1 = np.radians(lat), np.radians(lon)
    d = np.asarray(dist_km) / MEAN_RADIUS_KM
    p2 = np.arcsin(np.sin(p1) * np.cos(d) + np.cos(p1) * np.sin(d) * np.cos(bearing))
    l2 = l1 + np.arctan2(np.sin(bearing) * np.sin(d) * np.cos(p1),
                         np.cos(d) - np.sin(p1) * np.sin(p2))
    return np.degrees(p2), (np.degrees(l2) + 540.0) % 360.0 - 180.0


def inside_polygon(lat, lon, vertices) -> np.ndarray:
    """Points inside a (lat, lon) polygon, edges drawn straight in latitude-longitude (ray
    casting). Longitudes are taken within 180 deg of the first vertex, so a zone may cross
    the antimeridian but must span less than 360 deg."""
    poly = np.asarray(vertices, float)
    ref = poly[0, 1]
    py = poly[:, 0]
    px = (poly[:, 1] - ref + 180.0) % 360.0 - 180.0
    y = np.atleast_1d(np.asarray(lat, float))
    x = (np.atleast_1d(np.asarray(lon, float)) - ref + 180.0) % 360.0 - 180.0
    inside = np.zeros(y.shape, bool)
    with np.errstate(divide="ignore", invalid="ignore"):  # a level edge never crosses
        for k in range(len(poly)):
            x1, y1, x2, y2 = px[k - 1], py[k - 1], px[k], py[k]
            crosses = (y1 > y) != (y2 > y)
            x_at = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            inside ^= crosses & (x < x_at)
    return inside


def midpoint(lat1, lon1, lat2, lon2):
    """The great-circle midpoint (lat, lon deg) of two points."""
    m = _unit(lat1, lon1) + _unit(lat2, lon2)
    m = m / np.linalg.norm(m, axis=-1, keepdims=True)
    return (float(np.degrees(np.arcsin(m[..., 2]))),
            float(np.degrees(np.arctan2(m[..., 1], m[..., 0]))))
