"""What a command publishes: snapshots of an order, position, execution or the equity, each
taken when its change happened (DESIGN #25). The domain events (events.py) say what changed;
these say what a client sees of it.

They are plain data (no live objects) so a sink may queue or serialize them. ``route``
names the WebSocket route that carries them. Their wire form is the transport's
(`app.broker.api.wire`, compiled from the schemas): each field here is the snake-case name of
a wire key (the fields of a ``FLAT`` group count as its own), and the compiler refuses a field
the schema does not carry, and the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Union

from app.broker.domain.quick import quick_init
from app.broker.domain.terms import FLAT, Duration, OrderTerms


@dataclass(frozen=True, slots=True)
class PlacedOrder:
    """An order as published: its terms (flat on the wire: ``qty``, ``limitPrice``, …) are the
    order's own immutable object, shared, not copied."""

    route: ClassVar[str] = "orders"

    id: str
    symbol: str
    type: int
    side: int
    terms: OrderTerms = field(metadata=FLAT)
    status: int
    filled_qty: float
    avg_price: float | None
    update_time: int
    parent_id: str | None
    parent_type: int | None
    client_order_id: str | None
    duration: Duration | None


@dataclass(frozen=True, slots=True)
class PositionData:
    """A position as published; ``qty`` 0.0 announces a closed position (old side/avgPrice)."""

    route: ClassVar[str] = "positions"

    id: str
    symbol: str
    qty: float
    side: int
    avg_price: float


@dataclass(frozen=True, slots=True)
class Execution:
    """One fill. ``seq`` (1, 2, ...) identifies it so the ledger applies it at most once.
    ``commission`` is what the fill cost (commission.py), taken from the balance and the
    realized P&L; 0.0 when free (and in executions stored before commissions existed)."""

    route: ClassVar[str] = "executions"

    seq: int
    order_id: str
    symbol: str
    price: float
    qty: float
    side: int
    time: int
    commission: float = 0.0


@dataclass(frozen=True, slots=True)
class EquityData:
    route: ClassVar[str] = "equity"

    equity: float
    balance: float
    unrealized_pl: float
    realized_pl: float


Event = Union[PlacedOrder, PositionData, Execution, EquityData]

for _kind in (PlacedOrder, PositionData, Execution, EquityData):
    quick_init(_kind)
