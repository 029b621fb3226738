"""Element sets (two-line sets, CCSDS OMM as JSON, XML or CSV) to mean altitudes via ``sgp4``.

Each element set is initialised with ``sgp4.api.Satrec`` (two-line sets) or ``sgp4.omm``
(OMM), WGS-72 as SGP4 requires. The mean altitude is ``Satrec.a * Satrec.radiusearthkm -
6378.137 km``: ``Satrec.a`` is SGP4's Brouwer mean semi-major axis, computed from the
*un-Kozai'd* (Brouwer) mean motion. The element set's own mean motion (``Satrec.no_kozai``,
which the compiled binding also returns as ``no``) is Kozai's: taking ``a`` from it would put the
ISS ~0.5 km lower. Apogee and perigee are ``a (1 +- e) - R_eq`` with the mean eccentricity;
the node's right ascension is ``Satrec.nodeo`` (TEME, as published).
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from sgp4 import omm
from sgp4.api import WGS72, Satrec

from .altitude_history import R_EQ_KM, HistoryError

JD_1970 = 2440587.5
Row = tuple[float, float, float, float, float, float]
# Fields sgp4.omm.initialize needs that CelesTrak's records may leave out.
OMM_DEFAULTS = {"CLASSIFICATION_TYPE": "U", "OBJECT_ID": "0000-000A", "EPHEMERIS_TYPE": 0,
                "ELEMENT_SET_NO": 999, "REV_AT_EPOCH": 0, "BSTAR": 0.0,
                "MEAN_MOTION_DOT": 0.0, "MEAN_MOTION_DDOT": 0.0}


def satrec_row(sat: Satrec) -> Row:
    """(day since 1970, mean altitude, apogee, perigee, inclination, node's right ascension)
    of one element set (km, degrees)."""
    a_km = sat.a * sat.radiusearthkm
    day = (sat.jdsatepoch - JD_1970) + sat.jdsatepochF
    return (day, a_km - R_EQ_KM, a_km * (1.0 + sat.ecco) - R_EQ_KM,
            a_km * (1.0 - sat.ecco) - R_EQ_KM, sat.inclo * 57.29577951308232,
            sat.nodeo * 57.29577951308232)


def _checked(sat: Satrec, where: str) -> Row:
    if sat.error != 0 or not sat.a > 0.0 or not 0.0 <= sat.ecco < 1.0:
        raise HistoryError(f"{where}: SGP4 rejects this element set (error {sat.error})")
    return satrec_row(sat)


def read_tle(text: str, name: str) -> list[Row]:
    """Two- or three-line element sets; lines other than '1 ...'/'2 ...' pairs are names."""
    lines = text.splitlines()
    rows = []
    k = 0
    while k < len(lines):
        line = lines[k].rstrip()
        if line.startswith("1 ") and k + 1 < len(lines):
            second = lines[k + 1].rstrip()
            if not second.startswith("2 "):
                raise HistoryError(f"{name}: line {k + 2}: expected the second line of a "
                                   f"two-line element set (starting '2 '), got {second[:30]!r}")
            try:
                sat = Satrec.twoline2rv(line, second, WGS72)
            except Exception as exc:  # sgp4 raises ValueError with its own wording
                raise HistoryError(f"{name}: line {k + 1}: not a valid two-line element set "
                                   f"({exc})") from None
            rows.append(_checked(sat, f"{name}: line {k + 1}"))
            k += 2
        elif line.startswith("2 "):
            raise HistoryError(f"{name}: line {k + 1}: a line '2 ...' without its line '1 ...'")
        else:
            k += 1
    return rows


def _omm_row(fields: dict, where: str) -> Row:
    merged = {**OMM_DEFAULTS, **{k: v for k, v in fields.items() if v not in (None, "")}}
    epoch = str(merged.get("EPOCH", ""))
    if "." not in epoch:  # sgp4.omm wants fractional seconds
        merged["EPOCH"] = epoch + ".0"
    sat = Satrec()
    try:
        omm.initialize(sat, merged, WGS72)
    except KeyError as exc:
        raise HistoryError(f"{where}: field {exc.args[0]} is missing") from None
    except ValueError as exc:
        raise HistoryError(f"{where}: {exc}") from None
    return _checked(sat, where)


def read_omm_json(text: str, name: str) -> list[Row]:
    """A JSON list of OMM records (CelesTrak's ``FORMAT=json``), or one record."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HistoryError(f"{name}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
    records = data if isinstance(data, list) else [data]
    if not all(isinstance(r, dict) for r in records):
        raise HistoryError(f"{name}: expected a list of OMM records (JSON objects)")
    return [_omm_row(r, f"{name}: record {k + 1}") for k, r in enumerate(records)]


def read_omm_xml(text: str, name: str) -> list[Row]:
    """CCSDS OMM XML (CelesTrak's ``FORMAT=xml``: an ndm of omm segments)."""
    try:
        segments = list(omm.parse_xml(io.StringIO(text)))
    except ET.ParseError as exc:
        raise HistoryError(f"{name}: line {exc.position[0]}: not valid XML ({exc})") from None
    return [_omm_row(s, f"{name}: segment {k + 1}") for k, s in enumerate(segments)]


def read_omm_csv(text: str, name: str) -> list[Row]:
    """OMM as CSV with CCSDS keyword headers (CelesTrak's ``FORMAT=csv``)."""
    reader = csv.DictReader(io.StringIO(text))
    return [_omm_row(r, f"{name}: line {k + 2}") for k, r in enumerate(reader)]
