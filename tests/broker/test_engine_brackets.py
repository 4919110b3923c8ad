"""Bracket legs: lifecycle, one-cancels-other, following the position."""

from __future__ import annotations

from types import MappingProxyType

from app.broker.domain.commands import (
    CancelOrder,
    ClosePosition,
    EditPositionBrackets,
    ExecuteWorking,
    ModifyOrder,
    PlaceOrder,
    Step,
)
from app.broker.domain.engine import Engine
from app.broker.domain.enums import OrderStatus, OrderType, ParentType, Side, StopType
from app.broker.domain.settings import EngineSettings
from app.broker.domain.snapshots import Execution, PlacedOrder
from tests.broker.helpers import engine, limit, market, req, routes
from tests.broker.scripted import ScriptedMarket

W, I, F, C = OrderStatus.WORKING, OrderStatus.INACTIVE, OrderStatus.FILLED, OrderStatus.CANCELED


def _state(e: Engine) -> list[tuple[str, int, int, float, int | None, str | None]]:
    return [(o.id, o.status, o.side, o.terms.qty, o.parent_type, o.parent_id) for o in e.orders()]


def _bracketed(qty: float = 10.0) -> tuple[ScriptedMarket, Engine]:
    m = market(99.99, 100.01)
    e = engine(m)
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, qty, take_profit=105.0, stop_loss=95.0)))
    return m, e


def test_placing_with_brackets_creates_two_inactive_legs_with_one_event_each() -> None:
    m = market(99.99, 100.01)
    e = engine(m)
    out = e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 10.0, take_profit=105.0, stop_loss=95.0)))
    assert out.value == "ORDER-1"
    assert routes(out.published) == ["orders", "orders", "orders"]
    assert _state(e) == [("ORDER-1", W, 1, 10.0, None, None),
                         ("ORDER-2", I, -1, 10.0, 1, "ORDER-1"),
                         ("ORDER-3", I, -1, 10.0, 1, "ORDER-1")]
    tp, sl = e.orders()[1:]
    assert (tp.type, tp.terms.limit_price, tp.terms.stop_price) == (OrderType.LIMIT, 105.0, None)
    assert (sl.type, sl.terms.limit_price, sl.terms.stop_price, sl.terms.stop_type) == (
        OrderType.STOP, None, 95.0, StopType.STOP_LOSS)
    assert e.handle(PlaceOrder(req())).value == "ORDER-4"


def test_parent_fill_activates_the_legs_on_the_position() -> None:
    m, e = _bracketed()
    out = e.handle(Step(m.advance(10)))
    assert routes(out.published) == ["executions", "orders", "equity", "positions", "orders", "orders"]
    assert _state(e) == [("ORDER-1", F, 1, 10.0, None, None),
                         ("ORDER-2", W, -1, 10.0, 2, "AAPL"),
                         ("ORDER-3", W, -1, 10.0, 2, "AAPL")]


def test_take_profit_fill_cancels_the_stop_loss_in_the_same_step() -> None:
    m, e = _bracketed()
    e.handle(Step(m.advance(10)))
    m.set("AAPL", 105.2, 105.22, at=m.t + 100)
    m.set("AAPL", 90.0, 90.02, at=m.t + 200)
    out = e.handle(Step(m.advance(500)))
    assert [(x.price, x.side, x.qty) for x in e.executions("AAPL")][1:] == [(105.0, -1, 10.0)]
    assert _state(e)[1:] == [("ORDER-2", F, -1, 10.0, 2, "AAPL"), ("ORDER-3", C, -1, 10.0, 2, "AAPL")]
    assert routes(out.published) == ["executions", "orders", "equity", "positions", "orders"]
    assert e.positions() == []


def test_stop_loss_fill_cancels_the_take_profit() -> None:
    m, e = _bracketed()
    e.handle(Step(m.advance(10)))
    m.set("AAPL", 94.0, 94.02, at=m.t + 100)
    e.handle(Step(m.advance(500)))
    assert [(x.price, x.side) for x in e.executions("AAPL")][1:] == [(94.0, -1)]
    assert [o.status for o in e.orders()] == [F, C, F]


def test_cancelling_the_parent_cancels_its_inactive_legs() -> None:
    e = engine(market())
    e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0, take_profit=95.0, stop_loss=85.0)))
    out = e.handle(CancelOrder("ORDER-1"))
    assert [(o.id, o.status) for o in out.published if isinstance(o, PlacedOrder)] == [
        ("ORDER-1", C), ("ORDER-2", C), ("ORDER-3", C)]


