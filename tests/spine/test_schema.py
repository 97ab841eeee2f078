"""The committed JSON Schema is a valid schema, accepts the example policy, and refuses what the loader refuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMA: dict[str, Any] = json.loads((ROOT / "otokui" / "rules.schema.json").read_text(encoding="utf-8"))


def example() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "rules.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def validator() -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(SCHEMA)
    return cls(SCHEMA, format_checker=cls.FORMAT_CHECKER)


def test_schema_is_valid_against_its_metaschema() -> None:
    cls = jsonschema.validators.validator_for(SCHEMA)
    assert cls is jsonschema.Draft202012Validator  # the dialect the schema declares
    cls.check_schema(SCHEMA)


def test_example_rules_yaml_is_valid_against_the_schema() -> None:
    errors = sorted(validator().iter_errors(example()), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("membership", "disclosure", "mode"), "suprise"),
        (("shop", "legal_nam"), "x"),
        (("membership", "ranks", 1, "threshold", "spend"), "lots"),
        (("shop", "brand", "primary_color"), "brown"),
    ],
    ids=["misspelt-choice", "unknown-key", "wrong-type", "bad-colour"],
)
def test_schema_refuses_what_the_loader_refuses(path: tuple[str | int, ...], value: object) -> None:
    data = example()
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    assert list(validator().iter_errors(data)), f"{path} = {value!r} should not validate"
