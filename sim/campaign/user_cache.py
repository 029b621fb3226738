"""Where derived data that is not shipped lives: a per-user cache folder, never the package.

``$ISS_DEORBIT_CACHE`` if set, else ``$XDG_CACHE_HOME/iss-deorbit``, else
``~/.cache/iss-deorbit``. Everything in it can be rebuilt from shipped data, so deleting it is
always safe; entries are keyed by a hash of what they were built from, so a changed input never
meets a stale entry.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np


def cache_dir() -> Path:
    """The cache folder (created on first use)."""
    env = os.environ.get("ISS_DEORBIT_CACHE")
    if env:
        folder = Path(env)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        folder = Path(base) / "iss-deorbit"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def content_key(*parts: bytes | str) -> str:
    """A short hex key for the given inputs (SHA-256, first 16 hex digits)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def load_arrays(path: Path, names: tuple[str, ...]) -> dict[str, np.ndarray] | None:
    """The named arrays of a cached ``.npz``; None if it is missing or unreadable."""
    try:
        with np.load(path) as data:
            return {name: data[name] for name in names}
    except (OSError, KeyError, ValueError):
        return None


def save_arrays(path: Path, keep: int | None = None, **arrays: np.ndarray) -> None:
    """Write ``path`` atomically (a temporary file, then a rename); with ``keep``, leave at
    most that many files of the same kind (the prefix before the last '-'), newest first.
    A read-only or full disk is no reason to fail a run: the entry just stays uncached."""
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz.tmp")
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **arrays)
        os.replace(tmp, path)
        tmp = None
        if keep is not None:
            _prune(path.parent, path.name.rsplit("-", 1)[0] + "-*" + path.suffix, keep)
    except OSError:
        pass
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def _prune(folder: Path, pattern: str, keep: int) -> None:
    entries = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[keep:]:
        old.unlink(missing_ok=True)
