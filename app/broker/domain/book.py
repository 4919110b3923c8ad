"""Working orders of one symbol, indexed by price so a step touches only what can trigger.

Heaps use lazy deletion: an entry carries the order's ``version`` at push time and is ignored
when the order has moved on (filled, cancelled, modified). ``live`` holds the ids of orders
the book is responsible for; a symbol with an empty ``live`` set is skipped by ``step``.
``trailing`` is an ordered set (dict) of trailing stop legs, so steps stay deterministic.
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass, field

from app.broker.domain.enums import OrderType, Side
from app.broker.domain.orders import Order

Entry = tuple[float, int, str, int]
"""(sort key, push sequence, order id, order version)."""

_COMPACT_MIN = 1024


@dataclass(slots=True)
class SymbolBook:
    buy_limits: list[Entry] = field(default_factory=list)
    sell_limits: list[Entry] = field(default_factory=list)
    buy_stops: list[Entry] = field(default_factory=list)
    sell_stops: list[Entry] = field(default_factory=list)
    pending: deque[tuple[str, int]] = field(default_factory=deque)
    live: set[str] = field(default_factory=set)
    trailing: dict[str, None] = field(default_factory=dict)
    pushes: int = 0

    def rest(self, order: Order) -> None:
        """Index a resting order: limits by limit price, untriggered stops by stop price."""
        self.pushes += 1
        self.live.add(order.id)
        waiting_stop = order.type in (OrderType.STOP, OrderType.STOP_LIMIT) and not order.triggered
        if waiting_stop:
            assert order.stop_price is not None
            price = order.stop_price
            heap, key = ((self.buy_stops, price) if order.side is Side.BUY
                         else (self.sell_stops, -price))
        else:
            assert order.limit_price is not None
            price = order.limit_price
            heap, key = ((self.buy_limits, -price) if order.side is Side.BUY
                         else (self.sell_limits, price))
        heapq.heappush(heap, (key, self.pushes, order.id, order.version))
        self._maybe_compact(heap)

    def queue(self, order: Order) -> None:
        """Fill on the next step against the quote of that moment."""
        self.live.add(order.id)
        self.pending.append((order.id, order.version))

    def drop(self, order_id: str) -> None:
        self.live.discard(order_id)
        self.trailing.pop(order_id, None)

    @property
    def idle(self) -> bool:
        return not self.live

    def _maybe_compact(self, heap: list[Entry]) -> None:
        if len(heap) > _COMPACT_MIN and len(heap) > 4 * len(self.live):
            live = self.live
            heap[:] = [e for e in heap if e[2] in live]
            heapq.heapify(heap)
