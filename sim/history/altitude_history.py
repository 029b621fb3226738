"""An observed altitude history: mean altitude (and apogee, perigee, inclination, node) over time.

``mean_alt_km`` is the mean semi-major axis minus the WGS-84 equatorial radius (6378.137 km),
the same convention as a scenario's ``mean_altitude``: for element sets, ``a`` is SGP4's
Brouwer mean semi-major axis (see ``elements``). ``raan_deg`` is the right ascension of the
ascending node in the element sets' frame (SGP4's TEME); where it is known, the atmosphere is
the one the orbit's node local time sees (``sim.campaign.node_path``). Times are float days
since 1970-01-01 UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

R_EQ_KM = 6378.137  # WGS-84 equatorial radius (sim.core.constants.R_EARTH in km)


class HistoryError(ValueError):
    """A history file that cannot be read: the message names the file, line and value."""


@dataclass(frozen=True)
class AltitudeHistory:
    """Observations sorted by time; NaN where a column is unknown."""

    name: str
    day: np.ndarray  # days since 1970-01-01 UTC
    mean_alt_km: np.ndarray  # a - R_eq, km
    apogee_km: np.ndarray  # a (1 + e) - R_eq, km
    perigee_km: np.ndarray  # a (1 - e) - R_eq, km
    inc_deg: np.ndarray
    notes: tuple[str, ...] = ()
    raan_deg: np.ndarray | None = None  # None: NaN throughout (node unknown)

    def __post_init__(self):
        if self.raan_deg is None:
            object.__setattr__(self, "raan_deg", np.full(self.day.shape, np.nan))

    def __len__(self) -> int:
        return int(self.day.size)

    def take(self, keep) -> "AltitudeHistory":
        """The rows selected by a boolean mask or index array."""
        return replace(self, day=self.day[keep], mean_alt_km=self.mean_alt_km[keep],
                       apogee_km=self.apogee_km[keep], perigee_km=self.perigee_km[keep],
                       inc_deg=self.inc_deg[keep], raan_deg=self.raan_deg[keep])

    def window(self, start_day: float | None, end_day: float | None) -> "AltitudeHistory":
        lo = -np.inf if start_day is None else start_day
        hi = np.inf if end_day is None else end_day
        return self.take((self.day >= lo) & (self.day <= hi))

    def with_note(self, note: str) -> "AltitudeHistory":
        return replace(self, notes=self.notes + (note,))

    @property
    def eccentricity(self) -> np.ndarray:
        """From apogee and perigee where known, else 0 (a near-circular orbit)."""
        a = self.mean_alt_km + R_EQ_KM
        e = (self.apogee_km - self.perigee_km) / (2.0 * a)
        return np.where(np.isfinite(e), np.clip(e, 0.0, 0.5), 0.0)

    @property
    def node_known(self) -> bool:
        """Whether at least two observations carry the node's right ascension."""
        return int(np.isfinite(self.raan_deg).sum()) >= 2

    @property
    def inclination_deg(self) -> float | None:
        """The median observed inclination, or None if the history has none."""
        known = self.inc_deg[np.isfinite(self.inc_deg)]
        return float(np.median(known)) if known.size else None


def history_from_rows(name: str, rows: list[tuple[float, ...]],
                      notes: tuple[str, ...] = ()) -> AltitudeHistory:
    """Rows of (day, mean_alt_km, apogee_km, perigee_km, inc_deg[, raan_deg]), in any order
    (all rows of one length)."""
    if not rows:
        raise HistoryError(f"{name}: no observations found")
    table = np.array(rows, dtype=float)
    table = table.reshape(-1, table.shape[-1])
    raan = table[:, 5] if table.shape[1] > 5 else None
    return AltitudeHistory(name, table[:, 0], table[:, 1], table[:, 2], table[:, 3],
                           table[:, 4], notes, raan)
