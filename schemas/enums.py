"""The field that carries the integer enums of CONTRACT §2 on the wire.

The enum classes themselves are the domain's (`app.broker.domain.enums`): one definition, so a
loaded body already holds the members the engine uses and nothing maps between two copies.

`WireEnum` loads ints and numeric strings (``1``, ``"1"``, ``1.0``; lax mode), refuses booleans,
and dumps plain ints. Its ``metadata["enum_component"]`` is the enum's class name: the spec
generator should emit ``{"$ref": "#/components/schemas/<name>"}`` for such a field and register
one ``{"type": "integer", "enum": [...]}`` component per name (`enum_component_schema` builds
it; the values are also in ``metadata["enum"]`` in declaration order).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, TypeVar, cast

from marshmallow import ValidationError, fields

from app.broker.domain.enums import OrderStatus, OrderType, ParentType, Side, StopType
from schemas.fields import to_int
from schemas.problems import MISSING, Problem, enum_problem

ENUMS: tuple[type[IntEnum], ...] = (OrderStatus, OrderType, Side, StopType, ParentType)

_DESCRIPTIONS = {
    "OrderStatus": "Order status enumeration matching TradingView OrderStatus",
    "OrderType": "Order type enumeration matching TradingView OrderType",
    "Side": "Order/Position side enumeration matching TradingView Side",
    "StopType": "Stop type enumeration matching TradingView StopType",
    "ParentType": "Parent of a bracket order: 1 = order, 2 = position",
}


def enum_component_schema(enum: type[IntEnum]) -> dict[str, object]:
    """The named component the original's documents carry for ``enum``."""
    return {
        "type": "integer",
        "enum": [member.value for member in enum],
        "title": enum.__name__,
        "description": _DESCRIPTIONS.get(enum.__name__, enum.__name__),
    }


E = TypeVar("E", bound=IntEnum)


def to_member(enum: type[E], problem: Problem, value: object) -> E:
    """Lax lookup by value; every failure (type, parse, unknown value) is pydantic's ``enum``."""
    if type(value) is not int:
        try:
            value = to_int(value)
        except ValidationError:
            raise ValidationError(problem) from None
    member = enum._value2member_map_.get(value)
    if member is None:
        raise ValidationError(problem)
    return cast(E, member)


class WireEnum(fields.Integer):
    """An `IntEnum` as a JSON integer; loads the member, dumps its int value."""

    default_error_messages = {"required": MISSING}

    def __init__(self, enum: type[IntEnum], **kwargs: Any) -> None:
        metadata = dict(kwargs.pop("metadata", {}))
        metadata.setdefault("enum_component", enum.__name__)
        metadata.setdefault("enum", [member.value for member in enum])
        self.problem = enum_problem([member.value for member in enum])
        error_messages = dict(kwargs.pop("error_messages", {}))
        error_messages.setdefault("null", self.problem)
        super().__init__(metadata=metadata, error_messages=error_messages, **kwargs)
        self.enum = enum

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> IntEnum:
        return to_member(self.enum, self.problem, value)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> int | None:
        return None if value is None else int(value)
