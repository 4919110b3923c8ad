"""Bracket legs (take-profit LIMIT, stop-loss STOP) and one-cancels-other, plus cancellation,
which cascades through them.

A working parent's legs are INACTIVE with the parent's quantity and the opposite side; when the
parent fills they become the position's brackets (replacing same-kind ones: at most one of each
per position), take the position's quantity and the side opposite to it, and are cancelled if
the position is flat. A position's legs are WORKING and cover its open quantity plus what a leg
already filled itself. When one leg of a position fills, its sibling is cancelled.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.broker.domain.accounting import Position
from app.broker.domain.context import Context
from app.broker.domain.enums import OrderStatus, OrderType, ParentType, Side, StopType
from app.broker.domain.events import (
    BracketActivated,
    BracketsLinked,
    OrderCancelled,
    OrderModified,
    Spot,
)
from app.broker.domain.netting import money
from app.broker.domain.orders import Order
from app.broker.domain.requests import ValidOrder
from app.broker.domain.terms import OrderTerms


def stop_type_of(stop_loss: float | None, guaranteed: float | None, trailing: float | None,
                 requested: StopType | None = None) -> StopType:
    if trailing is not None:
        return StopType.TRAILING_STOP
    if stop_loss is None and guaranteed is not None:
        return StopType.GUARANTEED_STOP
    return requested if requested is not None else StopType.STOP_LOSS


def modified(order: Order, now: int, *, spot: Spot | None, **changes: Any) -> OrderModified:
    """The order's terms with some replaced (a resize, a trailing move)."""
    return OrderModified(order.id, now, replace(order.terms, **changes), order.crossed, spot)


# --------------------------------------------------------------------- cancellation

def cancel(ctx: Context, order: Order, now: int) -> None:
    """Cancel a live order; a parent's inactive legs go with it, unless part of it filled:
    that part is a position now, and its brackets protect it rather than vanish."""
    ctx.emit(OrderCancelled(order.id, now))
    ctx.publish_order(order)
    if not order.is_leg:
        if order.filled_qty > 0.0:
            activate_legs(ctx, order, now)
        else:
            for leg_id in (order.tp_leg, order.sl_leg):
                cancel_if_live(ctx, leg_id, now)


def cancel_if_live(ctx: Context, order_id: str | None, now: int) -> None:
    if order_id is None:
        return
    order = ctx.state.orders.get(order_id)
    if order is not None and not order.status.is_final:
        cancel(ctx, order, now)


def cancel_brackets(ctx: Context, position: Position, now: int, *, unlink: bool = True) -> None:
    """``unlink`` False for a position that went flat (it is gone already)."""
    tp, sl = position.tp_leg, position.sl_leg
    if unlink and (tp is not None or sl is not None):
        ctx.emit(BracketsLinked(position.symbol, ParentType.POSITION, None, None))
    cancel_if_live(ctx, tp, now)
    cancel_if_live(ctx, sl, now)


# --------------------------------------------------------------------- legs

def sync_order_legs(ctx: Context, parent: Order, valid: ValidOrder, now: int) -> None:
    """A working parent's legs: INACTIVE, the parent's quantity, the opposite side."""
    t = valid.terms
    if (t.take_profit is None and t.stop_loss is None and t.guaranteed_stop is None
            and parent.tp_leg is None and parent.sl_leg is None):
        return  # no legs, none to keep (most orders: tested before the status)
    if parent.status.is_final:
        return
    side = parent.side.opposite
    tp = _upsert_leg(ctx, parent.tp_leg, OrderType.LIMIT, t.take_profit, parent.symbol, side,
                     parent.terms.qty, OrderStatus.INACTIVE, parent.id, ParentType.ORDER, None, None, now)
    sl = _upsert_leg(ctx, parent.sl_leg, OrderType.STOP, valid.bracket_stop, parent.symbol, side,
                     parent.terms.qty, OrderStatus.INACTIVE, parent.id, ParentType.ORDER,
                     t.trailing_stop_pips,
                     stop_type_of(t.stop_loss, t.guaranteed_stop, t.trailing_stop_pips, t.stop_type), now)
    ctx.emit(BracketsLinked(parent.id, ParentType.ORDER, tp, sl))


