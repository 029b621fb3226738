"""The Earth's gravity to J2: point mass plus the oblateness term, for the Cowell integrators.

One function for every Cowell right-hand side (the finite burns and the hapsira reference in
km, the descent in metres): units follow ``mu`` and ``r_eq``.
"""

from __future__ import annotations

import math

import numba

from .constants import J2


@numba.njit(cache=True)
def j2_gravity(x, y, z, mu, r_eq):
    """Acceleration (ax, ay, az) of two-body + J2 at (x, y, z), and the radius |r|.

    ``mu`` (length^3/s^2) and ``r_eq`` (length) set the units: m and m/s^2 with SI values,
    km and km/s^2 with km values. The J2 term is the zonal harmonic's gradient,
    a_J2 = 3/2 J2 mu R^2 / r^5 (x (5 z^2/r^2 - 1), y (5 z^2/r^2 - 1), z (5 z^2/r^2 - 3)).
    """
    r2 = x * x + y * y + z * z
    r = math.sqrt(r2)
    r3 = r2 * r
    zr2 = 5.0 * z * z / r2
    j2f = 1.5 * J2 * mu * r_eq * r_eq / (r2 * r3)
    return (-mu * x / r3 + j2f * x * (zr2 - 1.0), -mu * y / r3 + j2f * y * (zr2 - 1.0),
            -mu * z / r3 + j2f * z * (zr2 - 3.0), r)
