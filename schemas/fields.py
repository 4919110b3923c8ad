"""Marshmallow fields with the original's lax input rules and pydantic's error types.

Input: numeric strings load as numbers (``"1"`` → ``1.0``), non-finite numbers are refused,
booleans are never numbers (a deliberate tightening of pydantic's lax mode), and every failure
raises a `Problem` so the 422 item matches pydantic's. Output: floats dump as ``float`` and ints
as ``int``, so the JSON encoder prints ``1.0`` where the contract says float.

The conversions are plain functions so that the hand-written hot-path validator
(`schemas.fast`) shares them and cannot drift from the schemas. Each field subclasses the
marshmallow field apispec already knows, so the generated documents get the right JSON types.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from marshmallow import ValidationError, fields, validate

from schemas.problems import (
    BOOL_TYPE,
    DICT_TYPE,
    FINITE_NUMBER,
    FLOAT_PARSING,
    FLOAT_TYPE,
    INT_FROM_FLOAT,
    INT_PARSING,
    INT_TYPE,
    LIST_TYPE,
    MISSING,
    MODEL_TYPE,
    STRING_TYPE,
    greater_than,
    greater_than_equal,
    literal_problem,
    too_long,
)

_INT_TEXT = re.compile(r"[ \t\n\r]*([+-]?[0-9]+)(?:\.0*)?[ \t\n\r]*")


def to_float(value: object) -> float:
    """pydantic's lax float, finite only; strings parse as pydantic's do (ASCII, no ``_``)."""
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        raise ValidationError(FINITE_NUMBER)
    if isinstance(value, bool):
        raise ValidationError(FLOAT_TYPE)
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            raise ValidationError(FINITE_NUMBER) from None
    if isinstance(value, str):
        if "_" in value or not value.isascii():
            raise ValidationError(FLOAT_PARSING)
        try:
            number = float(value)
        except ValueError:
            raise ValidationError(FLOAT_PARSING) from None
        if math.isfinite(number):
            return number
        raise ValidationError(FINITE_NUMBER)
    raise ValidationError(FLOAT_TYPE)


def to_int(value: object) -> int:
    """pydantic's lax int: integral floats and digit strings (``"5"``, ``"5.0"``) load."""
    if isinstance(value, bool):
        raise ValidationError(INT_TYPE)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError(FINITE_NUMBER)
        if not value.is_integer():
            raise ValidationError(INT_FROM_FLOAT)
        return int(value)
    if isinstance(value, str):
        match = _INT_TEXT.fullmatch(value)
        if match is None:
            raise ValidationError(INT_PARSING)
        try:
            return int(match.group(1))
        except ValueError:
            raise ValidationError(INT_PARSING) from None
    raise ValidationError(INT_TYPE)


def to_str(value: object) -> str:
    """Strings only: pydantic never turns numbers into strings."""
    if isinstance(value, str):
        return value
    raise ValidationError(STRING_TYPE)


class WireFloat(fields.Float):
    """JSON number; loads lax and finite, dumps a Python float."""

    default_error_messages = {"required": MISSING, "null": FLOAT_TYPE}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> float:
        return to_float(value)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> float | None:
        return None if value is None else float(value)


class WireInt(fields.Integer):
    """JSON integer; loads lax, dumps a Python int."""

    default_error_messages = {"required": MISSING, "null": INT_TYPE}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        return to_int(value)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> int | None:
        return None if value is None else int(value)


class WireStr(fields.String):
    default_error_messages = {"required": MISSING, "null": STRING_TYPE, "invalid": STRING_TYPE}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return to_str(value)


class WireBool(fields.Boolean):
    """JSON boolean; only ``true``/``false`` load (bool fields are output-only on this wire)."""

    default_error_messages = {"required": MISSING, "null": BOOL_TYPE, "invalid": BOOL_TYPE}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if isinstance(value, bool):
            return value
        raise ValidationError(BOOL_TYPE)


class WireList(fields.List):
    """JSON array; ``max_length`` is checked before the items, so a huge list costs one error."""

    default_error_messages = {"required": MISSING, "null": LIST_TYPE, "invalid": LIST_TYPE}

    def __init__(self, inner: fields.Field, *, max_length: int | None = None, **kwargs: Any) -> None:
        if max_length is not None:
            kwargs["validate"] = validate.Length(max=max_length)
        super().__init__(inner, **kwargs)
        self.max_length = max_length

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> list[Any]:
        if not isinstance(value, list):
            raise ValidationError(LIST_TYPE)
        if self.max_length is not None and len(value) > self.max_length:
            raise ValidationError(too_long(self.max_length, len(value)))
        return super()._deserialize(value, attr, data, **kwargs)


class WireNested(fields.Nested):
    """A JSON object described by another schema (its non-objects fail in the schema itself)."""

    default_error_messages = {"required": MISSING, "null": MODEL_TYPE, "type": MODEL_TYPE}


class WireDict(fields.Dict):
    """A free-form JSON object (e.g. ``customFields``)."""

    default_error_messages = {"required": MISSING, "null": DICT_TYPE, "invalid": DICT_TYPE}


class GreaterThan(validate.Range):
    """``> limit`` (apispec emits ``exclusiveMinimum``)."""

    def __init__(self, limit: int) -> None:
        super().__init__(min=limit, min_inclusive=False)
        self.limit = limit

    def __call__(self, value: Any) -> Any:
        if not value > self.limit:
            raise ValidationError(greater_than(self.limit))
        return value


class GreaterThanEqual(validate.Range):
    """``>= limit`` (apispec emits ``minimum``)."""

    def __init__(self, limit: int) -> None:
        super().__init__(min=limit)
        self.limit = limit

    def __call__(self, value: Any) -> Any:
        if not value >= self.limit:
            raise ValidationError(greater_than_equal(self.limit))
        return value


class OneOfLiteral(validate.OneOf):
    """A string literal union such as ``"ok" | "error"`` (apispec emits ``enum``)."""

    def __init__(self, choices: Sequence[str]) -> None:
        super().__init__(choices)
        self.problem = literal_problem(list(choices))

    def __call__(self, value: Any) -> Any:
        if value not in self.choices:
            raise ValidationError(self.problem)
        return value
