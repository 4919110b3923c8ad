"""The paper-trading engine: commands in, snapshot events out (sans-I/O, clock injected).

Every command returns an ``Outcome`` whose ``events`` describe all it changed, in order, and
hands the same tuple to every registered sink before returning. A command that raises has
changed nothing. Fills happen in ``step`` (against the market, at the step's time) or in
``execute_working`` (the debug force-fill).

Matching rules (DESIGN §8): buy orders look at the ask, sell orders at the bid. MARKET orders,
LIMITs marketable on arrival and STOPs already crossed on arrival fill on the next step at the
quote of that step (a LIMIT only while still marketable, else it rests). A resting LIMIT fills
at its limit when the path since the previous step (or since it started resting, if later)
reached it; a resting STOP triggers on the same rule and fills at the step's quote; a
STOP_LIMIT triggers, publishes an order event and then behaves as an arriving LIMIT. Per step
and symbol the order of work is: queued orders (FIFO), buy limits (best price first), sell
limits, buy stops, sell stops, then trailing stops. A trailing stop leg moves to
``bid − pips·tick`` (long position) or ``ask + pips·tick`` (short) after each step when that
is tighter; one pip is one tick of the symbol.
"""

from __future__ import annotations

import heapq
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from app.broker.domain import leverage as leverage_rules
from app.broker.domain import preview as preview_rules
from app.broker.domain.accounting import Ledger, Position
from app.broker.domain.book import Entry, SymbolBook
from app.broker.domain.enums import OrderStatus, OrderType, ParentType, Side, StopType, Trigger
from app.broker.domain.errors import BadRequest, Conflict, IllegalTransition, InvalidOrder, NotFound
from app.broker.domain.leverage import LeverageInfo, LeveragePreview
from app.broker.domain.netting import money
from app.broker.domain.orders import Order, next_status
from app.broker.domain.preview import OrderPreviewResult
from app.broker.domain.prices import CatalogueLike, ExtremesLike, PriceSource, QuoteLike, SymbolSpecLike
from app.broker.domain.requests import (
    OrderRequest,
    ValidOrder,
    check_finite,
    check_on_tick,
    validate,
)
from app.broker.domain.settings import EngineSettings
from app.broker.domain.snapshots import EquityData, Event, Execution, PlacedOrder, PositionData

T = TypeVar("T")
Sink = Callable[[Sequence[Event]], None]

_LIMIT_LIKE = (OrderType.LIMIT, OrderType.STOP_LIMIT)
_STOP_LIKE = (OrderType.STOP, OrderType.STOP_LIMIT)


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    value: T
    events: tuple[Event, ...]


@dataclass(frozen=True, slots=True)
class ClosedPosition:
    order_id: str
    message: str


@dataclass(slots=True)
class _Budget:
    """Quantity still allowed to fill on one symbol in the current step (None: no cap)."""

    left: float | None

    def take(self, wanted: float) -> float:
        if self.left is None:
            return wanted
        granted = min(wanted, self.left)
        self.left = money(self.left - granted)
        return granted


@dataclass(slots=True)
class _State:
    ledger: Ledger
    last_step: int
    last_equity: EquityData
    last_equity_time: int
    counter: int = 1
    exec_seq: int = 0
    orders: dict[str, Order] = field(default_factory=dict)
    books: dict[str, SymbolBook] = field(default_factory=dict)
    specs: dict[str, SymbolSpecLike] = field(default_factory=dict)
    executions: dict[str, list[Execution]] = field(default_factory=dict)
    client_ids: dict[str, tuple[OrderRequest, str]] = field(default_factory=dict)
    leverage: dict[str, float] = field(default_factory=dict)


def _price_hit_buy_limit(price: float, e: ExtremesLike) -> bool:
    return e.ask_low <= price


def _price_hit_sell_limit(price: float, e: ExtremesLike) -> bool:
    return e.bid_high >= price


def _price_hit_buy_stop(price: float, e: ExtremesLike) -> bool:
    return e.ask_high >= price


def _price_hit_sell_stop(price: float, e: ExtremesLike) -> bool:
    return e.bid_low <= price


