"""Matching: a step against the market, the debug force-fill, and one fill's cascade.

Rules (DESIGN §8): buy orders look at the ask, sell orders at the bid. MARKET orders, LIMITs
marketable on arrival and STOPs already crossed on arrival fill on the next step at the quote
of that step (a LIMIT only while still marketable, else it rests). A resting LIMIT fills at its
limit when the path since the previous step (or since it started resting, if later) reached it;
a resting STOP triggers on the same rule and fills at the step's quote; a STOP_LIMIT triggers,
publishes an order event and then behaves as an arriving LIMIT. Per step and symbol the order
of work is: queued orders (FIFO), buy limits (best price first), sell limits, buy stops, sell
stops, then trailing stops. A trailing stop leg moves to ``bid − pips·tick`` (long position) or
``ask + pips·tick`` (short) after each step when that is tighter; one pip is one tick.

Durations (time in force). A DAY or GTD order expires at its time ``e``: a step over an
interval that contains expiry times is cut at each of them, the path up to ``e`` is matched
first and then the orders expiring at ``e`` are cancelled at ``e`` (the restart rule's catch-up
step does the same, so an order that expired while the server was down is cancelled with its
expiry as its time, after whatever it would have filled before then). An IOC or FOK order is
always queued for the next step and decided there, once: IOC fills what the step's liquidity
allows and the rest is cancelled; FOK fills whole, or (not marketable, or the liquidity cap
left is smaller than its quantity) is cancelled without any fill.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass

from app.broker.domain import brackets
from app.broker.domain.book import Entry, SymbolBook
from app.broker.domain.context import LIMIT_LIKE, STOP_LIKE, Context, market_price, marketable
from app.broker.domain.enums import OrderStatus, OrderType, ParentType, Side
from app.broker.domain.events import EquityMarked, OrderFilled, OrderMoved, OrderTriggered, Spot, Stepped
from app.broker.domain.netting import money
from app.broker.domain.orders import Order
from app.broker.domain.prices import ExtremesLike, QuoteLike
from app.broker.domain.requests import IMMEDIATE
from app.broker.domain.snapshots import PositionData


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


def _hit_buy_limit(price: float, e: ExtremesLike) -> bool:
    return e.ask_low <= price


def _hit_sell_limit(price: float, e: ExtremesLike) -> bool:
    return e.bid_high >= price


def _hit_buy_stop(price: float, e: ExtremesLike) -> bool:
    return e.ask_high >= price


def _hit_sell_stop(price: float, e: ExtremesLike) -> bool:
    return e.bid_low <= price


def step(ctx: Context, now: int | None) -> None:
    """Match working orders against the market up to ``now`` (default: the clock), cut at the
    expiry times within the interval (see the module's doc)."""
    s = ctx.state
    t1 = max(s.last_step, ctx.prices.now() if now is None else now)
    while s.expiring:
        expiry = min(s.expiring.values())
        if expiry > t1:
            break
        if expiry > s.last_step:
            _step_to(ctx, expiry)
        for order_id in [i for i, e in s.expiring.items() if e <= expiry]:
            order = s.orders[order_id]
            ctx.involved.append(order_id)
            brackets.cancel(ctx, order, max(expiry, order.update_time))
            s.expiring.pop(order_id, None)  # a final order left already; a safety net only
    _step_to(ctx, t1)


def _step_to(ctx: Context, t1: int) -> None:
    """``Stepped`` only when a book had working orders: an idle step changes nothing and writes
    nothing. The last step time then stays behind, which is safe: it bounds the path only of
    orders already working (an order arriving later is matched from its own ``since``), so the
    next step with work, live or the restart's catch-up, judges every order on the same path."""
    s = ctx.state
    t0 = s.last_step
    worked = False
    for symbol, book in list(s.books.items()):
        if not book.idle:
            worked = True
            _step_symbol(ctx, symbol, book, t0, t1)
    if worked and t1 != t0:
        ctx.emit(Stepped(t1))
    if s.ledger.positions and t1 - s.last_equity_time >= ctx.settings.equity_interval_ms:
        previous = s.last_equity
        equity = ctx.equity(t1)
        ctx.emit(EquityMarked(t1, equity.equity, equity.unrealized_pl))
        if equity != previous:
            ctx.publish(equity)


def execute_working(ctx: Context) -> None:
    """Force-fill every order WORKING now, each re-checked just before its fill: LIMIT and
    STOP_LIMIT at the limit, STOP at the stop, MARKET at the market; no liquidity cap."""
    now = ctx.prices.now()
    orders = ctx.state.orders
    ids = [o.id for o in orders.values() if o.status is OrderStatus.WORKING]
    for order_id in ids:
        order = orders[order_id]
        if order.status is not OrderStatus.WORKING:
            continue
        ctx.symbols.append(order.symbol)
        ctx.involved.append(order_id)
        if order.type in LIMIT_LIKE and order.terms.limit_price is not None:
            price = order.terms.limit_price
        elif order.type is OrderType.STOP and order.terms.stop_price is not None:
            price = order.terms.stop_price
        else:
            price = market_price(order.side, ctx.prices.top(order.symbol, now))
        fill(ctx, order, order.remaining, price, now)


def _step_symbol(ctx: Context, symbol: str, book: SymbolBook, t0: int, t1: int) -> None:
    ctx.state.touch_book(symbol)
    ctx.symbols.append(symbol)
    quote = ctx.prices.top(symbol, t1)
    budget = _Budget(ctx.settings.liquidity.get(symbol))
    queued = list(book.pending)
    book.pending.clear()
    orders = ctx.state.orders
    for order_id, seq in queued:
        order = orders.get(order_id)
        if (order is not None and order.book_seq == seq and order.spot is Spot.QUEUED
                and order.status is OrderStatus.WORKING):
            ctx.involved.append(order_id)
            _run_queued(ctx, order, quote, budget, t1)
    if t0 < t1 and (book.buy_limits or book.sell_limits or book.buy_stops or book.sell_stops):
        ext = ctx.prices.extremes(symbol, t0, t1)
        _scan(ctx, book, book.buy_limits, -1.0, _hit_buy_limit, ext, t0, t1, quote, budget)
        _scan(ctx, book, book.sell_limits, 1.0, _hit_sell_limit, ext, t0, t1, quote, budget)
        _scan(ctx, book, book.buy_stops, 1.0, _hit_buy_stop, ext, t0, t1, quote, budget)
        _scan(ctx, book, book.sell_stops, -1.0, _hit_sell_stop, ext, t0, t1, quote, budget)
    if book.trailing:
        _trail(ctx, book, quote, t1)


def _run_queued(ctx: Context, order: Order, quote: QuoteLike, budget: _Budget, now: int) -> None:
    if order.duration is not None and order.duration.type in IMMEDIATE:
        _run_immediate(ctx, order, quote, budget, now)
    elif order.type in STOP_LIKE and not order.triggered:
        _trigger(ctx, order, quote, budget, now)
    elif order.type is OrderType.MARKET or order.type is OrderType.STOP:
        _fill_capped(ctx, order, market_price(order.side, quote), budget, now)
    elif order.terms.limit_price is not None and marketable(order.side, order.terms.limit_price, quote):
        _fill_capped(ctx, order, market_price(order.side, quote), budget, now)
    elif order.crossed:
        assert order.terms.limit_price is not None
        _fill_capped(ctx, order, order.terms.limit_price, budget, now)
    else:
        ctx.emit(OrderMoved(order.id, now, Spot.RESTING, order.crossed))


def _run_immediate(ctx: Context, order: Order, quote: QuoteLike, budget: _Budget, now: int) -> None:
    """IOC / FOK (MARKET or LIMIT) on its first step: fill what may be filled now, cancel the rest."""
    fillable = order.type is OrderType.MARKET or (
        order.terms.limit_price is not None and marketable(order.side, order.terms.limit_price, quote))
    assert order.duration is not None
    whole = order.duration.type == "FOK"
    if fillable and whole and budget.left is not None and budget.left < order.remaining:
        fillable = False
    if fillable:
        qty = budget.take(order.remaining)
        if qty > 0.0:
            fill(ctx, order, qty, market_price(order.side, quote), now)
    if order.status is OrderStatus.WORKING:
        brackets.cancel(ctx, order, now)


def _trigger(ctx: Context, order: Order, quote: QuoteLike, budget: _Budget, now: int) -> None:
    if order.type is OrderType.STOP:
        ctx.emit(OrderTriggered(order.id, now, None))
        _fill_capped(ctx, order, market_price(order.side, quote), budget, now)
        return
    spot = ctx.arrival(order.symbol, order.type, order.side, order.terms.limit_price, order.terms.stop_price,
                       True, now)
    ctx.emit(OrderTriggered(order.id, now, spot))
    ctx.publish_order(order)


def _scan(ctx: Context, book: SymbolBook, heap: list[Entry], sign: float,
          hit: Callable[[float, ExtremesLike], bool], ext: ExtremesLike, t0: int, t1: int,
          quote: QuoteLike, budget: _Budget) -> None:
    orders = ctx.state.orders
    aside: list[Entry] = []
    while heap and hit(heap[0][0] * sign, ext):
        entry = heapq.heappop(heap)
        order = orders.get(entry[2])
        if (order is None or order.book_seq != entry[1] or order.spot is not Spot.RESTING
                or order.status is not OrderStatus.WORKING):
            continue
        price = entry[0] * sign
        if order.since > t0:
            if order.since >= t1 or not hit(price, ctx.prices.extremes(order.symbol, order.since, t1)):
                aside.append(entry)
                continue
        ctx.involved.append(order.id)
        if order.type in STOP_LIKE and not order.triggered:
            _trigger(ctx, order, quote, budget, t1)
        else:
            _fill_capped(ctx, order, price, budget, t1, crossed=True)
    for entry in aside:
        heapq.heappush(heap, entry)


def _trail(ctx: Context, book: SymbolBook, quote: QuoteLike, now: int) -> None:
    orders = ctx.state.orders
    for order_id in list(book.trailing):
        order = orders[order_id]
        if order.status is not OrderStatus.WORKING or order.terms.stop_price is None:
            book.trailing.pop(order_id, None)
            continue
        spec = ctx.spec(order.symbol)
        distance = (order.terms.trailing_stop_pips or 0.0) * spec.tick_size
        if order.side is Side.SELL:
            candidate = spec.round_price(quote.bid - distance)
            tighter = candidate > order.terms.stop_price
        else:
            candidate = spec.round_price(quote.ask + distance)
            tighter = candidate < order.terms.stop_price
        if tighter:
            spot = ctx.arrival(order.symbol, order.type, order.side, order.terms.limit_price, candidate,
                               order.triggered, now)
            ctx.emit(brackets.modified(order, now, spot=spot, stop_price=candidate))
            ctx.publish_order(order)


def _fill_capped(ctx: Context, order: Order, price: float, budget: _Budget, now: int,
                 crossed: bool = False) -> None:
    qty = budget.take(order.remaining)
    if qty > 0.0:
        fill(ctx, order, qty, price, now)
    if order.status is OrderStatus.WORKING:
        ctx.emit(OrderMoved(order.id, now, Spot.QUEUED, crossed or order.crossed))


def fill(ctx: Context, order: Order, qty: float, price: float, now: int) -> None:
    """One execution and its cascade: execution, order, equity, position, then brackets."""
    s = ctx.state
    symbol = order.symbol
    price = ctx.spec(symbol).round_price(price)
    before = s.ledger.positions.get(symbol)
    held = None if before is None else before.holding
    charge = ctx.settings.commission.charge(order.filled_qty, order.filled_value, qty, price)
    ctx.emit(OrderFilled(order.id, s.ledger.last_seq + 1, price, qty, now, charge))
    ctx.publish(s.executions[symbol][-1])
    ctx.publish_order(order)
    equity = ctx.equity(now)
    ctx.emit(EquityMarked(now, equity.equity, equity.unrealized_pl))
    ctx.publish(equity)
    position = s.ledger.positions.get(symbol)
    if position is None:
        assert before is not None and held is not None
        ctx.publish(PositionData(symbol, symbol, 0.0, held.side, held.avg_price))
    else:
        ctx.publish(position.snapshot())
    if order.sibling is not None and order.parent_type is ParentType.POSITION:
        brackets.cancel_if_live(ctx, order.sibling, now)
    if position is None:
        assert before is not None
        brackets.cancel_brackets(ctx, before, now, unlink=False)
    elif held is not None and held.side != position.holding.side:
        brackets.cancel_brackets(ctx, position, now)
    if order.status is OrderStatus.FILLED and not order.is_leg:
        brackets.activate_legs(ctx, order, now)
    if position is not None:
        brackets.resize_brackets(ctx, position, now)
