"""Order and equity history, computed from the account's facts alone (no store, no clock).

Order history. A final order (filled, cancelled, rejected) never changes again, so its place in
the history is fixed the moment it becomes final: the key (``update_time`` then, the order's
number) orders the history newest first and is the page boundary a cursor carries. An order
that finishes later has a key above every earlier one's (time only moves on), so paging
down from a cursor neither repeats nor skips an order, whatever finishes between two pages.

Portfolio history. The engine's equity at an instant is the balance plus the open positions
marked at that instant (longs at the bid, shorts at the ask); the balance and the positions at
that instant follow from the executions up to it. ``equity_series`` replays the executions
through a fresh ledger, in order, and marks it at each grid time, so each point is exactly the
equity the engine reported at that time (the same ledger arithmetic, the same prices).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from app.broker.domain.accounting import Ledger, Mark
from app.broker.domain.events import DomainEvent
from app.broker.domain.orders import Order
from app.broker.domain.snapshots import Execution

Key = tuple[int, int]
MAX_POINTS = 10_000

MINUTE = 60_000
HOUR = 60 * MINUTE
DAY = 24 * HOUR
PERIODS: dict[str, int] = {"1D": DAY, "1W": 7 * DAY, "1M": 30 * DAY, "1A": 365 * DAY}
"""Alpaca's period names; a month is 30 days and a year 365 (``A`` for annum, as Alpaca)."""
TIMEFRAMES: dict[str, int] = {"1Min": MINUTE, "5Min": 5 * MINUTE, "15Min": 15 * MINUTE, "1H": HOUR, "1D": DAY}
MAX_INTRADAY_PERIOD = 30 * DAY
"""Alpaca's rule: a timeframe under a day covers at most 30 days (a year of hourly points would
need every day's full price path of every symbol held)."""


def history_key(order: Order) -> Key:
    """Where a final order sits in the history (valid once it is final: it never changes)."""
    return order.update_time, order.seq


def finalized(orders: dict[str, Order], events: Sequence[DomainEvent]) -> list[Order]:
    """The orders that ``events`` (one batch, already applied to ``orders``) name and that are
    final now, in the order the batch named them: every order the batch ended (a fill, a cancel,
    an expiry), whatever event ended it. An order already final before the batch may be named
    again (its row is the same: the store keeps the one it has); an id from before a reset in
    the batch names the order that has it now, or none."""
    found: dict[str, Order] = {}
    get = orders.get
    for event in events:
        order_id = getattr(event, "order_id", None)
        if order_id is not None:
            order = get(order_id)
            if order is not None and order.status.is_final:
                found[order_id] = order
    return list(found.values())


def page(orders: Iterable[Order], limit: int, before: Key | None) -> list[Order]:
    """Up to ``limit`` final orders below ``before``, newest first (the memory store's history:
    one pass over the orders, O(n log limit))."""
    final = (o for o in orders if o.status.is_final and (before is None or history_key(o) < before))
    return heapq.nlargest(limit, final, key=history_key)


def final_count(orders: Iterable[Order]) -> int:
    return sum(1 for o in orders if o.status.is_final)


# ---------------------------------------------------------------------- portfolio history


@dataclass(frozen=True, slots=True)
class Grid:
    """The grid times of a portfolio history: ``start`` + k × ``step`` up to ``end``, inclusive."""

    start: int
    end: int
    step: int

    @property
    def times(self) -> range:
        return range(self.start, self.end + 1, self.step)

    def __len__(self) -> int:
        return (self.end - self.start) // self.step + 1


def grid(period: str, timeframe: str, now: int) -> Grid:
    """The last grid time is ``now`` floored to the timeframe; the first is one period before it.
    KeyError for an unknown period or timeframe (the transport validates names first)."""
    step = TIMEFRAMES[timeframe]
    end = now - now % step
    return Grid(end - PERIODS[period], end, step)


def points(period: str, timeframe: str) -> int:
    return PERIODS[period] // TIMEFRAMES[timeframe] + 1


@dataclass(frozen=True, slots=True)
class EquitySeries:
    timestamps: list[int]
    equity: list[float]
    profit_loss: list[float]
    profit_loss_pct: list[float]
    base_value: float


MarkAt = Callable[[int], Mark]
"""Grid time → the mark (symbol, position side) → price at that instant."""


def opening_balance(balance: float, realized: float) -> float:
    """The balance the account started with: every change of the balance is realized P&L."""
    return balance - realized


def equity_series(opening: float, executions: Sequence[Execution], times: Iterable[int],
                  mark_at: MarkAt) -> EquitySeries:
    """Equity at each time: the executions up to it replayed in the engine's order (by number)
    through a ledger opened with ``opening``, marked with ``mark_at(time)``. ``base_value`` is the
    equity at the first time; profit and loss are measured from it (Alpaca's convention)."""
    ordered = sorted(executions, key=lambda x: x.seq)
    ledger = Ledger(opening)
    i, n = 0, len(ordered)
    stamps: list[int] = []
    equity: list[float] = []
    for t in times:
        while i < n and ordered[i].time <= t:
            ledger.apply(ordered[i])
            i += 1
        stamps.append(t)
        equity.append(ledger.equity(mark_at(t)).equity)
    base = equity[0] if equity else opening
    pl = [e - base for e in equity]
    pct = [p / base if base else 0.0 for p in pl]
    return EquitySeries(stamps, equity, pl, pct, base)


def held_spans(executions: Sequence[Execution]) -> dict[str, list[tuple[int, int | None]]]:
    """Per symbol, the [from, to) time spans in which a position was open (``to`` None: still
    open): the only (symbol, time) pairs a portfolio history needs a price for."""
    ordered = sorted(executions, key=lambda x: x.seq)
    spans: dict[str, list[tuple[int, int | None]]] = {}
    ledger = Ledger(0.0)
    for x in ordered:
        was_open = x.symbol in ledger.positions
        ledger.apply(x)
        now_open = x.symbol in ledger.positions
        runs = spans.setdefault(x.symbol, [])
        if not was_open and now_open:
            runs.append((x.time, None))
        elif was_open and not now_open:
            runs[-1] = (runs[-1][0], x.time)
    return {symbol: runs for symbol, runs in spans.items() if runs}
