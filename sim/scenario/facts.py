"""The facts scenarios stand on (``seeds/``): one YAML record per fact, each with its source."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

REQUIRED = ("id", "statement", "date", "source")


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
    """``$ISS_DEORBIT_SEEDS``, else the ``seeds/`` folder beside the package (a checkout)."""
    env = os.environ.get("ISS_DEORBIT_SEEDS")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "seeds"


def _fact(path: Path) -> Fact:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
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
    folder = folder or seeds_dir()
    if not folder.is_dir():
        return {}
    return {f.id: f for f in map(_fact, sorted(folder.glob("*.yaml")))}
