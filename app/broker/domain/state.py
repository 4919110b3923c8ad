"""The account state and ``apply``: the only code that changes it, live or replayed from a store.

``apply(event)`` is mechanical: it never looks at the market, so a store rebuilds exactly the
live state by applying the same events to ``AccountState.fresh(genesis)``.

Undo: while ``recording`` (the engine's transactions), every change first journals how to undo
it: an image of each order, position, ledger or of the state's own fields the first time one is
touched within a savepoint, and the inverse of each container change. ``rollback(mark)``
replays the journal backwards to a savepoint, then rebuilds the books of the symbols touched
since (a book is an index derived from the orders, cheaper to rebuild on the rare failure than
to journal on every heap operation). No deep copy: a command costs the journal entries of what
it touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from app.broker.domain.accounting import Ledger, Position
from app.broker.domain.book import SymbolBook
from app.broker.domain.commission import filled_after
from app.broker.domain.enums import ParentType, Trigger
from app.broker.domain.events import (
    AccountReset,
    BracketActivated,
    BracketsLinked,
    ClientOrderIdBound,
    DomainEvent,
    EquityMarked,
    LeverageSet,
    OrderAccepted,
    OrderCancelled,
    OrderFilled,
    OrderModified,
    OrderMoved,
    OrderTriggered,
    Spot,
    Stepped,
)
from app.broker.domain.netting import money
from app.broker.domain.orders import Order
from app.broker.domain.quick import quick_make
from app.broker.domain.requests import OrderRequest, expiry_of
from app.broker.domain.snapshots import EquityData, Execution

Undo = tuple[Callable[..., Any], tuple[Any, ...]]


def _restore(obj: object, names: tuple[str, ...], values: tuple[object, ...]) -> None:
    for name, value in zip(names, values):
        setattr(obj, name, value)


def _restore_dict(target: dict[Any, Any], saved: dict[Any, Any]) -> None:
    target.clear()
    target.update(saved)


def _touched_book(symbol: str) -> None:
    """Journal marker: the rollback rebuilds this symbol's book once everything is restored."""


_OFF = Spot.OFF  # read per order: an enum class attribute costs ~65 ns (context.py)
_new_order = quick_make(Order)
_ORDER_FIELDS = tuple(n for n in Order.__slots__ if n != "__weakref__")
_POSITION_FIELDS = tuple(Position.__slots__)
_LEDGER_FIELDS = tuple(Ledger.__slots__)
_STATE_FIELDS = ("orders", "books", "ledger", "executions", "client_ids", "leverage",
                 "next_order_seq", "book_seq", "last_step", "last_equity", "last_equity_time",
                 "expiring")


