"""Scenario files named on the command line: files, or folders of ``*.yaml``."""

from __future__ import annotations

from pathlib import Path


def scenario_files(paths: list[str]) -> tuple[list[Path], list[str]]:
    """Expand folders to their *.yaml files (sorted); report missing paths."""
    files, missing = [], []
    for text in paths:
        path = Path(text)
        if path.is_dir():
            files.extend(sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")))
        elif path.is_file():
            files.append(path)
        else:
            missing.append(f"{path}: no such file or folder")
    return files, missing
