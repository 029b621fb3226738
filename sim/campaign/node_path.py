"""The ascending node's local solar time, day by day, for a history whose element sets carry it.

Within the observed span the node's right ascension is interpolated between element sets
(unwrapped against the J2 regression, so gaps of any length are safe); past the last set it
follows the J2 regression integrated along a mean-altitude path (a prediction's nominal run),
before the first set along the first set's altitude. The local time is then
``sim.core.node_local_time.node_local_time_h``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.core.node_local_time import nodal_rate_rad_s, node_local_time_h, node_path_rad

from sim.history.altitude_history import AltitudeHistory

DAY_S = 86400.0


@dataclass(frozen=True)
class NodeTrack:
    """Observed node: epochs (days since 1970), unwrapped right ascension (rad), altitude."""

    day: np.ndarray
    raan_rad: np.ndarray
    alt_km: np.ndarray
    inclination_rad: float


def node_track(history: AltitudeHistory, inclination_deg: float) -> NodeTrack | None:
    """The history's observed node, or None if fewer than two sets carry one."""
    if not history.node_known:
        return None
    ok = np.isfinite(history.raan_deg)
    day, alt = history.day[ok], history.mean_alt_km[ok]
    raan = np.radians(history.raan_deg[ok])
    inc = math.radians(inclination_deg)
    rate = nodal_rate_rad_s(0.5 * (alt[1:] + alt[:-1]) * 1000.0, inc) * DAY_S
    expected = rate * np.diff(day)
    # the observed step is the J2 step plus a small residual wrapped into (-pi, pi]
    residual = np.mod(np.diff(raan) - expected + math.pi, 2.0 * math.pi) - math.pi
    unwrapped = raan[0] + np.concatenate(([0.0], np.cumsum(expected + residual)))
    return NodeTrack(day, unwrapped, alt, inc)


def node_raan(track: NodeTrack, days: np.ndarray,
              path: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Right ascension (rad) at ``days``: interpolated inside the track, J2 outside it.

    ``path`` (days, mean altitude km) gives the altitude after the last set; without it the
    last set's altitude holds."""
    days = np.asarray(days, dtype=float)
    out = np.interp(days, track.day, track.raan_rad)
    before = days < track.day[0]
    rate0 = nodal_rate_rad_s(track.alt_km[0] * 1000.0, track.inclination_rad) * DAY_S
    out[before] = track.raan_rad[0] + rate0 * (days[before] - track.day[0])
    after = days > track.day[-1]
    if after.any():
        grid = np.concatenate(([track.day[-1]], days[after]))
        if path is None:
            alt = np.full(grid.size, track.alt_km[-1])
        else:
            alt = np.interp(grid, path[0], path[1], left=track.alt_km[-1])
        out[after] = node_path_rad(grid, alt * 1000.0, track.inclination_rad,
                                   track.raan_rad[-1])[1:]
    return out


def node_lst_rows(track: NodeTrack, first_day: float, n_rows: int,
                  path: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """The node's local time (h) at 00:00 UT of each row of a daily field."""
    days = first_day + np.arange(n_rows, dtype=float)
    return node_local_time_h(days, node_raan(track, days, path))
