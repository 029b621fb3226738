"""Two-line sets are checked line by line (length, checksum, catalogue number, pairing), a
history is one object, and OMM fields of the wrong type or form are named.

The lines are real element sets copied from the public histories in ../shared/data/tle (ISS
2003 and Tiangong-2 2018, both from files whose every line has a valid checksum)."""

import json

import pytest

from sim.history.altitude_history import HistoryError
from sim.history.readers import parse_history
from sim.history.tle import checksum

from .records import ISS_OMM_2024

ISS_1 = "1 25544U 98067A   03295.20054398  .00039737  00000-0  43805-3 0  6810"
ISS_2 = "2 25544  51.6291 100.0562 0006596  63.7444 281.0406 15.62676338280844"
TG2_1 = "1 41765U 16057A   18059.45914791  .00003508  00000-0  45940-4 0  9997"
TG2_2 = "2 41765  42.7837 271.0234 0004287 239.3688 191.2744 15.60485197 82997"
OMM = ISS_OMM_2024


def _message(text: str, name: str = "s.tle") -> str:
    with pytest.raises(HistoryError) as err:
        parse_history(text, name)
    message = str(err.value)
    assert message.startswith(f"{name}: ") and "\n" not in message
    return message


def _lines(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def test_checksum_of_real_lines():
    """The published lines carry their checksum in column 69."""
    for line in (ISS_1, ISS_2, TG2_1, TG2_2):
        assert checksum(line) == int(line[68])


def test_the_real_sets_read():
    assert len(parse_history(_lines("ISS (ZARYA)", ISS_1, ISS_2), "s.tle")) == 1


def test_a_corrupted_digit_fails_the_checksum():
    bad = ISS_2.replace("15.62676338", "15.62676838")  # one digit of the mean motion
    msg = _message(_lines(ISS_1, bad))
    assert msg == ("s.tle: line 2: checksum (column 69) = '4': the line's digits give 9; "
                   "the line is corrupted")


def test_a_truncated_line_names_itself_and_its_length():
    msg = _message(_lines(ISS_1, ISS_2[:40], TG2_1, TG2_2))
    assert msg.startswith("s.tle: line 2: truncated line 2 of a two-line element set: "
                          "40 characters, a TLE line has 69")


def test_a_lone_first_line_at_the_end_is_refused():
    msg = _message(_lines(ISS_1, ISS_2, ISS_1.replace("03295.20054398", "03295.30054398")))
    assert msg.startswith("s.tle: line 3: a line '1 ...' without its line '2 ...'")


def test_both_lines_of_a_set_carry_one_catalogue_number():
    msg = _message(_lines(ISS_1, TG2_2))
    assert msg.startswith("s.tle: line 2: catalogue number (columns 3-7) = '41765': "
                          "line 1 of the set (line 1) has '25544'")


def test_element_sets_of_two_objects_are_refused_with_their_counts():
    msg = _message(_lines(ISS_1, ISS_2, TG2_1, TG2_2, "TIANGONG 2", TG2_1, TG2_2))
    assert "element sets of 2 objects" in msg
    assert "41765 (2 sets), 25544 (1 set)" in msg


def test_omm_records_of_two_objects_are_refused():
    other = {**OMM, "NORAD_CAT_ID": 48274, "EPOCH": "2024-09-16T00:00:00.000000"}
    msg = _message(json.dumps([OMM, other]), "s.json")
    assert "catalogue numbers (NORAD ids) 25544 (1 set), 48274 (1 set)" in msg


@pytest.mark.parametrize("epoch", ["2024-09-15T00:58:12.885024Z", "2024-09-15T00:58:12Z",
                                   "2024-09-15T00:58:12"])
def test_omm_epoch_with_z_or_without_fraction(epoch):
    ref = parse_history(json.dumps([OMM]), "a.json")
    hist = parse_history(json.dumps([{**OMM, "EPOCH": epoch}]), "b.json")
    # whole-second epochs lose the 0.885024 s fraction: 1.1e-5 day
    tol = 1e-9 if "." in epoch else 0.885024 / 86400.0 + 1e-9
    assert hist.day[0] == pytest.approx(ref.day[0], abs=tol)


@pytest.mark.parametrize("field, value, needle", [
    ("MEAN_MOTION", [15.49], "record 1: field 'MEAN_MOTION' = [15.49]: must be a number"),
    ("MEAN_MOTION", "abc", "record 1: field 'MEAN_MOTION' = 'abc': not a number"),
    ("BSTAR", "x", "record 1: field 'BSTAR' = 'x': not a number"),
    ("NORAD_CAT_ID", {"id": 1}, "record 1: field 'NORAD_CAT_ID' = {'id': 1}: must be a whole"),
    ("OBJECT_ID", 1998067, "record 1: field 'OBJECT_ID' = 1998067: must be text"),
    ("EPOCH", 12345, "record 1: field 'EPOCH' = 12345: not a UTC time"),
    ("EPOCH", "2024-13-45T00:00:00", "field 'EPOCH' = '2024-13-45T00:00:00': not a UTC time"),
])
def test_omm_fields_of_the_wrong_type_are_named(field, value, needle):
    assert needle in _message(json.dumps([{**OMM, field: value}]), "s.json")


def test_omm_xml_non_numeric_field_is_named():
    xml = ("<ndm><omm><body><segment><metadata><OBJECT_ID>1998-067A</OBJECT_ID></metadata>"
           "<data><meanElements>" + "".join(
               f"<{k}>{'abc' if k == 'MEAN_MOTION' else OMM[k]}</{k}>"
               for k in ("EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION",
                         "RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "MEAN_ANOMALY"))
           + "</meanElements><tleParameters><NORAD_CAT_ID>25544</NORAD_CAT_ID>"
           "</tleParameters></data></segment></body></omm></ndm>")
    assert "segment 1: field 'MEAN_MOTION' = 'abc': not a number" in _message(xml, "s.xml")


def test_sgp4_refusals_still_name_the_record():
    """A zero mean motion gets past the type checks; SGP4 itself rejects it."""
    msg = _message(json.dumps([{**OMM, "MEAN_MOTION": 0}]), "s.json")
    assert msg.startswith("s.json: record 1: SGP4 rejects this element set")
