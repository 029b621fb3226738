"""The node path from element sets (unwrapping, J2 extrapolation against real sets), the
corrected field, and a calibration round trip on a history made with the correction."""

import math

import numpy as np
import pytest

from sim.campaign.calibration import calibrate_history, observed_field
from sim.campaign.node_path import NodeTrack, node_raan, node_track
from sim.core.node_local_time import nodal_rate_rad_s
from sim.history.altitude_history import AltitudeHistory
from sim.history.readers import load_history
from sim.scenario.units import parse_date, to_day

from .synthetic_legs import two_legs

INC_DEG = 51.64
RATE_DEG_DAY = math.degrees(nodal_rate_rad_s(418e3, math.radians(INC_DEG))) * 86400.0


def _history(day, alt, raan_deg) -> AltitudeHistory:
    nan = np.full(day.size, np.nan)
    return AltitudeHistory("synthetic", day, alt, nan, nan, np.full(day.size, INC_DEG), (),
                           raan_deg)


def test_unwrapping_survives_a_gap_of_many_node_turns():
    """Sets 50 days apart (250 deg of regression, beyond what a naive unwrap can follow):
    the unwrapped node must be the continuous line, to rounding."""
    day = np.array([0.0, 0.5, 1.0, 51.0, 51.5, 120.0])
    truth = 3.0 + math.radians(RATE_DEG_DAY) * day
    track = node_track(_history(day, np.full(day.size, 418.0),
                                np.degrees(np.mod(truth, 2 * math.pi))), INC_DEG)
    np.testing.assert_allclose(track.raan_rad - track.raan_rad[0], truth - truth[0], atol=1e-9)


def test_extrapolated_node_follows_the_real_sets():
    """ISS, Dec 1999 - May 2000: the node extrapolated by J2 from the first half of the segment
    along the observed altitudes stays within 0.25 deg of the element sets over the 87 days
    after (measured 0.05 deg; 0.25 deg is one minute of local time, nothing on a 12-h wave).
    J2 alone leaves out J2^2 and J4 (~0.1 % of ~430 deg)."""
    hist = load_history("sim/data/decays/iss1998-1999-12-02.csv")
    end = to_day(parse_date("2000-02-27T01:17:06Z"))
    later = hist.day > end
    full = node_track(hist, hist.inclination_deg)
    fit = node_track(hist.window(None, end), hist.inclination_deg)
    predicted = node_raan(fit, hist.day[later], (hist.day, hist.mean_alt_km))
    observed = node_raan(full, hist.day[later])
    wrapped = np.mod(predicted - observed + math.pi, 2 * math.pi) - math.pi
    assert hist.day[later][-1] - end > 80.0
    assert np.degrees(np.abs(wrapped)).max() < 0.25


def test_corrected_field_differs_from_the_mean_by_the_wave():
    """A node held at one local time changes the field by a few per cent at 400 km, both ways
    over a node cycle, and leaves the all-local-time mean where the node is unknown."""
    day0 = to_day(parse_date("2024-10-05"))
    base = observed_field(INC_DEG, day0, day0 + 60)
    days = day0 + np.arange(0.0, 61.0)
    track = NodeTrack(days, np.radians(200.0 + RATE_DEG_DAY * (days - day0)),
                      np.full(days.size, 418.0), math.radians(INC_DEG))
    corrected = observed_field(INC_DEG, day0, day0 + 60, node=track)
    j = int(np.searchsorted(base.alt_m, 400e3))
    ratio = np.exp(corrected.log_rho[:, j] - base.log_rho[:, j])
    assert 0.02 < ratio.max() - 1.0 < 0.08 and 0.02 < 1.0 - ratio.min() < 0.08


def test_calibration_recovers_b_from_a_history_made_with_the_correction():
    """Two 25-day legs from 418 km in Oct-Nov 2024 generated through the node-corrected field
    (node regressing by J2 from 200 deg), 40 m of noise, a reboost between: B within 2 % (the
    issue's acceptance for calibration), and within 0.7 %, about three times the fits' own
    combined error (0.25 %; measured -0.05..-0.33 % over five noise seeds). Fitting the same
    data without the node gives +1.1..+1.4 %: this checks the correction reaches the fit."""
    bc = 141.0
    inc = math.radians(INC_DEG)
    day0 = to_day(parse_date("2024-10-05"))
    grid = day0 + np.arange(-2.0, 64.0)
    track = NodeTrack(grid, np.radians(200.0 + RATE_DEG_DAY * (grid - day0)),
                      np.full(grid.size, 418.0), inc)
    field = observed_field(INC_DEG, day0, day0 + 60, node=track)
    day, alt = two_legs(field, day0, bc, seed=5, inc_deg=INC_DEG)
    raan = np.mod(200.0 + RATE_DEG_DAY * (day - day0), 360.0)
    cal = calibrate_history(_history(day, alt, raan))
    assert cal.node_known and len(cal.segments) == 2
    assert cal.ballistic_coefficient == pytest.approx(bc, rel=0.02)
    assert cal.ballistic_coefficient == pytest.approx(bc, rel=0.007)
