"""Observations that cannot be real are refused, each naming file, place, field and value:
epochs before Sputnik 1 or in the future, altitudes outside 100 .. 2000 km, a perigee or
apogee that does not bracket the mean altitude, inclinations outside 0 .. 180 deg.

Inputs are a few rows of the shipped ISS 2024 history (sim/data/calibrations) and records
of the public ISS OMM history (../shared/data/tle), each altered in one field."""

import datetime as dt
import json

import pytest

from sim.history.altitude_history import HistoryError
from sim.history.readers import parse_history

from .records import ISS_OMM_2024

HEADER = "epoch_utc,mean_alt_km,apogee_km,perigee_km,inc_deg,raan_deg"
ROWS = ["2024-10-18T19:38:11Z,417.1044,423.3845,410.8242,51.6388,63.0367",
        "2024-10-19T08:12:02Z,417.1374,423.3429,410.9320,51.6329,60.4502",
        "2024-10-19T13:05:03Z,417.0250,423.2582,410.7918,51.6399,59.4308"]
# ISS (ZARYA) of 2024-09-15 as CelesTrak serves it (OMM JSON)
OMM = ISS_OMM_2024


def _csv(row2: str) -> str:
    """The three rows with the second replaced."""
    return "\n".join([HEADER, ROWS[0], row2, ROWS[2]]) + "\n"


def _refused(text: str, *needles: str) -> str:
    with pytest.raises(HistoryError) as err:
        parse_history(text, "h.csv")
    message = str(err.value)
    assert message.startswith("h.csv: ") and "\n" not in message
    for needle in needles:
        assert needle in message
    return message


def _utc(days_from_now: float) -> str:
    when = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days_from_now)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_unaltered_rows_read():
    assert len(parse_history(_csv(ROWS[1]), "h.csv")) == 3


def test_an_epoch_in_the_future_is_refused():
    stamp = _utc(3.0)
    row = ROWS[1].replace("2024-10-19T08:12:02Z", stamp)
    _refused(_csv(row).replace(ROWS[2] + "\n", ""), "data row 2", "field 'epoch_utc'", stamp,
             "in the future")


def test_the_newest_observations_are_accepted():
    """Element sets newer than the shipped flux record are real observations: epochs up to
    now (and the one day of slack for a local time written as UTC) read."""
    rows = [f"{_utc(-2.0)},417.1044", f"{_utc(-1.0)},417.0", f"{_utc(0.5)},416.9"]
    assert len(parse_history("epoch_utc,mean_alt_km\n" + "\n".join(rows), "h.csv")) == 3


def test_an_epoch_before_sputnik_is_refused():
    _refused(_csv(ROWS[1].replace("2024-10-19", "1957-10-03")), "data row 2",
             "'1957-10-03T08:12:02Z'", "before 1957-10-04 (Sputnik 1")
    record = {**OMM, "EPOCH": "1901-07-23T02:35:41.000000"}
    with pytest.raises(HistoryError, match=r"h.json: record 1: field 'EPOCH' = "
                                           r"'1901-07-23T02:35:41.000000'.*before 1957-10-04"):
        parse_history(json.dumps([record]), "h.json")


@pytest.mark.parametrize("alt, needle", [("2500.0", "100 .. 2000 km when no perigee"),
                                         ("50", "at least 100 km"), ("99.9", "at least 100 km"),
                                         ("2000.5", "100 .. 2000 km when no perigee")])
def test_mean_altitude_outside_100_2000_km_is_refused(alt, needle):
    """Without a perigee the orbit is taken as circular: 100 .. 2000 km."""
    _refused(_csv(ROWS[1].replace("417.1374,423.3429,410.9320", f"{alt},,")),
             "data row 2", f"field 'mean_alt_km' = '{alt}'", needle)


def test_mean_altitude_at_the_bounds_reads():
    text = f"epoch_utc,mean_alt_km\n{ROWS[0][:20]},2000\n{ROWS[1][:20]},100\n"
    assert len(parse_history(text, "h.csv")) == 2