def sync_position_legs(ctx: Context, position: Position, now: int, *, tp: float | None,
                       sl: float | None, trailing: float | None, stop_type: StopType | None) -> None:
    h = position.holding
    side = Side(h.side).opposite
    tp_id = _upsert_leg(ctx, position.tp_leg, OrderType.LIMIT, tp, position.symbol, side, h.qty,
                        OrderStatus.WORKING, position.symbol, ParentType.POSITION, None, None, now)
    sl_id = _upsert_leg(ctx, position.sl_leg, OrderType.STOP, sl, position.symbol, side, h.qty,
                        OrderStatus.WORKING, position.symbol, ParentType.POSITION, trailing,
                        stop_type, now)
    ctx.emit(BracketsLinked(position.symbol, ParentType.POSITION, tp_id, sl_id))


def _upsert_leg(ctx: Context, leg_id: str | None, type_: OrderType, price: float | None,
                symbol: str, side: Side, qty: float, status: OrderStatus, parent_id: str,
                parent_type: ParentType, trailing: float | None, stop_type: StopType | None,
                now: int) -> str | None:
    leg = None if leg_id is None else ctx.state.orders.get(leg_id)
    if leg is not None and leg.status.is_final:
        leg = None
    if price is None:
        if leg is not None:
            cancel(ctx, leg, now)
        return None
    limit, stop = (price, None) if type_ is OrderType.LIMIT else (None, price)
    if leg is None:
        leg = ctx.accept(symbol, type_, side, status, now,
                         OrderTerms(qty, limit, stop, trailing_stop_pips=trailing, stop_type=stop_type),
                         parent_id=parent_id, parent_type=parent_type)
        return leg.id
    new_qty = money(leg.filled_qty + qty) if parent_type is ParentType.POSITION else qty
    t = leg.terms
    unchanged = (t.limit_price, t.stop_price, t.qty, t.trailing_stop_pips, t.stop_type) == (
        limit, stop, new_qty, trailing, stop_type)
    if not unchanged:
        spot = (ctx.arrival(symbol, leg.type, leg.side, limit, stop, leg.triggered, now)
                if leg.status is OrderStatus.WORKING else None)
        ctx.emit(modified(leg, now, spot=spot, qty=new_qty, limit_price=limit, stop_price=stop,
                          trailing_stop_pips=trailing, stop_type=stop_type))
        ctx.publish_order(leg)
    return leg.id


def activate_legs(ctx: Context, parent: Order, now: int) -> None:
    """The filled parent's legs become the position's brackets, replacing same-kind ones."""
    orders = ctx.state.orders
    legs = [orders[i] for i in (parent.tp_leg, parent.sl_leg)
            if i is not None and orders[i].status is OrderStatus.INACTIVE]
    if not legs:
        return
    position = ctx.state.ledger.positions.get(parent.symbol)
    if position is None:
        for leg in legs:
            cancel(ctx, leg, now)
        return
    ids = {leg.id for leg in legs}
    new_tp = parent.tp_leg if parent.tp_leg in ids else None
    new_sl = parent.sl_leg if parent.sl_leg in ids else None
    if new_tp is not None:
        cancel_if_live(ctx, position.tp_leg, now)
    if new_sl is not None:
        cancel_if_live(ctx, position.sl_leg, now)
    h = position.holding
    side = Side(h.side).opposite
    for leg in legs:
        spot = ctx.arrival(leg.symbol, leg.type, side, leg.terms.limit_price, leg.terms.stop_price,
                           leg.triggered, now)
        ctx.emit(BracketActivated(leg.id, now, position.symbol, h.qty, side, spot))
        ctx.publish_order(leg)
    ctx.emit(BracketsLinked(position.symbol, ParentType.POSITION, new_tp or position.tp_leg,
                            new_sl or position.sl_leg))


def resize_brackets(ctx: Context, position: Position, now: int) -> None:
    """Legs cover the open quantity (plus what a leg already filled itself)."""
    for leg_id in (position.tp_leg, position.sl_leg):
        leg = None if leg_id is None else ctx.state.orders.get(leg_id)
        if leg is None or leg.status.is_final:
            continue
        qty = money(leg.filled_qty + position.holding.qty)
        if qty != leg.terms.qty:
            ctx.emit(modified(leg, now, spot=None, qty=qty))
            ctx.publish_order(leg)
