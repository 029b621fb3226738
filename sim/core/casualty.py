"""Casualty expectation of an uncontrolled reentry (NASA-STD-8719.14 / DAS method).

The impact latitude of a random reentry follows the time a circular orbit of inclination i
spends at each latitude, w(phi) = cos(phi) / (pi sqrt(sin^2 i - sin^2 phi)); its integral
over a band is exact, (1/pi) [asin(sin phi2 / sin i) - asin(sin phi1 / sin i)], so the
singularity at |phi| = i is never sampled. Longitude is uniform, so each band's people count
per km^2 of the whole band (land and sea). Casualty area of the surviving pieces,
A_c = sum (sqrt(0.36 m^2) + sqrt(A_i))^2 (0.36 m^2: the standing person of the standard);
E_c = A_c sum_bands P_band density_band, against the 1:10,000 limit.
"""

from __future__ import annotations

import importlib.resources
import math
from dataclasses import dataclass

import numpy as np

PERSON_AREA_M2 = 0.36
LIMIT = 1e-4  # NASA-STD-8719.14 (and ESA, CNES): at most 1 in 10,000 per reentry
TABLE_FILE = "population_by_latitude.csv"


@dataclass(frozen=True)
class PopulationBands:
    """People per latitude band (edges in degrees) and the band areas (km^2)."""

    south_deg: np.ndarray
    north_deg: np.ndarray
    population: np.ndarray
    area_km2: np.ndarray
    world_total: float  # what the table sums to
    note: str

    def density_per_km2(self, world_population: float | None = None) -> np.ndarray:
        """Band densities, rescaled to ``world_population`` if given (same pattern)."""
        scale = 1.0 if world_population is None else world_population / self.world_total
        return self.population * scale / self.area_km2


def load_population_bands() -> PopulationBands:
    text = (importlib.resources.files("sim") / "data" / TABLE_FILE).read_text(encoding="utf-8")
    lines = text.splitlines()
    data = np.loadtxt(lines, delimiter=",", comments="#", skiprows=2)
    return PopulationBands(data[:, 0], data[:, 1], data[:, 2], data[:, 3],
                           float(data[:, 2].sum()), lines[0].lstrip("# "))


def band_probability(inclination_rad: float, south_deg, north_deg) -> np.ndarray:
    """Probability that a random reentry from inclination i lands in each latitude band."""
    inc = min(inclination_rad, math.pi - inclination_rad)  # retrograde: same latitudes
    s = math.sin(inc)
    if s < 1e-9:  # equatorial orbit: everything at the equator
        south, north = np.asarray(south_deg), np.asarray(north_deg)
        return ((south <= 0) & (north > 0)).astype(float)

    def cumulative(phi_deg):
        x = np.clip(np.sin(np.radians(phi_deg)) / s, -1.0, 1.0)
        return np.arcsin(x) / math.pi

    return cumulative(np.asarray(north_deg, float)) - cumulative(np.asarray(south_deg, float))


def casualty_area_m2(piece_areas_m2, counts) -> float:
    """A_c = sum over pieces of (sqrt(0.36) + sqrt(A_i))^2, ``counts`` pieces of each area."""
    areas = np.asarray(piece_areas_m2, float)
    return float(np.sum(np.asarray(counts, float) * (math.sqrt(PERSON_AREA_M2)
                                                     + np.sqrt(areas)) ** 2))


def casualty_expectation(casualty_area: float, inclination_rad: float,
                         bands: PopulationBands, world_population: float | None = None) -> float:
    """E_c for a random reentry: A_c (m^2) times the latitude-weighted population density."""
    weights = band_probability(inclination_rad, bands.south_deg, bands.north_deg)
    density = float(np.sum(weights * bands.density_per_km2(world_population)))
    return casualty_area * 1e-6 * density
