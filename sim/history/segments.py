"""Manoeuvres found as jumps in the mean altitude; the drag-only segments between them.

Drag only lowers the mean altitude, so a rise is a manoeuvre: between consecutive element sets
the mean altitude must rise by more than ``RISE_KM`` *and* the median of the next three sets
must lie that much above the median of the previous three (one noisy set is not a reboost).
0.3 km is three times the 99th percentile of the rises between ISS element sets without a
burn, and below the ~1.8 km a 1 m/s reboost gives. A fall is a manoeuvre (a retrograde burn)
when it exceeds ``FALL_KM`` plus three times what the recent decay rate explains, confirmed
the same way. The element set just after a manoeuvre is dropped: its orbit fit may straddle
the burn.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .altitude_history import AltitudeHistory

RISE_KM = 0.3
FALL_KM = 1.0
CONFIRM = 3  # element sets on each side whose medians must agree
MIN_POINTS = 8  # a drag-only segment worth fitting ...
MIN_DAYS = 3.0  # ... spans at least this long ...
MIN_LOSS_KM = 0.5  # ... and loses at least this much altitude (5x the set-to-set scatter)


@dataclass(frozen=True)
class Manoeuvre:
    day: float  # midway between the element sets either side
    change_km: float  # median after minus median before (> 0: a boost)


def _medians(h: np.ndarray, k: int) -> tuple[float, float]:
    return (float(np.median(h[max(0, k - CONFIRM + 1):k + 1])),
            float(np.median(h[k + 1:k + 1 + CONFIRM])))


def _recent_rate(day: np.ndarray, h: np.ndarray, k: int) -> float:
    """Median decay rate (km/day, >= 0) over the six intervals before set k."""
    lo = max(0, k - 6)
    if k - lo < 1:
        return 0.0
    rates = -np.diff(h[lo:k + 1]) / np.maximum(np.diff(day[lo:k + 1]), 1e-6)
    return max(float(np.median(rates)), 0.0)


def find_manoeuvres(history: AltitudeHistory) -> list[Manoeuvre]:
    """Boosts and retrograde burns, in time order (see the module note for the rule)."""
    h, day = history.mean_alt_km, history.day
    found = []
    for k in range(h.size - 1):
        step = h[k + 1] - h[k]
        before, after = _medians(h, k)
        if step > RISE_KM and after - before > RISE_KM:
            found.append(Manoeuvre(0.5 * (day[k] + day[k + 1]), after - before))
            continue
        rate = _recent_rate(day, h, k)
        allowed = FALL_KM + 3.0 * rate * (day[k + 1] - day[k])
        span = day[min(k + CONFIRM, h.size - 1)] - day[max(k - CONFIRM + 1, 0)]
        if -step > allowed and before - after > FALL_KM + 3.0 * rate * span:
            found.append(Manoeuvre(0.5 * (day[k] + day[k + 1]), after - before))
    return found


def drag_segments(history: AltitudeHistory,
                  manoeuvres: list[Manoeuvre] | None = None) -> list[AltitudeHistory]:
    """The stretches between manoeuvres worth fitting (``MIN_POINTS``, ``MIN_DAYS``,
    ``MIN_LOSS_KM``), each without its first set if a manoeuvre precedes it."""
    if manoeuvres is None:
        manoeuvres = find_manoeuvres(history)
    cuts = np.searchsorted(history.day, [m.day for m in manoeuvres])
    bounds = np.concatenate(([0], cuts, [len(history)]))
    segments = []
    for j in range(len(bounds) - 1):
        start = bounds[j] + (1 if j > 0 else 0)
        part = history.take(np.arange(start, bounds[j + 1]))
        if len(part) < MIN_POINTS or part.day[-1] - part.day[0] < MIN_DAYS:
            continue
        if part.mean_alt_km[:3].mean() - part.mean_alt_km[-3:].mean() < MIN_LOSS_KM:
            continue
        segments.append(part)
    return segments
