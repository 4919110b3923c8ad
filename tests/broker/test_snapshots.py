"""Wire dicts: CONTRACT §3.1 key order, ints for enums, floats as floats, nulls present."""

from __future__ import annotations

import orjson

from app.broker.domain.snapshots import EquityData, Execution, PlacedOrder, PositionData


def test_placed_order_wire_keys_in_contract_order_with_extras_last() -> None:
    order = PlacedOrder("ORDER-1", "AAPL", 1, 1, 1, 6, 100, None, None, None, None, None, None,
                        0, None, 5, None, None, None)
    wire = order.to_wire()
    assert list(wire) == ["id", "symbol", "type", "side", "qty", "status", "limitPrice", "stopPrice",
                          "takeProfit", "stopLoss", "guaranteedStop", "trailingStopPips", "stopType",
                          "filledQty", "avgPrice", "updateTime", "parentId", "parentType",
                          "clientOrderId"]
    assert orjson.dumps(wire) == (
        b'{"id":"ORDER-1","symbol":"AAPL","type":1,"side":1,"qty":1.0,"status":6,"limitPrice":100.0,'
        b'"stopPrice":null,"takeProfit":null,"stopLoss":null,"guaranteedStop":null,'
        b'"trailingStopPips":null,"stopType":null,"filledQty":0.0,"avgPrice":null,"updateTime":5,'
        b'"parentId":null,"parentType":null,"clientOrderId":null}')


def test_position_execution_equity_wire() -> None:
    assert orjson.dumps(PositionData("AAPL", "AAPL", 0, -1, 105).to_wire()) == (
        b'{"id":"AAPL","symbol":"AAPL","qty":0.0,"side":-1,"avgPrice":105.0}')
    assert orjson.dumps(Execution(3, "ORDER-1", "AAPL", 120, 5, -1, 17).to_wire()) == (
        b'{"symbol":"AAPL","price":120.0,"qty":5.0,"side":-1,"time":17}')
    assert orjson.dumps(EquityData(100000, 100000, 0, 0).to_wire()) == (
        b'{"equity":100000.0,"balance":100000.0,"unrealizedPL":0.0,"realizedPL":0.0}')


def test_routes() -> None:
    assert (PlacedOrder.route, PositionData.route, Execution.route, EquityData.route) == (
        "orders", "positions", "executions", "equity")
