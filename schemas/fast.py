"""Hot-path loaders compiled from a schema's fields: ``PreOrderSchema().load`` without marshmallow.

`compile_loader` walks the schema once, at import, and keeps per field its wire key, the
conversion the field itself runs (the shared functions of `schemas.fields` / `schemas.enums`),
its validators, whether it is required or nullable, and its default. Loading is then a loop
over that table: the result and the 422 items are those of ``schema.load`` (errors collected
in marshmallow's message shape and mapped by the same `validation_items`;
tests/schemas/test_fast.py checks it with hypothesis), and a field added to the schema is
loaded here with no further edit. A field type the compiler does not know fails at import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import marshmallow
from marshmallow import Schema, ValidationError, fields

from schemas.broker import PreOrderSchema
from schemas.enums import WireEnum, to_member
from schemas.errors import RequestInvalid, validation_items
from schemas.fields import WireFloat, WireInt, WireNested, WireStr, to_float, to_int, to_str
from schemas.problems import MODEL_TYPE

Convert = Callable[[Any], Any]
Loader = Callable[[object], dict[str, Any]]

_ABSENT: Any = object()
_Row = tuple[str, Convert, bool, bool, Any, Any, Any]
"""(wire key, conversion, required, nullable, default or _ABSENT, missing message, null message)"""


def compile_loader(schema: Schema) -> Loader:
    """The loader of ``schema``'s dict bodies; raises `RequestInvalid` with the 422 items."""
    nested = _nested_loader(schema)

    def load(data: object) -> dict[str, Any]:
        try:
            return nested(data)
        except ValidationError as exc:
            raise RequestInvalid(validation_items(exc, "body", data)) from None

    return load


def _nested_loader(schema: Schema) -> Callable[[object], dict[str, Any]]:
    """``schema.load`` for one object, raising marshmallow's ``ValidationError`` shape."""
    if any(schema._hooks.values()):
        raise TypeError(f"{type(schema).__name__} has schema-level hooks; the fast loader has none")
    table: tuple[_Row, ...] = tuple(_row(name, field) for name, field in schema.fields.items())

    def load(data: object) -> dict[str, Any]:
        if type(data) is not dict and not isinstance(data, Mapping):
            raise ValidationError({"_schema": [MODEL_TYPE]})
        get = data.get
        result: dict[str, Any] = {}
        errors: dict[str, Any] | None = None
        for name, convert, required, nullable, default, missing, null in table:
            value = get(name, _ABSENT)
            if value is _ABSENT:
                if required:
                    errors = errors or {}
                    errors[name] = [missing]
                elif default is not _ABSENT:
                    result[name] = default() if callable(default) else default
                continue
            if value is None:
                if nullable:
                    result[name] = None
                else:
                    errors = errors or {}
                    errors[name] = [null]
                continue
            try:
                result[name] = convert(value)
            except ValidationError as exc:
                errors = errors or {}
                errors[name] = exc.messages
        if errors is not None:
            raise ValidationError(errors)
        return result

    return load


def _row(name: str, field: fields.Field) -> _Row:
    default = field.load_default
    return (
        field.data_key or name,
        _conversion(field),
        field.required,
        field.allow_none,
        _ABSENT if default is marshmallow.missing else default,
        field.error_messages["required"],
        field.error_messages["null"],
    )


def _conversion(field: fields.Field) -> Convert:
    base = _base_conversion(field)
    validators = tuple(field.validators)
    if not validators:
        return base

    def convert(value: Any) -> Any:
        result = base(value)
        for validator in validators:
            validator(result)
        return result

    return convert


def _base_conversion(field: fields.Field) -> Convert:
    if isinstance(field, WireEnum):
        enum, problem = field.enum, field.problem
        return lambda value: to_member(enum, problem, value)
    if isinstance(field, WireFloat):
        return to_float
    if isinstance(field, WireInt):
        return to_int
    if isinstance(field, WireStr):
        return to_str
    if isinstance(field, WireNested):
        return _nested_loader(field.schema)
    raise TypeError(f"the fast loader has no conversion for {type(field).__name__}")


load_pre_order = compile_loader(PreOrderSchema())
"""``PreOrderSchema().load(data)`` in a few µs; raises `RequestInvalid` with the same items."""
