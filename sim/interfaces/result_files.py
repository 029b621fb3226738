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
        return self.summary.get("scenario", self.folder.name)


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
    if (folder / "timeseries.parquet").is_file():
        series = pd.read_parquet(folder / "timeseries.parquet")
    elif (folder / "timeseries.csv").is_file():
        series = pd.read_csv(folder / "timeseries.csv")
    else:
        raise ResultError(f"{folder}: no timeseries.csv or timeseries.parquet")
    series["time_utc"] = pd.to_datetime(series["time_utc"], utc=True)
    from .ensemble_files import read_ensemble

    ensemble = read_ensemble(folder)
    return StoredResult(folder, summary, series, *(ensemble or (None, None, None)))


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
