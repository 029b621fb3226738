"""Read results back from disk (``OUT/<name>/summary.json`` + time series)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class StoredResult:
    folder: Path
    summary: dict
    series: pd.DataFrame
    ensemble: dict | None = None  # ensemble.json, when the folder holds an ensemble
    bands: pd.DataFrame | None = None
    samples: pd.DataFrame | None = None

    @property
    def name(self) -> str:
        """The result's name: the folder name, which shows ``--set`` overrides."""
        return self.summary.get("result_name") or self.summary.get("scenario", self.folder.name)


SERIES_FILES = ("timeseries.csv", "timeseries.parquet")


class ResultError(ValueError):
    """A folder that holds no readable result."""


def read_result(folder: Path) -> StoredResult:
    folder = Path(folder)
    summary_path = folder / "summary.json"
    if not summary_path.is_file():
        raise ResultError(f"{folder}: no summary.json (not a result folder)")
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ResultError(f"{summary_path}: not valid JSON ({exc})") from None
    path = _series_path(folder)
    try:
        series = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    except Exception as exc:  # a damaged file is a message, not a traceback
        raise ResultError(f"{path}: cannot read the time series ({exc})") from None
    if "time_utc" not in series:
        raise ResultError(f"{path}: no time_utc column (not an iss-deorbit time series)")
    series["time_utc"] = pd.to_datetime(series["time_utc"], utc=True)
    from .ensemble_files import read_ensemble

    ensemble = read_ensemble(folder)
    return StoredResult(folder, summary, series, *(ensemble or (None, None, None)))


def _series_path(folder: Path) -> Path:
    """The time series the manifest names; for folders without one, the newest file."""
    try:
        named = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["timeseries"]
        if named in SERIES_FILES and (folder / named).is_file():
            return folder / named
    except (OSError, ValueError, KeyError, TypeError):
        pass
    present = [folder / n for n in SERIES_FILES if (folder / n).is_file()]
    if not present:
        raise ResultError(f"{folder}: no timeseries.csv or timeseries.parquet")
    return max(present, key=lambda p: p.stat().st_mtime_ns)


def find_results(paths: list[str]) -> list[Path]:
    """Result folders named directly, or found one level below the given folders."""
    found = []
    for text in paths:
        path = Path(text)
        if (path / "summary.json").is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(sorted(p.parent for p in path.glob("*/summary.json")))
        else:
            raise ResultError(f"{path}: no such result folder")
    if not found:
        raise ResultError(f"no results under {', '.join(paths)}")
    return found
