"""The client's commands: place, modify and cancel orders, close a position, edit its brackets,
set leverage, reset the account. Each decides, then emits the events that say what changed."""

from __future__ import annotations

from dataclasses import replace

from app.broker.domain import brackets
from app.broker.domain import leverage as leverage_rules
from app.broker.domain import margin
from app.broker.domain.accounting import Position
from app.broker.domain.commands import (
    CancelOrder,
    ClosedPosition,
    ClosePosition,
    EditPositionBrackets,
    ModifyOrder,
    PlaceOrder,
    SetLeverage,
)
from app.broker.domain.context import Context
from app.broker.domain.enums import OrderStatus, OrderType, Side, Trigger
from app.broker.domain.errors import BadRequest, Conflict, IllegalTransition, InvalidOrder, NotFound
from app.broker.domain.events import (
    AccountReset,
    ClientOrderIdBound,
    LeverageSet,
    OrderModified,
)
from app.broker.domain.netting import money
from app.broker.domain.orders import Order, next_status
from app.broker.domain.requests import (
    check_finite,
    check_on_tick,
    check_positive,
    is_immediate,
    validate,
)
from app.broker.domain.snapshots import PositionData
from app.broker.domain.terms import Duration, OrderTerms


_GTC = Duration("GTC")
_WORKING = OrderStatus.WORKING  # read per order: an enum class attribute costs ~65 ns (context.py)


def place(ctx: Context, command: PlaceOrder) -> str:
    """Create ORDER-n (WORKING) and its bracket legs (INACTIVE, parentType 1). A known
    ``client_order_id`` with an equal request answers the existing id and changes nothing;
    with a different request it is a 409."""
    request, client_order_id = command.request, command.client_order_id
    if client_order_id is not None:
        known = ctx.state.client_ids.get(client_order_id)
        if known is not None:
            if known[0] == request:
                return known[1]
            raise Conflict(f"clientOrderId {client_order_id} was already used for another order")
    now = ctx.prices.now()
    valid = validate(request, ctx.catalogue, ctx.settings.qty_cap, now)
    if ctx.settings.margin_check:
        t = valid.terms
        _check_margin(ctx, now, valid.spec.name, valid.type, valid.side, t.qty, t.limit_price, t.stop_price)
    order = ctx.accept(valid.spec.name, valid.type, valid.side, _WORKING, now,
                       valid.terms, client_order_id=client_order_id, duration=valid.duration)
    brackets.sync_order_legs(ctx, order, valid, now)
    if client_order_id is not None:
        ctx.emit(ClientOrderIdBound(client_order_id, order.id, request))
    return order.id


def _check_margin(ctx: Context, now: int, symbol: str, type_: OrderType, side: Side, qty: float,
                  limit: float | None, stop: float | None, excluding: str | None = None) -> None:
    s = ctx.state
    margin.check(s.ledger, s.orders, s.leverage, margin.quotes_of(ctx.prices, now), symbol, type_, side, qty,
                 limit, stop, excluding)


def modify(ctx: Context, command: ModifyOrder) -> None:
    """Update prices and quantity; symbol, side, type and duration may not change (400: a
    body without a duration keeps the order's)."""
    now = ctx.prices.now()
    valid = validate(command.request, ctx.catalogue, ctx.settings.qty_cap, now)
    order = _order(ctx, command.order_id)
    if next_status(order.status, Trigger.MODIFY) is None:
        raise IllegalTransition(order.id, int(order.status), Trigger.MODIFY.value)
    for name, old, new in (("symbol", order.symbol, valid.symbol), ("side", order.side, valid.side),
                           ("type", order.type, valid.type)):
        if old != new:
            raise BadRequest(f"Cannot change {name} of order {order.id}")
    if valid.duration is not None and valid.duration != (order.duration or _GTC):
        raise BadRequest(f"Cannot change duration of order {order.id}")
    t = valid.terms
    if t.qty <= order.filled_qty:
        raise BadRequest(f"Quantity {t.qty} of order {order.id} must exceed its filled "
                         f"quantity {order.filled_qty}")
    if ctx.settings.margin_check and order.status is OrderStatus.WORKING and not order.is_leg:
        _check_margin(ctx, now, order.symbol, order.type, order.side, money(t.qty - order.filled_qty),
                      t.limit_price, t.stop_price, excluding=order.id)
    spot = (ctx.arrival(order.symbol, order.type, order.side, t.limit_price, t.stop_price,
                        order.triggered, now, is_immediate(order.duration))
            if order.status is OrderStatus.WORKING else None)
    ctx.emit(OrderModified(order.id, now, t, False, spot))
    ctx.publish_order(order)
    if not order.is_leg:
        brackets.sync_order_legs(ctx, order, valid, now)


