"""Scenario errors, and pydantic's validation errors turned into messages for people.

Each message names the file, the line, the field, the value and what is allowed.
"""

from __future__ import annotations

import difflib

from pydantic import BaseModel, ValidationError

from .consistency import Inconsistent
from .model import Scenario


class ScenarioError(ValueError):
    """An invalid scenario; the message is meant for the user as it is."""


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


def _line(lines: dict, loc: tuple) -> str:
    line = next((lines[loc[:n]] for n in range(len(loc), 0, -1) if loc[:n] in lines), None)
    return f" line {line}:" if line else ""


def _one(err: dict, where: str, lines: dict) -> str:
    loc = tuple(str(p) for p in err["loc"])
    cause = (err.get("ctx") or {}).get("error")
    msg = err["msg"].removeprefix("Value error, ")
    if isinstance(cause, Inconsistent):  # a rule across fields: point at the first one
        loc = loc + tuple(cause.fields[0].split("."))
        others = ", ".join(cause.fields[1:])
        return f"{where}:{_line(lines, loc)} field '{'.'.join(loc)}': {msg}" + \
            (f" (see {others})" if others else "")
    field_name = ".".join(loc) or "(scenario)"
    if err["type"] == "extra_forbidden":
        allowed = _allowed_keys(Scenario, err["loc"])
        close = difflib.get_close_matches(loc[-1], allowed, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return (f"{where}:{_line(lines, loc)} field '{field_name}': unknown field{hint}; "
                f"allowed here: {', '.join(allowed)}")
    value = err.get("input")
    shown = "" if isinstance(value, dict) or err["type"] == "missing" else f" = {_short(value)}"
    return f"{where}:{_line(lines, loc)} field '{field_name}'{shown}: {msg}"


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def format_validation_error(exc: ValidationError, where: str, lines: dict) -> str:
    return "\n".join(_one(err, where, lines) for err in exc.errors())
