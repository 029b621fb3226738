"""Element sets (two-line sets, CCSDS OMM as JSON, XML or CSV) to mean altitudes via ``sgp4``.

Each element set is initialised with ``sgp4.api.Satrec`` (two-line sets, ``tle``) or
``sgp4.omm`` (OMM, here), WGS-72 as SGP4 requires. The mean altitude is ``Satrec.a *
Satrec.radiusearthkm - 6378.137 km``: ``Satrec.a`` is SGP4's Brouwer mean semi-major axis,
computed from the *un-Kozai'd* (Brouwer) mean motion. The element set's own mean motion
(``Satrec.no_kozai``, which the compiled binding also returns as ``no``) is Kozai's: taking
``a`` from it would put the ISS ~0.5 km lower. Apogee and perigee are ``a (1 +- e) - R_eq``
with the mean eccentricity; the node's right ascension is ``Satrec.nodeo`` (TEME, as
published). Every element set passes the physical checks of ``checks``; OMM fields are
type-checked before ``sgp4`` sees them, so a wrong field is named rather than crashing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from sgp4 import omm
from sgp4.api import WGS72, Satrec

from .altitude_history import R_EQ_KM, HistoryError
from .checks import (check_bracket, check_epoch, check_inclination, check_mean_altitude,
                     check_one_object)

JD_1970 = 2440587.5
Row = tuple[float, float, float, float, float, float]
# Fields sgp4.omm.initialize needs that CelesTrak's records may leave out.
OMM_DEFAULTS = {"CLASSIFICATION_TYPE": "U", "OBJECT_ID": "0000-000A", "EPHEMERIS_TYPE": 0,
                "ELEMENT_SET_NO": 999, "REV_AT_EPOCH": 0, "BSTAR": 0.0,
                "MEAN_MOTION_DOT": 0.0, "MEAN_MOTION_DDOT": 0.0}
OMM_REQUIRED = ("EPOCH", "ARG_OF_PERICENTER", "ECCENTRICITY", "INCLINATION", "MEAN_ANOMALY",
                "MEAN_MOTION", "RA_OF_ASC_NODE", "NORAD_CAT_ID")
OMM_REAL = ("ARG_OF_PERICENTER", "BSTAR", "ECCENTRICITY", "INCLINATION", "MEAN_ANOMALY",
            "MEAN_MOTION", "MEAN_MOTION_DDOT", "MEAN_MOTION_DOT", "RA_OF_ASC_NODE")
OMM_INTEGER = ("NORAD_CAT_ID", "EPHEMERIS_TYPE", "ELEMENT_SET_NO", "REV_AT_EPOCH")
OMM_TEXT = ("CLASSIFICATION_TYPE", "OBJECT_ID")
# UTC time as CCSDS writes it; fractional seconds and a trailing Z optional
OMM_EPOCH = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z)?")


@dataclass(frozen=True)
class Fields:
    """How one reader names the fields a physical check may refuse."""

    epoch: str
    epoch_text: str
    motion: str  # the mean altitude is derived from it
    motion_text: str
    inclination: str
    eccentricity: str


def satrec_row(sat: Satrec) -> Row:
    """(day since 1970, mean altitude, apogee, perigee, inclination, node's right ascension)
    of one element set (km, degrees)."""
    a_km = sat.a * sat.radiusearthkm
    day = (sat.jdsatepoch - JD_1970) + sat.jdsatepochF
    return (day, a_km - R_EQ_KM, a_km * (1.0 + sat.ecco) - R_EQ_KM,
            a_km * (1.0 - sat.ecco) - R_EQ_KM, sat.inclo * 57.29577951308232,
            sat.nodeo * 57.29577951308232)


def _checked(sat: Satrec, where: str, fields: Fields | None = None) -> Row:
    if sat.error != 0 or not sat.a > 0.0 or not 0.0 <= sat.ecco < 1.0:
        raise HistoryError(f"{where}: SGP4 rejects this element set (error {sat.error})")
    row = satrec_row(sat)
    if fields is not None:
        day, mean, apogee, perigee, inc, _ = row
        check_epoch(day, where, fields.epoch, fields.epoch_text)
        derived = f"{fields.motion_text} rev/day (mean altitude {mean:.1f} km)"
        check_mean_altitude(mean, where, fields.motion, derived, perigee)
        check_bracket(mean, apogee, perigee, where,
                      ("mean altitude", f"apogee (km, from {fields.eccentricity})",
                       f"perigee (km, from {fields.eccentricity})"))
        check_inclination(inc, where, fields.inclination, f"{inc:g} deg")
    return row


def _type_error(where: str, field: str, value, allowed: str) -> HistoryError:
    return HistoryError(f"{where}: field {field!r} = {value!r}: {allowed}")


def _check_real(value, field: str, where: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _type_error(where, field, value, "must be a number")
    try:
        number = float(value)
    except ValueError:
        raise _type_error(where, field, value, "not a number") from None
    if not math.isfinite(number):
        raise _type_error(where, field, value, "must be a finite number")


def _check_integer(value, field: str, where: str) -> None:
    ok = (isinstance(value, int) and not isinstance(value, bool)) \
        or (isinstance(value, float) and value.is_integer())
    if isinstance(value, str):
        ok = value.strip().lstrip("+-").isdigit()
    if not ok:
        raise _type_error(where, field, value, "must be a whole number")


def _epoch_for_sgp4(value, where: str) -> str:
    """The EPOCH as ``sgp4.omm`` parses it: no trailing Z, fractional seconds (<= 6 digits)."""
    match = OMM_EPOCH.fullmatch(value.strip()) if isinstance(value, str) else None
    text = None
    if match:
        text = match.group(1) + (match.group(2)[:7] if match.group(2) else ".0")
        try:
            dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f")
        except ValueError:
            text = None
    if text is None:
        raise _type_error(where, "EPOCH", value, "not a UTC time like 2024-10-15T12:00:00 "
                          "(fractional seconds and a trailing Z allowed)")
    return text


def _omm_fields(fields: dict, where: str) -> dict:
    merged = {**OMM_DEFAULTS, **{k: v for k, v in fields.items() if v not in (None, "")}}
    missing = [k for k in OMM_REQUIRED if k not in merged]
    if missing:
        raise HistoryError(f"{where}: field {missing[0]} is missing (an OMM record needs "
                           f"{', '.join(OMM_REQUIRED)})")
    merged["EPOCH"] = _epoch_for_sgp4(merged["EPOCH"], where)
    for field in OMM_REAL:
        _check_real(merged[field], field, where)
    for field in OMM_INTEGER:
        _check_integer(merged[field], field, where)
    for field in OMM_TEXT:
        if not isinstance(merged[field], str):
            raise _type_error(where, field, merged[field], "must be text")
    inc = float(merged["INCLINATION"])
    check_inclination(inc, where, "INCLINATION", repr(merged["INCLINATION"]))
    return merged


def _omm_row(fields: dict, where: str) -> Row:
    merged = _omm_fields(fields, where)
    sat = Satrec()
    try:
        omm.initialize(sat, merged, WGS72)
    except ValueError as exc:
        raise HistoryError(f"{where}: {exc}") from None
    return _checked(sat, where, Fields("EPOCH", str(fields.get("EPOCH")), "MEAN_MOTION",
                                       str(merged["MEAN_MOTION"]), "INCLINATION",
                                       "ECCENTRICITY"))


def _omm_rows(records: list[dict], name: str, place: str, first: int = 1) -> list[Row]:
    rows = [_omm_row(r, f"{name}: {place} {k + first}") for k, r in enumerate(records)]
    check_one_object([str(int(float(r["NORAD_CAT_ID"]))) for r in records], name)
    return rows


def read_omm_json(text: str, name: str) -> list[Row]:
    """A JSON list of OMM records (CelesTrak's ``FORMAT=json``), or one record."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HistoryError(f"{name}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
    records = data if isinstance(data, list) else [data]
    for k, r in enumerate(records):
        if not isinstance(r, dict):
            raise HistoryError(f"{name}: record {k + 1} = {str(r)[:40]!r}: expected an OMM "
                               "record (a JSON object); the file must be a list of them")
    return _omm_rows(records, name, "record")


def read_omm_xml(text: str, name: str) -> list[Row]:
    """CCSDS OMM XML (CelesTrak's ``FORMAT=xml``: an ndm of omm segments)."""
    try:
        segments = list(omm.parse_xml(io.StringIO(text)))
    except ET.ParseError as exc:
        raise HistoryError(f"{name}: line {exc.position[0]}: not valid XML ({exc})") from None
    except (AttributeError, TypeError):  # sgp4 walks metadata/data/meanElements blindly
        raise HistoryError(f"{name}: an OMM <segment> lacks its <metadata>, <data>, "
                           "<meanElements> or <tleParameters> block") from None
    return _omm_rows(segments, name, "segment")


def read_omm_csv(text: str, name: str) -> list[Row]:
    """OMM as CSV with CCSDS keyword headers (CelesTrak's ``FORMAT=csv``)."""
    return _omm_rows(list(csv.DictReader(io.StringIO(text))), name, "line", first=2)
