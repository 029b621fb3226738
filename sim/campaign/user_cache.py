"""Where derived data that is not shipped lives: a per-user cache folder, never the package.

``$ISS_DEORBIT_CACHE`` if set, else ``$XDG_CACHE_HOME/iss-deorbit``, else
``~/.cache/iss-deorbit``. Everything in it can be rebuilt from shipped data, so deleting it is
always safe; entries are keyed by a hash of what they were built from, so a changed input never
meets a stale entry.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


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
