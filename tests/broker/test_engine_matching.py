"""Matching on a stepped clock against a scripted market."""

from __future__ import annotations

from app.broker.domain.commands import PlaceOrder, Step
from app.broker.domain.enums import OrderStatus, OrderType, Side
from app.broker.domain.snapshots import EquityData, Execution, PlacedOrder, PositionData
from tests.broker.helpers import engine, limit, market, req, routes, stop


def test_market_buy_fills_at_the_ask_of_the_next_step() -> None:
    m = market(99.99, 100.01)
    e = engine(m)
    oid = e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 2.0))).value
    assert e.executions("AAPL") == []
    m.advance(500)
    m.set("AAPL", 100.49, 100.51)
    out = e.handle(Step())
    assert routes(out.published) == ["executions", "orders", "equity", "positions"]
    assert out.published[0] == Execution(1, oid, "AAPL", 100.51, 2.0, 1, m.t)
    order = out.published[1]
    assert isinstance(order, PlacedOrder)
    assert (order.status, order.filled_qty, order.avg_price, order.update_time) == (
        OrderStatus.FILLED, 2.0, 100.51, m.t)
    assert out.published[2] == EquityData(99999.96, 100000.0, -0.04, 0.0)
    assert out.published[3] == PositionData("AAPL", "AAPL", 2.0, 1, 100.51)


def test_market_sell_fills_at_the_bid() -> None:
    m = market(99.99, 100.01)
    e = engine(m)
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.SELL, 1.0)))
    out = e.handle(Step(m.advance(10)))
    assert [x.price for x in out.published if isinstance(x, Execution)] == [99.99]
    assert e.positions() == [PositionData("AAPL", "AAPL", 1.0, -1, 99.99)]


def test_marketable_buy_limit_fills_at_the_market_price_not_its_limit() -> None:
    m = market(99.99, 100.01)
    e = engine(m)
    e.handle(PlaceOrder(limit(Side.BUY, 1.0, 105.0)))
    m.advance(100)
    m.set("AAPL", 100.98, 101.0)
    e.handle(Step())
    assert [(x.price, x.time) for x in e.executions("AAPL")] == [(101.0, m.t)]


def test_marketable_limit_that_stops_being_marketable_rests_instead() -> None:
    m = market(99.99, 100.01)
    e = engine(m)
    oid = e.handle(PlaceOrder(limit(Side.BUY, 1.0, 100.05))).value
    m.advance(100)
    m.set("AAPL", 100.98, 101.0)
    assert e.handle(Step()).published == ()
    assert e.order(oid) is not None and e.order(oid).status == OrderStatus.WORKING  # type: ignore[union-attr]
    m.advance(100)
    m.set("AAPL", 100.0, 100.02)
    out = e.handle(Step())
    assert [(x.price, x.side) for x in out.published if isinstance(x, Execution)] == [(100.05, 1)]


def test_resting_buy_limit_fills_at_its_limit_when_the_path_dips_between_steps() -> None:
    m = market(100.99, 101.01)
    e = engine(m)
    e.handle(PlaceOrder(limit(Side.BUY, 3.0, 100.5)))
    m.set("AAPL", 100.38, 100.40, at=m.t + 300)
    m.set("AAPL", 101.48, 101.50, at=m.t + 600)
    m.advance(1000)
    e.handle(Step())
    assert [(x.price, x.qty, x.time) for x in e.executions("AAPL")] == [(100.5, 3.0, m.t)]


def test_resting_sell_limit_fills_at_its_limit_when_the_bid_reaches_it() -> None:
    m = market(100.99, 101.01)
    e = engine(m)
    e.handle(PlaceOrder(limit(Side.SELL, 1.0, 101.5)))
    m.set("AAPL", 101.49, 101.51, at=m.t + 100)
    e.handle(Step(m.advance(200)))
    assert e.executions("AAPL") == []
    m.set("AAPL", 101.5, 101.52, at=m.t + 100)
    e.handle(Step(m.advance(200)))
    assert [(x.price, x.side) for x in e.executions("AAPL")] == [(101.5, -1)]