class _CachedCatalogue:
    """Remembers resolutions: the catalogue is immutable and resolving scans it."""

    __slots__ = ("_catalogue", "_known")

    def __init__(self, catalogue: CatalogueLike) -> None:
        self._catalogue = catalogue
        self._known: dict[str, SymbolSpecLike | None] = {}

    def resolve(self, text: str, /) -> SymbolSpecLike | None:
        try:
            return self._known[text]
        except KeyError:
            spec = self._known[text] = self._catalogue.resolve(text)
            if len(self._known) > 10_000:
                self._known.clear()
            return spec


def _new_uuid() -> str:
    return str(uuid.uuid4())


class Engine:
    def __init__(self, prices: PriceSource, settings: EngineSettings | None = None,
                 confirm_id: Callable[[], str] = _new_uuid) -> None:
        self._prices = prices
        self._settings = settings if settings is not None else EngineSettings()
        self._confirm_id = confirm_id
        self._sinks: list[Sink] = []
        self._out: list[Event] = []
        self._s = self._fresh_state()
        self._catalogue = _CachedCatalogue(prices.catalogue)

    # ----------------------------------------------------------------- plumbing

    def add_sink(self, sink: Sink) -> None:
        """Sinks are called synchronously with each command's events; they survive reset."""
        self._sinks.append(sink)

    def remove_sink(self, sink: Sink) -> None:
        self._sinks.remove(sink)

    def _fresh_state(self) -> _State:
        balance = self._settings.initial_balance
        now = self._prices.now()
        return _State(ledger=Ledger(balance), last_step=now,
                      last_equity=EquityData(balance, balance, 0.0, 0.0), last_equity_time=now)

    def _begin(self) -> None:
        self._out.clear()

    def _finish(self, value: T) -> Outcome[T]:
        events = tuple(self._out)
        self._out.clear()
        if events:
            for sink in tuple(self._sinks):
                sink(events)
        return Outcome(value, events)

    def _emit_order(self, order: Order) -> None:
        self._out.append(order.snapshot())

    # ----------------------------------------------------------------- queries

    def orders(self) -> list[PlacedOrder]:
        """Every order ever created, in creation order."""
        return [o.snapshot() for o in self._s.orders.values()]

    def order(self, order_id: str) -> PlacedOrder | None:
        order = self._s.orders.get(order_id)
        return None if order is None else order.snapshot()

    def working_orders(self) -> list[PlacedOrder]:
        return [o.snapshot() for o in self._s.orders.values() if o.status is OrderStatus.WORKING]

    def positions(self) -> list[PositionData]:
        return [p.snapshot() for p in self._s.ledger.positions.values()]

    def executions(self, symbol: str) -> list[Execution]:
        return list(self._s.executions.get(symbol, ()))

    def equity(self) -> EquityData:
        """Marked to market now."""
        return self._equity(self._prices.now())

    def leverage_info(self, symbol: str) -> LeverageInfo:
        return leverage_rules.info(symbol, self._s.leverage.get(symbol))

    def preview_leverage(self, leverage: float) -> LeveragePreview:
        return leverage_rules.preview(leverage)

    def set_leverage(self, symbol: str, leverage: float) -> float:
        """400 outside [1, 100] with the original's texts; publishes nothing."""
        value = leverage_rules.checked(leverage)
        self._s.leverage[symbol] = value
        return value

    def preview(self, request: OrderRequest) -> OrderPreviewResult:
        valid = validate(request, self._catalogue)
        raw_limit = None if request.limit_price is None else valid.spec.round_price(request.limit_price)
        shown = ValidOrder(
            spec=valid.spec, type=valid.type, side=valid.side, qty=valid.qty, limit_price=raw_limit,
            stop_price=valid.stop_price, take_profit=valid.take_profit, stop_loss=valid.stop_loss,
            guaranteed_stop=valid.guaranteed_stop, trailing_stop_pips=valid.trailing_stop_pips,
            stop_type=valid.stop_type,
        )
        quote = self._prices.quote(valid.symbol, self._prices.now())
        market = quote.ask if valid.side is Side.BUY else quote.bid
        return preview_rules.build(shown, market, self._confirm_id())

    # ----------------------------------------------------------------- commands

    def place(self, request: OrderRequest, client_order_id: str | None = None) -> Outcome[str]:
        """Create ORDER-n (WORKING) and its bracket legs (INACTIVE, parentType 1).

        A known ``client_order_id`` with an equal request returns the existing id and no
        events; with a different request it is a 409."""
        self._begin()
        if client_order_id is not None:
            known = self._s.client_ids.get(client_order_id)
            if known is not None:
                if known[0] == request:
                    return Outcome(known[1], ())
                raise Conflict(f"clientOrderId {client_order_id} was already used for another order")
        valid = validate(request, self._catalogue)
        now = self._prices.now()
        order = self._create(valid.spec, valid.type, valid.side, valid.qty, OrderStatus.WORKING, now,
                             limit_price=valid.limit_price, stop_price=valid.stop_price,
                             take_profit=valid.take_profit, stop_loss=valid.stop_loss,
                             guaranteed_stop=valid.guaranteed_stop,
                             trailing_stop_pips=valid.trailing_stop_pips, stop_type=valid.stop_type,
                             client_order_id=client_order_id)
        self._sync_order_legs(order, valid, now)
        self._arrive(order, now)
        if client_order_id is not None:
            self._s.client_ids[client_order_id] = (request, order.id)
        return self._finish(order.id)

    def modify(self, order_id: str, request: OrderRequest) -> Outcome[None]:
        """Update prices and quantity; symbol, side and type may not change (400)."""
        self._begin()
        valid = validate(request, self._catalogue)
        order = self._get_order(order_id)
        if next_status(order.status, Trigger.MODIFY) is None:
            raise IllegalTransition(order.id, int(order.status), Trigger.MODIFY.value)
        for name, old, new in (("symbol", order.symbol, valid.symbol), ("side", order.side, valid.side),
                               ("type", order.type, valid.type)):
            if old != new:
                raise BadRequest(f"Cannot change {name} of order {order.id}")
        if valid.qty <= order.filled_qty:
            raise BadRequest(f"Quantity {valid.qty} of order {order.id} must exceed its filled "
                             f"quantity {order.filled_qty}")
        now = self._prices.now()
        order.apply(Trigger.MODIFY, now)
        order.qty = valid.qty
        order.limit_price = valid.limit_price
        order.stop_price = valid.stop_price
        order.take_profit = valid.take_profit
        order.stop_loss = valid.stop_loss
        order.guaranteed_stop = valid.guaranteed_stop
        order.trailing_stop_pips = valid.trailing_stop_pips
        order.stop_type = valid.stop_type
        order.crossed = False
        self._emit_order(order)
        if order.status is OrderStatus.WORKING:
            self._arrive(order, now)
        if not order.is_leg:
            self._sync_order_legs(order, valid, now)
        return self._finish(None)

    def cancel(self, order_id: str) -> Outcome[None]:
        """Cancel a live order (and the inactive legs of a parent); a final one is a 400."""
        self._begin()
        order = self._get_order(order_id)
        self._cancel(order, self._prices.now())
        return self._finish(None)

    def close_position(self, position_id: str, amount: float | None = None) -> Outcome[ClosedPosition]:
        """Place a MARKET order against the position (fills on the next step). Closing it all
        cancels its brackets at once, so no leg can fill meanwhile and reverse it."""
        self._begin()
        position = self._get_position(position_id)
        qty = position.holding.qty
        if amount is not None:
            check_finite("amount", amount)
            if money(amount) <= 0:
                raise BadRequest("Amount must be positive")
            if amount > qty:
                raise BadRequest(f"Amount {float(amount)} exceeds position quantity {float(qty)}")
        whole = amount is None or amount == qty
        now = self._prices.now()
        if whole:
            self._cancel_brackets(position, now)
        side = Side(position.holding.side).opposite
        order = self._create(self._s.specs[position.symbol], OrderType.MARKET, side,
                             qty if amount is None else money(amount), OrderStatus.WORKING, now)
        self._arrive(order, now)
        message = (f"Closed position {position_id}" if whole
                   else f"Partially closed position {position_id} ({float(amount or 0.0)} units)")
        return self._finish(ClosedPosition(order.id, message))

    def edit_position_brackets(self, position_id: str, take_profit: float | None = None,
                               stop_loss: float | None = None, guaranteed_stop: float | None = None,
                               trailing_stop_pips: float | None = None) -> Outcome[str]:
        """Create, move or remove (None) the position's take-profit and stop-loss legs only."""
        self._begin()
        prices = (("takeProfit", take_profit), ("stopLoss", stop_loss), ("guaranteedStop", guaranteed_stop))
        for name, value in prices:
            check_finite(name, value)
        check_finite("trailingStopPips", trailing_stop_pips)
        if trailing_stop_pips is not None and trailing_stop_pips <= 0:
            raise InvalidOrder("trailingStopPips", "Input should be greater than 0", trailing_stop_pips)
        position = self._get_position(position_id)
        spec = self._s.specs[position.symbol]
        for name, value in prices:
            check_on_tick(spec, name, value)
        now = self._prices.now()
        stop = stop_loss if stop_loss is not None else guaranteed_stop
        self._sync_position_legs(
            position, now,
            tp=None if take_profit is None else spec.round_price(take_profit),
            sl=None if stop is None else spec.round_price(stop),
            trailing=trailing_stop_pips,
            stop_type=_stop_type(stop_loss, guaranteed_stop, trailing_stop_pips),
        )
        return self._finish(f"Updated brackets for position {position_id}")

    def step(self, now: int | None = None) -> Outcome[None]:
        """Match working orders against the market up to ``now`` (default: the clock)."""
        self._begin()
        s = self._s
        t1 = self._prices.now() if now is None else now
        t0 = s.last_step
        t1 = max(t0, t1)
        for symbol, book in list(s.books.items()):
            if not book.idle:
                self._step_symbol(symbol, book, t0, t1)
        s.last_step = t1
        if s.ledger.positions and t1 - s.last_equity_time >= self._settings.equity_interval_ms:
            equity = self._equity(t1)
            s.last_equity_time = t1
            if equity != s.last_equity:
                s.last_equity = equity
                self._out.append(equity)
        return self._finish(None)

    def execute_working(self) -> Outcome[None]:
        """Force-fill every order WORKING now, each re-checked just before its fill: LIMIT and
        STOP_LIMIT at the limit, STOP at the stop, MARKET at the market; no liquidity cap."""
        self._begin()
        now = self._prices.now()
        ids = [o.id for o in self._s.orders.values() if o.status is OrderStatus.WORKING]
        for order_id in ids:
            order = self._s.orders[order_id]
            if order.status is not OrderStatus.WORKING:
                continue
            if order.type in _LIMIT_LIKE and order.limit_price is not None:
                price = order.limit_price
            elif order.type is OrderType.STOP and order.stop_price is not None:
                price = order.stop_price
            else:
                price = self._market_price(order, self._prices.top(order.symbol, now))
            self._fill(order, order.remaining, price, now)
        return self._finish(None)

    def reset(self) -> Outcome[None]:
        """Back to the initial state; sinks stay registered. Live orders are published as
        CANCELED and open positions with qty 0 first, so a subscribed terminal drops them,
        then the initial equity."""
        self._begin()
        now = self._prices.now()
        for order in self._s.orders.values():
            if not order.status.is_final:
                order.apply(Trigger.CANCEL, now)
                self._emit_order(order)
        for position in self._s.ledger.positions.values():
            snap = position.snapshot()
            self._out.append(PositionData(snap.id, snap.symbol, 0.0, snap.side, snap.avg_price))
        self._s = self._fresh_state()
        self._out.append(self._s.last_equity)
        return self._finish(None)

    # ----------------------------------------------------------------- order plumbing

    def _get_order(self, order_id: str) -> Order:
        order = self._s.orders.get(order_id)
        if order is None:
            raise BadRequest(f"Order {order_id} not found")
        return order

    def _get_position(self, position_id: str) -> Position:
        position = self._s.ledger.positions.get(position_id)
        if position is None:
            raise NotFound(f"Position {position_id} not found")
        return position

    def _book(self, symbol: str) -> SymbolBook:
        book = self._s.books.get(symbol)
        if book is None:
            book = self._s.books[symbol] = SymbolBook()
        return book

    def _create(self, spec: SymbolSpecLike, type_: OrderType, side: Side, qty: float,
                status: OrderStatus, now: int, *, limit_price: float | None = None,
                stop_price: float | None = None, take_profit: float | None = None,
                stop_loss: float | None = None, guaranteed_stop: float | None = None,
                trailing_stop_pips: float | None = None, stop_type: StopType | None = None,
                parent_id: str | None = None, parent_type: ParentType | None = None,
                client_order_id: str | None = None) -> Order:
        s = self._s
        seq = s.counter
        s.counter += 1
        s.specs.setdefault(spec.name, spec)
        order = Order(
            id=f"ORDER-{seq}", seq=seq, symbol=spec.name, type=type_, side=side, qty=float(qty),
            status=status, limit_price=limit_price, stop_price=stop_price, take_profit=take_profit,
            stop_loss=stop_loss, guaranteed_stop=guaranteed_stop,
            trailing_stop_pips=trailing_stop_pips, stop_type=stop_type, update_time=now,
            parent_id=parent_id, parent_type=parent_type, client_order_id=client_order_id, since=now,
        )
        s.orders[order.id] = order
        self._emit_order(order)
        return order

    def _arrive(self, order: Order, now: int) -> None:
        """(Re)place a WORKING order: queue it for the next step or rest it in the book."""
        book = self._book(order.symbol)
        order.version += 1
        order.since = now
        book.trailing.pop(order.id, None)
        if order.type is OrderType.MARKET or (order.type is OrderType.STOP and order.triggered):
            book.queue(order)
            return
        quote = self._prices.top(order.symbol, now)
        if order.type in _STOP_LIKE and not order.triggered:
            assert order.stop_price is not None
            if _stop_reached(order.side, order.stop_price, quote):
                book.queue(order)
                return
            book.rest(order)
            if order.trailing_stop_pips is not None and order.parent_type is ParentType.POSITION:
                book.trailing[order.id] = None
            return
        if self._marketable(order, quote):
            book.queue(order)
        else:
            book.rest(order)

    def _cancel(self, order: Order, now: int) -> None:
        order.apply(Trigger.CANCEL, now)
        order.version += 1
        book = self._s.books.get(order.symbol)
        if book is not None:
            book.drop(order.id)
        self._emit_order(order)
        if order.parent_type is ParentType.POSITION:
            position = self._s.ledger.positions.get(order.parent_id or "")
            if position is not None:
                if position.tp_leg == order.id:
                    position.tp_leg = None
                if position.sl_leg == order.id:
                    position.sl_leg = None
        elif not order.is_leg:
            if order.filled_qty > 0.0:
                # what did fill is a position now: its brackets protect it rather than vanish
                self._activate_legs(order, now)
            else:
                for leg_id in (order.tp_leg, order.sl_leg):
                    self._cancel_if_live(leg_id, now)

    def _cancel_if_live(self, order_id: str | None, now: int) -> None:
        if order_id is None:
            return
        order = self._s.orders.get(order_id)
        if order is not None and not order.status.is_final:
            self._cancel(order, now)

    def _cancel_brackets(self, position: Position, now: int) -> None:
        tp, sl = position.tp_leg, position.sl_leg
        position.tp_leg = position.sl_leg = None
        self._cancel_if_live(tp, now)
        self._cancel_if_live(sl, now)

    # ----------------------------------------------------------------- brackets

    def _sync_order_legs(self, parent: Order, valid: ValidOrder, now: int) -> None:
        """A working parent's legs: INACTIVE, the parent's quantity, the opposite side."""
        if parent.status.is_final:
            return
        if (valid.take_profit is None and valid.bracket_stop is None
                and parent.tp_leg is None and parent.sl_leg is None):
            return
        tp = self._upsert_leg(parent.tp_leg, OrderType.LIMIT, valid.take_profit, parent.symbol,
                              parent.side.opposite, parent.qty, OrderStatus.INACTIVE, parent.id,
                              ParentType.ORDER, None, None, now)
        sl = self._upsert_leg(parent.sl_leg, OrderType.STOP, valid.bracket_stop, parent.symbol,
                              parent.side.opposite, parent.qty, OrderStatus.INACTIVE, parent.id,
                              ParentType.ORDER, valid.trailing_stop_pips,
                              _stop_type(valid.stop_loss, valid.guaranteed_stop,
                                         valid.trailing_stop_pips, valid.stop_type), now)
        parent.tp_leg, parent.sl_leg = tp, sl
        self._link(tp, sl)

    def _sync_position_legs(self, position: Position, now: int, *, tp: float | None,
                            sl: float | None, trailing: float | None,
                            stop_type: StopType | None) -> None:
        h = position.holding
        side = Side(h.side).opposite
        tp_id = self._upsert_leg(position.tp_leg, OrderType.LIMIT, tp, position.symbol, side, h.qty,
                                 OrderStatus.WORKING, position.symbol, ParentType.POSITION, None,
                                 None, now)
        sl_id = self._upsert_leg(position.sl_leg, OrderType.STOP, sl, position.symbol, side, h.qty,
                                 OrderStatus.WORKING, position.symbol, ParentType.POSITION, trailing,
                                 stop_type, now)
        position.tp_leg, position.sl_leg = tp_id, sl_id
        self._link(tp_id, sl_id)

    def _upsert_leg(self, leg_id: str | None, type_: OrderType, price: float | None, symbol: str,
                    side: Side, qty: float, status: OrderStatus, parent_id: str,
                    parent_type: ParentType, trailing: float | None, stop_type: StopType | None,
                    now: int) -> str | None:
        leg = None if leg_id is None else self._s.orders.get(leg_id)
        if leg is not None and leg.status.is_final:
            leg = None
        if price is None:
            if leg is not None:
                self._cancel(leg, now)
            return None
        limit, stop = (price, None) if type_ is OrderType.LIMIT else (None, price)
        if leg is None:
            leg = self._create(self._s.specs[symbol], type_, side, qty, status, now,
                               limit_price=limit, stop_price=stop, trailing_stop_pips=trailing,
                               stop_type=stop_type, parent_id=parent_id, parent_type=parent_type)
            if status is OrderStatus.WORKING:
                self._arrive(leg, now)
            return leg.id
        new_qty = money(leg.filled_qty + qty) if parent_type is ParentType.POSITION else qty
        unchanged = (leg.limit_price, leg.stop_price, leg.qty, leg.trailing_stop_pips, leg.stop_type) == (
            limit, stop, new_qty, trailing, stop_type)
        if not unchanged:
            leg.apply(Trigger.MODIFY, now)
            leg.limit_price, leg.stop_price, leg.qty = limit, stop, new_qty
            leg.trailing_stop_pips, leg.stop_type = trailing, stop_type
            self._emit_order(leg)
            if leg.status is OrderStatus.WORKING:
                self._arrive(leg, now)
        return leg.id

    def _link(self, tp: str | None, sl: str | None) -> None:
        orders = self._s.orders
        if tp is not None:
            orders[tp].sibling = sl
        if sl is not None:
            orders[sl].sibling = tp

    def _activate_legs(self, parent: Order, now: int) -> None:
        """The filled parent's legs become the position's brackets, replacing same-kind ones."""
        orders = self._s.orders
        legs = [orders[i] for i in (parent.tp_leg, parent.sl_leg)
                if i is not None and orders[i].status is OrderStatus.INACTIVE]
        if not legs:
            return
        position = self._s.ledger.positions.get(parent.symbol)
        if position is None:
            for leg in legs:
                self._cancel(leg, now)
            return
        new_tp = parent.tp_leg if parent.tp_leg in {leg.id for leg in legs} else None
        new_sl = parent.sl_leg if parent.sl_leg in {leg.id for leg in legs} else None
        if new_tp is not None and position.tp_leg is not None:
            old, position.tp_leg = position.tp_leg, None
            self._cancel_if_live(old, now)
        if new_sl is not None and position.sl_leg is not None:
            old, position.sl_leg = position.sl_leg, None
            self._cancel_if_live(old, now)
        h = position.holding
        for leg in legs:
            leg.apply(Trigger.ACTIVATE, now)
            leg.parent_id, leg.parent_type = position.symbol, ParentType.POSITION
            leg.qty, leg.side = h.qty, Side(h.side).opposite
            self._emit_order(leg)
            self._arrive(leg, now)
        position.tp_leg = new_tp or position.tp_leg
        position.sl_leg = new_sl or position.sl_leg
        self._link(position.tp_leg, position.sl_leg)

    def _resize_brackets(self, position: Position, now: int) -> None:
        """Legs cover the open quantity (plus what a leg already filled itself)."""
        for leg_id in (position.tp_leg, position.sl_leg):
            leg = None if leg_id is None else self._s.orders.get(leg_id)
            if leg is None or leg.status.is_final:
                continue
            qty = money(leg.filled_qty + position.holding.qty)
            if qty != leg.qty:
                leg.apply(Trigger.MODIFY, now)
                leg.qty = qty
                self._emit_order(leg)

    # ----------------------------------------------------------------- matching

    @staticmethod
    def _market_price(order: Order, quote: QuoteLike) -> float:
        return quote.ask if order.side is Side.BUY else quote.bid

    @staticmethod
    def _marketable(order: Order, quote: QuoteLike) -> bool:
        assert order.limit_price is not None
        if order.side is Side.BUY:
            return quote.ask <= order.limit_price
        return quote.bid >= order.limit_price

    def _step_symbol(self, symbol: str, book: SymbolBook, t0: int, t1: int) -> None:
        quote = self._prices.top(symbol, t1)
        budget = _Budget(self._settings.liquidity.get(symbol))
        queued = list(book.pending)
        book.pending.clear()
        orders = self._s.orders
        for order_id, version in queued:
            order = orders.get(order_id)
            if order is not None and order.version == version and order.status is OrderStatus.WORKING:
                self._run_queued(order, book, quote, budget, t1)
        if t0 < t1 and (book.buy_limits or book.sell_limits or book.buy_stops or book.sell_stops):
            ext = self._prices.extremes(symbol, t0, t1)
            self._scan(book, book.buy_limits, -1.0, _price_hit_buy_limit, ext, t0, t1, quote, budget)
            self._scan(book, book.sell_limits, 1.0, _price_hit_sell_limit, ext, t0, t1, quote, budget)
            self._scan(book, book.buy_stops, 1.0, _price_hit_buy_stop, ext, t0, t1, quote, budget)
            self._scan(book, book.sell_stops, -1.0, _price_hit_sell_stop, ext, t0, t1, quote, budget)
        if book.trailing:
            self._trail(book, quote, t1)

    def _run_queued(self, order: Order, book: SymbolBook, quote: QuoteLike, budget: _Budget,
                    now: int) -> None:
        if order.type in _STOP_LIKE and not order.triggered:
            self._trigger(order, book, quote, budget, now)
        elif order.type is OrderType.MARKET or order.type is OrderType.STOP:
            self._fill_capped(order, book, self._market_price(order, quote), budget, now)
        elif self._marketable(order, quote):
            self._fill_capped(order, book, self._market_price(order, quote), budget, now)
        elif order.crossed:
            assert order.limit_price is not None
            self._fill_capped(order, book, order.limit_price, budget, now)
        else:
            order.since = now
            book.rest(order)

    def _trigger(self, order: Order, book: SymbolBook, quote: QuoteLike, budget: _Budget,
                 now: int) -> None:
        order.triggered = True
        book.trailing.pop(order.id, None)
        if order.type is OrderType.STOP:
            self._fill_capped(order, book, self._market_price(order, quote), budget, now)
            return
        order.apply(Trigger.CONVERT, now)
        self._emit_order(order)
        self._arrive(order, now)

    def _scan(self, book: SymbolBook, heap: list[Entry], sign: float,
              hit: Callable[[float, ExtremesLike], bool], ext: ExtremesLike, t0: int, t1: int,
              quote: QuoteLike, budget: _Budget) -> None:
        orders = self._s.orders
        aside: list[Entry] = []
        while heap and hit(heap[0][0] * sign, ext):
            entry = heapq.heappop(heap)
            order = orders.get(entry[2])
            if order is None or order.version != entry[3] or order.status is not OrderStatus.WORKING:
                continue
            price = entry[0] * sign
            if order.since > t0:
                if order.since >= t1 or not hit(price, self._prices.extremes(order.symbol, order.since, t1)):
                    aside.append(entry)
                    continue
            if order.type in _STOP_LIKE and not order.triggered:
                self._trigger(order, book, quote, budget, t1)
            else:
                order.crossed = True
                self._fill_capped(order, book, price, budget, t1)
        for entry in aside:
            heapq.heappush(heap, entry)

    def _trail(self, book: SymbolBook, quote: QuoteLike, now: int) -> None:
        orders = self._s.orders
        for order_id in list(book.trailing):
            order = orders[order_id]
            if order.status is not OrderStatus.WORKING or order.stop_price is None:
                book.trailing.pop(order_id, None)
                continue
            spec = self._s.specs[order.symbol]
            distance = (order.trailing_stop_pips or 0.0) * spec.tick_size
            if order.side is Side.SELL:
                candidate = spec.round_price(quote.bid - distance)
                tighter = candidate > order.stop_price
            else:
                candidate = spec.round_price(quote.ask + distance)
                tighter = candidate < order.stop_price
            if tighter:
                order.apply(Trigger.MODIFY, now)
                order.stop_price = candidate
                self._emit_order(order)
                self._arrive(order, now)

    def _fill_capped(self, order: Order, book: SymbolBook, price: float, budget: _Budget,
                     now: int) -> None:
        qty = budget.take(order.remaining)
        if qty > 0.0:
            self._fill(order, qty, price, now)
        if order.status is OrderStatus.WORKING:
            book.queue(order)

    def _fill(self, order: Order, qty: float, price: float, now: int) -> None:
        """One execution and its cascade: execution, order, equity, position, then brackets."""
        s = self._s
        price = self._s.specs[order.symbol].round_price(price)
        filled = money(order.filled_qty + qty)
        complete = filled >= order.qty
        order.apply(Trigger.FILL if complete else Trigger.PARTIAL_FILL, now)
        s.exec_seq += 1
        execution = Execution(s.exec_seq, order.id, order.symbol, price, qty, int(order.side), now)
        s.executions.setdefault(order.symbol, []).append(execution)
        self._out.append(execution)
        previous = order.filled_qty
        order.avg_price = price if order.avg_price is None else money(
            (order.avg_price * previous + price * qty) / filled)
        order.filled_qty = order.qty if complete else filled
        if complete:
            order.version += 1
            self._book(order.symbol).drop(order.id)
        self._emit_order(order)
        applied = s.ledger.apply(execution)
        assert applied is not None
        equity = self._equity(now)
        s.last_equity, s.last_equity_time = equity, now
        self._out.append(equity)
        self._out.append(applied.position.snapshot())
        if order.sibling is not None and order.parent_type is ParentType.POSITION:
            self._cancel_if_live(order.sibling, now)
        if applied.flat or applied.reversed:
            self._cancel_brackets(applied.position, now)
        if complete and not order.is_leg:
            self._activate_legs(order, now)
        if not applied.flat:
            self._resize_brackets(applied.position, now)

    def _equity(self, now: int) -> EquityData:
        quotes: dict[str, QuoteLike] = {}

        def mark(symbol: str, side: int) -> float:
            quote = quotes.get(symbol)
            if quote is None:
                quote = quotes[symbol] = self._prices.top(symbol, now)
            return quote.bid if side > 0 else quote.ask

        return self._s.ledger.equity(mark)


def _stop_reached(side: Side, stop: float, quote: QuoteLike) -> bool:
    return quote.ask >= stop if side is Side.BUY else quote.bid <= stop


def _stop_type(stop_loss: float | None, guaranteed: float | None, trailing: float | None,
               requested: StopType | None = None) -> StopType:
    if trailing is not None:
        return StopType.TRAILING_STOP
    if stop_loss is None and guaranteed is not None:
        return StopType.GUARANTEED_STOP
    return requested if requested is not None else StopType.STOP_LOSS
