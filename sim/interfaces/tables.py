"""Build the data tables the physics core reads (shipped in ``sim/data``).

``iss-deorbit build-tables`` regenerates them; the shipped copies were made with the pinned
hapsira and pymsis. Writing is atomic so an interrupted build leaves the old table in place.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.core.coesa76_atmosphere import TABLE_FILE
from sim.core.msis_table import build_table, save_table, table_file_name
from sim.validation.coesa76_reference import coesa76_rows

from .atomic import write_atomic_bytes


def write_coesa76(folder: Path) -> Path:
    rows = coesa76_rows()
    path = folder / TABLE_FILE

    def write(fh):
        fh.write(b"# US Standard Atmosphere 1976 from hapsira.earth.atmosphere.COESA76\n")
        fh.write(b"# altitude_km,density_kg_m3\n")
        np.savetxt(fh, rows, delimiter=",", fmt=["%.1f", "%.6e"])

    write_atomic_bytes(path, write)
    return path


def write_msis_table(folder: Path, inclination_deg: float) -> Path:
    path = folder / table_file_name(inclination_deg)
    table = build_table(inclination_deg)
    write_atomic_bytes(path, lambda fh: save_table(table, fh))
    return path
