"""The facts scenarios stand on: one YAML record per fact, each with its source.

One source of truth: the project's ``seeds/`` folder. The package reaches it as package data,
``sim/data/facts`` (a link to ``seeds/`` in a checkout, a copy inside a built wheel), so an
installed copy finds the same facts through ``importlib.resources`` and checks citations too.
``$ISS_DEORBIT_SEEDS`` points elsewhere (for tests and for editing facts in place).

A fact's ``source`` names the original publication a reader can follow: ``publication`` (the
outlet or agency), ``title``, ``published`` (its date) and ``url``. A figure that is the
product's own result (a fit, a planner's answer) gives instead the ``command`` that makes it.
"""

from __future__ import annotations

import functools
import importlib.resources
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .safe_yaml import YamlError, decode, load, read_bytes

REQUIRED = ("id", "statement", "date", "source")
SOURCE_REQUIRED = ("publication", "title", "published")
SOURCE_KEYS = SOURCE_REQUIRED + ("url", "command")
_URL = re.compile(r"^https?://[^\s]+$")


class FactsMissing(LookupError):
    """No facts where they should be: the installation is incomplete."""


@dataclass(frozen=True)
class Fact:
    id: str
    statement: str
    date: str
    publication: str
    published: str
    document: str  # the publication's title (kept under this name for older readers)
    value: object = None
    unit: str | None = None
    url: str | None = None  # where a reader can follow the source
    title: str = ""
    command: str | None = None  # the command that makes a figure that is the product's own

    @property
    def own_result(self) -> bool:
        return self.command is not None

    @property
    def citation(self) -> str:
        """The source in one line: publication, title, date, then the link or the command."""
        text = f"{self.publication}, \u201c{self.title}\u201d, {self.published}"
        if self.url:
            text += f", {self.url}"
        if self.command:
            text += f"; made by `{self.command}`"
        return text


def seeds_dir() -> Path:
    """``$ISS_DEORBIT_SEEDS``, else the package's ``data/facts`` (``seeds/`` in a checkout)."""
    env = os.environ.get("ISS_DEORBIT_SEEDS")
    if env:
        return Path(env)
    return Path(str(importlib.resources.files("sim") / "data" / "facts"))


def _source(source, path: Path) -> dict:
    """The source mapping, checked: a publication, title and date, and a link or a command."""
    if not isinstance(source, dict) or any(not source.get(k) for k in SOURCE_REQUIRED):
        raise ValueError(f"{path}: source needs {', '.join(SOURCE_REQUIRED)}")
    unknown = set(source) - set(SOURCE_KEYS)
    if unknown:
        raise ValueError(f"{path}: source has unknown key(s) {sorted(unknown)}; a source gives "
                         f"{', '.join(SOURCE_KEYS)} (cite the publication, not a file)")
    if not source.get("url") and not source.get("command"):
        raise ValueError(f"{path}: source needs a url, or the command that makes the figure "
                         "when it is the product's own result")
    if source.get("url") and not _URL.match(str(source["url"])):
        raise ValueError(f"{path}: source url {source['url']!r} is not an http(s) link")
    return {k: str(v) for k, v in source.items()}


def _fact(path: Path) -> Fact:
    try:
        data, _ = load(decode(read_bytes(path, str(path)), str(path)), str(path))
    except (OSError, YamlError) as exc:
        raise ValueError(f"{path}: cannot read the fact ({exc})") from None
    if not isinstance(data, dict) or any(k not in data for k in REQUIRED):
        raise ValueError(f"{path}: a fact needs {', '.join(REQUIRED)}")
    source = _source(data["source"], path)
    if data["id"] != path.stem:
        raise ValueError(f"{path}: id {data['id']!r} must match the file name")
    return Fact(id=str(data["id"]), statement=" ".join(str(data["statement"]).split()),
                date=str(data["date"]), publication=source["publication"],
                published=source["published"], document=source["title"],
                value=data.get("value"), unit=data.get("unit"), url=source.get("url"),
                title=source["title"], command=source.get("command"))


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
