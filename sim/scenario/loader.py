"""Load scenario files: safe YAML, ``extends``, cited sources, overrides, clear errors.

A field may be written ``{value: "473 t", source: iss-mass-2024}``: the value is used and the
source recorded. ``extends: other.yaml`` starts from another scenario (relative to this file)
and overrides it key by key. Every error names the file, the line, the field, the value and
what is allowed; nothing here lets a traceback reach the user.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from pydantic import ValidationError

from .errors import ScenarioError, format_validation_error
from .facts import FactsMissing, load_facts
from .model import Scenario
from .safe_yaml import MAX_BYTES, MAX_DEPTH, YamlError, decode, load, read_bytes

MAX_EXTENDS_DEPTH = 8
SUFFIXES = (".yaml", ".yml")

__all__ = ["LoadedScenario", "MAX_BYTES", "ScenarioError", "SourceFile", "format_validation_error",
           "load_scenario", "load_text", "parse_overrides", "set_path", "validate_mapping"]


@dataclass(frozen=True)
class SourceFile:
    """One file a scenario was read from (itself, then each file it extends)."""

    path: str
    sha256: str


@dataclass(frozen=True)
class LoadedScenario:
    scenario: Scenario
    path: str
    sources: dict[str, str] = field(default_factory=dict)  # field path -> fact id
    raw: dict = field(default_factory=dict)  # merged mapping, before unit parsing
    files: tuple[SourceFile, ...] = ()  # the extends chain, this file first
    overrides: tuple[tuple[str, object], ...] = ()  # --set path=value, in order


@dataclass(frozen=True)
class _Read:
    data: dict
    lines: dict
    files: tuple[SourceFile, ...]


def _parse(data: bytes, where: str) -> tuple[dict, dict]:
    try:
        value, lines = load(decode(data, where), where)
    except YamlError as exc:
        raise ScenarioError(str(exc)) from None
    if not isinstance(value, dict):
        shown = "an empty file" if value is None else f"a {type(value).__name__}"
        raise ScenarioError(f"{where}: a scenario must be a mapping of fields, not {shown}")
    return value, lines


def _read_file(path: Path) -> bytes:
    if not path.is_file():  # also refuses folders, devices and pipes (which never end)
        raise ScenarioError(f"{path}: no such scenario file")
    try:
        return read_bytes(path, str(path))
    except YamlError as exc:
        raise ScenarioError(str(exc)) from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _merge(base: dict, over: dict) -> dict:
    merged = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict) \
                and not _is_cited(value):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _is_cited(value) -> bool:
    return isinstance(value, dict) and "value" in value and "source" in value and \
        set(value) <= {"value", "source", "note"}


def _strip_sources(data, prefix=()) -> tuple[object, dict[str, str]]:
    """Replace ``{value, source}`` mappings by their value; collect path -> source."""
    sources = {}
    if _is_cited(data):
        sources[".".join(prefix)] = str(data["source"])
        return data["value"], sources
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            out[key], found = _strip_sources(value, prefix + (str(key),))
            sources.update(found)
        return out, sources
    if isinstance(data, list):
        out = []
        for i, value in enumerate(data):
            item, found = _strip_sources(value, prefix + (str(i),))
            out.append(item)
            sources.update(found)
        return out, sources
    return data, sources


def _parent_path(path: Path, where: str, parent, line, root: Path | None) -> Path:
    """The file ``extends: parent`` names, checked: relative, a .yaml file, inside ``root``."""
    at = f"{where}: line {line}: field 'extends' = {parent!r}"
    if not isinstance(parent, str) or not parent.strip():
        raise ScenarioError(f"{at}: must be a scenario file name, e.g. "
                            "'common/iss-deorbit-base.yaml'")
    if "\0" in parent or PurePosixPath(parent).is_absolute() or \
            PureWindowsPath(parent).is_absolute() or PureWindowsPath(parent).drive:
        raise ScenarioError(f"{at}: must be a path relative to this file, not an absolute one")
    suffix = PurePosixPath(parent).suffix
    if suffix and suffix not in SUFFIXES:
        raise ScenarioError(f"{at}: must name a .yaml file")
    name = parent if suffix else parent + ".yaml"
    target = path.parent / name
    if root is not None and not target.resolve().is_relative_to(root.resolve()):
        raise ScenarioError(f"{at}: may only name a scenario of the library ({root.name}/)")
    if not target.is_file():
        raise ScenarioError(f"{at}: no such scenario file ({target})")
    return target


def _resolve(path: Path, data: bytes, chain: tuple[Path, ...], root: Path | None,
             where: str | None = None) -> _Read:
    """The merged mapping of ``path`` with its ``extends`` chain, its lines and its files.

    ``where`` names the file in messages (an upload's name; default: the path)."""
    where = where or str(path)
    here = path.resolve()
    if here in chain:
        cycle = " -> ".join(str(p) for p in chain + (here,))
        raise ScenarioError(f"{where}: extends forms a cycle ({cycle})")
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(f"{where}: extends is nested more than {MAX_EXTENDS_DEPTH} deep")
    mapping, lines = _parse(data, where)
    files = (SourceFile(where, hashlib.sha256(data).hexdigest()),)
    if "extends" not in mapping:
        return _Read(mapping, lines, files)
    parent = _parent_path(path, where, mapping.pop("extends"), lines.get(("extends",), "?"),
                          root)
    base = _resolve(parent, _read_file(parent), chain + (here,), root)
    return _Read(_merge(base.data, mapping), lines, files + base.files)


def set_path(data: dict, dotted: str, value) -> None:
    """Apply a ``--set a.b=value`` override (list items by index)."""
    parts = dotted.split(".")
    if len(parts) > MAX_DEPTH or not all(parts):
        raise ScenarioError(f"--set {dotted}: write a field path such as usdv.propellant")
    node = data
    for part in parts[:-1]:
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict):
            node = node.setdefault(part, {})
        else:
            raise ScenarioError(f"--set {dotted}: '{part}' is not a mapping or a list index")
    if isinstance(node, list) and parts[-1].isdigit() and int(parts[-1]) < len(node):
        node[int(parts[-1])] = value
    elif isinstance(node, dict):
        node[parts[-1]] = value
    else:
        raise ScenarioError(f"--set {dotted}: cannot set inside a {type(node).__name__}")


