"""Immutable event payloads: each is a snapshot taken when the change happened (DESIGN #25).

They are plain data (no live objects) so a sink may queue, serialize or persist them. ``route``
names the WebSocket route that carries them; ``to_wire`` builds the wire dict with the keys in
CONTRACT §3.1 order, enums as ints, floats as floats and nullable keys always present. The
dict is built once per snapshot and shared: callers must not mutate it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Union

import orjson


def _opt(value: float | None) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True, slots=True)
class PlacedOrder:
    route: ClassVar[str] = "orders"

    id: str
    symbol: str
    type: int
    side: int
    qty: float
    status: int
    limit_price: float | None
    stop_price: float | None
    take_profit: float | None
    stop_loss: float | None
    guaranteed_stop: float | None
    trailing_stop_pips: float | None
    stop_type: int | None
    filled_qty: float
    avg_price: float | None
    update_time: int
    parent_id: str | None
    parent_type: int | None
    client_order_id: str | None
    _json: bytes | None = field(default=None, init=False, repr=False, compare=False)

    def to_json(self) -> bytes:
        """The wire dict encoded once: a snapshot never changes, so neither does its JSON."""
        encoded = self._json
        if encoded is None:
            encoded = orjson.dumps(self.to_wire())
            object.__setattr__(self, "_json", encoded)
        return encoded

    def to_wire(self) -> dict[str, object]:
        """Built on demand, not kept: every held order would otherwise carry a 19-key dict
        (the JSON bytes above are what is kept, for ``GET /orders``)."""
        return {
            "id": self.id,
            "symbol": self.symbol,
            "type": int(self.type),
            "side": int(self.side),
            "qty": float(self.qty),
            "status": int(self.status),
            "limitPrice": _opt(self.limit_price),
            "stopPrice": _opt(self.stop_price),
            "takeProfit": _opt(self.take_profit),
            "stopLoss": _opt(self.stop_loss),
            "guaranteedStop": _opt(self.guaranteed_stop),
            "trailingStopPips": _opt(self.trailing_stop_pips),
            "stopType": None if self.stop_type is None else int(self.stop_type),
            "filledQty": float(self.filled_qty),
            "avgPrice": _opt(self.avg_price),
            "updateTime": int(self.update_time),
            "parentId": self.parent_id,
            "parentType": None if self.parent_type is None else int(self.parent_type),
            "clientOrderId": self.client_order_id,
        }


@dataclass(frozen=True, slots=True)
class PositionData:
    """A position as published; ``qty`` 0.0 announces a closed position (old side/avgPrice)."""

    route: ClassVar[str] = "positions"

    id: str
    symbol: str
    qty: float
    side: int
    avg_price: float

    def to_wire(self) -> dict[str, object]:
        return {
            "id": self.id,
            "symbol": self.symbol,
            "qty": float(self.qty),
            "side": int(self.side),
            "avgPrice": float(self.avg_price),
        }


@dataclass(frozen=True, slots=True)
class Execution:
    """One fill. ``seq`` (1, 2, ...) identifies it so the ledger applies it at most once."""

    route: ClassVar[str] = "executions"

    seq: int
    order_id: str
    symbol: str
    price: float
    qty: float
    side: int
    time: int

    def to_wire(self) -> dict[str, object]:
        return {
            "symbol": self.symbol,
            "price": float(self.price),
            "qty": float(self.qty),
            "side": int(self.side),
            "time": int(self.time),
        }


@dataclass(frozen=True, slots=True)
class EquityData:
    route: ClassVar[str] = "equity"

    equity: float
    balance: float
    unrealized_pl: float
    realized_pl: float

    def to_wire(self) -> dict[str, object]:
        return {
            "equity": float(self.equity),
            "balance": float(self.balance),
            "unrealizedPL": float(self.unrealized_pl),
            "realizedPL": float(self.realized_pl),
        }


Event = Union[PlacedOrder, PositionData, Execution, EquityData]