def test_closing_the_position_cancels_its_brackets_and_no_leg_fills_later() -> None:
    m, e = _bracketed()
    e.handle(Step(m.advance(10)))
    out = e.handle(ClosePosition("AAPL"))
    assert [(o.id, o.status) for o in out.published if isinstance(o, PlacedOrder)] == [
        ("ORDER-2", C), ("ORDER-3", C), ("ORDER-4", W)]
    m.set("AAPL", 110.0, 110.02)
    e.handle(Step(m.advance(10)))
    e.handle(ExecuteWorking())
    assert e.positions() == []
    assert len(e.executions("AAPL")) == 2


def test_legs_follow_the_position_quantity() -> None:
    m, e = _bracketed()
    e.handle(Step(m.advance(10)))
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 5.0)))
    out = e.handle(Step(m.advance(10)))
    assert routes(out.published) == ["executions", "orders", "equity", "positions", "orders", "orders"]
    assert [(o.id, o.terms.qty) for o in e.orders()[1:3]] == [("ORDER-2", 15.0), ("ORDER-3", 15.0)]
    e.handle(ClosePosition("AAPL", 6.0))
    e.handle(Step(m.advance(10)))
    assert [(o.id, o.terms.qty) for o in e.orders()[1:3]] == [("ORDER-2", 9.0), ("ORDER-3", 9.0)]


def test_reversing_the_position_cancels_its_brackets() -> None:
    m, e = _bracketed()
    e.handle(Step(m.advance(10)))
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.SELL, 15.0)))
    e.handle(Step(m.advance(10)))
    assert [o.status for o in e.orders()] == [F, C, C, F]


def test_new_parent_legs_replace_the_positions_brackets() -> None:
    m, e = _bracketed()
    e.handle(Step(m.advance(10)))
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 5.0, take_profit=106.0)))
    e.handle(Step(m.advance(10)))
    assert [(o.id, o.status, o.terms.qty) for o in e.orders()] == [
        ("ORDER-1", F, 10.0), ("ORDER-2", C, 10.0), ("ORDER-3", W, 15.0),
        ("ORDER-4", F, 5.0), ("ORDER-5", W, 15.0)]
    m.set("AAPL", 106.0, 106.02, at=m.t + 10)
    e.handle(Step(m.advance(100)))
    assert [o.status for o in e.orders()] == [F, C, C, F, F]
    assert e.positions() == []


def test_legs_of_a_parent_that_closes_the_position_are_cancelled() -> None:
    m = market(99.99, 100.01)
    e = engine(m)
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 5.0)))
    e.handle(Step(m.advance(10)))
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.SELL, 5.0, take_profit=90.0, stop_loss=110.0)))
    e.handle(Step(m.advance(10)))
    assert [o.status for o in e.orders()] == [F, F, C, C]


def test_execute_working_never_fills_both_legs() -> None:
    m, e = _bracketed()
    e.handle(Step(m.advance(10)))
    e.handle(ExecuteWorking())
    assert [o.status for o in e.orders()] == [F, F, C]
    assert [(x.price, x.side) for x in e.executions("AAPL")][1:] == [(105.0, -1)]


def test_edit_position_brackets_creates_moves_and_removes_only_brackets() -> None:
    m = market(99.99, 100.01)
    e = engine(m)
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 4.0)))
    e.handle(Step(m.advance(10)))
    e.handle(PlaceOrder(limit(Side.SELL, 1.0, 130.0)))
    out = e.handle(EditPositionBrackets("AAPL", take_profit=110.0, stop_loss=90.0))
    assert out.value == "Updated brackets for position AAPL"
    assert [(o.id, o.status, o.type, o.terms.qty, o.side, o.parent_type) for o in out.published
            if isinstance(o, PlacedOrder)] == [
        ("ORDER-3", W, OrderType.LIMIT, 4.0, -1, ParentType.POSITION),
        ("ORDER-4", W, OrderType.STOP, 4.0, -1, ParentType.POSITION)]
    moved = e.handle(EditPositionBrackets("AAPL", take_profit=111.0, stop_loss=90.0))
    assert [(o.id, o.terms.limit_price) for o in moved.published if isinstance(o, PlacedOrder)] == [
        ("ORDER-3", 111.0)]
    removed = e.handle(EditPositionBrackets("AAPL", take_profit=111.0))
    assert [(o.id, o.status) for o in removed.published if isinstance(o, PlacedOrder)] == [("ORDER-4", C)]
    assert e.order("ORDER-2").status == W  # type: ignore[union-attr]


