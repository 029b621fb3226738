"""The mean-element propagator: analytic limits, J2 rates, Cowell agreement, ensembles."""

import math

import numpy as np
import pytest

from sim.validation.cowell_reference import compare_altitude_loss, compare_time_to
from sim.core.constants import J2, MU_EARTH, R_EARTH
from sim.core.decay import REACHED_END, STOP_MEAN, STOP_PERIGEE, propagate_decay
from sim.core.density_field import DensityField, coesa76_field

ISS_INC = math.radians(51.64)


def uniform_field(rho):
    alt = np.array([0.0, 3000e3])
    return DensityField(first_day=0.0, alt_m=alt, log_rho=np.full((1, 2), math.log(rho)))


def test_constant_density_circular_decay_is_analytic():
    # da/dt = -sqrt(mu a) rho / B for a circular orbit in still air, so
    # sqrt(a) falls linearly: sqrt(a) = sqrt(a0) - sqrt(mu) rho t / (2 B).
    rho, bc, a0 = 1e-11, 100.0, R_EARTH + 400e3
    run = propagate_decay([a0, 0.0, ISS_INC, 0, 0], bc, uniform_field(rho), 0.0, 50.0,
                          corotate=False)
    t = 50.0 * 86400
    expected = (math.sqrt(a0) - math.sqrt(MU_EARTH) * rho * t / (2 * bc)) ** 2
    assert run.status[0] == REACHED_END
    assert run.final[0, 0] == pytest.approx(expected, abs=0.5)  # metres over a 30 km fall
    assert run.final[0, 1] == pytest.approx(0.0, abs=1e-12)


def test_co_rotation_reduces_drag_by_the_expected_factor():
    rho, bc, a0 = 1e-11, 100.0, R_EARTH + 400e3
    still = propagate_decay([a0, 0, ISS_INC, 0, 0], bc, uniform_field(rho), 0, 20, corotate=False)
    turning = propagate_decay([a0, 0, ISS_INC, 0, 0], bc, uniform_field(rho), 0, 20)
    v = math.sqrt(MU_EARTH / a0)
    factor = (1 - 7.292115e-5 * a0 * math.cos(ISS_INC) / v) ** 2  # ~0.92 at 51.6 deg
    ratio = (a0 - turning.final[0, 0]) / (a0 - still.final[0, 0])
    assert ratio == pytest.approx(factor, rel=2e-3)
    assert 0.90 < factor < 0.94


def test_j2_node_and_perigee_rates():
    a0 = R_EARTH + 415e3
    run = propagate_decay([a0, 0.001, ISS_INC, 0, 0], 1e9, uniform_field(1e-30), 0, 10.0)
    n = math.sqrt(MU_EARTH / a0**3)
    k = n * J2 * (R_EARTH / (a0 * (1 - 0.001**2))) ** 2
    raan_rate = -1.5 * k * math.cos(ISS_INC)
    assert run.final[0, 3] == pytest.approx(raan_rate * 10 * 86400, rel=1e-6)
    # the ISS node regresses ~5.0 deg/day (published figure for ~400 km, 51.6 deg)
    assert math.degrees(raan_rate * 86400) == pytest.approx(-5.0, abs=0.1)
    argp_rate = 0.75 * k * (5 * math.cos(ISS_INC) ** 2 - 1)
    assert run.final[0, 4] == pytest.approx(argp_rate * 10 * 86400, rel=1e-6)


def test_stops_on_perigee_and_mean_altitude_and_on_nan():
    field = uniform_field(1e-10)
    start = [R_EARTH + 300e3, 0.0, ISS_INC, 0, 0]
    run = propagate_decay(start, 100.0, field, 0, 400, stop_perigee_m=200e3)
    assert run.status[0] == STOP_PERIGEE
    assert run.final[0, 0] - R_EARTH == pytest.approx(200e3, abs=1.0)
    run = propagate_decay(start, 100.0, field, 0, 400, stop_perigee_m=0.0, stop_mean_m=250e3)
    assert run.status[0] == STOP_MEAN
    assert np.isnan(run.states[0, -1, 0])  # rows after the stop stay empty
    bad = DensityField(0.0, np.array([0.0, 3000e3]), np.full((1, 2), np.nan))
    run = propagate_decay(start, 100.0, bad, 0, 400)
    assert run.status[0] != REACHED_END  # a NaN density stops the sample, it does not run on


def test_ensemble_orders_reentry_by_ballistic_coefficient(coesa):
    field = coesa76_field(coesa, ISS_INC, geodetic=False)
    bcs = np.array([50.0, 100.0, 200.0])
    starts = np.tile([R_EARTH + 300e3, 0.0, ISS_INC, 0, 0], (3, 1))
    run = propagate_decay(starts, bcs, field, 0, 2000)
    assert (run.status == STOP_PERIGEE).all()
    # for a given atmosphere, lifetime is proportional to B
    assert run.t_stop[1] / run.t_stop[0] == pytest.approx(2.0, rel=0.02)
    assert run.t_stop[2] / run.t_stop[1] == pytest.approx(2.0, rel=0.02)


def test_agrees_with_hapsira_cowell_over_30_days(coesa):
    # Same object, same tabulated COESA76 density, same co-rotating drag and J2. The issue asks
    # for 1 %; we measure -0.42 % (averaged vs osculating drag on a J2-rippled radius).
    field = coesa76_field(coesa, ISS_INC, geodetic=False)
    c = compare_altitude_loss(field, 120.0, 415.0, 51.64, 30.0)
    assert 2.0 < c.loss_cowell_km < 3.5
    assert abs(c.relative_difference) < 0.01


@pytest.mark.slow
def test_agrees_with_hapsira_cowell_on_time_to_120_km(coesa):
    # from 300 km, B = 100 kg/m^2: 43.4 days of Cowell integration (~8 s); measured +0.35 %.
    field = coesa76_field(coesa, ISS_INC, geodetic=False)
    r = compare_time_to(field, 100.0, 300.0, 51.64)
    assert 30 < r.days_cowell < 200
    assert abs(r.relative_difference) < 0.01


def test_table_driven_decay_matches_direct_msis_calls(record, table):
    """The whole chain (daily weather -> orbit-mean table -> propagator) against direct
    NRLMSIS orbit averages on the same days: ISS, October 2024, 30 days. Measured -1.7 %,
    the table's bias; 3 % would catch a wrong axis or a missing seasonal term."""
    from sim.core.density_field import msis_direct_field, msis_table_field
    from sim.core.space_weather import daily_weather

    first = int(np.datetime64("2024-10-09", "D").astype(np.int64))
    weather = daily_weather(record, first, first + 31)
    start = [R_EARTH + 418.1e3, 0.0, ISS_INC, 0, 0]
    losses = []
    for field in (msis_table_field(table, weather),
                  msis_direct_field(weather, ISS_INC, np.arange(380.0, 450.0, 5.0))):
        run = propagate_decay(start, 155.0, field, 0.0, 30.0)
        losses.append(start[0] - run.final[0, 0])
    assert losses[0] / losses[1] - 1 == pytest.approx(0.0, abs=0.03)
