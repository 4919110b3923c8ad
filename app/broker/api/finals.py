"""The orders a batch made final, as order-history rows for the store (written in the batch's
own commit), and the history of a store written before there was one, filled in at start."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import orjson

from app.broker.api.wire import placed_order
from app.broker.domain.events import DomainEvent
from app.broker.domain.history import finalized, history_key
from app.broker.domain.orders import Order
from app.store.interface import HistoryRow


def row(order: Order) -> HistoryRow:
    """The order's ``GET /orders`` JSON, keyed by when it became final and its number."""
    final_time, seq = history_key(order)
    return HistoryRow(final_time, seq, order.id, orjson.dumps(placed_order(order.snapshot())))


def batch_rows(orders: dict[str, Order], events: Sequence[DomainEvent]) -> list[HistoryRow]:
    return [row(order) for order in finalized(orders, events)]


def all_rows(orders: Iterable[Order]) -> list[HistoryRow]:
    return [row(order) for order in orders if order.status.is_final]
