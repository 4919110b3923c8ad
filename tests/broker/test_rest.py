"""The broker REST API (CONTRACT §4, DESIGN §4): every endpoint, every documented text."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from app.market import Market
from schemas.broker import (
    AccountMetainfoSchema,
    ExecutionSchema,
    LeverageInfoSchema,
    LeveragePreviewResultSchema,
    OrderPreviewResultSchema,
    PlacedOrderSchema,
    PositionSchema,
)
from schemas.common import SuccessResponseSchema
from tests.clock import NOW
from tests.conftest import ClientFactory
from tests.contract import assert_wire

B = "/api/v1/broker"
OK = b'{"success":true,"message":"Operation completed successfully"}'


def pre_order(**fields: Any) -> dict[str, Any]:
    """A PreOrder as the shipped frontend sends it: every optional key present."""
    body: dict[str, Any] = {
        "symbol": "AAPL", "type": 1, "side": 1, "qty": 1.0, "limitPrice": None, "stopPrice": None,
        "takeProfit": None, "stopLoss": None, "guaranteedStop": None, "trailingStopPips": None,
        "stopType": None, "seenPrice": None, "currentQuotes": None,
    }
    body.update(fields)
    return body


async def place(client: Any, **fields: Any) -> str:
    response = await client.post(f"{B}/orders", json=pre_order(**fields))
    assert response.status == 200, await response.text()
    order_id: str = (await response.json())["orderId"]
    return order_id


async def orders(client: Any) -> list[dict[str, Any]]:
    response = await client.get(f"{B}/orders")
    raw = await response.read()
    assert_wire(PlacedOrderSchema(), raw, many=True)
    result: list[dict[str, Any]] = orjson.loads(raw)
    return result


async def execute(client: Any) -> None:
    response = await client.post(f"{B}/debug/execute-orders")
    assert await response.read() == b'{"success":true,"message":"All working orders executed successfully"}'


async def test_place_order_creates_a_working_order(broker: Any) -> None:
    response = await broker.post(f"{B}/orders", json=pre_order(limitPrice=150.0, takeProfit=None))
    assert await response.read() == b'{"orderId":"ORDER-1"}'
    [order] = await orders(broker)
    assert order == {
        "id": "ORDER-1", "symbol": "AAPL", "type": 1, "side": 1, "qty": 1.0, "status": 6, "limitPrice": 150.0,
        "stopPrice": None, "takeProfit": None, "stopLoss": None, "guaranteedStop": None, "trailingStopPips": None,
        "stopType": None, "filledQty": 0.0, "avgPrice": None, "updateTime": NOW, "parentId": None,
        "parentType": None, "clientOrderId": None, "duration": None,
    }


async def test_limit_price_falls_back_to_seen_price_then_current_quotes(broker: Any) -> None:
    await place(broker, seenPrice=151.0)
    await place(broker, side=-1, currentQuotes={"ask": 300.02, "bid": 300.01})
    first, second = await orders(broker)
    assert first["limitPrice"] == 151.0
    assert second["limitPrice"] == 300.01


async def test_numeric_strings_are_accepted(broker: Any) -> None:
    await place(broker, type="1", side="1", qty="2", limitPrice="150")
    [order] = await orders(broker)
    assert (order["type"], order["qty"], order["limitPrice"]) == (1, 2.0, 150.0)


@pytest.mark.parametrize(
    ("fields", "loc", "type_"),
    [
        ({"qty": 0}, ["body", "qty"], "greater_than"),
        ({"qty": -1}, ["body", "qty"], "greater_than"),
        ({"qty": "NaN"}, ["body", "qty"], "finite_number"),
        ({"qty": "<1e400>"}, ["body", "qty"], "finite_number"),
        ({"limitPrice": "-Infinity"}, ["body", "limitPrice"], "finite_number"),
        ({"qty": 1e13}, ["body", "qty"], "value_error"),
        ({"limitPrice": 1e300}, ["body", "limitPrice"], "value_error"),
        ({"stopLoss": -1e300}, ["body", "stopLoss"], "value_error"),
        ({"side": 0}, ["body", "side"], "enum"),
        ({"type": 9}, ["body", "type"], "enum"),
        ({"symbol": None}, ["body", "symbol"], "string_type"),
        ({"limitPrice": "abc"}, ["body", "limitPrice"], "float_parsing"),
        ({"limitPrice": None}, ["body", "limitPrice"], "value_error"),
        ({"symbol": "ZZZ", "limitPrice": 1.0}, ["body", "symbol"], "value_error"),
        ({"limitPrice": 150.005}, ["body", "limitPrice"], "value_error"),
        ({"type": 3, "stopPrice": None}, ["body", "stopPrice"], "value_error"),
        ({"currentQuotes": {"ask": 1.0}}, ["body", "currentQuotes", "bid"], "missing"),
    ],
)
async def test_invalid_orders_are_422_naming_the_field_and_change_nothing(
    broker: Any, fields: dict[str, Any], loc: list[Any], type_: str
) -> None:
    body = pre_order(limitPrice=150.0)
    body.update(fields)
    raw = orjson.dumps(body).replace(b'"<1e400>"', b"1e400")  # a literal JSON number that overflows
    response = await broker.post(f"{B}/orders", data=raw, headers={"Content-Type": "application/json"})
    assert response.status == 422, await response.text()
    detail = (await response.json())["detail"]
    assert detail[0]["loc"] == loc
    assert detail[0]["type"] == type_
    assert await orders(broker) == []
    assert await place(broker, limitPrice=150.0) == "ORDER-1", "a rejected request consumes no order id"


async def test_malformed_and_missing_bodies_are_422(broker: Any) -> None:
    bad = await broker.post(f"{B}/orders", data=b'{"symbol":', headers={"Content-Type": "application/json"})
    assert bad.status == 422 and (await bad.json())["detail"][0]["type"] == "json_invalid"
    missing = await broker.post(f"{B}/orders")
    assert (await missing.json())["detail"] == [
        {"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]
    not_object = await broker.post(f"{B}/orders", json=[1])
    assert not_object.status == 422


async def test_modify_updates_prices_and_quantity(broker: Any) -> None:
    order_id = await place(broker, limitPrice=150.0)
    response = await broker.put(f"{B}/orders/{order_id}", json=pre_order(qty=3, limitPrice=151.0))
    assert await response.read() == OK
    [order] = await orders(broker)
    assert (order["qty"], order["limitPrice"], order["status"]) == (3.0, 151.0, 6)


@pytest.mark.parametrize(
    ("fields", "detail"),
    [
        ({"side": -1}, "Cannot change side of order ORDER-1"),
        ({"symbol": "MSFT"}, "Cannot change symbol of order ORDER-1"),
        ({"type": 3, "stopPrice": 150.0}, "Cannot change type of order ORDER-1"),
    ],
)
async def test_modify_may_not_change_symbol_side_or_type(broker: Any, fields: dict[str, Any], detail: str) -> None:
    await place(broker, limitPrice=150.0)
    response = await broker.put(f"{B}/orders/ORDER-1", json=pre_order(limitPrice=150.0, **fields))
    assert response.status == 400
    assert (await response.json()) == {"detail": detail}


async def test_modify_unknown_and_final_orders_are_400_with_the_originals_texts(broker: Any) -> None:
    response = await broker.put(f"{B}/orders/ORDER-9", json=pre_order(limitPrice=150.0))
    assert (response.status, await response.read()) == (400, b'{"detail":"Order ORDER-9 not found"}')
    await place(broker, limitPrice=150.0)
    await broker.delete(f"{B}/orders/ORDER-1")
    response = await broker.put(f"{B}/orders/ORDER-1", json=pre_order(limitPrice=150.0))
    assert (response.status, await response.read()) == (400, b'{"detail":"Cannot modify order ORDER-1 with status 1"}')


async def test_cancel_then_cancel_again_is_rejected(broker: Any) -> None:
    await place(broker, limitPrice=150.0)
    assert await (await broker.delete(f"{B}/orders/ORDER-1")).read() == OK
    [order] = await orders(broker)
    assert order["status"] == 1
    again = await broker.delete(f"{B}/orders/ORDER-1")
    assert (again.status, await again.read()) == (400, b'{"detail":"Cannot cancel order ORDER-1 with status 1"}')


async def test_cancel_filled_order_is_rejected(broker: Any) -> None:
    await place(broker, limitPrice=150.0)
    await execute(broker)
    response = await broker.delete(f"{B}/orders/ORDER-1")
    assert (response.status, await response.read()) == (400, b'{"detail":"Cannot cancel order ORDER-1 with status 2"}')
    unknown = await broker.delete(f"{B}/orders/ORDER-7")
    assert (unknown.status, await unknown.read()) == (400, b'{"detail":"Order ORDER-7 not found"}')


async def test_account_and_executions(broker: Any) -> None:
    account = await broker.get(f"{B}/account")
    raw = await account.read()
    assert raw == b'{"id":"DEMO-ACCOUNT","name":"Demo Trading Account"}'
    assert_wire(AccountMetainfoSchema(), raw)
    await place(broker, limitPrice=150.0, qty=2)
    await execute(broker)
    raw = await (await broker.get(f"{B}/executions/AAPL")).read()
    assert_wire(ExecutionSchema(), raw, many=True)
    assert orjson.loads(raw) == [
        {"symbol": "AAPL", "price": 150.0, "qty": 2.0, "side": 1, "time": NOW, "commission": 0.0}]
    assert await (await broker.get(f"{B}/executions/aapl")).read() == b"[]"


async def test_close_position_texts_and_errors(broker: Any) -> None:
    missing = await broker.delete(f"{B}/positions/AAPL")
    assert (missing.status, await missing.read()) == (404, b'{"detail":"Position AAPL not found"}')
    await place(broker, limitPrice=150.0, qty=10)
    await execute(broker)
    for amount, status, body in [
        ("0", 400, b'{"detail":"Amount must be positive"}'),
        ("-1", 400, b'{"detail":"Amount must be positive"}'),
        ("500", 400, b'{"detail":"Amount 500.0 exceeds position quantity 10.0"}'),
    ]:
        response = await broker.delete(f"{B}/positions/AAPL", params={"amount": amount})
        assert (response.status, await response.read()) == (status, body)
    nan = await broker.delete(f"{B}/positions/AAPL", params={"amount": "abc"})
    assert nan.status == 422 and (await nan.json())["detail"][0]["loc"] == ["query", "amount"]
    partial = await broker.delete(f"{B}/positions/AAPL", params={"amount": "4"})
    raw = await partial.read()
    assert raw == b'{"success":true,"message":"Partially closed position AAPL (4.0 units)"}'
    assert_wire(SuccessResponseSchema(), raw)
    whole = await broker.delete(f"{B}/positions/AAPL", params={"amount": "10"})
    assert await whole.read() == b'{"success":true,"message":"Closed position AAPL"}'


async def test_leverage_info_set_and_preview(broker: Any) -> None:
    params = {"symbol": "AAPL", "orderType": "1", "side": "1"}
    raw = await (await broker.get(f"{B}/leverage/info", params=params)).read()
    assert raw == b'{"title":"Leverage for AAPL","leverage":10.0,"min":1.0,"max":100.0,"step":1.0}'
    assert_wire(LeverageInfoSchema(), raw)
    body = {"symbol": "AAPL", "orderType": 1, "side": 1, "customFields": None, "leverage": 25}
    assert await (await broker.put(f"{B}/leverage/set", json=body)).read() == b'{"leverage":25.0}'
    raw = await (await broker.get(f"{B}/leverage/info", params=params)).read()
    assert orjson.loads(raw)["leverage"] == 25.0
    for value, detail in [(0.5, "Leverage must be at least 1.0"), (101, "Leverage cannot exceed 100.0")]:
        response = await broker.put(f"{B}/leverage/set", json={**body, "leverage": value})
        assert (response.status, await response.json()) == (400, {"detail": detail})
    preview = await broker.post(f"{B}/leverage/preview", json={**body, "leverage": 25})
    raw = await preview.read()
    assert_wire(LeveragePreviewResultSchema(), raw)
    assert orjson.loads(raw) == {
        "infos": ["Margin requirement: 4.00%", "With 25.0x leverage, a $1,000 investment controls $25000.00 in assets"],
        "warnings": ["Moderate leverage (25.0x) increases risk. Ensure adequate risk management."],
        "errors": None,
    }
    low = await broker.post(f"{B}/leverage/preview", json={**body, "leverage": 0})
    assert await low.json() == {"infos": None, "warnings": None, "errors": ["Leverage must be at least 1.0"]}
    bad = await broker.get(f"{B}/leverage/info", params={**params, "side": "2"})
    assert bad.status == 422 and (await bad.json())["detail"][0]["loc"] == ["query", "side"]


async def test_order_preview_estimates_market_orders_at_the_market(broker: Any, stepped_market: Market) -> None:
    response = await broker.post(f"{B}/orders/preview", json=pre_order(type=2, qty=2))
    raw = await response.read()
    assert_wire(OrderPreviewResultSchema(), raw)
    preview = orjson.loads(raw)
    ask = stepped_market.quote("AAPL").ask
    cost = {row["title"]: row["value"] for row in preview["sections"][1]["rows"]}
    assert cost["Estimated Price"] == f"${ask:.2f}"
    assert cost["Order Value"] == f"${2 * ask:.2f}"
    assert preview["warnings"] == ["Market orders execute immediately at current market price"]
    assert await orders(broker) == [], "a preview stores nothing"


async def test_positions_list(broker: Any) -> None:
    await place(broker, limitPrice=150.0, qty=3)
    await execute(broker)
    raw = await (await broker.get(f"{B}/positions")).read()
    assert_wire(PositionSchema(), raw, many=True)
    assert orjson.loads(raw) == [{"id": "AAPL", "symbol": "AAPL", "qty": 3.0, "side": 1, "avgPrice": 150.0}]


async def test_reset_restores_the_initial_state(broker: Any) -> None:
    await place(broker, limitPrice=150.0)
    await execute(broker)
    response = await broker.post(f"{B}/debug/reset")
    assert await response.read() == b'{"success":true,"message":"Broker service state reset successfully"}'
    assert await orders(broker) == []
    assert await (await broker.get(f"{B}/positions")).read() == b"[]"
    assert await place(broker, limitPrice=150.0) == "ORDER-1"


async def test_client_order_id_makes_placement_idempotent(broker: Any) -> None:
    body = pre_order(limitPrice=150.0, clientOrderId="abc-1")
    first = await (await broker.post(f"{B}/orders", json=body)).json()
    second = await (await broker.post(f"{B}/orders", json=body)).json()
    assert first == second == {"orderId": "ORDER-1"}
    assert len(await orders(broker)) == 1
    conflict = await broker.post(f"{B}/orders", json={**body, "qty": 2})
    assert conflict.status == 409
    assert "abc-1" in (await conflict.json())["detail"]


async def test_debug_endpoints_can_be_turned_off(make_broker: ClientFactory) -> None:
    client = await make_broker(debug_endpoints=False)
    assert (await client.post(f"{B}/debug/reset")).status == 404


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity", b"1e400"])
async def test_non_finite_json_literals_name_the_field(broker: Any, literal: bytes) -> None:
    raw = b'{"symbol":"AAPL","type":1,"side":1,"qty":' + literal + b',"limitPrice":150.0}'
    response = await broker.post(f"{B}/orders", data=raw, headers={"Content-Type": "application/json"})
    assert response.status == 422
    detail = (await response.json())["detail"]
    assert (detail[0]["loc"], detail[0]["type"]) == (["body", "qty"], "finite_number")


async def test_reset_tells_subscribers_that_orders_and_positions_are_gone(broker: Any) -> None:
    await place(broker, limitPrice=150.0, qty=2)
    await execute(broker)
    resting = await place(broker, limitPrice=140.0)
    ws = await broker.ws_connect(f"{B}/ws")
    for route in ("orders", "positions", "equity"):
        await ws.send_str('{"type":"%s.subscribe","payload":{"accountId":"A"}}' % route)
    for _ in range(6):  # 3 responses + 3 snapshots (one working order, one position, equity)
        await ws.receive_json()
    await broker.post(f"{B}/debug/reset")
    updates = [(await ws.receive_json())["payload"]["payload"] for _ in range(3)]
    assert (updates[0]["id"], updates[0]["status"]) == (resting, 1)
    assert updates[1] == {"id": "AAPL", "symbol": "AAPL", "qty": 0.0, "side": 1, "avgPrice": 150.0}
    assert updates[2] == {"equity": 100000.0, "balance": 100000.0, "unrealizedPL": 0.0, "realizedPL": 0.0}
    await ws.close()


async def test_order_ids_of_a_restarted_server_never_alias_the_earlier_runs(make_client: ClientFactory) -> None:
    """Without a durable store the ids start at the boot time in microseconds: a client that
    kept ORDER-n (or retries a clientOrderId) after a restart never meets another order under it."""
    import time

    runs = []
    for _ in range(2):
        booted = time.time_ns() // 1000
        client = await make_client(modules=("broker",), background_tasks=False)
        ids = [await place(client, limitPrice=150.0, clientOrderId="retry")]
        ids += [await place(client, limitPrice=150.0) for _ in range(3)]
        numbers = [int(i.removeprefix("ORDER-")) for i in ids]
        assert booted <= numbers[0] <= time.time_ns() // 1000
        assert numbers == list(range(numbers[0], numbers[0] + 4))
        runs.append(numbers)
        await client.close()
    assert runs[1][0] > runs[0][-1]