def test_edit_brackets_of_unknown_position() -> None:
    import pytest

    from app.broker.domain.errors import NotFound
    with pytest.raises(NotFound) as info:
        engine(market()).handle(EditPositionBrackets("AAPL", take_profit=1.0))
    assert info.value.detail == "Position AAPL not found"


def test_modify_on_a_parent_moves_its_legs() -> None:
    e = engine(market())
    e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0, take_profit=95.0, stop_loss=85.0)))
    out = e.handle(ModifyOrder("ORDER-1", limit(Side.BUY, 2.0, 91.0, take_profit=96.0, stop_loss=85.0)))
    assert [(o.id, o.terms.qty, o.terms.limit_price, o.terms.stop_price) for o in out.published
            if isinstance(o, PlacedOrder)] == [
        ("ORDER-1", 2.0, 91.0, None), ("ORDER-2", 2.0, 96.0, None), ("ORDER-3", 2.0, None, 85.0)]


def test_guaranteed_stop_makes_the_stop_leg() -> None:
    e = engine(market())
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 1.0, guaranteed_stop=90.0)))
    leg = e.orders()[1]
    assert (leg.type, leg.terms.stop_price, leg.terms.stop_type) == (OrderType.STOP, 90.0, StopType.GUARANTEED_STOP)


def test_trailing_stop_follows_the_bid_of_a_long_position_and_never_loosens() -> None:
    m = market(100.0, 100.02)
    e = engine(m)
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 1.0, stop_loss=95.0, trailing_stop_pips=200.0)))
    activated = e.handle(Step(m.advance(10)))
    assert [(o.id, o.status, o.terms.stop_price) for o in activated.published if isinstance(o, PlacedOrder)][1:] == [
        ("ORDER-2", W, 95.0), ("ORDER-2", W, 98.0)]
    assert e.orders()[1].terms.stop_type == StopType.TRAILING_STOP
    m.set("AAPL", 101.0, 101.02)
    out = e.handle(Step(m.advance(10)))
    assert [(o.id, o.terms.stop_price) for o in out.published if isinstance(o, PlacedOrder)] == [("ORDER-2", 99.0)]
    m.set("AAPL", 100.5, 100.52)
    assert e.handle(Step(m.advance(10))).published == ()
    m.set("AAPL", 98.9, 98.92)
    e.handle(Step(m.advance(10)))
    assert [(x.price, x.side) for x in e.executions("AAPL")] == [(100.02, 1), (98.9, -1)]


def test_a_partial_fill_of_one_leg_cancels_the_other_at_once() -> None:
    m = market(99.99, 100.01)
    e = engine(m, EngineSettings(liquidity=MappingProxyType({"AAPL": 10.0})))
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 10.0, take_profit=105.0, stop_loss=95.0)))
    e.handle(Step(m.advance(10)))
    m.set("AAPL", 105.0, 105.02, at=m.t + 1)
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 6.0)))
    out = e.handle(Step(m.advance(10)))
    # the market buy takes 6 of the 10-unit cap first, the 16-unit take-profit gets 4
    assert [(x.order_id, x.qty) for x in out.published if isinstance(x, Execution)] == [
        ("ORDER-4", 6.0), ("ORDER-2", 4.0)]
    assert [(o.id, o.status, o.filled_qty, o.terms.qty) for o in e.orders()] == [
        ("ORDER-1", F, 10.0, 10.0), ("ORDER-2", W, 4.0, 16.0), ("ORDER-3", C, 0.0, 16.0),
        ("ORDER-4", F, 6.0, 6.0)]
    m.set("AAPL", 90.0, 90.02)
    e.handle(Step(m.advance(10)))
    e.handle(Step(m.advance(10)))
    assert [(x.order_id, x.qty, x.price) for x in e.executions("AAPL")][3:] == [
        ("ORDER-2", 10.0, 105.0), ("ORDER-2", 2.0, 105.0)]
    assert e.positions() == []
    assert e.order("ORDER-2").filled_qty == 16.0  # type: ignore[union-attr]
