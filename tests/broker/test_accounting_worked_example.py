"""CONTRACT §7.11 replayed with correct accounting (numbers worked out by hand)."""

from __future__ import annotations

from app.broker.domain.commands import ClosePosition, ExecuteWorking, PlaceOrder, Step
from app.broker.domain.enums import OrderType, Side
from app.broker.domain.snapshots import EquityData, Execution, PositionData
from tests.broker.helpers import engine, limit, market, req, routes


def test_worked_example_with_standard_netting_and_mark_to_market() -> None:
    m = market(100.0, 100.02)
    e = engine(m)

    e.handle(PlaceOrder(limit(Side.BUY, 10.0, 100.0)))
    out = e.handle(ExecuteWorking())
    assert routes(out.published) == ["executions", "orders", "equity", "positions"]
    assert out.published[2] == EquityData(100000.0, 100000.0, 0.0, 0.0)
    assert out.published[3] == PositionData("AAPL", "AAPL", 10.0, 1, 100.0)

    m.advance(1000)
    m.set("AAPL", 109.98, 110.0)
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 10.0, seen_price=110.0)))
    out = e.handle(Step(m.advance(10)))
    # avg = (10·100 + 10·110) / 20 = 105; long marked at the bid: (109.98 − 105)·20 = 99.6
    assert out.published[0] == Execution(2, "ORDER-2", "AAPL", 110.0, 10.0, 1, m.t)
    assert out.published[2] == EquityData(100099.6, 100000.0, 99.6, 0.0)
    assert out.published[3] == PositionData("AAPL", "AAPL", 20.0, 1, 105.0)

    m.set("AAPL", 120.0, 120.02)
    e.handle(PlaceOrder(limit(Side.SELL, 5.0, 120.0)))
    out = e.handle(Step(m.advance(10)))
    # realized (120 − 105)·5·(+1) = 75; the average stays 105; unrealized (120 − 105)·15 = 225
    assert out.published[0] == Execution(3, "ORDER-3", "AAPL", 120.0, 5.0, -1, m.t)
    assert out.published[2] == EquityData(100300.0, 100075.0, 225.0, 75.0)
    assert out.published[3] == PositionData("AAPL", "AAPL", 15.0, 1, 105.0)

    m.set("AAPL", 100.0, 100.02)
    closed = e.handle(ClosePosition("AAPL"))
    assert closed.value.message == "Closed position AAPL"
    assert closed.value.order_id == "ORDER-4"
    out = e.handle(Step(m.advance(10)))
    # realized (100 − 105)·15 = −75 → total 0; the closed position is published with qty 0.0
    assert out.published[0] == Execution(4, "ORDER-4", "AAPL", 100.0, 15.0, -1, m.t)
    assert out.published[2] == EquityData(100000.0, 100000.0, 0.0, 0.0)
    assert out.published[3] == PositionData("AAPL", "AAPL", 0.0, 1, 105.0)
    assert e.positions() == []
    assert e.equity() == EquityData(100000.0, 100000.0, 0.0, 0.0)


def test_short_add_of_equal_size_averages_without_dividing_by_zero() -> None:
    m = market(100.0, 100.02)
    e = engine(m)
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.SELL, 5.0)))
    e.handle(Step(m.advance(10)))
    m.set("AAPL", 110.0, 110.02)
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.SELL, 5.0)))
    e.handle(Step(m.advance(10)))
    assert e.positions() == [PositionData("AAPL", "AAPL", 10.0, -1, 105.0)]
    # short marked at the ask: (110.02 − 105)·10·(−1) = −50.2
    assert e.equity() == EquityData(99949.8, 100000.0, -50.2, 0.0)


def test_reversal_realizes_the_closed_part_and_opens_the_rest_at_the_fill_price() -> None:
    m = market(100.0, 100.02)
    e = engine(m)
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.SELL, 10.0)))
    e.handle(Step(m.advance(10)))
    m.set("AAPL", 109.98, 110.0)
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 15.0)))
    out = e.handle(Step(m.advance(10)))
    # short 10 @100 bought back at 110: (110 − 100)·10·(−1) = −100; long 5 @110 remains
    assert [x for x in out.published if isinstance(x, PositionData)] == [
        PositionData("AAPL", "AAPL", 5.0, 1, 110.0)]
    assert e.equity() == EquityData(99899.9, 99900.0, -0.1, -100.0)


def test_equity_is_marked_to_market_at_most_once_a_second_while_positions_are_open() -> None:
    m = market(100.0, 100.02)
    e = engine(m)
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 1.0)))
    e.handle(Step(m.advance(10)))
    m.set("AAPL", 101.0, 101.02)
    assert e.handle(Step(m.advance(500))).published == ()
    out = e.handle(Step(m.advance(500)))
    assert out.published == (EquityData(100000.98, 100000.0, 0.98, 0.0),)
    assert e.handle(Step(m.advance(1000))).published == ()
    m.set("AAPL", 100.5, 100.52)
    assert e.handle(Step(m.advance(999))).published == ()
    assert e.handle(Step(m.advance(1))).published == (EquityData(100000.48, 100000.0, 0.48, 0.0),)


def test_no_equity_events_without_positions() -> None:
    m = market()
    e = engine(m)
    m.set("AAPL", 150.0, 150.02)
    assert e.handle(Step(m.advance(5000))).published == ()
