"""The descent's NRLMSIS cube, cached per user: built once per final-burn day and weather.

Building the cube takes ~9,000 direct NRLMSIS 2.1 calls (~0.2 s, plus ~0.1 s to import
pymsis), the largest single cost of a footprint after the flights themselves; loading it back
takes a millisecond. The key covers everything the cube is made from: the day, the indices,
the grid and the pymsis release; a few dozen recent cubes are kept.
"""

from __future__ import annotations

from importlib import metadata

from sim.core.descent_atmosphere import (CUBE_ALT_KM, CUBE_LAT_DEG, CUBE_LST_H, DensityCube,
                                         msis_cube)

from .user_cache import cache_dir, content_key, load_arrays, save_arrays

FORMAT = "1"  # bump when the cube's construction changes
KEEP = 64


def _key(day: float, f107: float, f107a: float, ap: float) -> str:
    try:
        release = metadata.version("pymsis")
    except metadata.PackageNotFoundError:
        release = "unknown"
    return content_key(FORMAT, release, CUBE_ALT_KM.tobytes(), CUBE_LAT_DEG.tobytes(),
                       CUBE_LST_H.tobytes(), repr((float(day), float(f107), float(f107a),
                                                   float(ap))))


def cached_cube(day: float, f107: float, f107a: float, ap: float) -> DensityCube:
    """``msis_cube(day, f107, f107a, ap)``, from the user cache when it was built before."""
    path = cache_dir() / f"descent-cube-{_key(day, f107, f107a, ap)}.npz"
    data = load_arrays(path, ("log_rho",))
    if data is not None:
        return DensityCube(float(day), CUBE_ALT_KM, CUBE_LAT_DEG, CUBE_LST_H, data["log_rho"])
    cube = msis_cube(day, f107, f107a, ap)
    save_arrays(path, keep=KEEP, log_rho=cube.log_rho)
    return cube
