"""An ensemble on disk: ``OUT/<name>/`` holds the nominal run (summary.json, time series,
manifest.json) beside ``ensemble.json``, ``samples.parquet`` and ``bands.parquet``, so
``plot``, ``report`` and ``compare`` read both. The folder is written whole."""

from __future__ import annotations

import io
import json
from pathlib import Path

from sim.campaign.ensemble_stats import EnsembleResult

from .atomic import write_atomic_bytes
from .writers import write_json, write_result


def _write_parquet(frame, path: Path) -> None:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    write_atomic_bytes(path, lambda fh: fh.write(buffer.getvalue()))


def write_ensemble(result: EnsembleResult, out_dir: Path, loaded) -> Path:
    """The nominal run's files and the ensemble's, written whole into one temporary folder
    and swapped into place (see ``write_result``): a reader finds the old ensemble or the
    new one, never a new summary beside old samples."""

    def ensemble_files(folder: Path) -> None:
        write_json(folder / "ensemble.json", result.summary)
        _write_parquet(result.samples_frame, folder / "samples.parquet")
        _write_parquet(result.bands_frame, folder / "bands.parquet")

    return write_result(result.nominal, Path(out_dir), loaded, extra=ensemble_files)


def read_ensemble(folder: Path):
    """(ensemble.json as a dict, bands frame, samples frame), or None if there is none."""
    import pandas as pd

    path = Path(folder) / "ensemble.json"
    if not path.is_file():
        return None
    bands = pd.read_parquet(folder / "bands.parquet")
    bands["time_utc"] = pd.to_datetime(bands["time_utc"], utc=True)
    samples = pd.read_parquet(folder / "samples.parquet")
    return json.loads(path.read_text(encoding="utf-8")), bands, samples