def parse_overrides(items: list[str]) -> list[tuple[str, object]]:
    """``["a.b=value", ...]`` as (path, value) pairs; values are read as YAML (safely)."""
    out = []
    for item in items:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise ScenarioError(f"--set {item!r}: write --set path.to.field=value")
        try:
            value, _ = load(text, f"--set {key.strip()}")
        except YamlError as exc:
            raise ScenarioError(str(exc)) from None
        out.append((key.strip(), value))
    return out


def _check_sources(sources: dict[str, str], where: str, lines: dict) -> None:
    if not sources:
        return
    try:
        facts = load_facts()
    except FactsMissing as exc:
        raise ScenarioError(f"{where}: cannot check the cited facts: {exc}") from None
    for field_path, fact_id in sources.items():
        if fact_id not in facts:
            line = lines.get(tuple(field_path.split(".")))
            at = f" line {line}:" if line else ""
            close = difflib.get_close_matches(fact_id, list(facts), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ScenarioError(f"{where}:{at} field '{field_path}' cites unknown fact "
                                f"{fact_id!r}{hint}; facts are listed by `iss-deorbit list`")


def validate_mapping(data: dict, where: str, lines: dict | None = None,
                     files: tuple[SourceFile, ...] = (),
                     overrides: tuple[tuple[str, object], ...] = ()) -> LoadedScenario:
    """Validate an already-read mapping (the dashboard's upload and edits use this)."""
    if not isinstance(data, dict):
        raise ScenarioError(f"{where}: a scenario must be a mapping of fields")
    plain, sources = _strip_sources(data)
    _check_sources(sources, where, lines or {})
    try:
        scenario = Scenario.model_validate(plain)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(exc, where, lines or {})) from None
    return LoadedScenario(scenario=scenario, path=where, sources=sources, raw=data,
                          files=files, overrides=tuple(overrides))


def load_text(text: str | bytes, where: str = "<scenario>",
              library: Path | None = None) -> LoadedScenario:
    """Validate scenario text (an upload). ``extends`` may name a scenario of ``library``
    (resolved inside that folder only); without a library it is refused."""
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    if library is None:
        mapping, lines = _parse(data, where)
        if "extends" in mapping:
            raise ScenarioError(f"{where}: line {lines.get(('extends',), '?')}: 'extends' "
                                "needs a scenario library to look in; upload the complete "
                                "scenario instead")
        read = _Read(mapping, lines, (SourceFile(where, hashlib.sha256(data).hexdigest()),))
    else:  # the upload stands where a file of the library's top folder would, confined to it
        read = _resolve(Path(library) / ".upload.yaml", data, (), Path(library), where)
    return validate_mapping(read.data, where, read.lines, read.files)


def load_scenario(path: str | Path, overrides: list[tuple[str, object]] = ()) -> LoadedScenario:
    path = Path(path)
    read = _resolve(path, _read_file(path), (), None)
    data = read.data
    for key, value in overrides:
        set_path(data, key, value)
    return validate_mapping(data, str(path), read.lines, read.files, tuple(overrides))
