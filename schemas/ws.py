"""WebSocket payloads (CONTRACT §6.3–§6.4, DESIGN §4 WS): subscription requests, responses,
updates and the ``error`` message.

A ``SubscriptionUpdate_<Model>_`` is ``{topic, payload}``; its name spells pydantic's generic
``SubscriptionUpdate[<Model>]`` the way the original's documents do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError, validates_schema

from schemas.base import WireSchema
from schemas.broker import (
    BrokerConnectionStatusSchema,
    EquityDataSchema,
    ExecutionSchema,
    PlacedOrderSchema,
    PositionSchema,
)
from schemas.datafeed import BarSchema, QuoteDataSchema
from schemas.fields import OneOfLiteral, WireList, WireNested, WireStr
from schemas.limits import MAX_SYMBOLS
from schemas.problems import Problem

BAR_RESOLUTIONS = ("1", "5", "15", "60", "1D", "1W", "D", "W")


class SubscriptionResponseSchema(WireSchema):
    status = WireStr(
        required=True, validate=OneOfLiteral(["ok", "error"]), metadata={"description": "Status"}
    )
    message = WireStr(required=True, metadata={"description": "Status message"})
    topic = WireStr(required=True, metadata={"description": "Subscription topic"})


class ErrorMessageSchema(WireSchema):
    """Payload of ``{"type":"error"}``: an unknown type, non-JSON text, a server-only type."""

    message = WireStr(required=True, metadata={"description": "What was wrong with the client's message"})


def _account_id() -> WireStr:
    return WireStr(required=True, metadata={"description": "Account ID to subscribe to"})


class OrderSubscriptionRequestSchema(WireSchema):
    accountId = _account_id()


class PositionSubscriptionRequestSchema(WireSchema):
    accountId = _account_id()


class ExecutionSubscriptionRequestSchema(WireSchema):
    accountId = _account_id()


class EquitySubscriptionRequestSchema(WireSchema):
    accountId = _account_id()


class BrokerConnectionSubscriptionRequestSchema(WireSchema):
    accountId = _account_id()


class BarsSubscriptionRequestSchema(WireSchema):
    symbol = WireStr(required=True, metadata={"description": "Symbol to subscribe to"})
    resolution = WireStr(
        required=True,
        validate=OneOfLiteral(BAR_RESOLUTIONS),
        metadata={"description": "Bar resolution: 1, 5, 15, 60 (minutes), 1D, 1W (D and W are aliases)"},
    )


class QuoteDataSubscriptionRequestSchema(WireSchema):
    symbols = WireList(
        WireStr(),
        required=True,
        max_length=MAX_SYMBOLS,
        metadata={"description": "Symbols with slow updates"},
    )
    fast_symbols = WireList(
        WireStr(),
        required=True,
        max_length=MAX_SYMBOLS,
        metadata={"description": "Symbols with fast updates"},
    )

    @validates_schema(skip_on_field_errors=True)
    def _some_symbol(self, data: Mapping[str, Any], **_: Any) -> None:
        if not data["symbols"] and not data["fast_symbols"]:
            raise ValidationError(
                Problem("too_short", "At least one symbol is required in symbols or fast_symbols"), "symbols"
            )


def subscription_update(payload: type[WireSchema]) -> type[WireSchema]:
    """``SubscriptionUpdate_<Model>_``: ``{topic, payload}`` around ``payload`` (the name is what
    the component is called, so it is built from the payload's, as pydantic's generic is)."""
    name = f"SubscriptionUpdate_{payload.__name__.removesuffix('Schema')}_Schema"
    fields = {
        "topic": WireStr(required=True, metadata={"description": "Subscription topic"}),
        "payload": WireNested(payload, required=True),
        "__module__": __name__,
        "__qualname__": name,
    }
    return type(name, (WireSchema,), fields)


SubscriptionUpdate_Bar_Schema = subscription_update(BarSchema)
SubscriptionUpdate_QuoteData_Schema = subscription_update(QuoteDataSchema)
SubscriptionUpdate_PlacedOrder_Schema = subscription_update(PlacedOrderSchema)
SubscriptionUpdate_Position_Schema = subscription_update(PositionSchema)
SubscriptionUpdate_Execution_Schema = subscription_update(ExecutionSchema)
SubscriptionUpdate_EquityData_Schema = subscription_update(EquityDataSchema)
SubscriptionUpdate_BrokerConnectionStatus_Schema = subscription_update(BrokerConnectionStatusSchema)
