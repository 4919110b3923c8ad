"""The account state as plain data (a snapshot a store can write as state tables), back again,
and a comparison that names what differs.

``AccountState.fresh(genesis)`` + every event since, ``import_state(export_state(live))`` and
the live state itself must agree: ``differences`` is how tests (and a store's self-check after
loading) say so. The snapshot's orders are copies of the orders themselves (every field but the
revision), so a field added to ``Order`` is saved with no edit here; an order's
``filled_value``, ``duration`` and ``expires_at`` have defaults, so snapshots written before
them read back. Books are not saved: they are an index rebuilt from the orders.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from operator import attrgetter

from app.broker.domain.accounting import Ledger, Position
from app.broker.domain.book import SymbolBook
from app.broker.domain.events import AccountReset, Spot
from app.broker.domain.netting import Holding, money
from app.broker.domain.orders import Order
from app.broker.domain.requests import OrderRequest
from app.broker.domain.terms import TERM_FIELDS
from app.broker.domain.snapshots import EquityData, Execution
from app.broker.domain.state import AccountState


ORDER_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Order) if f.init)
"""Every field of an order but its revision (a copy gets a number of its own)."""

_columns = attrgetter(*ORDER_COLUMNS)


def copy_order(order: Order) -> Order:
    """A copy of every field of ``order`` but its revision."""
    return Order(*_columns(order))


@dataclass(frozen=True, slots=True)
class PositionRecord:
    symbol: str
    side: int
    qty: float
    avg_price: float
    tp_leg: str | None
    sl_leg: str | None


@dataclass(frozen=True, slots=True)
class ClientOrderIdRecord:
    client_order_id: str
    order_id: str
    request: OrderRequest


@dataclass(frozen=True, slots=True)
class AccountSnapshot:
    """``orders`` in creation order, ``positions`` in opening order, ``executions`` by number;
    ``book_symbols`` is the order in which a step visits the symbols."""

    orders: tuple[Order, ...]
    positions: tuple[PositionRecord, ...]
    balance: float
    realized: float
    last_execution_seq: int
    executions: tuple[Execution, ...]
    leverage: tuple[tuple[str, float], ...]
    client_ids: tuple[ClientOrderIdRecord, ...]
    next_order_seq: int
    book_seq: int
    book_symbols: tuple[str, ...]
    last_step: int
    last_equity: EquityData
    last_equity_time: int


def export_state(state: AccountState) -> AccountSnapshot:
    ledger = state.ledger
    return AccountSnapshot(
        orders=tuple(map(copy_order, state.orders.values())),
        positions=tuple(
            PositionRecord(p.symbol, p.holding.side, p.holding.qty, p.holding.avg_price, p.tp_leg, p.sl_leg)
            for p in ledger.positions.values()),
        balance=ledger.balance,
        realized=ledger.realized,
        last_execution_seq=ledger.last_seq,
        executions=tuple(sorted((x for xs in state.executions.values() for x in xs), key=lambda x: x.seq)),
        leverage=tuple(sorted(state.leverage.items())),
        client_ids=tuple(ClientOrderIdRecord(k, order_id, request)
                         for k, (request, order_id) in sorted(state.client_ids.items())),
        next_order_seq=state.next_order_seq,
        book_seq=state.book_seq,
        book_symbols=tuple(state.books),
        last_step=state.last_step,
        last_equity=state.last_equity,
        last_equity_time=state.last_equity_time,
    )


def import_state(snapshot: AccountSnapshot) -> AccountState:
    s = snapshot
    state = AccountState.fresh(AccountReset(s.last_step, s.balance, s.next_order_seq))
    for record in s.orders:
        order = state.orders[record.id] = copy_order(record)
        if record.filled_value == 0.0 and record.filled_qty > 0.0:
            order.filled_value = money((record.avg_price or 0.0) * record.filled_qty)
    ledger = Ledger(s.balance)
    ledger.realized, ledger.last_seq = s.realized, s.last_execution_seq
    for p in s.positions:
        ledger.positions[p.symbol] = Position(p.symbol, Holding(p.side, p.qty, p.avg_price), p.tp_leg, p.sl_leg)
    state.ledger = ledger
    for x in s.executions:
        state.executions.setdefault(x.symbol, []).append(x)
    state.leverage.update(s.leverage)
    state.client_ids.update((r.client_order_id, (r.request, r.order_id)) for r in s.client_ids)
    state.book_seq = s.book_seq
    state.expiring.update((o.id, o.expires_at) for o in state.orders.values()
                          if o.expires_at is not None and not o.status.is_final)
    for symbol in s.book_symbols:
        state.books[symbol] = SymbolBook.rebuild(o for o in state.orders.values() if o.symbol == symbol)
    state.last_equity, state.last_equity_time = s.last_equity, s.last_equity_time
    return state


def book_view(book: SymbolBook, state: AccountState) -> tuple[object, ...]:
    """What a book holds for matching, without its stale entries: queued ids in order, each
    heap's entries in pop order, trailing ids in order, and the ids it is responsible for."""
    orders = state.orders

    def valid(order_id: str, seq: int, spot: Spot) -> bool:
        order = orders.get(order_id)
        return order is not None and order.spot is spot and order.book_seq == seq

    heaps = tuple(tuple(sorted(e for e in heap if valid(e[2], e[1], Spot.RESTING)))
                  for heap in (book.buy_limits, book.sell_limits, book.buy_stops, book.sell_stops))
    queued = tuple(i for i, seq in book.pending if valid(i, seq, Spot.QUEUED))
    return queued, heaps, tuple(book.trailing), frozenset(book.live)


def differences(a: AccountState, b: AccountState) -> list[str]:
    """Human-readable differences (empty when equal), including each state's books against
    the books its orders imply."""
    found: list[str] = []
    sa, sb = export_state(a), export_state(b)
    for f in fields(AccountSnapshot):
        va, vb = getattr(sa, f.name), getattr(sb, f.name)
        if f.name == "orders":
            found.extend(_order_differences(va, vb))
        elif va != vb:
            found.append(f"{f.name}: {va!r} != {vb!r}")
    if a.expiring != b.expiring:
        found.append(f"expiring: {a.expiring!r} != {b.expiring!r}")
    for name, state in (("first", a), ("second", b)):
        for symbol, book in state.books.items():
            rebuilt = SymbolBook.rebuild(o for o in state.orders.values() if o.symbol == symbol)
            if book_view(book, state) != book_view(rebuilt, state):
                found.append(f"{name} state's {symbol} book disagrees with its orders")
    return found


def _order_differences(a: tuple[Order, ...], b: tuple[Order, ...]) -> list[str]:
    if len(a) != len(b):
        return [f"orders: {len(a)} != {len(b)}"]
    found = []
    for ra, rb in zip(a, b):
        for column, va, vb in _order_values(ra, rb):
            if va != vb:
                found.append(f"order {ra.id} {column}: {va!r} != {vb!r}")
    return found


def _order_values(a: Order, b: Order) -> list[tuple[str, object, object]]:
    """Each column of two orders, the terms one by one."""
    values: list[tuple[str, object, object]] = []
    for column in ORDER_COLUMNS:
        if column == "terms":
            values += [(name, getattr(a.terms, name), getattr(b.terms, name)) for name in TERM_FIELDS]
        else:
            values.append((column, getattr(a, column), getattr(b, column)))
    return values
