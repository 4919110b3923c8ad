"""The broker's wire dicts, compiled from the schemas: CONTRACT §3.1 key order, ints for enums,
floats as floats, nullable keys present; the cached ``GET /orders`` body follows the events."""

from __future__ import annotations

import orjson
import pytest

from app.broker.api import wire
from app.broker.api.wire import OrdersBody
from app.broker.domain.commands import CancelOrder, ExecuteWorking, ModifyOrder, PlaceOrder, Reset
from app.broker.domain.enums import OrderType, Side, StopType
from app.broker.domain.requests import Duration, OrderRequest
from app.broker.domain.terms import OrderTerms
from app.broker.domain.snapshots import EquityData, Execution, PlacedOrder, PositionData
from schemas.broker import PlacedOrderSchema, PreOrderSchema
from schemas.fast import load_pre_order
from tests.broker.helpers import engine, limit, market


def test_placed_order_wire_keys_in_contract_order_with_extras_last() -> None:
    order = PlacedOrder("ORDER-1", "AAPL", 1, 1, OrderTerms(1, 100), 6, 0, None, 5, None, None, None, None)
    payload = wire.placed_order(order)
    assert list(payload) == ["id", "symbol", "type", "side", "qty", "status", "limitPrice", "stopPrice",
                             "takeProfit", "stopLoss", "guaranteedStop", "trailingStopPips", "stopType",
                             "filledQty", "avgPrice", "updateTime", "parentId", "parentType",
                             "clientOrderId", "duration"]
    assert list(payload) == list(PlacedOrderSchema().fields)
    assert orjson.dumps(payload) == (
        b'{"id":"ORDER-1","symbol":"AAPL","type":1,"side":1,"qty":1.0,"status":6,"limitPrice":100.0,'
        b'"stopPrice":null,"takeProfit":null,"stopLoss":null,"guaranteedStop":null,'
        b'"trailingStopPips":null,"stopType":null,"filledQty":0.0,"avgPrice":null,"updateTime":5,'
        b'"parentId":null,"parentType":null,"clientOrderId":null,"duration":null}')


def test_placed_order_wire_with_a_duration() -> None:
    """Byte-compatible: an order placed without a duration is the old payload plus
    ``"duration":null`` last; with one, the object TradingView sent (datetime null unless GTD)."""
    order = PlacedOrder("ORDER-1", "AAPL", 1, 1, OrderTerms(1, 100), 6, 0, None, 5, None, None, None,
                        Duration("GTD", 1_700_000_000_000))
    assert orjson.dumps(wire.placed_order(order)).endswith(
        b'"clientOrderId":null,"duration":{"type":"GTD","datetime":1700000000000}}')
    day = PlacedOrder("ORDER-1", "AAPL", 1, 1, OrderTerms(1, 100), 6, 0, None, 5, None, None, None, Duration("DAY"))
    assert orjson.dumps(wire.placed_order(day)).endswith(b',"duration":{"type":"DAY","datetime":null}}')


def test_position_execution_equity_wire() -> None:
    assert orjson.dumps(wire.position(PositionData("AAPL", "AAPL", 0, -1, 105))) == (
        b'{"id":"AAPL","symbol":"AAPL","qty":0.0,"side":-1,"avgPrice":105.0}')
    assert orjson.dumps(wire.execution(Execution(3, "ORDER-1", "AAPL", 120, 5, -1, 17))) == (
        b'{"symbol":"AAPL","price":120.0,"qty":5.0,"side":-1,"time":17,"commission":0.0}')
    assert orjson.dumps(wire.equity(EquityData(100000, 100000, 0, 0))) == (
        b'{"equity":100000.0,"balance":100000.0,"unrealizedPL":0.0,"realizedPL":0.0}')


