"""The paper-trading engine: ``handle(command)`` decides, emits domain events, and applying
them is the only way the account state changes (sans-I/O, clock injected).

Atomicity. Every ``handle`` runs inside a transaction and is a savepoint of it: a command that
raises (a refused request, or a failure half way through a step) is rolled back to exactly the
state before it and nothing of it is published. A refusal is re-raised as the ``BrokerError``
it is; any other exception becomes ``CommandFailed`` naming the orders the command worked on.

Transactions. ``handle`` outside a transaction runs in one of its own, committed at once. A
caller that must make the events durable first (the store) holds one open::

    with engine.transaction() as tx:      # at most one open at a time
        result = engine.handle(command)   # applied now: later commands see it
        ...                               # persist tx.events
        tx.abort()                        # or leave the block: commit
    # an exception inside the block aborts, then propagates

``begin()`` opens one without the block (``tx.commit()`` / ``tx.abort()`` end it). ``commit``
hands the transaction's wire snapshots to the sinks, in order; ``abort`` rolls back every
command of the transaction (the journal replayed backwards, see state.py) and publishes
nothing. Queries read the live state, which includes an open transaction's commands.

State. ``engine.state`` is the account (``AccountState``); ``engine.genesis`` its first event. A
store rebuilds it as ``AccountState.fresh(genesis)`` plus every later event through ``apply``,
or from ``checkpoint.import_state(snapshot)`` plus the events after the snapshot, and assigns
it to ``engine.state`` before serving.

Wire snapshots (PlacedOrder, Execution, EquityData, PositionData) are taken from the state at
the moment of each change, so that a payload shows that change even when a later event of
the same command changes the same order again; serializing them is the transport's job.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar, cast

from app.broker.domain import leverage as leverage_rules
from app.broker.domain import margin, matching, order_commands
from app.broker.domain import preview as preview_rules
from app.broker.domain.commands import (
    CancelOrder,
    ClosePosition,
    Command,
    EditPositionBrackets,
    ExecuteWorking,
    ModifyOrder,
    PlaceOrder,
    Reset,
    SetLeverage,
    Step,
)
from app.broker.domain.context import Context, equity_at
from app.broker.domain.enums import OrderStatus, Side
from app.broker.domain.errors import BrokerError
from app.broker.domain.events import AccountReset, DomainEvent
from app.broker.domain.leverage import LeverageInfo, LeveragePreview
from app.broker.domain.margin import AccountFigures
from app.broker.domain.preview import OrderPreviewResult
from app.broker.domain.prices import PriceSource
from app.broker.domain.quick import quick_init, quick_make
from app.broker.domain.requests import OrderRequest, ValidOrder, validate
from app.broker.domain.settings import EngineSettings
from app.broker.domain.snapshots import EquityData, Event, Execution, PlacedOrder, PositionData
from app.broker.domain.state import AccountState

T = TypeVar("T")
_context = quick_make(Context)
Sink = Callable[[Sequence[Event]], None]


@quick_init
@dataclass(frozen=True, slots=True)
class Handled(Generic[T]):
    """A command's answer, its domain events and the wire snapshots it will publish."""

    value: T
    events: tuple[DomainEvent, ...]
    published: tuple[Event, ...]


class CommandFailed(Exception):
    """A command broke for a reason other than a refusal; it changed nothing."""

    def __init__(self, command: object, symbols: Sequence[str], order_ids: Sequence[str]) -> None:
        self.command = command
        self.symbols = tuple(dict.fromkeys(symbols))
        self.order_ids = tuple(dict.fromkeys(order_ids))
        where = f" on {', '.join(self.symbols)}" if self.symbols else ""
        super().__init__(f"{type(command).__name__} failed{where} (orders: {', '.join(self.order_ids) or 'none'})")


@dataclass(slots=True, eq=False)
class Transaction:
    _engine: Engine
    events: list[DomainEvent] = field(default_factory=list)
    published: list[Event] = field(default_factory=list)
    done: bool = False

    def commit(self) -> None:
        self._engine._close(self, commit=True)

    def abort(self) -> None:
        self._engine._close(self, commit=False)


def _new_uuid() -> str:
    return str(uuid.uuid4())


