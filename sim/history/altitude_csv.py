"""The altitude-history CSV: observations that are not element sets.

Columns ``epoch_utc,mean_alt_km`` and optionally ``apogee_km,perigee_km,inc_deg,raan_deg``
(km above 6378.137 km, degrees; ``raan_deg`` in 0..360, TEME like the element sets). Lines
starting with ``#`` are comments. Every row passes the physical checks of ``checks``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math

from .altitude_history import HistoryError
from .checks import check_bracket, check_epoch, check_inclination, check_mean_altitude

ALTITUDE_COLUMNS = ("epoch_utc", "mean_alt_km")
OPTIONAL_COLUMNS = ("apogee_km", "perigee_km", "inc_deg", "raan_deg")
_UNIX = dt.datetime(1970, 1, 1)


def _day(text: str, where: str) -> float:
    try:
        when = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise HistoryError(f"{where}: field 'epoch_utc' = {text!r}: not an ISO 8601 date "
                           "(e.g. 2024-10-09T12:00:00Z)") from None
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    day = (when - _UNIX).total_seconds() / 86400.0
    check_epoch(day, where, "epoch_utc", text.strip())
    return day


def _number(row: dict, column: str, where: str) -> float:
    text = (row.get(column) or "").strip()
    if not text:
        return math.nan
    try:
        value = float(text)
    except ValueError:
        raise HistoryError(f"{where}: field '{column}' = {text!r}: not a number") from None
    if not math.isfinite(value) or not -500.0 < value < 1e6:
        raise HistoryError(f"{where}: field '{column}' = {text!r}: outside -500 .. 1e6")
    return value


def _row(row: dict, where: str) -> tuple[float, ...]:
    day = _day(row.get("epoch_utc") or "", where)
    alt = _number(row, "mean_alt_km", where)
    apogee, perigee, inc, raan = (_number(row, c, where) for c in OPTIONAL_COLUMNS)
    check_mean_altitude(alt, where, "mean_alt_km", repr(row.get("mean_alt_km")), perigee)
    check_bracket(alt, apogee, perigee, where)
    if not math.isnan(inc):
        check_inclination(inc, where, "inc_deg", repr(row.get("inc_deg")))
    if not (math.isnan(raan) or 0.0 <= raan <= 360.0):
        raise HistoryError(f"{where}: field 'raan_deg' = {row.get('raan_deg')!r}: must lie "
                           "in 0 .. 360 deg (or be left empty)")
    return day, alt, apogee, perigee, inc, raan


def read_altitude_csv(text: str, name: str) -> list[tuple[float, ...]]:
    """Rows of (day, mean_alt_km, apogee_km, perigee_km, inc_deg, raan_deg); NaN if absent."""
    reader = csv.DictReader(io.StringIO("\n".join(
        line for line in text.splitlines() if not line.startswith("#"))))
    header = [c.strip() for c in reader.fieldnames or []]
    missing = [c for c in ALTITUDE_COLUMNS if c not in header]
    if missing:
        raise HistoryError(f"{name}: missing column(s) {', '.join(missing)}; an altitude "
                           f"history needs {', '.join(ALTITUDE_COLUMNS)} (optional: "
                           f"{', '.join(OPTIONAL_COLUMNS)})")
    rows = []
    for k, raw in enumerate(reader):
        row = {(key or "").strip(): value for key, value in raw.items()}
        rows.append(_row(row, f"{name}: data row {k + 1}"))
    return rows