@pytest.mark.parametrize("event", [
    PlacedOrder("ORDER-2", "MSFT", 2, -1, OrderTerms(3.0), 2, 3.0, 41.5, 9, "ORDER-1", 1, "k", None),
    PositionData("MSFT", "MSFT", 3.0, -1, 41.5),
    Execution(1, "ORDER-2", "MSFT", 41.5, 3.0, -1, 9),
    EquityData(1.0, 2.0, 3.0, 4.0),
])
def test_every_event_has_its_serializer(event: object) -> None:
    payload = wire.event_wire(event)  # type: ignore[arg-type]
    assert payload == {
        PlacedOrder: wire.placed_order, PositionData: wire.position, Execution: wire.execution,
        EquityData: wire.equity,
    }[type(event)](event)


def test_routes() -> None:
    assert (PlacedOrder.route, PositionData.route, Execution.route, EquityData.route) == (
        "orders", "positions", "executions", "equity")


def test_a_loaded_pre_order_becomes_the_engines_request() -> None:
    body = load_pre_order({"symbol": "AAPL", "type": "4", "side": -1, "qty": "2", "limitPrice": 150,
                           "stopPrice": 151, "stopType": 1, "currentQuotes": {"ask": 2, "bid": 1},
                           "clientOrderId": "c"})
    assert wire.order_request(body) == OrderRequest(
        "AAPL", OrderType.STOP_LIMIT, Side.SELL,
        OrderTerms(2.0, limit_price=150.0, stop_price=151.0, stop_type=StopType.TRAILING_STOP),
        current_quotes=(2.0, 1.0))
    assert set(PreOrderSchema().fields) - {"clientOrderId"} == {
        "symbol", "type", "side", "qty", "limitPrice", "stopPrice", "takeProfit", "stopLoss", "guaranteedStop",
        "trailingStopPips", "stopType", "seenPrice", "currentQuotes", "duration"}
    body = load_pre_order({"symbol": "AAPL", "type": 2, "side": 1, "qty": 1, "duration": {"type": "DAY"}})
    assert wire.order_request(body).duration == Duration("DAY", None)
    assert wire.order_request(load_pre_order({"symbol": "AAPL", "type": 2, "side": 1, "qty": 1,
                                              "duration": None})).duration is None


def test_orders_body_is_kept_until_an_order_event_and_reencodes_only_changed_orders() -> None:
    m = market()
    e = engine(m)
    body = OrdersBody(e)
    e.add_sink(body.sink)
    assert body() == b"[]"
    first = e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0))).value
    e.handle(PlaceOrder(limit(Side.BUY, 2.0, 80.0)))
    listed = body()
    assert body() is listed
    assert orjson.loads(listed) == [wire.placed_order(o) for o in e.orders()]
    e.leverage_info("AAPL")
    assert body() is listed
    e.handle(CancelOrder(first))
    after = body()
    assert after is not listed
    assert [o["status"] for o in orjson.loads(after)] == [1, 6]
    assert orjson.loads(after) == [wire.placed_order(o) for o in e.orders()]


def test_orders_body_after_a_rolled_back_modify_shows_the_restored_order_then_the_next_change() -> None:
    """The cache is keyed by the order's revision: a rollback restores the old number with the
    old fields, and the change after it takes a number never used, so neither reads stale."""
    e = engine(market())
    body = OrdersBody(e)
    e.add_sink(body.sink)
    e.add_abort_listener(body.invalidate)
    order_id = e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0))).value
    with e.transaction() as tx:
        e.handle(ModifyOrder(order_id, limit(Side.BUY, 1.0, 85.0)))
        assert orjson.loads(body())[0]["limitPrice"] == 85.0, "encoded while the transaction is open"
        tx.abort()
    assert e.orders()[0].terms.limit_price == 90.0
    e.handle(ModifyOrder(order_id, limit(Side.BUY, 1.0, 70.0)))
    assert orjson.loads(body()) == [wire.placed_order(o) for o in e.orders()]
    assert orjson.loads(body())[0]["limitPrice"] == 70.0


def test_orders_body_after_a_reset_that_announces_no_order() -> None:
    m = market()
    e = engine(m)
    body = OrdersBody(e)
    e.add_sink(body.sink)
    e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0)))
    e.handle(ExecuteWorking())
    assert len(orjson.loads(body())) == 1
    e.handle(Reset())
    body.invalidate()
    assert body() == b"[]"
