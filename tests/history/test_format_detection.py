"""Formats are told apart by content, after a byte-order mark is dropped; a file of no known
format says what was expected; ``calibrate`` turns every refusal into exit status 2."""

import json

import pytest

from sim.history.altitude_history import HistoryError
from sim.history.readers import load_history, parse_history
from sim.interfaces.cli import main

ISS_1 = "1 25544U 98067A   03295.20054398  .00039737  00000-0  43805-3 0  6810"
ISS_2 = "2 25544  51.6291 100.0562 0006596  63.7444 281.0406 15.62676338280844"
OMM = {"OBJECT_NAME": "ISS (ZARYA)", "OBJECT_ID": "1998-067A",
       "EPOCH": "2024-09-15T00:58:12.885024", "MEAN_MOTION": 15.49088255,
       "ECCENTRICITY": 0.0007613, "INCLINATION": 51.6359, "RA_OF_ASC_NODE": 230.2949,
       "ARG_OF_PERICENTER": 354.9391, "MEAN_ANOMALY": 85.5828, "NORAD_CAT_ID": 25544}
XML = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ndm><omm><body><segment><metadata>"
       "<OBJECT_ID>1998-067A</OBJECT_ID></metadata><data><meanElements>"
       + "".join(f"<{k}>{v}</{k}>" for k, v in OMM.items()
                 if k not in ("OBJECT_NAME", "OBJECT_ID", "NORAD_CAT_ID"))
       + "</meanElements><tleParameters><NORAD_CAT_ID>25544</NORAD_CAT_ID></tleParameters>"
       "</data></segment></body></omm></ndm>\n")
FILES = {
    "tle": f"ISS (ZARYA)\n{ISS_1}\n{ISS_2}\n",
    "json": json.dumps([OMM]),
    "xml": XML,
    "omm.csv": ",".join(OMM) + "\n" + ",".join(str(v) for v in OMM.values()) + "\n",
    "alt.csv": ("epoch_utc,mean_alt_km,apogee_km,perigee_km,inc_deg,raan_deg\n"
                "2024-10-18T19:38:11Z,417.1044,423.3845,410.8242,51.6388,63.0367\n"),
}


@pytest.mark.parametrize("kind", sorted(FILES))
def test_a_byte_order_mark_is_ignored(kind, tmp_path):
    plain, marked = tmp_path / f"plain.{kind}", tmp_path / f"bom.{kind}"
    plain.write_text(FILES[kind], encoding="utf-8")
    marked.write_text(FILES[kind], encoding="utf-8-sig")  # as Windows editors save
    assert marked.read_bytes().startswith(b"\xef\xbb\xbf")
    a, b = load_history(plain), load_history(marked)
    assert a.day.tolist() == b.day.tolist() and a.mean_alt_km.tolist() == b.mean_alt_km.tolist()
    c = parse_history("\ufeff" + FILES[kind], "text")
    assert c.mean_alt_km.tolist() == a.mean_alt_km.tolist()


def test_a_name_line_with_a_comma_is_still_a_tle():
    named = parse_history(f"ISS (ZARYA), MODULE\n{ISS_1}\n{ISS_2}\n", "n.tle")
    bare = parse_history(f"{ISS_1}\n{ISS_2}\n", "b.tle")
    assert named.mean_alt_km.tolist() == bare.mean_alt_km.tolist()


@pytest.mark.parametrize("text, needle", [
    ("epoch_utc;mean_alt_km\n2024-10-18T19:38:11Z;417.1\n",
     "n.dat: line 1 = 'epoch_utc;mean_alt_km': not a TLE, OMM (JSON, XML or CSV) or "
     "altitude-history CSV"),
    ("# comment\n5\n", "n.dat: line 2 = '5': not a TLE"),
    ("\n  \n", "n.dat: empty (no element sets or observations); expected a TLE, OMM"),
])
def test_an_unknown_format_says_what_was_expected(text, needle):
    with pytest.raises(HistoryError) as err:
        parse_history(text, "n.dat")
    assert str(err.value).startswith(needle)


@pytest.mark.parametrize("name, text, needle", [
    ("mm.json", json.dumps([{**OMM, "MEAN_MOTION": [15.49]}]), "field 'MEAN_MOTION'"),
    ("two.tle", f"{ISS_1}\n{ISS_2}\n{ISS_1}\n", "line 3: a line '1 ...' without"),
    ("hi.csv", "epoch_utc,mean_alt_km\n2024-10-18T19:38:11Z,2500\n", "'2500'"),
])
def test_calibrate_refuses_with_exit_status_2(name, text, needle, tmp_path, capsys):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert main(["calibrate", str(path)]) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
