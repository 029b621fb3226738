"""US Standard Atmosphere 1976, read from a table tabulated once from hapsira's COESA76.

hapsira's model goes through astropy units (~0.5 ms a call), far too slow inside a right-hand
side; ``iss-deorbit build-tables`` writes ``sim/data/coesa76.csv`` on a 1 km grid, and
log-linear interpolation on it is exact to < 0.1 % (see tests).
"""

import importlib.resources
from dataclasses import dataclass

import numpy as np

TABLE_FILE = "coesa76.csv"


@dataclass(frozen=True)
class Coesa76Table:
    alt_km: np.ndarray
    log_rho: np.ndarray

    def density(self, alt_km):
        """Density (kg/m^3) at geometric altitude ``alt_km`` (0-1000 km; clipped outside)."""
        alt = np.clip(np.asarray(alt_km, dtype=float), self.alt_km[0], self.alt_km[-1])
        return np.exp(np.interp(alt, self.alt_km, self.log_rho))


def load_coesa76() -> Coesa76Table:
    text = (importlib.resources.files("sim") / "data" / TABLE_FILE).read_text()
    data = np.loadtxt(text.splitlines(), delimiter=",", comments="#")
    return Coesa76Table(alt_km=data[:, 0], log_rho=np.log(data[:, 1]))
