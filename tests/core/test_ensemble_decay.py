"""The sample-axis kernel against the single-run propagator and the realised weather."""

import math

import numpy as np
import pytest

from sim.core.constants import R_EARTH
from sim.core.decay import STOP_PERIGEE, propagate_decay
from sim.core.density_field import msis_table_field
from sim.core.ensemble_decay import SampleInputs, advance_ensemble, flux_inputs
from sim.core.solar_realisations import FluxDraw, fit_ar1, realised_daily, residual_bank
from sim.core.space_weather import daily_weather

FIRST = int(np.datetime64("2025-06-01", "D").astype(np.int64))
INC = math.radians(51.64)


def _inputs(n=1, **kw):
    base = dict(a_m=np.full(n, R_EARTH + 415e3), e=np.zeros(n), inclination=np.full(n, INC),
                ballistic=np.full(n, 155.0), ln_density_scale=np.zeros(n),
                flux_scale=np.ones(n), shift_days=np.zeros(n, np.int64),
                bank_index=np.full(n, -1, np.int64))
    base.update({k: np.atleast_1d(v) for k, v in kw.items()})
    return SampleInputs(**base)


@pytest.fixture(scope="module")
def base(record):
    return daily_weather(record, FIRST - 700, FIRST + 6 * 366 + 700)


@pytest.fixture(scope="module")
def bank(record, base):
    f107_fit, ap_fit = fit_ar1(record)
    return residual_bank(f107_fit, ap_fit, 8, base.first_day, base.f107.size,
                         np.random.SeedSequence(5))


def _single_run(table, weather, bc, scale=1.0, e=0.0):
    field = msis_table_field(table, weather)
    field = type(field)(field.first_day, field.alt_m, field.log_rho + math.log(scale))
    a = (R_EARTH + 415e3)
    run = propagate_decay(np.array([a, e, INC, 0, 0]), bc, field, 1.0, len(weather.f107) - 2)
    return run.t_stop[0] - 1.0


@pytest.mark.parametrize("draw,bc,scale", [(FluxDraw(), 155.0, 1.0),
                                           (FluxDraw(0.7, 250, 3), 120.0, 1.25),
                                           (FluxDraw(1.4, -300, 6), 140.0, 0.9)])
def test_kernel_matches_single_run_on_the_realised_weather(record, table, base, bank, draw,
                                                           bc, scale):
    """Lifetime from the kernel (per-sample realisation folded in on the fly) against
    ``propagate_decay`` on the field of the same realisation built day by day: within
    0.3 % (~4 days in ~3.5 years). The kernel holds each day's flux constant where the
    single run interpolates between days, and integrates a circular day exactly."""
    weather = realised_daily(base, draw, bank, FIRST - 1, FIRST + 6 * 366, 65.0)
    expected = _single_run(table, weather, bc, scale)
    run = advance_ensemble(
        _inputs(ballistic=bc, ln_density_scale=math.log(scale), flux_scale=draw.scale,
                shift_days=draw.shift_days, bank_index=draw.bank_index),
        flux_inputs(base, 65.0, bank), table, float(FIRST), FIRST + 6 * 366.0)
    assert run.status[0] == STOP_PERIGEE
    assert run.t_stop[0] - FIRST == pytest.approx(expected, rel=3e-3)


def test_eccentric_sample_matches_single_run(table, base):
    weather = realised_daily(base, FluxDraw(), None, FIRST - 1, FIRST + 6 * 366, 65.0)
    expected = _single_run(table, weather, 155.0, e=2e-3)
    run = advance_ensemble(_inputs(e=2e-3, a_m=R_EARTH + 415e3), flux_inputs(base, 65.0, None),
                           table, float(FIRST), FIRST + 6 * 366.0)
    assert run.t_stop[0] - FIRST == pytest.approx(expected, rel=3e-3)


def test_history_is_optional_and_float32(table, base):
    flux = flux_inputs(base, 65.0, None)
    with_h = advance_ensemble(_inputs(3), flux, table, float(FIRST), FIRST + 100.0)
    without = advance_ensemble(_inputs(3), flux, table, float(FIRST), FIRST + 100.0,
                               history=False)
    assert without.history_km is None
    assert with_h.history_km.dtype == np.float32 and with_h.history_km.shape == (3, 101)
    assert with_h.history_km[0, 0] == pytest.approx(415.0)
    assert np.array_equal(with_h.t_stop, without.t_stop)


def test_coverage_is_checked(table, base):
    with pytest.raises(ValueError, match="cover"):
        advance_ensemble(_inputs(shift_days=5000), flux_inputs(base, 65.0, None), table,
                         float(FIRST), FIRST + 100.0)


def test_branchless_bracket_is_the_tables_bracket(table):
    """The kernel's branch-free bracket (F10.7 and Ap) gives the index of the table's own
    ``msis_table._bracket`` and the same weight to a few ulps (the kernel multiplies by the
    inverse node spacing where the table divides), on every node, between nodes and
    beyond both ends; and bit for bit what the walked bracket gives from any start."""
    from sim.core.ensemble_table import branchless_bracket, walk
    from sim.core.msis_table import _bracket as table_bracket
    rng = np.random.default_rng(3)
    for nodes in (table.f107, table.ap, table.f107a):
        inv_gap = 1.0 / np.diff(nodes)
        xs = np.concatenate([nodes, np.nextafter(nodes, np.inf), np.nextafter(nodes, -np.inf),
                             rng.uniform(nodes[0] - 20.0, nodes[-1] * 1.5, 500)])
        for x in xs:
            i, w = branchless_bracket(nodes, inv_gap, x)
            i_ref, w_ref = table_bracket(nodes, x)
            assert i == i_ref and w == pytest.approx(w_ref, rel=1e-14, abs=1e-15)
            for start in range(nodes.size - 1):
                assert (i, w) == walk(nodes, inv_gap, x, start)