class AccountState:
    """One account: orders (in creation order), their books, the ledger (positions, balance,
    realized P&L, execution counter), executions per symbol, the clientOrderId map, leverage
    per symbol, the order-id and book-placement counters, the matching/equity clocks, and the
    live orders that expire (DAY, GTD: id → expiry time; an index derived from the orders)."""

    __slots__ = (*_STATE_FIELDS, "_journal", "_imaged", "_touched", "_handlers")

    orders: dict[str, Order]
    books: dict[str, SymbolBook]
    ledger: Ledger
    executions: dict[str, list[Execution]]
    client_ids: dict[str, tuple[OrderRequest, str]]
    leverage: dict[str, float]
    next_order_seq: int
    book_seq: int
    last_step: int
    last_equity: EquityData
    last_equity_time: int
    expiring: dict[str, int]

    def __init__(self) -> None:
        self._journal: list[Undo] | None = None
        self._imaged: dict[int, object] = {}
        self._touched: set[str] = set()
        self._handlers: dict[type, Callable[[Any], None]] = {
            OrderAccepted: self._accepted, ClientOrderIdBound: self._bound,
            OrderModified: self._modified, OrderCancelled: self._cancelled,
            OrderTriggered: self._triggered, OrderMoved: self._moved, OrderFilled: self._filled,
            EquityMarked: self._marked, BracketActivated: self._activated,
            BracketsLinked: self._linked, LeverageSet: self._leverage, Stepped: self._stepped,
            AccountReset: self._reset,
        }

    @classmethod
    def fresh(cls, genesis: AccountReset) -> AccountState:
        state = cls()
        state._reset(genesis)
        return state

    def apply(self, event: DomainEvent) -> None:
        self._handlers[type(event)](event)

    # ----------------------------------------------------------------- undo journal

    @property
    def recording(self) -> bool:
        return self._journal is not None

    def start_recording(self) -> None:
        self._journal = []
        if self._imaged or self._touched:
            self._forget_images()

    def stop_recording(self) -> None:
        """Forget the journal: what it could undo is kept for good."""
        self._journal = None
        if self._imaged or self._touched:
            self._forget_images()

    def savepoint(self) -> int:
        """A mark to roll back to; objects are imaged afresh after it."""
        assert self._journal is not None
        self._forget_images()
        return len(self._journal)

    def _forget_images(self) -> None:
        if self._imaged:
            self._imaged = {}
        if self._touched:
            self._touched = set()

    def rollback(self, mark: int) -> None:
        journal = self._journal
        assert journal is not None
        symbols: set[str] = set()
        while len(journal) > mark:
            undo, args = journal.pop()
            if undo is _touched_book:
                symbols.add(args[0])
            else:
                undo(*args)
        self._forget_images()
        for symbol in symbols:
            if symbol in self.books:
                self.books[symbol] = SymbolBook.rebuild(
                    o for o in self.orders.values() if o.symbol == symbol)

    def _image(self, obj: object, names: tuple[str, ...]) -> None:
        if self._journal is not None and id(obj) not in self._imaged:
            self._imaged[id(obj)] = obj
            self._journal.append((_restore, (obj, names, tuple(getattr(obj, n) for n in names))))

    def _keep_dict(self, target: dict[Any, Any]) -> None:
        """For small dicts whose order matters when an entry is deleted and restored."""
        if self._journal is not None and id(target) not in self._imaged:
            self._imaged[id(target)] = target
            self._journal.append((_restore_dict, (target, dict(target))))

    def _journal_add(self, undo: Callable[..., Any], *args: Any) -> None:
        if self._journal is not None:
            self._journal.append((undo, args))

    def touch_book(self, symbol: str) -> None:
        """The decision code consumes book entries (queue, heap tops) outside ``apply``."""
        if self._journal is not None and symbol not in self._touched:
            self._touched.add(symbol)
            self._journal.append((_touched_book, (symbol,)))

    def _order(self, order_id: str) -> Order:
        order = self.orders[order_id]
        self._image(order, _ORDER_FIELDS)
        return order

    def _keep(self, name: str) -> None:
        """Journal one of the state's own fields before it changes."""
        if self._journal is not None:
            self._journal.append((setattr, (self, name, getattr(self, name))))

    def book(self, symbol: str) -> SymbolBook:
        book = self.books.get(symbol)
        if book is None:
            book = self.books[symbol] = SymbolBook()
            self._journal_add(self.books.pop, symbol)
        self.touch_book(symbol)
        return book

    # ----------------------------------------------------------------- book placement

    def _place(self, order: Order, spot: Spot, time: int) -> None:
        """``_keep("book_seq")`` and ``book(symbol)`` written inline: every resting order."""
        journal, symbol = self._journal, order.symbol
        book = self.books.get(symbol)
        if journal is not None:
            journal.append((setattr, (self, "book_seq", self.book_seq)))
            if book is not None and symbol not in self._touched:
                self._touched.add(symbol)
                journal.append((_touched_book, (symbol,)))
        if book is None:
            book = self.book(symbol)
        self.book_seq += 1
        order.book_seq = self.book_seq
        order.spot = spot
        order.since = time
        book.place(order)

    def _unplace(self, order: Order) -> None:
        order.spot = Spot.OFF
        if order.symbol in self.books:
            self.book(order.symbol).drop(order.id)

    # ----------------------------------------------------------------- handlers

    def _accepted(self, e: OrderAccepted) -> None:
        """The hot path of every placed order: the journal entries written inline."""
        journal = self._journal
        if journal is not None:
            journal.append((setattr, (self, "next_order_seq", self.next_order_seq)))
        self.next_order_seq = e.seq + 1
        order = _new_order(  # positional: Order's field order up to ``since``
            e.order_id, e.seq, e.symbol, e.type, e.side, e.terms, e.status, 0.0, None, e.time,
            e.parent_id, e.parent_type, e.client_order_id, e.time,
        )
        orders = self.orders
        orders[e.order_id] = order
        if journal is not None:
            journal.append((orders.pop, (e.order_id,)))
        if e.duration is not None:
            order.duration = e.duration
            expires = order.expires_at = expiry_of(e.duration, e.time)
            if expires is not None:
                self._set_item(self.expiring, e.order_id, expires)
        if e.spot is not _OFF:
            self._place(order, e.spot, e.time)

    def _bound(self, e: ClientOrderIdBound) -> None:
        self._set_item(self.client_ids, e.client_order_id, (e.request, e.order_id))

    def _modified(self, e: OrderModified) -> None:
        order = self._order(e.order_id)
        order.apply(Trigger.MODIFY, e.time)
        order.terms = e.terms
        order.crossed = e.crossed
        if e.spot is not None:
            self._place(order, e.spot, e.time)

    def _cancelled(self, e: OrderCancelled) -> None:
        order = self._order(e.order_id)
        order.apply(Trigger.CANCEL, e.time)
        self._unplace(order)
        self._unexpire(order.id)
        if order.parent_type is ParentType.POSITION:
            position = self.ledger.positions.get(order.parent_id or "")
            if position is not None and order.id in (position.tp_leg, position.sl_leg):
                self._image(position, _POSITION_FIELDS)
                if position.tp_leg == order.id:
                    position.tp_leg = None
                if position.sl_leg == order.id:
                    position.sl_leg = None

    def _triggered(self, e: OrderTriggered) -> None:
        order = self._order(e.order_id)
        order.triggered = True
        self.book(order.symbol).trailing.pop(order.id, None)
        if e.spot is not None:
            order.apply(Trigger.CONVERT, e.time)
            self._place(order, e.spot, e.time)

    def _moved(self, e: OrderMoved) -> None:
        order = self._order(e.order_id)
        order.crossed = e.crossed
        self._place(order, e.spot, e.time)

    def _filled(self, e: OrderFilled) -> None:
        order = self._order(e.order_id)
        filled, value = filled_after(order.filled_qty, order.filled_value, e.qty, e.price)
        complete = filled >= order.terms.qty
        order.apply(Trigger.FILL if complete else Trigger.PARTIAL_FILL, e.time)
        execution = Execution(e.seq, order.id, order.symbol, e.price, e.qty, int(order.side), e.time,
                              e.commission)
        executions = self.executions.get(order.symbol)
        if executions is None:
            executions = self.executions[order.symbol] = []
            self._journal_add(self.executions.pop, order.symbol)
        executions.append(execution)
        self._journal_add(executions.pop)
        previous = order.filled_qty
        order.avg_price = e.price if order.avg_price is None else money(
            (order.avg_price * previous + e.price * e.qty) / filled)
        order.filled_qty = order.terms.qty if complete else filled
        order.filled_value = value
        if complete:
            self._unplace(order)
            self._unexpire(order.id)
        ledger = self.ledger
        self._image(ledger, _LEDGER_FIELDS)
        position = ledger.positions.get(order.symbol)
        if position is not None:
            self._image(position, _POSITION_FIELDS)
        self._keep_dict(ledger.positions)
        ledger.apply(execution)

    def _marked(self, e: EquityMarked) -> None:
        self._keep("last_equity")
        self._keep("last_equity_time")
        ledger = self.ledger
        self.last_equity = EquityData(e.equity, ledger.balance, e.unrealized_pl, ledger.realized)
        self.last_equity_time = e.time

    def _activated(self, e: BracketActivated) -> None:
        order = self._order(e.order_id)
        order.apply(Trigger.ACTIVATE, e.time)
        order.parent_id, order.parent_type = e.position_id, ParentType.POSITION
        order.terms, order.side = replace(order.terms, qty=e.qty), e.side
        self._place(order, e.spot, e.time)

    def _linked(self, e: BracketsLinked) -> None:
        if e.owner_type is ParentType.POSITION:
            owner: Order | Position = self.ledger.positions[e.owner_id]
            self._image(owner, _POSITION_FIELDS)
        else:
            owner = self._order(e.owner_id)
        owner.tp_leg, owner.sl_leg = e.tp_leg, e.sl_leg
        if e.tp_leg is not None:
            self._order(e.tp_leg).sibling = e.sl_leg
        if e.sl_leg is not None:
            self._order(e.sl_leg).sibling = e.tp_leg

    def _leverage(self, e: LeverageSet) -> None:
        self._set_item(self.leverage, e.symbol, e.leverage)

    def _stepped(self, e: Stepped) -> None:
        self._keep("last_step")
        self.last_step = e.time

    def _reset(self, e: AccountReset) -> None:
        """New containers rather than cleared ones: the journal's image keeps the old ones."""
        self._image(self, _STATE_FIELDS)
        self.orders, self.books, self.ledger = {}, {}, Ledger(e.balance)
        self.executions, self.client_ids, self.leverage, self.expiring = {}, {}, {}, {}
        self.next_order_seq, self.book_seq = e.next_order_seq, 0
        self.last_step = self.last_equity_time = e.time
        self.last_equity = EquityData(e.balance, e.balance, 0.0, 0.0)

    def _unexpire(self, order_id: str) -> None:
        expiring = self.expiring
        if order_id in expiring:
            self._journal_add(expiring.__setitem__, order_id, expiring.pop(order_id))

    def _set_item(self, target: dict[str, Any], key: str, value: object) -> None:
        if key in target:
            self._journal_add(target.__setitem__, key, target[key])
        else:
            self._journal_add(target.pop, key)
        target[key] = value
