"""The per-symbol liquidity cap: partial fills with exact filledQty / avgPrice."""

from __future__ import annotations

from types import MappingProxyType

from hypothesis import given, settings
from hypothesis import strategies as st

from app.broker.domain.commands import CancelOrder, PlaceOrder, Step
from app.broker.domain.enums import OrderStatus, OrderType, Side
from app.broker.domain.settings import EngineSettings
from app.broker.domain.snapshots import Execution, PlacedOrder, PositionData
from tests.broker.helpers import engine, limit, market, req, routes

CAPPED = EngineSettings(liquidity=MappingProxyType({"AAPL": 4.0}))


def test_the_cap_is_off_by_default() -> None:
    m = market()
    e = engine(m)
    e.handle(PlaceOrder(req(qty=1e6)))
    e.handle(Step(m.advance(10)))
    assert [x.qty for x in e.executions("AAPL")] == [1e6]


def test_a_market_order_fills_over_several_steps_at_each_steps_price() -> None:
    m = market(99.99, 100.01)
    e = engine(m, CAPPED)
    oid = e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 10.0))).value
    first = e.handle(Step(m.advance(10)))
    assert routes(first.published) == ["executions", "orders", "equity", "positions"]
    order = first.published[1]
    assert isinstance(order, PlacedOrder)
    assert (order.status, order.filled_qty, order.avg_price) == (OrderStatus.WORKING, 4.0, 100.01)
    m.set("AAPL", 100.99, 101.01)
    second = e.handle(Step(m.advance(10)))
    order = second.published[1]
    assert isinstance(order, PlacedOrder)
    assert (order.filled_qty, order.avg_price) == (8.0, 100.51)
    m.set("AAPL", 101.99, 102.01)
    third = e.handle(Step(m.advance(10)))
    order = third.published[1]
    assert isinstance(order, PlacedOrder)
    # (4·100.01 + 4·101.01 + 2·102.01) / 10 = 100.81
    assert (order.status, order.filled_qty, order.avg_price) == (OrderStatus.FILLED, 10.0, 100.81)
    assert [(x.qty, x.price) for x in e.executions("AAPL")] == [(4.0, 100.01), (4.0, 101.01), (2.0, 102.01)]
    assert third.published[3] == PositionData("AAPL", "AAPL", 10.0, 1, 100.81)
    assert [x for x in e.handle(Step(m.advance(10))).published if isinstance(x, Execution)] == []
    assert e.order(oid).status == OrderStatus.FILLED  # type: ignore[union-attr]


def test_the_cap_is_shared_by_all_orders_of_the_symbol_in_creation_order() -> None:
    m = market(99.99, 100.01)
    e = engine(m, CAPPED)
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 3.0)))
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 3.0)))
    e.handle(Step(m.advance(10)))
    assert [(x.order_id, x.qty) for x in e.executions("AAPL")] == [("ORDER-1", 3.0), ("ORDER-2", 1.0)]
    e.handle(Step(m.advance(10)))
    assert [(x.order_id, x.qty) for x in e.executions("AAPL")][2:] == [("ORDER-2", 2.0)]


def test_a_crossed_limit_keeps_filling_at_its_limit() -> None:
    m = market(100.99, 101.01)
    e = engine(m, CAPPED)
    e.handle(PlaceOrder(limit(Side.BUY, 6.0, 100.5)))
    m.set("AAPL", 100.38, 100.40, at=m.t + 100)
    m.set("AAPL", 100.99, 101.01, at=m.t + 200)
    e.handle(Step(m.advance(500)))
    e.handle(Step(m.advance(500)))
    assert [(x.qty, x.price) for x in e.executions("AAPL")] == [(4.0, 100.5), (2.0, 100.5)]


def test_cancel_after_a_partial_fill_keeps_what_was_filled() -> None:
    m = market()
    e = engine(m, CAPPED)
    oid = e.handle(PlaceOrder(req(qty=10.0))).value
    e.handle(Step(m.advance(10)))
    (event,) = e.handle(CancelOrder(oid)).published
    assert isinstance(event, PlacedOrder)
    assert (event.status, event.filled_qty, event.terms.qty) == (OrderStatus.CANCELED, 4.0, 10.0)
    assert e.positions()[0].qty == 4.0


@settings(max_examples=40, deadline=None)
@given(cap=st.sampled_from([0.5, 1.0, 2.5, 3.0]), qty=st.sampled_from([1.0, 2.0, 7.5, 10.0]),
       prices=st.lists(st.integers(9000, 11000), min_size=1, max_size=30))
def test_partial_fills_sum_to_the_order_and_avg_price_is_the_weighted_mean(
        cap: float, qty: float, prices: list[int]) -> None:
    m = market()
    e = engine(m, EngineSettings(liquidity=MappingProxyType({"AAPL": cap})))
    oid = e.handle(PlaceOrder(req(OrderType.MARKET, Side.SELL, qty))).value
    for p in prices * 20:
        m.set("AAPL", p / 100, p / 100 + 0.02)
        out = e.handle(Step(m.advance(10)))
        for i, event in enumerate(out.published):
            if isinstance(event, Execution):
                assert routes(out.published[i:i + 4]) == ["executions", "orders", "equity", "positions"]
                assert event.qty <= cap
        order = e.order(oid)
        assert order is not None
        fills = e.executions("AAPL")
        assert order.filled_qty == sum(x.qty for x in fills)
        if fills:
            expected = sum(x.qty * x.price for x in fills) / order.filled_qty
            assert abs((order.avg_price or 0.0) - expected) < 1e-7
        if order.status == OrderStatus.FILLED:
            break
    assert e.order(oid).filled_qty == qty  # type: ignore[union-attr]
