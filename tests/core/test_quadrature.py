"""The one orbit-average rule (trapezoidal in E, ``quadrature_nodes``) against exact Bessel
averages, against 24 Gauss-Legendre nodes on the NRLMSIS table, and in the ensemble kernel."""

import functools
import math

import numpy as np
import pytest
from scipy.special import i0e, i1e

from sim.core.constants import MU_EARTH, OMEGA_EARTH, R_EARTH
from sim.core.density_field import msis_table_field
from sim.core.ensemble_decay import circular_rate
from sim.core.mean_elements import (THINNEST_SCALE_HEIGHT_M, node_rates, quadrature_nodes,
                                    wind_term)
from sim.core.space_weather import daily_weather


@pytest.mark.parametrize("ecc", [1e-5, 5e-4, 2e-3, 5e-3, 1e-2, 2e-2, 4e-2])
@pytest.mark.parametrize("scale_height_km", [8.0, 25.0, 60.0])
def test_node_count_meets_its_tolerance_against_bessel_values(ecc, scale_height_km):
    """With exp(-(r - a)/H) = exp(x cos E), x = a e / H, the orbit averages are exactly
    <exp(x cos E)> = I0(x) and <cos E exp(x cos E)> = I1(x). The rule promises 1e-9 for
    H >= 8 km; a thicker atmosphere (smaller x) can only do better."""
    a = R_EARTH + 300e3
    x = a * ecc / (scale_height_km * 1e3)
    n = quadrature_nodes(a, ecc)
    cos_e = np.cos(2 * np.pi * np.arange(n) / n)
    scaled = np.exp(x * (cos_e - 1.0))  # exponentially scaled, as i0e / i1e are
    assert abs(scaled.mean() / i0e(x) - 1) < 1e-9
    assert abs(np.mean(cos_e * scaled) - i1e(x)) < 1e-9 * i0e(x)


def test_node_counts_for_the_iss_and_eccentric_orbits():
    """The fewest nodes whose error estimates, 2 (x/2)^N / N! for da/dt and
    (x/2)^(N-1) / (N-1)! for de/dt (x = a e / 8 km), are under 1e-9, at least 4."""
    a = R_EARTH + 415e3
    for ecc in (0.0, 1e-5, 5e-4, 0.002, 0.02):
        n = quadrature_nodes(a, ecc)
        x = a * ecc / THINNEST_SCALE_HEIGHT_M
        assert (x / 2) ** (n - 1) / math.factorial(n - 1) < 1e-9
        if n > 4:
            assert (x / 2) ** (n - 2) / math.factorial(n - 2) >= 1e-9
    assert quadrature_nodes(a, 0.0) == 4
    assert quadrature_nodes(a, 5e-4) == 9  # the ISS: x = 0.42


@functools.lru_cache(maxsize=2)
def _leggauss(n):
    return np.polynomial.legendre.leggauss(n)


def _gauss_legendre_rates(a, e, field, n_nodes=24, bc=155.0, inc=math.radians(51.64)):
    """da/dt, de/dt averaged over E with n Gauss-Legendre nodes (independent numpy)."""
    gx, gw = _leggauss(n_nodes)
    ecc_anom = math.pi * (gx + 1.0)
    one_m = 1 - e * np.cos(ecc_anom)
    r = a * one_m
    v2 = MU_EARTH * (2 / r - 1 / a)
    cos_nu = (np.cos(ecc_anom) - e) / one_m
    h = math.sqrt(MU_EARTH * a * (1 - e * e))
    f_t = -0.5 * np.exp(np.interp(r - R_EARTH, field.alt_m, field.log_rho[1])) \
        * (1 - OMEGA_EARTH * h * math.cos(inc) / v2) ** 2 * v2 / bc
    weight = 0.5 * gw * one_m
    return (float(np.sum(weight * 2 * a * a * np.sqrt(v2) * f_t / MU_EARTH)),
            float(np.sum(weight * 2 * (e + cos_nu) * f_t / np.sqrt(v2))))


