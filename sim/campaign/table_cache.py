"""NRLMSIS orbit-mean tables for any inclination: the shipped one, else one in the user cache.

The node-local-time correction tables (``sim.core.node_lst_correction``, ~12 s to build) are
found and built the same way.

A table for an inclination the package does not ship is built on first use (~30 s) into
``user_cache.cache_dir()`` -- never into the installed package -- and found there afterwards.
``iss-deorbit build-tables --inclination DEG`` builds one ahead of time into the same folder.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from sim.core import node_lst_correction as node_lst
from sim.core.msis_table import MsisTable, build_table, load_table, save_table, table_file_name

from .user_cache import cache_dir

Progress = Callable[[str], None]


def table_dirs() -> tuple[Path, ...]:
    """Where ``load_table`` looks beyond the package's own data."""
    return (_cache_folder(),)


def table_available(inclination_deg: float) -> bool:
    try:
        load_table(inclination_deg, table_dirs())
    except LookupError:
        return False
    return True


def _write_atomic(path: Path, save, table) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz.tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            save(table, fh)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class TableCacheError(OSError):
    """A table must be built, and the folder it would go into cannot be written."""


def _writable(folder: Path) -> None:
    """Checked before a build (tens of seconds), not after it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TableCacheError(f"cannot make {folder} for the NRLMSIS tables ({exc.strerror}); "
                              "set ISS_DEORBIT_CACHE to a writable folder") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise TableCacheError(f"{folder} is not writable, and a NRLMSIS table must be built "
                              "there; set ISS_DEORBIT_CACHE to a writable folder")


def build_into(folder: Path, inclination_deg: float, progress: Progress | None = None,
               **grid) -> Path:
    """Build the table and write it atomically (temporary file, then rename) into ``folder``."""
    _writable(folder)
    path = folder / table_file_name(inclination_deg)
    if progress:
        progress(f"building the NRLMSIS orbit-mean table for inclination {inclination_deg:g} "
                 f"deg (about 30 s, once) into {folder}")
    _write_atomic(path, save_table, build_table(inclination_deg, progress=progress, **grid))
    return path


def build_correction_into(folder: Path, inclination_deg: float,
                          progress: Progress | None = None, **grid) -> Path:
    """Build the node-local-time correction table into ``folder`` (atomically)."""
    _writable(folder)
    path = folder / node_lst.table_file_name(inclination_deg)
    if progress:
        progress(f"building the node-local-time correction for inclination "
                 f"{inclination_deg:g} deg (about 12 s, once) into {folder}")
    _write_atomic(path, node_lst.save_table, node_lst.build_table(inclination_deg, **grid))
    return path


def _cache_folder() -> Path:
    try:
        return cache_dir()
    except OSError as exc:
        raise TableCacheError(f"cannot use the cache folder for NRLMSIS tables "
                              f"({exc.strerror}: {exc.filename}); set ISS_DEORBIT_CACHE to a "
                              "writable folder") from None


def ensure_correction(inclination_deg: float,
                      progress: Progress | None = None) -> node_lst.NodeLstTable:
    """The nearest correction table within 0.5 deg, building one into the user cache if none."""
    try:
        return node_lst.load_table(inclination_deg, table_dirs())
    except LookupError:
        build_correction_into(_cache_folder(), round(inclination_deg, 2), progress)
        return node_lst.load_table(inclination_deg, table_dirs())


def ensure_table(inclination_deg: float, progress: Progress | None = None) -> MsisTable:
    """The nearest table within 0.5 deg, building one into the user cache if there is none."""
    try:
        return load_table(inclination_deg, table_dirs())
    except LookupError:
        build_into(_cache_folder(), round(inclination_deg, 2), progress)
        return load_table(inclination_deg, table_dirs())


def warm_correction() -> None:
    """Compile the correction's kernel (a first calibration on element sets then loads it)."""
    import numpy as np

    table = node_lst.load_table(node_lst.SHIPPED_INCLINATION_DEG)
    out = np.empty((1, 1))
    one = np.ones(1)
    node_lst.correction_rows(table.log_c, table.alt_km, table.f107a, 400.0 * one, 100.0 * one,
                             one, one, out)
