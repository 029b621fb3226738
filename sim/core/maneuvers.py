"""Impulsive manoeuvre costs and the rocket equation (SI units)."""

import math

from .constants import G0, MU_EARTH


def propellant_for_dv(mass_kg: float, dv_m_s: float, isp_s: float) -> float:
    """Tsiolkovsky: propellant burned to give ``dv`` to ``mass`` (before the burn)."""
    return mass_kg * (1.0 - math.exp(-dv_m_s / (isp_s * G0)))


def dv_for_propellant(mass_kg: float, propellant_kg: float, isp_s: float) -> float:
    """Tsiolkovsky: delta-v from burning ``propellant`` out of ``mass``."""
    return isp_s * G0 * math.log(mass_kg / (mass_kg - propellant_kg))


def hohmann_dv(r1_m: float, r2_m: float) -> tuple[float, float]:
    """The two burns of a Hohmann transfer between circular radii."""
    a_t = 0.5 * (r1_m + r2_m)
    dv1 = math.sqrt(MU_EARTH * (2.0 / r1_m - 1.0 / a_t)) - math.sqrt(MU_EARTH / r1_m)
    dv2 = math.sqrt(MU_EARTH / r2_m) - math.sqrt(MU_EARTH * (2.0 / r2_m - 1.0 / a_t))
    return abs(dv1), abs(dv2)


def apsis_speed(r_here_m: float, r_other_m: float) -> float:
    """Speed at an apsis of radius ``r_here`` when the opposite apsis is at ``r_other``."""
    return math.sqrt(MU_EARTH * (2.0 / r_here_m - 2.0 / (r_here_m + r_other_m)))


def perigee_change_dv(r_apogee_m: float, r_perigee_m: float, r_new_perigee_m: float) -> float:
    """One burn at apogee moving perigee from ``r_perigee`` to ``r_new_perigee``."""
    return abs(apsis_speed(r_apogee_m, r_perigee_m) - apsis_speed(r_apogee_m, r_new_perigee_m))


def burn_duration(mass_kg: float, dv_m_s: float, thrust_n: float, isp_s: float) -> float:
    """Seconds of constant thrust (and mass flow thrust / (Isp g0)) to give ``dv``."""
    return propellant_for_dv(mass_kg, dv_m_s, isp_s) * isp_s * G0 / thrust_n
