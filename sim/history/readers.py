"""Read a history file of any supported format, then sort, de-duplicate and drop outliers.

Formats, told apart by content: two-line element sets (``.tle``/``.txt``/``.3le``), OMM JSON
(a list of records), OMM XML, OMM CSV (CCSDS keyword header, ``MEAN_MOTION`` among the
columns) and the altitude-history CSV (``epoch_utc,mean_alt_km`` and optionally
``apogee_km,perigee_km,inc_deg,raan_deg``) for data that are not element sets. ``raan_deg``, the
node's right ascension (0..360 deg, TEME like the element sets), lets the atmosphere follow the
node's local time; without it the all-local-time mean is used.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from pathlib import Path

import numpy as np

from .altitude_history import AltitudeHistory, HistoryError, history_from_rows
from .elements import read_omm_csv, read_omm_json, read_omm_xml, read_tle

ALTITUDE_COLUMNS = ("epoch_utc", "mean_alt_km")
OPTIONAL_COLUMNS = ("apogee_km", "perigee_km", "inc_deg", "raan_deg")
DUPLICATE_DAYS = 1.0 / 86400.0  # epochs closer than a second are the same element set
OUTLIER_KM = 2.0  # an isolated point this far from both neighbour medians is a bad set
OUTLIER_NEIGHBOURS = 3
_UNIX = dt.datetime(1970, 1, 1)


def _day(text: str, where: str) -> float:
    try:
        when = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise HistoryError(f"{where}: field 'epoch_utc' = {text!r}: not an ISO 8601 date "
                           "(e.g. 2024-10-09T12:00:00Z)") from None
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return (when - _UNIX).total_seconds() / 86400.0


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


def read_altitude_csv(text: str, name: str):
    """Rows of the altitude-history CSV; ``mean_alt_km`` in km above 6378.137 km."""
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
        where = f"{name}: data row {k + 1}"
        alt = _number(row, "mean_alt_km", where)
        if not math.isfinite(alt) or alt <= 0.0:
            raise HistoryError(f"{where}: field 'mean_alt_km' = {row.get('mean_alt_km')!r}: "
                               "must be a number above 0 km")
        raan = _number(row, "raan_deg", where)
        if not (math.isnan(raan) or 0.0 <= raan <= 360.0):
            raise HistoryError(f"{where}: field 'raan_deg' = {row.get('raan_deg')!r}: must lie "
                               "in 0 .. 360 deg (or be left empty)")
        rows.append((_day(row["epoch_utc"] or "", where), alt,
                     *(_number(row, c, where) for c in OPTIONAL_COLUMNS[:-1]), raan))
    return rows


def parse_history(text: str, name: str) -> AltitudeHistory:
    """Any supported format, cleaned (see ``clean``)."""
    first = next((line.strip() for line in text.splitlines()
                  if line.strip() and not line.startswith("#")), "")
    if first.startswith(("[", "{")):
        rows = read_omm_json(text, name)
    elif first.startswith("<"):
        rows = read_omm_xml(text, name)
    elif "MEAN_MOTION" in first:
        rows = read_omm_csv(text, name)
    elif "," in first:  # two-line sets have no commas
        rows = read_altitude_csv(text, name)
    else:
        rows = read_tle(text, name)
    return clean(history_from_rows(name, rows))


def load_history(path: str | Path) -> AltitudeHistory:
    path = Path(path)
    if not path.is_file():
        raise HistoryError(f"{path}: no such history file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise HistoryError(f"{path}: not a text file (UTF-8)") from None
    return parse_history(text, str(path))


def clean(history: AltitudeHistory) -> AltitudeHistory:
    """Sort by epoch; keep the last-listed of sets within a second; drop isolated outliers.

    Outlier rule: a point more than ``OUTLIER_KM`` from the median of its
    ``OUTLIER_NEIGHBOURS`` predecessors *and* of its successors, on the same side of both, is
    a bad fit (a manoeuvre moves all later points, so it is never isolated). 2 km is ten times
    the scatter of ISS element sets and below the smallest reboost worth modelling (~1 m/s).
    """
    order = np.argsort(history.day, kind="stable")
    hist = history.take(order)
    same = np.diff(hist.day) < DUPLICATE_DAYS
    keep = np.concatenate((~same, [True]))  # the later of a pair survives
    n_dup = int((~keep).sum())
    hist = hist.take(keep)
    bad = isolated_outliers(hist.mean_alt_km)
    hist = hist.take(~bad)
    notes = [f"{n_dup} duplicate element set(s) dropped"] if n_dup else []
    if bad.any():
        notes.append(f"{int(bad.sum())} outlier(s) dropped (> {OUTLIER_KM:g} km from both "
                     f"neighbour medians)")
    for note in notes:
        hist = hist.with_note(note)
    return hist


def isolated_outliers(h: np.ndarray, width: int = OUTLIER_NEIGHBOURS,
                      limit: float = OUTLIER_KM) -> np.ndarray:
    bad = np.zeros(h.size, dtype=bool)
    for k in range(h.size):
        before = h[max(0, k - width):k]
        after = h[k + 1:k + 1 + width]
        if before.size == 0 or after.size == 0:
            continue
        d_before = h[k] - np.median(before)
        d_after = h[k] - np.median(after)
        bad[k] = abs(d_before) > limit and abs(d_after) > limit and d_before * d_after > 0
    return bad
