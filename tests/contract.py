"""Wire-contract assertions for tests: a payload must be exactly what its schema promises.

``Schema.validate`` alone would pass ``1`` for a float, a missing nullable key, extra keys and any
key order. `assert_wire` checks the wire rules of CONTRACT §1.4 on top: key order equals the
declared field order (nested too), every declared key present (nullable ones as ``null``), no
undeclared key, floats are JSON floats (``1.0``, never ``1``), ints are ints, booleans are never
numbers, enum values are members; then the schema's own constraints (``qty > 0``, literals).

A field with ``metadata={"wire_optional": True}`` may be absent (e.g. the 422 item's ``ctx``).
A field with a ``wire_schema(parent)`` method (``QuoteData.v``) is checked against the schema it
returns for the enclosing object.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import orjson
from marshmallow import Schema, fields

from schemas.enums import WireEnum

__all__ = ["assert_wire"]


def assert_wire(schema: Schema, payload: object, *, many: bool = False) -> None:
    """Raise AssertionError naming the JSON path and the problem; ``payload`` may be raw JSON."""
    if isinstance(payload, (bytes, bytearray, memoryview, str)):
        try:
            payload = orjson.loads(payload)
        except orjson.JSONDecodeError as exc:
            raise AssertionError(f"$: not JSON ({exc})") from None
    if many:
        _expect(isinstance(payload, list), "$", f"expected a JSON array, got {_show(payload)}")
        assert isinstance(payload, list)
        for index, element in enumerate(payload):
            _check_object(schema, element, f"$[{index}]")
    else:
        _check_object(schema, payload, "$")
    errors = schema.validate(payload, many=many)  # type: ignore[arg-type]
    _expect(not errors, "$", f"violates the schema's constraints: {errors}")


def _check_object(schema: Schema, value: object, path: str) -> None:
    _expect(isinstance(value, dict), path, f"expected an object, got {_show(value)}")
    assert isinstance(value, dict)
    declared = {(field.data_key or name): field for name, field in schema.dump_fields.items()}
    extra = [key for key in value if key not in declared]
    _expect(not extra, path, f"undeclared key(s) {extra}")
    missing = [
        key for key, field in declared.items() if key not in value and not field.metadata.get("wire_optional")
    ]
    _expect(not missing, path, f"missing key(s) {missing} (nullable keys must be present as null)")
    expected_order = [key for key in declared if key in value]
    _expect(list(value) == expected_order, path, f"key order {list(value)}, declared {expected_order}")
    for key, field in declared.items():
        if key in value:
            _check_value(field, value[key], f"{path}.{key}", value)


def _check_value(field: fields.Field, value: object, path: str, parent: Mapping[str, Any]) -> None:
    if value is None:
        _expect(field.allow_none, path, "null for a non-nullable field")
        return
    wire_schema = getattr(field, "wire_schema", None)
    if wire_schema is not None:
        _check_object(wire_schema(parent), value, path)
    elif isinstance(field, WireEnum):
        _expect(type(value) is int, path, f"expected an integer enum value, got {_show(value)}")
        allowed = [member.value for member in field.enum]
        _expect(value in allowed, path, f"{value!r} is not one of {field.enum.__name__} {allowed}")
    elif isinstance(field, fields.Float):
        _expect(type(value) is float, path, f"expected a float (with a decimal point), got {_show(value)}")
        assert isinstance(value, float)
        _expect(math.isfinite(value), path, f"non-finite float {value!r}")
    elif isinstance(field, fields.Integer):
        _expect(type(value) is int, path, f"expected an integer, got {_show(value)}")
    elif isinstance(field, fields.Boolean):
        _expect(type(value) is bool, path, f"expected a boolean, got {_show(value)}")
    elif isinstance(field, fields.String):
        _expect(type(value) is str, path, f"expected a string, got {_show(value)}")
    elif isinstance(field, fields.Nested):
        _check_object(field.schema, value, path)
    elif isinstance(field, fields.List):
        _expect(isinstance(value, list), path, f"expected an array, got {_show(value)}")
        assert isinstance(value, list)
        for index, element in enumerate(value):
            _check_value(field.inner, element, f"{path}[{index}]", parent)
    elif isinstance(field, fields.Dict):
        _expect(isinstance(value, dict), path, f"expected an object, got {_show(value)}")
        assert isinstance(value, dict)
        for key, element in value.items():
            _expect(type(key) is str, path, f"non-string key {key!r}")
            if field.value_field is not None:
                _check_value(field.value_field, element, f"{path}.{key}", value)


def _expect(condition: bool, path: str, problem: str) -> None:
    if not condition:
        raise AssertionError(f"{path}: {problem}")


def _show(value: object) -> str:
    return f"{type(value).__name__} {value!r}"
