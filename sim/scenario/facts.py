"""The facts scenarios stand on: one YAML record per fact, each with its source.

One source of truth: the project's ``seeds/`` folder. The package reaches it as package data,
``sim/data/facts`` (a link to ``seeds/`` in a checkout, a copy inside a built wheel), so an
installed copy finds the same facts through ``importlib.resources`` and checks citations too.
``$ISS_DEORBIT_SEEDS`` points elsewhere (for tests and for editing facts in place).
"""

from __future__ import annotations

import functools
import importlib.resources
import os
from dataclasses import dataclass
from pathlib import Path

from .safe_yaml import YamlError, decode, load, read_bytes

REQUIRED = ("id", "statement", "date", "source")


class FactsMissing(LookupError):
    """No facts where they should be: the installation is incomplete."""


@dataclass(frozen=True)
class Fact:
    id: str
    statement: str
    date: str
    publication: str
    published: str
    document: str
    value: object = None
    unit: str | None = None


def seeds_dir() -> Path:
    """``$ISS_DEORBIT_SEEDS``, else the package's ``data/facts`` (``seeds/`` in a checkout)."""
    env = os.environ.get("ISS_DEORBIT_SEEDS")
    if env:
        return Path(env)
    return Path(str(importlib.resources.files("sim") / "data" / "facts"))


def _fact(path: Path) -> Fact:
    try:
        data, _ = load(decode(read_bytes(path, str(path)), str(path)), str(path))
    except (OSError, YamlError) as exc:
        raise ValueError(f"{path}: cannot read the fact ({exc})") from None
    if not isinstance(data, dict) or any(k not in data for k in REQUIRED):
        raise ValueError(f"{path}: a fact needs {', '.join(REQUIRED)}")
    source = data["source"]
    if not isinstance(source, dict) or "document" not in source:
        raise ValueError(f"{path}: source needs publication, published and document")
    if data["id"] != path.stem:
        raise ValueError(f"{path}: id {data['id']!r} must match the file name")
    return Fact(id=str(data["id"]), statement=" ".join(str(data["statement"]).split()),
                date=str(data["date"]), publication=str(source.get("publication", "")),
                published=str(source.get("published", "")), document=str(source["document"]),
                value=data.get("value"), unit=data.get("unit"))


@functools.lru_cache(maxsize=4)
def load_facts(folder: Path | None = None) -> dict[str, Fact]:
    """Every fact by id. Raises ``FactsMissing`` when the folder holds none."""
    folder = folder or seeds_dir()
    facts = {f.id: f for f in map(_fact, sorted(folder.glob("*.yaml")))} \
        if folder.is_dir() else {}
    if not facts:
        raise FactsMissing(f"no facts in {folder}: the installation is incomplete (the package "
                           "data sim/data/facts is missing) or $ISS_DEORBIT_SEEDS is wrong")
    return facts
