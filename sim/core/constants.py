"""Earth and physical constants used by the physics core (SI units)."""

import math

MU_EARTH = 3.986004418e14  # m^3/s^2
R_EARTH = 6378137.0  # m, WGS-84 equatorial radius
FLATTENING = 1.0 / 298.257223563  # WGS-84
J2 = 1.08263e-3
OMEGA_EARTH = 7.292115e-5  # rad/s, rotation rate
G0 = 9.80665  # m/s^2, standard gravity (rocket equation)
DAY = 86400.0  # s
TWO_PI = 2.0 * math.pi
