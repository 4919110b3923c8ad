"""Component names, field order and required lists agree with the original's generated specs.

The reference documents live beside the repository (../shared/reference/original-specs,
or $ORIGINAL_SPECS); without them this module is skipped.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from marshmallow import Schema

from schemas import broker, common, datafeed, ws
from schemas.enums import ENUMS, enum_component_schema

SPECS = Path(
    os.environ.get(
        "ORIGINAL_SPECS", Path(__file__).resolve().parents[3] / "shared" / "reference" / "original-specs"
    )
)
OURS_ONLY_TAIL = {
    "PreOrder": ["clientOrderId", "duration"],
    "PlacedOrder": ["parentId", "parentType", "clientOrderId", "duration"],
    "Execution": ["commission"],
}

pytestmark = pytest.mark.skipif(not SPECS.is_dir(), reason="original specs not available")


def our_schemas() -> dict[str, type[Schema]]:
    found: dict[str, type[Schema]] = {}
    for module in (common, broker, datafeed, ws):
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == module.__name__:
                found[name.removesuffix("Schema")] = value
    return found


def original_components() -> dict[str, dict[str, object]]:
    components: dict[str, dict[str, object]] = {}
    for path in sorted(SPECS.glob("*.json")):
        document = json.loads(path.read_text())
        for name, schema in document.get("components", {}).get("schemas", {}).items():
            if not name.startswith(("_MsgWithPayload", "external_packages")):
                components[name] = schema
    return components


ORIGINAL = original_components() if SPECS.is_dir() else {}
MODELS = sorted(name for name, schema in ORIGINAL.items() if "properties" in schema and name != "ValidationError")


def test_every_original_model_has_a_schema_of_that_name() -> None:
    assert sorted(set(MODELS) - set(our_schemas())) == []


@pytest.mark.parametrize("name", MODELS)
def test_fields_in_the_original_order(name: str) -> None:
    ours = list(our_schemas()[name]().fields)
    assert ours == list(ORIGINAL[name]["properties"]) + OURS_ONLY_TAIL.get(name, [])  # type: ignore[call-overload]


@pytest.mark.parametrize("name", MODELS)
def test_required_fields_as_the_original(name: str) -> None:
    ours = [key for key, field in our_schemas()[name]().fields.items() if field.required]
    assert ours == ORIGINAL[name].get("required", [])


@pytest.mark.parametrize("enum", ENUMS[:4], ids=lambda enum: enum.__name__)
def test_enum_components_as_the_original(enum: type) -> None:
    assert enum_component_schema(enum) == ORIGINAL[enum.__name__]
