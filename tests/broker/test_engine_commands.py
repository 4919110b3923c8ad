"""Commands: ids, events per change, errors with the original's texts, reset, sinks."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pytest

from app.broker.domain.commands import (
    CancelOrder,
    ClosePosition,
    ExecuteWorking,
    ModifyOrder,
    PlaceOrder,
    Reset,
    SetLeverage,
    Step,
)
from app.broker.domain.enums import OrderStatus, OrderType, Side
from app.broker.domain.errors import BadRequest, BrokerError, Conflict, InvalidOrder, NotFound
from app.broker.domain.snapshots import EquityData, Event, PlacedOrder, PositionData
from tests.broker.helpers import engine, limit, market, req, routes, stop


def _orders(events: Sequence[Event]) -> list[PlacedOrder]:
    return [x for x in events if isinstance(x, PlacedOrder)]


def test_place_creates_a_working_order_with_the_next_id_and_one_event() -> None:
    m = market()
    e = engine(m)
    first = e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0)))
    second = e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0)))
    assert (first.value, second.value) == ("ORDER-1", "ORDER-2")
    (event,) = first.published
    assert isinstance(event, PlacedOrder)
    assert (event.status, event.filled_qty, event.avg_price, event.update_time) == (
        OrderStatus.WORKING, 0.0, None, m.t)


def test_limit_price_fallback_chain_seen_price_then_current_quotes() -> None:
    e = engine(market())
    a = e.handle(PlaceOrder(req(OrderType.LIMIT, Side.BUY, 1.0, seen_price=95.0))).value
    b = e.handle(PlaceOrder(req(OrderType.LIMIT, Side.BUY, 1.0, current_quotes=(96.0, 95.5)))).value
    c = e.handle(PlaceOrder(req(OrderType.LIMIT, Side.SELL, 1.0, current_quotes=(106.0, 105.5)))).value
    d = e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 1.0, seen_price=110.0))).value
    assert [e.order(x).terms.limit_price for x in (a, b, c, d)] == [  # type: ignore[union-attr]
        95.0, 96.0, 105.5, 110.0]


@pytest.mark.parametrize(("request_", "field"), [
    (req(qty=0.0), "qty"),
    (req(qty=-1.0), "qty"),
    (req(qty=4e-9), "qty"),
    (req(qty=math.nan), "qty"),
    (req(qty=math.inf), "qty"),
    (limit(Side.BUY, 1.0, math.nan), "limitPrice"),
    (req(OrderType.LIMIT), "limitPrice"),
    (req(OrderType.STOP_LIMIT, limit_price=100.0), "stopPrice"),
    (req(OrderType.STOP), "stopPrice"),
    (req(symbol="NOPE"), "symbol"),
    (limit(Side.BUY, 1.0, 100.005), "limitPrice"),
    (req(take_profit=100.001), "takeProfit"),
    (req(stop_loss=-math.inf), "stopLoss"),
    (req(seen_price=math.nan), "seenPrice"),
    (req(current_quotes=(math.inf, 1.0)), "currentQuotes"),
    (req(trailing_stop_pips=0.0), "trailingStopPips"),
])
def test_invalid_orders_are_rejected_with_422_naming_the_field_and_change_nothing(
        request_: object, field: str) -> None:
    m = market()
    e = engine(m)
    with pytest.raises(InvalidOrder) as info:
        e.handle(PlaceOrder(request_))  # type: ignore[arg-type]
    assert info.value.field == field
    assert e.orders() == []
    assert e.handle(PlaceOrder(req())).value == "ORDER-1"


def test_cancel_working_order_publishes_one_canceled_event() -> None:
    m = market()
    e = engine(m)
    oid = e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0))).value
    m.advance(5)
    out = e.handle(CancelOrder(oid))
    assert [(o.id, o.status, o.update_time) for o in _orders(out.published)] == [
        (oid, OrderStatus.CANCELED, m.t)]
    assert len(out.published) == 1


def test_cancel_filled_order_is_rejected() -> None:
    m = market()
    e = engine(m)
    oid = e.handle(PlaceOrder(req())).value
    e.handle(Step(m.advance(5)))
    with pytest.raises(BadRequest) as info:
        e.handle(CancelOrder(oid))
    assert info.value.detail == f"Cannot cancel order {oid} with status 2"
    assert e.order(oid).status == OrderStatus.FILLED  # type: ignore[union-attr]


def test_cancel_unknown_order() -> None:
    with pytest.raises(BadRequest) as info:
        engine(market()).handle(CancelOrder("ORDER-9"))
    assert (type(info.value), info.value.detail) == (BadRequest, "Order ORDER-9 not found")


def test_modify_updates_prices_and_reindexes_the_order() -> None:
    m = market(99.99, 100.01)
    e = engine(m)
    oid = e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0))).value
    out = e.handle(ModifyOrder(oid, limit(Side.BUY, 2.0, 95.0)))
    assert [(o.terms.qty, o.terms.limit_price) for o in _orders(out.published)] == [(2.0, 95.0)]
    m.set("AAPL", 92.99, 93.01, at=m.t + 10)
    e.handle(Step(m.advance(100)))
    assert [(x.price, x.qty) for x in e.executions("AAPL")] == [(95.0, 2.0)]


@pytest.mark.parametrize(("change", "name"), [
    (limit(Side.BUY, 1.0, 90.0, "MSFT"), "symbol"),
    (limit(Side.SELL, 1.0, 90.0), "side"),
    (stop(Side.BUY, 1.0, 90.0), "type"),
])
def test_modify_may_not_change_symbol_side_or_type(change: object, name: str) -> None:
    m = market()
    m.set("MSFT", 1.0, 1.02)
    e = engine(m)
    oid = e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0))).value
    with pytest.raises(BadRequest) as info:
        e.handle(ModifyOrder(oid, change))  # type: ignore[arg-type]
    assert info.value.detail == f"Cannot change {name} of order {oid}"
    assert e.order(oid).terms.limit_price == 90.0  # type: ignore[union-attr]


def test_modify_must_keep_the_price_its_type_requires() -> None:
    e = engine(market())
    oid = e.handle(PlaceOrder(stop(Side.BUY, 1.0, 110.0))).value
    with pytest.raises(InvalidOrder) as info:
        e.handle(ModifyOrder(oid, req(OrderType.STOP, Side.BUY, 1.0)))
    assert info.value.field == "stopPrice"


def test_modify_unknown_and_final_orders() -> None:
    m = market()
    e = engine(m)
    with pytest.raises(BadRequest, match="^Order ORDER-3 not found$"):
        e.handle(ModifyOrder("ORDER-3", req()))
    oid = e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0))).value
    e.handle(CancelOrder(oid))
    with pytest.raises(BadRequest) as info:
        e.handle(ModifyOrder(oid, limit(Side.BUY, 1.0, 91.0)))
    assert info.value.detail == f"Cannot modify order {oid} with status 1"


def _long(m_bid: float = 100.0, qty: float = 10.0) -> tuple[object, object]:
    m = market(m_bid, m_bid + 0.02)
    e = engine(m)
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, qty)))
    e.handle(Step(m.advance(10)))
    return m, e


def test_close_position_errors_with_the_original_texts() -> None:
    _, e = _long()
    with pytest.raises(NotFound) as nf:
        e.handle(ClosePosition("MSFT"))  # type: ignore[attr-defined]
    assert nf.value.detail == "Position MSFT not found"
    for amount in (0.0, -1.0, 1e-9):
        with pytest.raises(BadRequest) as bad:
            e.handle(ClosePosition("AAPL", amount))  # type: ignore[attr-defined]
        assert (type(bad.value), bad.value.detail) == (BadRequest, "Amount must be positive")
    with pytest.raises(BadRequest) as big:
        e.handle(ClosePosition("AAPL", 500))  # type: ignore[attr-defined]
    assert big.value.detail == "Amount 500.0 exceeds position quantity 10.0"


def test_partial_close_places_a_market_order_for_the_amount() -> None:
    m, e = _long()
    out = e.handle(ClosePosition("AAPL", 2.5))  # type: ignore[attr-defined]
    assert out.value.message == "Partially closed position AAPL (2.5 units)"
    (order,) = _orders(out.published)
    assert (order.id, order.type, order.side, order.terms.qty) == ("ORDER-2", OrderType.MARKET, -1, 2.5)
    e.handle(Step(m.advance(10)))  # type: ignore[attr-defined]
    assert e.positions() == [PositionData("AAPL", "AAPL", 7.5, 1, 100.02)]  # type: ignore[attr-defined]


def test_close_with_the_full_amount_says_closed() -> None:
    _, e = _long()
    assert e.handle(ClosePosition("AAPL", 10.0)).value.message == "Closed position AAPL"  # type: ignore[attr-defined]


def test_client_order_id_is_idempotent_for_the_same_body_and_409_for_another() -> None:
    e = engine(market())
    first = e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0), client_order_id="abc"))
    again = e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0), client_order_id="abc"))
    assert (again.value, again.published) == (first.value, ())
    assert len(e.orders()) == 1
    assert e.order(first.value).client_order_id == "abc"  # type: ignore[union-attr]
    with pytest.raises(Conflict) as info:
        e.handle(PlaceOrder(limit(Side.BUY, 2.0, 90.0), client_order_id="abc"))
    assert info.value.detail == "clientOrderId abc was already used for another order"
    assert len(e.orders()) == 1


def test_sinks_receive_exactly_the_events_commands_return_and_survive_reset() -> None:
    m = market()
    e = engine(m)
    seen: list[tuple[Event, ...]] = []
    e.add_sink(lambda events: seen.append(tuple(events)))
    placed = e.handle(PlaceOrder(req()))
    stepped = e.handle(Step(m.advance(10)))
    e.handle(Step(m.advance(10)))
    assert seen == [placed.published, stepped.published]
    reset = e.handle(Reset())
    assert reset.published == (
        PositionData("AAPL", "AAPL", 0.0, 1, 100.01),  # the open position announced closed
        EquityData(100000.0, 100000.0, 0.0, 0.0),
    )
    assert seen[-1] == reset.published
    assert (e.orders(), e.positions(), e.executions("AAPL")) == ([], [], [])
    assert e.handle(PlaceOrder(req())).value == "ORDER-1"
    assert len(seen) == 4


def test_reset_clears_leverage_and_client_ids() -> None:
    e = engine(market())
    e.handle(SetLeverage("AAPL", 5.0))
    e.handle(PlaceOrder(req(), client_order_id="x"))
    e.handle(Reset())
    assert e.leverage_info("AAPL").leverage == 10.0
    assert e.handle(PlaceOrder(req(qty=3.0), client_order_id="x")).value == "ORDER-1"


def test_execute_working_fills_each_order_at_its_own_price() -> None:
    m = market(99.99, 100.01)
    e = engine(m)
    e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0)))
    e.handle(PlaceOrder(stop(Side.BUY, 1.0, 120.0)))
    e.handle(PlaceOrder(req(OrderType.STOP_LIMIT, Side.SELL, 1.0, stop_price=80.0, limit_price=79.0)))
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.SELL, 1.0, seen_price=50.0)))
    e.handle(ExecuteWorking())
    assert [(x.price, x.side) for x in e.executions("AAPL")] == [
        (90.0, 1), (120.0, 1), (79.0, -1), (99.99, -1)]
    assert all(o.status == OrderStatus.FILLED for o in e.orders())
    assert e.handle(Step(m.advance(1000))).published == ()


def test_all_errors_are_broker_errors() -> None:
    for cls in (BadRequest, NotFound, Conflict, InvalidOrder):
        assert issubclass(cls, BrokerError)


def test_events_of_one_fill_come_execution_order_equity_position() -> None:
    m = market()
    e = engine(m)
    e.handle(PlaceOrder(req()))
    assert routes(e.handle(Step(m.advance(1))).published) == ["executions", "orders", "equity", "positions"]
