"""Read a history file of any supported format, then sort, de-duplicate and drop outliers.

Formats, told apart by content: two-line element sets (``.tle``/``.txt``/``.3le``), OMM JSON
(a list of records), OMM XML, OMM CSV (CCSDS keyword header, ``MEAN_MOTION`` among the
columns) and the altitude-history CSV (``epoch_utc,mean_alt_km`` and optionally
``apogee_km,perigee_km,inc_deg,raan_deg``) for data that are not element sets. ``raan_deg``, the
node's right ascension (0..360 deg, TEME like the element sets), lets the atmosphere follow the
node's local time; without it the all-local-time mean is used. A UTF-8 byte-order mark is
ignored; a file of no known format is refused saying which formats were expected. Each reader
refuses what cannot be an observation (``checks``: epochs, altitudes, inclination, one object).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .altitude_csv import read_altitude_csv
from .altitude_history import AltitudeHistory, HistoryError, history_from_rows
from .elements import read_omm_csv, read_omm_json, read_omm_xml
from .tle import is_set_line, read_tle

DUPLICATE_DAYS = 1.0 / 86400.0  # epochs closer than a second are the same element set
OUTLIER_KM = 2.0  # an isolated point this far from both neighbour medians is a bad set
OUTLIER_NEIGHBOURS = 3
RESOLVED_AE_KM = 8000.0  # a e up to which the orbit average stays within 0.3 % (see clean)
FORMATS = "a TLE, OMM (JSON, XML or CSV) or altitude-history CSV (epoch_utc,mean_alt_km,...)"
BOM = "\ufeff"


def _reader(text: str, name: str):
    """The reader for the format the content shows (see the module note)."""
    lines = [line.strip() for line in text.splitlines()]
    first = next((line for line in lines if line and not line.startswith("#")), "")
    if not first:
        raise HistoryError(f"{name}: empty (no element sets or observations); expected "
                           f"{FORMATS}")
    if first.startswith(("[", "{")):
        return read_omm_json
    if first.startswith("<"):
        return read_omm_xml
    if "MEAN_MOTION" in first:
        return read_omm_csv
    # a name line may hold a comma: any line '1 ...' or '2 ...' makes the file a TLE
    if any(is_set_line(line, "1") or is_set_line(line, "2") for line in lines):
        return read_tle
    if "," in first:
        return read_altitude_csv
    raise HistoryError(f"{name}: line {lines.index(first) + 1} = {first[:40]!r}: not {FORMATS}")


def parse_history(text: str, name: str) -> AltitudeHistory:
    """Any supported format, cleaned (see ``clean``); a leading byte-order mark is ignored."""
    text = text.removeprefix(BOM)
    return clean(history_from_rows(name, _reader(text, name)(text, name)))


def load_history(path: str | Path) -> AltitudeHistory:
    path = Path(path)
    if not path.is_file():
        raise HistoryError(f"{path}: no such history file")
    try:
        text = path.read_text(encoding="utf-8-sig")
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
    ae_km = float(np.nanmax(hist.apogee_km - hist.perigee_km, initial=0.0)) / 2.0
    if ae_km > RESOLVED_AE_KM:
        # the trapezoidal orbit average (64 nodes at most) against the exact Bessel mean of
        # an exponential atmosphere, 25 km scale height: 0.3 % at a e = 8,000 km, 12 % at
        # 18,000 km (a transfer orbit)
        notes.append(f"eccentric orbit (a e up to {ae_km:,.0f} km): the orbit-averaged drag "
                     f"is resolved to 0.3 % up to a e = {RESOLVED_AE_KM:,.0f} km and "
                     "degrades beyond (~12 % for a transfer orbit)")
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
