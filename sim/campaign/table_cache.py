"""NRLMSIS orbit-mean tables for any inclination: the shipped one, else one in the user cache.

A table for an inclination the package does not ship is built on first use (~30 s) into
``user_cache.cache_dir()`` -- never into the installed package -- and found there afterwards.
``iss-deorbit build-tables --inclination DEG`` builds one ahead of time into the same folder.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from sim.core.msis_table import MsisTable, build_table, load_table, save_table, table_file_name

from .user_cache import cache_dir

Progress = Callable[[str], None]


def table_dirs() -> tuple[Path, ...]:
    """Where ``load_table`` looks beyond the package's own data."""
    return (cache_dir(),)


def table_available(inclination_deg: float) -> bool:
    try:
        load_table(inclination_deg, table_dirs())
    except LookupError:
        return False
    return True


def build_into(folder: Path, inclination_deg: float, progress: Progress | None = None,
               **grid) -> Path:
    """Build the table and write it atomically (temporary file, then rename) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / table_file_name(inclination_deg)
    if progress:
        progress(f"building the NRLMSIS orbit-mean table for inclination {inclination_deg:g} "
                 f"deg (about 30 s, once) into {folder}")
    table = build_table(inclination_deg, progress=progress, **grid)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".npz.tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            save_table(table, fh)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def ensure_table(inclination_deg: float, progress: Progress | None = None) -> MsisTable:
    """The nearest table within 0.5 deg, building one into the user cache if there is none."""
    try:
        return load_table(inclination_deg, table_dirs())
    except LookupError:
        build_into(cache_dir(), round(inclination_deg, 2), progress)
        return load_table(inclination_deg, table_dirs())