def test_a_single_wild_altitude_is_refused_not_dropped():
    """Before, a 5000 km row was silently dropped as an outlier; now it is named."""
    _refused(_csv(ROWS[1].replace("417.1374", "5000")), "data row 2", "mean_alt_km = 5000")


@pytest.mark.parametrize("apogee, perigee, needle", [
    ("423.3429", "-400", "field 'perigee_km' = -400: a perigee must be at least 60 km"),
    ("423.3429", "59", "at least 60 km"),
    ("410.9320", "423.3429", "field 'perigee_km' = 423.3429: above mean_alt_km = 417.1374"),
    ("416.5", "410.9320", "field 'apogee_km' = 416.5: below mean_alt_km = 417.1374"),
    ("900000", "410.9320", "field 'apogee_km' = 900000: above 774.7748 km"),
])
def test_apogee_and_perigee_must_bracket_the_mean(apogee, perigee, needle):
    _refused(_csv(ROWS[1].replace("423.3429,410.9320", f"{apogee},{perigee}")), "data row 2",
             needle)


def test_rounding_of_half_a_km_is_tolerated():
    """A table rounded to the km (e.g. 417 / 417 / 417 for a circular orbit) is consistent."""
    row = ROWS[1].replace("423.3429,410.9320", "416.7,417.5")
    assert len(parse_history(_csv(row), "h.csv")) == 3


@pytest.mark.parametrize("inc", ["200", "-10"])
def test_inclination_outside_0_180_is_refused(inc):
    _refused(_csv(ROWS[1].replace("51.6329", inc)), "data row 2", f"field 'inc_deg' = '{inc}'",
             "0 .. 180 deg")


def test_element_set_inclination_outside_0_180_is_refused():
    record = {**OMM, "INCLINATION": 250.0}
    with pytest.raises(HistoryError, match=r"h.json: record 1: field 'INCLINATION' = 250.0: "
                                           r"an inclination must lie in 0 .. 180 deg"):
        parse_history(json.dumps([record]), "h.json")


def test_element_set_whose_perigee_drag_cannot_reach_is_refused():
    """A GPS satellite's mean motion (2.0056 rev/day, a ~ 26 560 km) gives a perigee of
    ~20 000 km: an element set, but no drag to calibrate."""
    record = {**OMM, "MEAN_MOTION": 2.0056, "ECCENTRICITY": 0.005}
    msg = str(pytest.raises(HistoryError, parse_history, json.dumps([record]), "h.json").value)
    assert msg.startswith("h.json: record 1: field 'MEAN_MOTION'") and "at most 2000 km" in msg
    assert "mean altitude 20" in msg


def test_an_eccentric_orbit_with_a_low_perigee_is_read():
    """A transfer-orbit stage, 250 x 35 786 km (e = 0.7297, 2.2567 rev/day): mean altitude
    ~18 000 km, but its perigee is in the thermosphere, and such stages do re-enter."""
    record = {**OMM, "MEAN_MOTION": 2.2567, "ECCENTRICITY": 0.7297}
    history = parse_history(json.dumps([record]), "gto.json")
    assert 100.0 < history.perigee_km[0] < 400.0 and history.mean_alt_km[0] > 17000.0
    # the orbit average's resolution at that eccentricity is said, not hidden
    assert any("eccentric orbit" in note for note in history.notes)


def test_element_set_with_perigee_below_60_km_is_refused():
    """The ISS mean motion (a ~ 6798 km) with e = 0.06: perigee a (1 - e) - R_eq ~ 12 km,
    below any orbit."""
    record = {**OMM, "ECCENTRICITY": 0.06}
    with pytest.raises(HistoryError, match=r"h.json: record 1: field 'perigee \(km, from "
                                           r"ECCENTRICITY\)' = 1\d\.\d+: a perigee must "
                                           r"be at least 60 km"):
        parse_history(json.dumps([record]), "h.json")
