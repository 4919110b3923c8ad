"""The order: mutable account state (changed only by ``AccountState.apply``), its status table
and its revision number."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count
from types import MappingProxyType

from app.broker.domain.enums import OrderStatus, OrderType, ParentType, Side, Trigger
from app.broker.domain.errors import IllegalTransition
from app.broker.domain.events import Spot
from app.broker.domain.quick import quick_make
from app.broker.domain.snapshots import PlacedOrder
from app.broker.domain.terms import FLAT, Duration, OrderTerms

_S = OrderStatus
_T = Trigger

TRANSITIONS = MappingProxyType({
    (_S.INACTIVE, _T.ACTIVATE): _S.WORKING,
    (_S.INACTIVE, _T.MODIFY): _S.INACTIVE,
    (_S.INACTIVE, _T.CANCEL): _S.CANCELED,
    (_S.WORKING, _T.MODIFY): _S.WORKING,
    (_S.WORKING, _T.CONVERT): _S.WORKING,
    (_S.WORKING, _T.PARTIAL_FILL): _S.WORKING,
    (_S.WORKING, _T.FILL): _S.FILLED,
    (_S.WORKING, _T.CANCEL): _S.CANCELED,
})
"""(status, trigger) → next status. A missing pair is illegal; final statuses have no entries.
Orders are created WORKING or INACTIVE (DESIGN #14), so PLACING and REJECTED have no rows."""


_placed = quick_make(PlacedOrder)
_INT = {int(m): int(m) for kind in (OrderType, Side, OrderStatus, ParentType) for m in kind}
"""An enum member's plain int, by subscript: a third of what ``int(member)`` costs (a snapshot
per order event takes three or four)."""

_revision = count(1).__next__
"""Revision numbers, unique across the process's orders and never reused: an order restored by
a rollback gets back the number that named its restored fields, and a new or reloaded order
(the same id, after a reset or a reload) a number no cache has seen."""


def next_status(status: OrderStatus, trigger: Trigger) -> OrderStatus | None:
    return TRANSITIONS.get((status, trigger))


@dataclass(slots=True)
class Order:
    """``terms`` are its quantity and prices (replaced whole by a modify). ``spot`` and
    ``book_seq`` say where a WORKING order waits in its symbol's book and since which placement
    (the account's placement counter): a book entry with another number is stale (lazy
    deletion), and the book can be rebuilt from the orders alone. ``since`` is when its current
    resting period began: a crossing only counts on the path after it. ``crossed`` remembers
    that a resting limit was reached, so a remainder left by the liquidity cap keeps filling at
    the limit. ``filled_value`` is Σ price · qty of its fills (the base of its commission,
    commission.py). ``duration`` is the client's time in force (None: GTC) and ``expires_at``
    when a DAY or GTD order is cancelled (derived from it at acceptance).
    Every field but ``rev`` is the order's state: an account snapshot (checkpoint.py) holds
    copies of the orders themselves, equal when their fields are (so mutable orders are not
    hashable). ``rev`` changes with every change a snapshot shows, so a reader can keep what it
    derived from one (``app.broker.api.wire.OrdersBody``: the encoded order) until it moves.
    The snapshot itself is built on demand, not kept: a resting order then costs the garbage
    collector two tracked objects (itself and its terms) instead of three, and its full
    collections are the p99 stalls of a busy server (docs/PERFORMANCE.md).
    """

    id: str
    seq: int
    symbol: str
    type: OrderType
    side: Side
    terms: OrderTerms = field(metadata=FLAT)
    status: OrderStatus
    filled_qty: float = 0.0
    avg_price: float | None = None
    update_time: int = 0
    parent_id: str | None = None
    parent_type: ParentType | None = None
    client_order_id: str | None = None
    since: int = 0
    spot: Spot = Spot.OFF
    book_seq: int = 0
    triggered: bool = False
    crossed: bool = False
    tp_leg: str | None = None
    sl_leg: str | None = None
    sibling: str | None = None
    filled_value: float = 0.0
    duration: Duration | None = None
    expires_at: int | None = None
    rev: int = field(default_factory=_revision, init=False, repr=False, compare=False)

    @property
    def remaining(self) -> float:
        return round(self.terms.qty - self.filled_qty, 8)

    @property
    def is_leg(self) -> bool:
        return self.parent_type is not None

    def apply(self, trigger: Trigger, now: int) -> None:
        """Move along the status table or raise, changing nothing."""
        target = next_status(self.status, trigger)
        if target is None:
            raise IllegalTransition(self.id, int(self.status), trigger.value)
        self.status = target
        self.update_time = now
        self.rev = _revision()

    def snapshot(self) -> PlacedOrder:
        return _placed(  # positional: PlacedOrder's field order
            self.id, self.symbol, _INT[self.type], _INT[self.side], self.terms, _INT[self.status],
            self.filled_qty, self.avg_price, self.update_time, self.parent_id,
            None if self.parent_type is None else _INT[self.parent_type],
            self.client_order_id, self.duration,
        )
