"""Domain events: the facts a command produced, and the only input of ``AccountState.apply``.

Each event is a small frozen dataclass of plain values (str, int, float, bool, None, the domain
enums, tuples and nested frozen dataclasses of the same), so a store can encode any of them
generically: the class name is the kind, ``dataclasses.fields`` the data. An event records the
outcome of a decision, never an input to redo it: where an order goes in the book (``spot``)
depends on the quote at that moment, so the event carries it and replaying needs no market.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Union

from app.broker.domain.enums import OrderStatus, OrderType, ParentType, Side
from app.broker.domain.quick import quick_init
from app.broker.domain.requests import OrderRequest
from app.broker.domain.terms import Duration, OrderTerms


class Spot(enum.IntEnum):
    """Where a WORKING order waits: queued for the next step's quote, or resting in the
    price-indexed book until the path crosses it. Other orders are OFF the book."""

    OFF = 0
    QUEUED = 1
    RESTING = 2


@dataclass(frozen=True, slots=True)
class OrderAccepted:
    """A new order (``seq`` is its number: the id counter moves past it). A WORKING order
    arrives at ``spot``; an INACTIVE bracket leg waits OFF the book for its parent. ``duration``
    last, with a default: events stored before it existed read as GTC orders."""

    order_id: str
    seq: int
    symbol: str
    type: OrderType
    side: Side
    status: OrderStatus
    terms: OrderTerms
    parent_id: str | None
    parent_type: ParentType | None
    client_order_id: str | None
    time: int
    spot: Spot
    duration: Duration | None = None


@dataclass(frozen=True, slots=True)
class ClientOrderIdBound:
    """The request is kept so a retry with the same body is recognised (and another is a 409)."""

    client_order_id: str
    order_id: str
    request: OrderRequest


@dataclass(frozen=True, slots=True)
class OrderModified:
    """New prices and quantity (from a modify, a bracket edit, a resize or a trailing move).
    ``spot`` None keeps the order's place in the book; a spot re-places it from ``time`` on."""

    order_id: str
    time: int
    terms: OrderTerms
    crossed: bool
    spot: Spot | None


@dataclass(frozen=True, slots=True)
class OrderCancelled:
    order_id: str
    time: int


@dataclass(frozen=True, slots=True)
class OrderTriggered:
    """A stop was reached. A STOP fills at once (no status change, ``spot`` None); a
    STOP_LIMIT converts to a limit and arrives at ``spot``."""

    order_id: str
    time: int
    spot: Spot | None


@dataclass(frozen=True, slots=True)
class OrderMoved:
    """A WORKING order changes place without changing: a queued limit no longer marketable
    rests, or what the liquidity cap left is queued again (``crossed``: at its limit)."""

    order_id: str
    time: int
    spot: Spot
    crossed: bool


@dataclass(frozen=True, slots=True)
class OrderFilled:
    """One execution (number ``seq``) of ``qty`` at ``price`` costing ``commission``: the
    order, the ledger and the execution list follow from it. (Events stored before commissions
    existed read back with 0.0.)"""

    order_id: str
    seq: int
    price: float
    qty: float
    time: int
    commission: float = 0.0


@dataclass(frozen=True, slots=True)
class EquityMarked:
    """The account marked to market at ``time`` (balance and realized P&L are the ledger's)."""

    time: int
    equity: float
    unrealized_pl: float


@dataclass(frozen=True, slots=True)
class BracketActivated:
    """A filled parent's INACTIVE leg becomes a WORKING bracket of the position."""

    order_id: str
    time: int
    position_id: str
    qty: float
    side: Side
    spot: Spot


@dataclass(frozen=True, slots=True)
class BracketsLinked:
    """The take-profit and stop-loss legs (one-cancels-other siblings) of an order or position."""

    owner_id: str
    owner_type: ParentType
    tp_leg: str | None
    sl_leg: str | None


@dataclass(frozen=True, slots=True)
class LeverageSet:
    symbol: str
    leverage: float


@dataclass(frozen=True, slots=True)
class Stepped:
    """Matching has seen the market up to ``time``."""

    time: int


@dataclass(frozen=True, slots=True)
class AccountReset:
    """A fresh account: ``balance``, no orders or positions, ids from ``next_order_seq``. The
    first event of every account (the engine's ``genesis``)."""

    time: int
    balance: float
    next_order_seq: int


DomainEvent = Union[
    OrderAccepted, ClientOrderIdBound, OrderModified, OrderCancelled, OrderTriggered, OrderMoved,
    OrderFilled, EquityMarked, BracketActivated, BracketsLinked, LeverageSet, Stepped, AccountReset,
]
EVENT_TYPES: tuple[type[DomainEvent], ...] = (
    OrderAccepted, ClientOrderIdBound, OrderModified, OrderCancelled, OrderTriggered, OrderMoved,
    OrderFilled, EquityMarked, BracketActivated, BracketsLinked, LeverageSet, Stepped, AccountReset,
)
"""Every kind, for a store's generic codec (kind = class name)."""

for _kind in EVENT_TYPES:
    quick_init(_kind)