def cancel(ctx: Context, command: CancelOrder) -> None:
    """Cancel a live order (and the inactive legs of a parent); a final one is a 400."""
    order = _order(ctx, command.order_id)
    if next_status(order.status, Trigger.CANCEL) is None:
        raise IllegalTransition(order.id, int(order.status), Trigger.CANCEL.value)
    brackets.cancel(ctx, order, ctx.prices.now())


def close_position(ctx: Context, command: ClosePosition) -> ClosedPosition:
    """Place a MARKET order against the position (fills on the next step). Closing it all
    cancels its brackets at once, so no leg can fill meanwhile and reverse it. The amount is
    rounded like every quantity first, so ``0.1 + 0.2`` closes a 0.3 position whole."""
    position_id, amount = command.position_id, command.amount
    position = _position(ctx, position_id)
    qty = position.holding.qty
    if amount is not None:
        check_finite("amount", amount)
        amount = money(amount)
        if amount <= 0:
            raise BadRequest("Amount must be positive")
        if amount > qty:
            raise BadRequest(f"Amount {float(amount)} exceeds position quantity {float(qty)}")
    whole = amount is None or amount == qty
    now = ctx.prices.now()
    if whole:
        brackets.cancel_brackets(ctx, position, now)
    side = Side(position.holding.side).opposite
    order = ctx.accept(position.symbol, OrderType.MARKET, side, OrderStatus.WORKING, now,
                       OrderTerms(qty if amount is None else amount))
    message = (f"Closed position {position_id}" if whole
               else f"Partially closed position {position_id} ({float(amount or 0.0)} units)")
    return ClosedPosition(order.id, message)


def edit_position_brackets(ctx: Context, command: EditPositionBrackets) -> str:
    """Create, move or remove (None) the position's take-profit and stop-loss legs only."""
    c = command
    prices = (("takeProfit", c.take_profit), ("stopLoss", c.stop_loss),
              ("guaranteedStop", c.guaranteed_stop))
    for name, value in prices:
        check_finite(name, value)
        check_positive(name, value)
    check_finite("trailingStopPips", c.trailing_stop_pips)
    if c.trailing_stop_pips is not None and c.trailing_stop_pips <= 0:
        raise InvalidOrder("trailingStopPips", "Input should be greater than 0", c.trailing_stop_pips)
    position = _position(ctx, c.position_id)
    spec = ctx.spec(position.symbol)
    for name, value in prices:
        check_on_tick(spec, name, value)
    stop = c.stop_loss if c.stop_loss is not None else c.guaranteed_stop
    brackets.sync_position_legs(
        ctx, position, ctx.prices.now(),
        tp=None if c.take_profit is None else spec.round_price(c.take_profit),
        sl=None if stop is None else spec.round_price(stop),
        trailing=c.trailing_stop_pips,
        stop_type=brackets.stop_type_of(c.stop_loss, c.guaranteed_stop, c.trailing_stop_pips),
    )
    return f"Updated brackets for position {c.position_id}"


def set_leverage(ctx: Context, command: SetLeverage) -> float:
    """400 outside [1, 100] with the original's texts; publishes nothing."""
    value = leverage_rules.checked(command.leverage)
    ctx.emit(LeverageSet(command.symbol, value))
    return value


def reset(ctx: Context, next_order_seq: int) -> None:
    """Back to a fresh account. Live orders are published as CANCELED and open positions with
    qty 0 first, so a subscribed terminal drops them, then the initial equity. The reset event
    alone says what changed (the orders go with the account)."""
    now = ctx.prices.now()
    for order in ctx.state.orders.values():
        if not order.status.is_final:
            ctx.publish(replace(order.snapshot(), status=int(OrderStatus.CANCELED), update_time=now))
    for position in ctx.state.ledger.positions.values():
        snap = position.snapshot()
        ctx.publish(PositionData(snap.id, snap.symbol, 0.0, snap.side, snap.avg_price))
    ctx.emit(AccountReset(now, ctx.settings.initial_balance, next_order_seq))
    ctx.publish(ctx.state.last_equity)


def _order(ctx: Context, order_id: str) -> Order:
    order = ctx.state.orders.get(order_id)
    if order is None:
        raise BadRequest(f"Order {order_id} not found")
    return order


def _position(ctx: Context, position_id: str) -> Position:
    position = ctx.state.ledger.positions.get(position_id)
    if position is None:
        raise NotFound(f"Position {position_id} not found")
    return position