def test_a_crossing_before_the_order_was_placed_does_not_fill_it() -> None:
    m = market(100.99, 101.01)
    e = engine(m)
    m.set("AAPL", 100.0, 100.02, at=m.t + 100)
    m.set("AAPL", 100.99, 101.01, at=m.t + 200)
    m.advance(300)
    e.handle(PlaceOrder(limit(Side.BUY, 1.0, 100.5)))
    e.handle(Step(m.advance(300)))
    assert e.executions("AAPL") == []


def test_buy_stop_triggers_when_the_ask_reaches_it_and_fills_at_the_steps_quote() -> None:
    m = market(99.99, 100.01)
    e = engine(m)
    oid = e.handle(PlaceOrder(stop(Side.BUY, 1.0, 101.0))).value
    m.set("AAPL", 101.0, 101.02, at=m.t + 100)
    m.set("AAPL", 100.7, 100.72, at=m.t + 400)
    m.advance(1000)
    out = e.handle(Step())
    assert [(x.price, x.time) for x in out.published if isinstance(x, Execution)] == [(100.72, m.t)]
    assert e.order(oid).status == OrderStatus.FILLED  # type: ignore[union-attr]


def test_sell_stop_does_not_trigger_above_its_stop() -> None:
    m = market(99.99, 100.01)
    e = engine(m)
    e.handle(PlaceOrder(stop(Side.SELL, 1.0, 99.0)))
    m.set("AAPL", 99.01, 99.03, at=m.t + 100)
    e.handle(Step(m.advance(500)))
    assert e.executions("AAPL") == []
    m.set("AAPL", 99.0, 99.02, at=m.t + 100)
    m.set("AAPL", 98.5, 98.52, at=m.t + 200)
    e.handle(Step(m.advance(500)))
    assert [x.price for x in e.executions("AAPL")] == [98.5]


def test_stop_already_crossed_on_arrival_fills_at_market_on_the_next_step() -> None:
    m = market(99.99, 100.01)
    e = engine(m)
    e.handle(PlaceOrder(stop(Side.BUY, 1.0, 99.0)))
    m.set("AAPL", 100.09, 100.11, at=m.t + 5)
    e.handle(Step(m.advance(10)))
    assert [x.price for x in e.executions("AAPL")] == [100.11]


def test_stop_limit_converts_with_an_order_event_then_rests_as_a_limit() -> None:
    m = market(99.99, 100.01)
    e = engine(m)
    oid = e.handle(PlaceOrder(req(OrderType.STOP_LIMIT, Side.BUY, 1.0, stop_price=101.0, limit_price=100.9))).value
    m.set("AAPL", 101.0, 101.02, at=m.t + 100)
    out = e.handle(Step(m.advance(500)))
    assert routes(out.published) == ["orders"]
    converted = out.published[0]
    assert isinstance(converted, PlacedOrder)
    assert (converted.id, converted.status, converted.update_time) == (oid, OrderStatus.WORKING, m.t)
    assert e.executions("AAPL") == []
    m.set("AAPL", 100.88, 100.9, at=m.t + 100)
    m.set("AAPL", 101.5, 101.52, at=m.t + 200)
    e.handle(Step(m.advance(500)))
    assert [x.price for x in e.executions("AAPL")] == [100.9]


def test_steps_only_touch_symbols_with_working_orders() -> None:
    m = market()
    m.set("MSFT", 400.0, 400.02)
    e = engine(m)
    e.handle(PlaceOrder(limit(Side.BUY, 1.0, 1.5, "MSFT")))
    m.quote_calls = m.extremes_calls = 0
    e.handle(Step(m.advance(1000)))
    assert (m.quote_calls, m.extremes_calls) == (1, 1)


def test_a_step_with_many_resting_orders_does_no_work_per_order() -> None:
    m = market(189.99, 190.01)
    e = engine(m)
    for _ in range(5000):
        e.handle(PlaceOrder(limit(Side.BUY, 1.0, 1.5)))
    m.quote_calls = m.extremes_calls = 0
    for _ in range(10):
        assert e.handle(Step(m.advance(100))).published == ()
    assert (m.quote_calls, m.extremes_calls) == (10, 10)


def test_fill_time_is_the_step_time() -> None:
    m = market()
    e = engine(m)
    e.handle(PlaceOrder(req()))
    e.handle(Step(m.t + 250))
    assert e.executions("AAPL")[0].time == m.t + 250