class Engine:
    def __init__(self, prices: PriceSource, settings: EngineSettings | None = None,
                 confirm_id: Callable[[], str] = _new_uuid) -> None:
        self._prices = prices
        self._settings = settings if settings is not None else EngineSettings()
        self._confirm_id = confirm_id
        self._sinks: tuple[Sink, ...] = ()
        self._abort_listeners: list[Callable[[], None]] = []
        self._tx: Transaction | None = None
        self.genesis = AccountReset(prices.now(), self._settings.initial_balance,
                                    self._settings.first_order_seq)
        """The account's first event: ``AccountState.fresh(genesis)`` + the events since
        rebuild the state."""
        self.state = AccountState.fresh(self.genesis)

    def restore(self, state: AccountState) -> None:
        """Serve ``state`` from now on (an account loaded from a store); no transaction may be open."""
        if self._tx is not None:
            raise RuntimeError("cannot restore while a transaction is open")
        self.state = state
        self._orders_json = None

    def add_sink(self, sink: Sink) -> None:
        """Sinks get each committed transaction's wire snapshots, synchronously."""
        self._sinks = (*self._sinks, sink)

    def add_abort_listener(self, listener: Callable[[], None]) -> None:
        """Called after a transaction was aborted: what was read from the state meanwhile (a
        cache built while it was open) may show commands that are gone now."""
        self._abort_listeners.append(listener)

    # ----------------------------------------------------------------- transactions

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        tx = self.begin()
        try:
            yield tx
        except BaseException:
            if not tx.done:
                tx.abort()
            raise
        if not tx.done:
            tx.commit()

    def begin(self) -> Transaction:
        if self._tx is not None:
            raise RuntimeError("a transaction is already open")
        self._tx = Transaction(self)
        self.state.start_recording()
        return self._tx

    def _close(self, tx: Transaction, *, commit: bool) -> None:
        if tx is not self._tx or tx.done:
            raise RuntimeError("this transaction is not the open one")
        tx.done = True
        if not commit:
            self.state.rollback(0)
        self.state.stop_recording()
        self._tx = None
        if not commit:
            for listener in tuple(self._abort_listeners):
                listener()
        if commit and tx.published:
            published = tuple(tx.published)
            for sink in self._sinks:
                sink(published)

    def handle(self, command: Command[T]) -> Handled[T]:
        tx = self._tx
        if tx is None:
            value, ctx, published = self._alone(command)
            return Handled(value, tuple(ctx.events), published)
        state = self.state
        ctx = _context(state, self._prices, self._prices.catalogue, self._settings)
        mark = state.savepoint()
        try:
            value = self._dispatch(ctx, command)
        except BaseException as exc:
            state.rollback(mark)
            if isinstance(exc, BrokerError) or not isinstance(exc, Exception):
                raise
            raise CommandFailed(command, ctx.symbols, ctx.involved) from exc
        tx.events.extend(ctx.events)
        tx.published.extend(ctx.published)
        return Handled(cast(T, value), tuple(ctx.events), tuple(ctx.published))

    def run(self, command: Command[T]) -> T:
        """``handle(command).value`` (no ``Handled`` built): the value a caller without a
        transaction of its own wants."""
        if self._tx is not None:
            return self.handle(command).value
        return self._alone(command)[0]

    def _alone(self, command: Command[T]) -> tuple[T, Context, tuple[Event, ...]]:
        """A command in a transaction of its own: what ``begin``, ``handle`` and ``commit`` do,
        without the transaction object (the hot path of every order placed on ``memory:``)."""
        state = self.state
        ctx = _context(state, self._prices, self._prices.catalogue, self._settings)
        state.start_recording()
        try:
            value: T = self._dispatch(ctx, command)
        except BaseException as exc:
            state.rollback(0)
            state.stop_recording()
            for listener in tuple(self._abort_listeners):
                listener()
            if isinstance(exc, BrokerError) or not isinstance(exc, Exception):
                raise
            raise CommandFailed(command, ctx.symbols, ctx.involved) from exc
        state.stop_recording()
        published = tuple(ctx.published)
        if published:
            for sink in self._sinks:
                sink(published)
        return value, ctx, published

    def _dispatch(self, ctx: Context, command: object) -> Any:
        if isinstance(command, PlaceOrder):
            return order_commands.place(ctx, command)
        if isinstance(command, Step):
            return matching.step(ctx, command.time)
        if isinstance(command, ModifyOrder):
            return order_commands.modify(ctx, command)
        if isinstance(command, CancelOrder):
            return order_commands.cancel(ctx, command)
        if isinstance(command, ClosePosition):
            return order_commands.close_position(ctx, command)
        if isinstance(command, EditPositionBrackets):
            return order_commands.edit_position_brackets(ctx, command)
        if isinstance(command, SetLeverage):
            return order_commands.set_leverage(ctx, command)
        if isinstance(command, ExecuteWorking):
            return matching.execute_working(ctx)
        if isinstance(command, Reset):
            return order_commands.reset(ctx, self._settings.first_order_seq)
        raise TypeError(f"not a command: {command!r}")

    # ----------------------------------------------------------------- queries

    def orders(self) -> list[PlacedOrder]:
        """Every order ever created, in creation order."""
        return [o.snapshot() for o in self.state.orders.values()]

    def order(self, order_id: str) -> PlacedOrder | None:
        order = self.state.orders.get(order_id)
        return None if order is None else order.snapshot()

    def working_orders(self) -> list[PlacedOrder]:
        return [o.snapshot() for o in self.state.orders.values() if o.status is OrderStatus.WORKING]

    def positions(self) -> list[PositionData]:
        return [p.snapshot() for p in self.state.ledger.positions.values()]

    def executions(self, symbol: str) -> list[Execution]:
        return list(self.state.executions.get(symbol, ()))

    def equity(self) -> EquityData:
        """Marked to market now."""
        return equity_at(self.state.ledger, self._prices, self._prices.now())

    def leverage_info(self, symbol: str) -> LeverageInfo:
        return leverage_rules.info(symbol, self.state.leverage.get(symbol))

    def preview_leverage(self, leverage: float) -> LeveragePreview:
        return leverage_rules.preview(leverage)

    def preview(self, request: OrderRequest) -> OrderPreviewResult:
        valid = validate(request, self._prices.catalogue, self._settings.qty_cap, self._prices.now())
        given = request.terms.limit_price
        raw_limit = None if given is None else valid.spec.round_price(given)
        shown = ValidOrder(valid.spec, valid.type, valid.side, replace(valid.terms, limit_price=raw_limit))
        quote = self._prices.quote(valid.symbol, self._prices.now())
        market = quote.ask if valid.side is Side.BUY else quote.bid
        leverage = (margin.leverage_of(self.state.leverage, valid.symbol) if self._settings.margin_check
                    else None)
        return preview_rules.build(shown, market, self._confirm_id(), self._settings.commission, leverage)

    @property
    def margin_check(self) -> bool:
        return self._settings.margin_check

    def account_figures(self) -> AccountFigures:
        """Balance, equity, P&L, margin used and buying power, marked now (margin.py)."""
        s = self.state
        return margin.figures(s.ledger, s.orders, s.leverage, margin.quotes_of(self._prices, self._prices.now()))
