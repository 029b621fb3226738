"""Where the land is: a 0.25-degree land mask (any land in a cell marks it) and distances.

Derived offline by ``tools/build_land_mask.py`` from global-land-mask (MIT licence), itself
the GLOBE 30-arc-second land/sea mask (NOAA NGDC). Pooling keeps small islands; distances
to land are to the nearest land cell's centre, good to about half a cell (~14 km).
"""

from __future__ import annotations

import importlib.resources
import io
from dataclasses import dataclass

import numpy as np

from .great_circle import MEAN_RADIUS_KM

MASK_FILE = "land_mask_quarter_degree.npz"


@dataclass(frozen=True)
class LandMask:
    land: np.ndarray  # (n_lat, n_lon) bool, row 0 the band from -90 deg, column 0 from -180
    cell_deg: float
    coast_xyz: np.ndarray  # unit vectors of land cells that touch the sea

    def _index(self, lat, lon):
        i = np.clip(((np.asarray(lat, float) + 90.0) / self.cell_deg).astype(int), 0,
                    self.land.shape[0] - 1)
        lon = (np.asarray(lon, float) + 180.0) % 360.0
        j = np.clip((lon / self.cell_deg).astype(int), 0, self.land.shape[1] - 1)
        return i, j

    def is_land(self, lat, lon):
        i, j = self._index(lat, lon)
        return self.land[i, j]

    def distance_to_land_km(self, lat, lon):
        """Great-circle distance (km) to the nearest land cell; 0 on land."""
        lat, lon = np.atleast_1d(np.asarray(lat, float)), np.atleast_1d(np.asarray(lon, float))
        p = _unit(lat, lon)
        out = np.empty(len(p))
        for k0 in range(0, len(p), 256):  # chunks keep the (points x coast) product small
            dots = p[k0:k0 + 256] @ self.coast_xyz.T
            out[k0:k0 + 256] = MEAN_RADIUS_KM * np.arccos(np.clip(dots.max(axis=1), -1, 1))
        out[self.is_land(lat, lon)] = 0.0
        return out


def _unit(lat, lon):
    la, lo = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)


def load_land_mask() -> LandMask:
    raw = (importlib.resources.files("sim") / "data" / MASK_FILE).read_bytes()
    data = np.load(io.BytesIO(raw))
    shape = tuple(int(x) for x in data["shape"])
    land = np.unpackbits(data["land_bits"])[:shape[0] * shape[1]].reshape(shape).astype(bool)
    cell = float(data["cell_deg"])
    padded = np.pad(land, 1, mode="edge")
    padded[:, 0], padded[:, -1] = padded[:, -2], padded[:, 1]  # longitude wraps around
    sea_next = ~(padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:])
    i, j = np.nonzero(land & sea_next)
    coast = _unit(-90.0 + (i + 0.5) * cell, -180.0 + (j + 0.5) * cell)
    return LandMask(land, cell, coast)
