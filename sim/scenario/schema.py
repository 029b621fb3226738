"""The scenario format as a JSON Schema, generated from the pydantic models.

Editors (e.g. the YAML language server) use it to check scenarios as they are typed. Every
field may also be written ``{value: ..., source: <fact id>}`` to cite where it comes from.
"""

from __future__ import annotations

import json

from .model import Scenario

CITED = {"type": "object", "required": ["value", "source"], "additionalProperties": False,
         "properties": {"value": {}, "source": {"type": "string",
                                                "description": "a fact id from seeds/"},
                        "note": {"type": "string"}}}


def _allow_citations(node):
    """Wrap every property schema in anyOf [itself, a cited value]."""
    if isinstance(node, dict):
        for key, value in list(node.items()):
            if key == "properties" and isinstance(value, dict):
                for name, prop in value.items():
                    _allow_citations(prop)
                    value[name] = {"anyOf": [prop, CITED]} if "properties" not in prop else prop
            else:
                _allow_citations(value)
    elif isinstance(node, list):
        for item in node:
            _allow_citations(item)
    return node


def scenario_json_schema() -> dict:
    schema = Scenario.model_json_schema(mode="validation")
    schema = _allow_citations(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "iss-deorbit scenario"
    schema["properties"]["extends"] = {"type": "string",
                                       "description": "a scenario file this one overrides"}
    # a scenario that extends another may leave out what its parent gives
    required = schema.pop("required", [])
    schema["if"] = {"required": ["extends"]}
    schema["then"] = {}
    schema["else"] = {"required": required}
    return schema


def schema_text() -> str:
    return json.dumps(scenario_json_schema(), indent=2, sort_keys=True) + "\n"
