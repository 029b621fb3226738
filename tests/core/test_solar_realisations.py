"""Solar-cycle spread and day-to-day residuals measured on CelesTrak's history."""

import numpy as np
import pytest

from sim.core.solar_realisations import (FluxDraw, fit_ar1, measure_cycle_spread,
                                         realised_daily, residual_bank, solar_cycles)
from sim.core.space_weather import OBSERVED, daily_weather

# Smoothed sunspot minima that start cycles 20-25 (SILSO, Royal Observatory of Belgium,
# sidc.be/silso, cycle table): 1964-10, 1976-03, 1986-09, 1996-08, 2008-12, 2019-12.
SILSO_MINIMA = ["1964-10-15", "1976-03-15", "1986-09-15", "1996-08-15", "2008-12-15",
                "2019-12-15"]


def _day(text):
    return int(np.datetime64(text, "D").astype(np.int64))


def test_cycles_19_to_25_found(record):
    cycles = solar_cycles(record)
    assert [c.number for c in cycles] == [19, 20, 21, 22, 23, 24, 25]
    # F10.7 minima agree with the sunspot minima within 6 months (the two indices do not
    # turn on the same day; a misplaced extremum would be years off)
    minima = [c.minimum_day for c in cycles[1:]]
    for ours, silso in zip(minima, SILSO_MINIMA):
        assert abs(ours - _day(silso)) < 183
    assert cycles[-1].maximum_day == pytest.approx(_day("2024-10-15"), abs=120)


def test_spread_values(record):
    spread = measure_cycle_spread(record)
    # SILSO cycle lengths 20-24 (11.4, 10.5, 9.9, 12.3, 11.0 years) have a std of 0.92 yr
    # (336 d); F10.7 minima give a similar figure
    assert 250 < spread.timing_sigma_days < 500
    # cycle peaks above 65 sfu range from ~80 (cycle 24) to ~190 (cycle 19)
    assert 0.15 < spread.amplitude_sigma_ln < 0.45


def test_ar1_fits_are_persistent_and_mean_preserving(record):
    f107_fit, ap_fit = fit_ar1(record)
    assert 0.6 < f107_fit.phi < 0.98  # the 27-day rotation makes F10.7 strongly persistent
    assert 0.2 < ap_fit.phi < 0.8  # storms last days, not weeks
    bank = residual_bank(f107_fit, ap_fit, 64, 0, 4000, np.random.SeedSequence(3))
    assert np.exp(bank.ln_f107).mean() == pytest.approx(1.0, abs=0.01)
    assert np.exp(bank.ln_ap).mean() == pytest.approx(1.0, abs=0.03)


def test_observed_days_stay_observed(record):
    first = record.last_observed_day - 200
    base = daily_weather(record, first - 500, first + 1500)
    f107_fit, ap_fit = fit_ar1(record)
    bank = residual_bank(f107_fit, ap_fit, 8, base.first_day, base.f107.size,
                         np.random.SeedSequence(1))
    draw = FluxDraw(scale=1.5, shift_days=200, bank_index=2)
    real = realised_daily(base, draw, bank, first, first + 1000, 65.0)
    nominal = realised_daily(base, FluxDraw(), None, first, first + 1000, 65.0)
    observed = real.source == OBSERVED
    assert observed.sum() > 100
    assert np.array_equal(real.f107[observed], nominal.f107[observed])
    assert np.array_equal(real.ap[observed], nominal.ap[observed])
    assert not np.allclose(real.f107[~observed], nominal.f107[~observed])
    # an identity draw reproduces the nominal weather (f107a recomputed the same way)
    plain = daily_weather(record, first, first + 1000)
    assert np.allclose(nominal.f107, plain.f107) and np.allclose(nominal.f107a, plain.f107a)


def test_ar1_filter_is_scipys_lfilter_bit_for_bit():
    """The recursion replaces scipy.signal.lfilter (whose import costs ~1.5 s): same bits."""
    from scipy.signal import lfilter

    from sim.core.solar_realisations import ar1_filter

    eps = np.random.default_rng(3).standard_normal((5, 3000)) * 0.07
    for phi in (0.0, 0.62, 0.97):
        assert np.array_equal(ar1_filter(eps, phi), lfilter([1.0], [1.0, -phi], eps, axis=1))
