"""Load scenario files: safe YAML, ``extends``, cited sources, overrides, clear errors.

A field may be written ``{value: "473 t", source: iss-mass-2024}``: the value is used and the
source recorded. ``extends: other.yaml`` starts from another scenario (relative to this file)
and overrides it key by key. Every error names the file, the line, the field, the value and
what is allowed; nothing here lets a traceback reach the user.
"""

from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from .facts import load_facts
from .model import Scenario

MAX_BYTES = 256 * 1024
MAX_EXTENDS_DEPTH = 8


class ScenarioError(ValueError):
    """An invalid scenario; the message is meant for the user as it is."""


@dataclass(frozen=True)
class LoadedScenario:
    scenario: Scenario
    path: str
    sources: dict[str, str] = field(default_factory=dict)  # field path -> fact id
    raw: dict = field(default_factory=dict)  # merged mapping, before unit parsing


def _lines(node, prefix=()) -> dict[tuple, int]:
    """Map each key path of a composed YAML node to its 1-based line."""
    found = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = prefix + (str(key.value),)
            found[path] = key.start_mark.line + 1
            found.update(_lines(value, path))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found[prefix + (str(i),)] = item.start_mark.line + 1
            found.update(_lines(item, prefix + (str(i),)))
    return found


def _read_yaml(text: str, where: str):
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(f"{where}:{line}: not valid YAML ({problem})") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{where}: a scenario must be a mapping of fields, "
                            f"not {type(data).__name__}")
    return data, _lines(node)


def _read_file(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ScenarioError(f"{path}: file is {size} bytes; scenarios are limited to "
                                f"{MAX_BYTES} bytes")
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read ({exc.__class__.__name__}: {exc})") from None


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


def _resolve(path: Path, chain: tuple[Path, ...]) -> tuple[dict, dict]:
    """The merged raw mapping of ``path`` with its ``extends`` chain, and its line map."""
    if path.resolve() in chain:
        cycle = " -> ".join(str(p) for p in chain + (path.resolve(),))
        raise ScenarioError(f"{path}: extends forms a cycle ({cycle})")
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(f"{path}: extends is nested more than {MAX_EXTENDS_DEPTH} deep")
    data, lines = _read_yaml(_read_file(path), str(path))
    parent = data.pop("extends", None)
    if parent is None:
        return data, lines
    if not isinstance(parent, str):
        raise ScenarioError(f"{path}: line {lines.get(('extends',), '?')}: field 'extends' = "
                            f"{parent!r}: must be a scenario file name")
    parent_path = (path.parent / parent)
    if not parent_path.suffix:
        parent_path = parent_path.with_suffix(".yaml")
    if not parent_path.is_file():
        raise ScenarioError(f"{path}: line {lines.get(('extends',), '?')}: field 'extends' = "
                            f"{parent!r}: no such scenario ({parent_path})")
    base, _ = _resolve(parent_path, chain + (path.resolve(),))
    return _merge(base, data), lines


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        annotation = model.model_fields.get(part).annotation if part in model.model_fields \
            else None
        model = _model_in(annotation)
        if model is None:
            return []
    return list(model.model_fields)


def _model_in(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def format_validation_error(exc: ValidationError, where: str, lines: dict) -> str:
    messages = []
    for err in exc.errors():
        loc = tuple(str(p) for p in err["loc"])
        field_name = ".".join(loc) or "(scenario)"
        line = next((lines[loc[:n]] for n in range(len(loc), 0, -1) if loc[:n] in lines), None)
        at = f" line {line}:" if line else ""
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            allowed = _allowed_keys(Scenario, err["loc"])
            close = difflib.get_close_matches(loc[-1], allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            msg = f"unknown field{hint}; allowed here: {', '.join(allowed)}"
            messages.append(f"{where}:{at} field '{field_name}': {msg}")
            continue
        value = err.get("input")
        shown = "" if isinstance(value, dict) or err["type"] == "missing" \
            else f" = {value!r}"
        messages.append(f"{where}:{at} field '{field_name}'{shown}: {msg}")
    return "\n".join(messages)


def set_path(data: dict, dotted: str, value) -> None:
    """Apply a ``--set a.b=value`` override (list items by index)."""
    parts = dotted.split(".")
    node = data
    for part in parts[:-1]:
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict):
            node = node.setdefault(part, {})
        else:
            raise ScenarioError(f"--set {dotted}: '{part}' is not a mapping")
    if isinstance(node, list) and parts[-1].isdigit() and int(parts[-1]) < len(node):
        node[int(parts[-1])] = value
    elif isinstance(node, dict):
        node[parts[-1]] = value
    else:
        raise ScenarioError(f"--set {dotted}: cannot set inside a {type(node).__name__}")


def parse_overrides(items: list[str]) -> list[tuple[str, object]]:
    out = []
    for item in items:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise ScenarioError(f"--set {item!r}: write --set path.to.field=value")
        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError:
            value = text
        out.append((key.strip(), value))
    return out


def _check_sources(sources: dict[str, str], where: str, lines: dict) -> None:
    facts = load_facts()
    if not facts:
        return  # no seeds folder (an installed copy without a checkout): nothing to check
    for field_path, fact_id in sources.items():
        if fact_id not in facts:
            line = lines.get(tuple(field_path.split(".")))
            at = f" line {line}:" if line else ""
            close = difflib.get_close_matches(fact_id, list(facts), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ScenarioError(f"{where}:{at} field '{field_path}' cites unknown fact "
                                f"{fact_id!r}{hint}; facts are listed by `iss-deorbit list`")


def validate_mapping(data: dict, where: str, lines: dict | None = None) -> LoadedScenario:
    """Validate an already-read mapping (the dashboard's upload and edits use this)."""
    if not isinstance(data, dict):
        raise ScenarioError(f"{where}: a scenario must be a mapping of fields")
    plain, sources = _strip_sources(data)
    _check_sources(sources, where, lines or {})
    try:
        scenario = Scenario.model_validate(plain)
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(exc, where, lines or {})) from None
    return LoadedScenario(scenario=scenario, path=where, sources=sources, raw=data)


def load_text(text: str, where: str = "<scenario>") -> LoadedScenario:
    """Validate scenario text (no ``extends``: an upload has no folder to look in)."""
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise ScenarioError(f"{where}: scenarios are limited to {MAX_BYTES} bytes")
    data, lines = _read_yaml(text, where)
    if "extends" in data:
        raise ScenarioError(f"{where}: 'extends' needs a scenario file in a folder; "
                            "upload the complete scenario instead")
    return validate_mapping(data, where, lines)


def load_scenario(path: str | Path, overrides: list[tuple[str, object]] = ()) -> LoadedScenario:
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(f"{path}: no such scenario file")
    data, lines = _resolve(path, ())
    for key, value in overrides:
        set_path(data, key, value)
    return validate_mapping(data, str(path), lines)
