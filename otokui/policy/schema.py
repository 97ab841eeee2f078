"""The JSON Schema of rules.yaml, generated from the policy model (for editor autocompletion)."""

from __future__ import annotations

from typing import Any

from otokui.policy.model import Policy

SCHEMA_ID = "https://otokui.invalid/schema/rules-v1.json"


def schema() -> dict[str, Any]:
    """The policy's JSON Schema (draft 2020-12)."""
    generated = Policy.model_json_schema(by_alias=True)
    text = {"anyOf": [{"type": "string"}, {"$ref": "#/$defs/Text"}]}
    _accept_plain_text(generated, text)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **generated}


def _accept_plain_text(node: Any, text: dict[str, Any]) -> None:
    """A Text may be written as one string too: say so wherever the schema refers to it."""
    if isinstance(node, dict):
        for key, value in list(node.items()):
            if value == {"$ref": "#/$defs/Text"} or (
                isinstance(value, dict) and value.get("$ref") == "#/$defs/Text" and len(value) == 1
            ):
                node[key] = dict(text)
            else:
                _accept_plain_text(value, text)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if value == {"$ref": "#/$defs/Text"}:
                node[index] = dict(text)
            else:
                _accept_plain_text(value, text)
