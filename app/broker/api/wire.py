"""The broker's domain objects in wire form: serializers compiled from the schemas, and the
cached ``GET /orders`` body.

Every serializer here is `schemas.serializers.dict_serializer` applied to the schema that
documents the shape, checked against the dataclass it reads: the schema is the one field
table, and a field added to either side alone fails at import.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

import orjson

from app.broker.domain.config import BrokerConfig, ConfigFlags, DurationInfo, LeverageRange
from app.broker.domain.engine import Engine
from app.broker.domain.leverage import LeverageInfo, LeveragePreview
from app.broker.domain.preview import OrderPreviewResult, PreviewRow, PreviewSection
from app.broker.domain.quick import quick_make
from app.broker.domain.requests import OrderRequest
from app.broker.domain.snapshots import EquityData, Event, Execution, PlacedOrder, PositionData
from app.broker.domain.terms import Duration
from schemas.broker import (
    BrokerConfigSchema,
    ConfigFlagsSchema,
    DurationInfoSchema,
    LeverageRangeSchema,
    EquityDataSchema,
    ExecutionSchema,
    LeverageInfoSchema,
    LeveragePreviewResultSchema,
    OrderPreviewResultSchema,
    OrderPreviewSectionRowSchema,
    OrderPreviewSectionSchema,
    PlacedOrderSchema,
    PositionSchema,
    PreOrderSchema,
    DurationSchema,
)
from schemas.fast import compile_bound_loader
from schemas.serializers import Serializer, dict_serializer, kwargs_binder

placed_order = dict_serializer(PlacedOrderSchema, PlacedOrder, nested={DurationSchema: Duration})
position = dict_serializer(PositionSchema, PositionData)
execution = dict_serializer(ExecutionSchema, Execution, internal=("seq", "order_id"))
equity = dict_serializer(EquityDataSchema, EquityData)
leverage_info = dict_serializer(LeverageInfoSchema, LeverageInfo)
leverage_preview = dict_serializer(LeveragePreviewResultSchema, LeveragePreview)
order_preview = dict_serializer(
    OrderPreviewResultSchema,
    OrderPreviewResult,
    nested={OrderPreviewSectionSchema: PreviewSection, OrderPreviewSectionRowSchema: PreviewRow},
)

broker_config = dict_serializer(
    BrokerConfigSchema, BrokerConfig,
    nested={DurationInfoSchema: DurationInfo, LeverageRangeSchema: LeverageRange, ConfigFlagsSchema: ConfigFlags},
)

_EVENTS: dict[type, Serializer] = {
    PlacedOrder: placed_order,
    PositionData: position,
    Execution: execution,
    EquityData: equity,
}


def event_wire(event: Event) -> dict[str, Any]:
    """The payload an event's WebSocket update carries."""
    return _EVENTS[type(event)](event)


def _quotes(value: dict[str, float] | None) -> tuple[float, float] | None:
    return None if value is None else (value["ask"], value["bid"])


def _duration(value: dict[str, Any] | None) -> Duration | None:
    return None if value is None else Duration(value["type"], value["datetime"])


order_request: Callable[[dict[str, Any]], OrderRequest] = kwargs_binder(
    PreOrderSchema, OrderRequest, convert={"currentQuotes": _quotes, "duration": _duration},
    skip=("clientOrderId",)
)
"""A loaded PreOrder body as the engine's request (enums are the domain's own members)."""

load_order_request = cast(Callable[[object], tuple[OrderRequest, "str | None"]], compile_bound_loader(
    PreOrderSchema(), OrderRequest, convert={"currentQuotes": _quotes, "duration": _duration},
    rest=("clientOrderId",), build=quick_make,
))
"""A PreOrder body straight to ``(OrderRequest, clientOrderId)``: ``order_request`` of the
loaded body without the dict between them, and the same 422 items (``RequestInvalid``)."""


def exact(data: bytes) -> bytes:
    """A copy without the spare capacity orjson's output keeps (about 8 KiB of RSS per object
    with orjson 3.13, measured), for encodings that are kept: 30 times the order's own JSON."""
    return memoryview(data).tobytes()


class OrdersBody:
    """``GET /orders`` as JSON bytes, joined from per-order encodings and kept until an order
    event (the list is read far more often than it changes).

    An order's encoding is kept while its revision (``Order.rev``) is the same, so only changed
    orders are encoded again. The kept entries are (int, bytes) pairs, which the garbage
    collector stops tracking: the cache adds nothing to its full collections.
    """

    __slots__ = ("_engine", "_body", "_encoded")

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._body: bytes | None = None
        self._encoded: dict[str, tuple[int, bytes]] = {}

    def __call__(self) -> bytes:
        body = self._body
        if body is None:
            known = self._encoded
            encoded: dict[str, tuple[int, bytes]] = {}
            for order in self._engine.state.orders.values():
                entry = known.get(order.id)
                if entry is None or entry[0] != order.rev:
                    entry = (order.rev, exact(orjson.dumps(placed_order(order.snapshot()))))
                encoded[order.id] = entry
            self._encoded = encoded
            body = self._body = b"[" + b",".join([entry[1] for entry in encoded.values()]) + b"]"
        return body

    def invalidate(self) -> None:
        """For a change no event announces: ``reset`` drops final orders silently."""
        self._body = None

    def sink(self, events: Sequence[Event]) -> None:
        """The engine sink that ends the cached body at the first order event."""
        if self._body is not None:
            for event in events:
                if type(event) is PlacedOrder:
                    self._body = None
                    return