def _trapezoid_rates(a, e, field, bc=155.0, inc=math.radians(51.64)):
    n = quadrature_nodes(a, e)
    wind = wind_term(a, e, math.cos(inc))
    total = np.zeros(2)
    for k in range(n):
        cos_e = math.cos(2 * math.pi * k / n)
        rho = math.exp(np.interp(a * (1 - e * cos_e) - R_EARTH, field.alt_m, field.log_rho[1]))
        total += node_rates(a, e, cos_e, wind, rho, bc, n)
    return total


@pytest.mark.parametrize("perigee_km,ecc", [(400, 1e-4), (400, 5e-4), (300, 2e-3),
                                            (200, 5e-3), (150, 1e-2), (130, 2e-2)])
def test_rule_on_the_msis_table(record, table, perigee_km, ecc):
    """da/dt and de/dt with the rule's nodes against 800 Gauss-Legendre nodes on the NRLMSIS
    table at solar maximum (2024-10). The table's ln rho is piecewise linear in altitude
    (10-50 km nodes); its kinks slow every rule to algebraic convergence once the orbit spans
    several nodes. Measured: <= 5e-12 for e <= 5e-4 (the ISS before the burns); for the
    eccentric orbits of the burns, which last days, up to 7.4e-4 (130 x 400 km), where the
    24 Gauss-Legendre nodes used before were off by up to 1.2e-3. Bounds: 1e-10 and 1e-3, far
    below the table's own 1.6 % rms error against NRLMSIS."""
    first = int(np.datetime64("2024-10-01", "D").astype(np.int64))
    field = msis_table_field(table, daily_weather(record, first, first + 3))
    a = (R_EARTH + perigee_km * 1e3) / (1 - ecc)
    ref = _gauss_legendre_rates(a, ecc, field, 800)
    got = _trapezoid_rates(a, ecc, field)
    bound = 1e-10 if ecc <= 5e-4 else 1e-3
    assert abs(got[0] / ref[0] - 1) <= bound
    assert abs(got[1] - ref[1]) <= bound * abs(ref[1])


@pytest.mark.parametrize("corotate", [True, False])
@pytest.mark.parametrize("alt_km", [420.0, 250.0, 130.0])
def test_kernel_circular_rate_is_the_trapezoid_at_zero_eccentricity(alt_km, corotate):
    """The ensemble kernel's closed form on a circular orbit is the same average: the N
    coinciding nodes of ``node_rates`` (at e = 0 every node has r = a)."""
    a, inc, rho, bc = R_EARTH + alt_km * 1e3, math.radians(51.64), 3.2e-12, 140.0
    wind = wind_term(a, 0.0, math.cos(inc)) if corotate else 0.0
    n = quadrature_nodes(a, 0.0)
    trapezoid = sum(node_rates(a, 0.0, math.cos(2 * math.pi * k / n), wind, rho, bc, n)[0]
                    for k in range(n))
    coeff = OMEGA_EARTH * math.cos(inc) / MU_EARTH if corotate else 0.0
    assert circular_rate(a, rho, coeff, 1.0 / bc) == pytest.approx(trapezoid, rel=1e-13)


@pytest.mark.parametrize("ae_km, bound", [(8000.0, 3.5e-3), (18000.0, 0.15)])
def test_highly_eccentric_orbits_beyond_the_node_cap(ae_km, bound):
    """Past ~800 km of a e the node count is capped (64) and the 1e-9 promise lapses; the
    history readers note an orbit past a e = 8,000 km. The error there, at a 25 km scale
    height (a perigee near 250 km): 0.34 % at 8,000 km, 11.6 % at 18,000 km (a transfer
    orbit, 250 x 35,786 km), against the exact Bessel mean."""
    a = R_EARTH + 18000e3
    ecc = ae_km * 1e3 / a
    n = quadrature_nodes(a, ecc)
    assert n == 64
    x = ae_km / 25.0
    cos_e = np.cos(2 * np.pi * np.arange(n) / n)
    error = abs(np.exp(x * (cos_e - 1.0)).mean() / i0e(x) - 1)
    assert bound / 3 < error < bound  # the figures quoted, within a factor of three
