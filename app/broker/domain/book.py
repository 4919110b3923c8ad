"""Working orders of one symbol, indexed by price so a step touches only what can trigger.

The book is an index derived from the orders (their ``spot`` and ``book_seq``), never a source
of truth: ``rebuild`` makes it again from the orders alone, which is how a snapshot is loaded
and how a failed command's book work is undone. Heaps and the queue use lazy deletion: an entry
carries the order's ``book_seq`` at push time and is ignored once the order has moved on
(filled, cancelled, modified). ``live`` holds the ids of the orders in the book; a symbol with
an empty ``live`` set is skipped by a step. ``trailing`` is an ordered set (dict) of trailing
stop legs, in placement order, so steps stay deterministic.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.broker.domain.enums import OrderType, ParentType, Side
from app.broker.domain.events import Spot
from app.broker.domain.orders import Order

Entry = tuple[float, int, str]
"""(sort key, placement number, order id)."""

_COMPACT_MIN = 1024
STOP_LIKE = (OrderType.STOP, OrderType.STOP_LIMIT)
_BUY, _QUEUED = Side.BUY, Spot.QUEUED  # read per order: an enum class attribute costs ~65 ns (context.py)


def waiting_stop(order: Order) -> bool:
    return order.type in STOP_LIKE and not order.triggered


def trails(order: Order) -> bool:
    """A resting stop leg of a position with a trailing distance follows the market."""
    return (waiting_stop(order) and order.terms.trailing_stop_pips is not None
            and order.parent_type is ParentType.POSITION)


@dataclass(slots=True)
class SymbolBook:
    buy_limits: list[Entry] = field(default_factory=list)
    sell_limits: list[Entry] = field(default_factory=list)
    buy_stops: list[Entry] = field(default_factory=list)
    sell_stops: list[Entry] = field(default_factory=list)
    pending: deque[tuple[str, int]] = field(default_factory=deque)
    live: set[str] = field(default_factory=set)
    trailing: dict[str, None] = field(default_factory=dict)

    @classmethod
    def rebuild(cls, orders: Iterable[Order]) -> SymbolBook:
        book = cls()
        placed = sorted((o for o in orders if o.spot is not Spot.OFF), key=lambda o: o.book_seq)
        for order in placed:
            book.place(order)
        return book

    def place(self, order: Order) -> None:
        """Index the order where its ``spot`` says (after its ``book_seq`` was assigned)."""
        if self.trailing:
            self.trailing.pop(order.id, None)
        if order.spot is _QUEUED:
            self.live.add(order.id)
            self.pending.append((order.id, order.book_seq))
            return
        if self.rest(order) and trails(order):
            self.trailing[order.id] = None

    def rest(self, order: Order) -> bool:
        """Limits by limit price, untriggered stops by stop price; True for a stop."""
        self.live.add(order.id)
        stop = order.type in STOP_LIKE and not order.triggered
        if stop:
            assert order.terms.stop_price is not None
            price = order.terms.stop_price
            heap, key = ((self.buy_stops, price) if order.side is _BUY
                         else (self.sell_stops, -price))
        else:
            assert order.terms.limit_price is not None
            price = order.terms.limit_price
            heap, key = ((self.buy_limits, -price) if order.side is _BUY
                         else (self.sell_limits, price))
        heapq.heappush(heap, (key, order.book_seq, order.id))
        if len(heap) > _COMPACT_MIN and len(heap) > 4 * len(self.live):
            self._compact(heap)
        return stop

    def drop(self, order_id: str) -> None:
        self.live.discard(order_id)
        self.trailing.pop(order_id, None)

    @property
    def idle(self) -> bool:
        return not self.live

    def _compact(self, heap: list[Entry]) -> None:
        """Drop the stale entries of a heap that is mostly stale."""
        live = self.live
        heap[:] = [e for e in heap if e[2] in live]
        heapq.heapify(heap)
