"""A trader's sequence through REST and the broker streams, checked against hand arithmetic:
place → fill → add → partial close → reverse → close (CONTRACT §7.11 with correct accounting)."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from app.market import Market
from schemas.ws import (
    SubscriptionUpdate_EquityData_Schema,
    SubscriptionUpdate_Execution_Schema,
    SubscriptionUpdate_PlacedOrder_Schema,
    SubscriptionUpdate_Position_Schema,
)
from tests.contract import assert_wire
from tests.waiting import receive_until, typed

B = "/api/v1/broker"
UPDATE_SCHEMAS = {
    "orders.update": SubscriptionUpdate_PlacedOrder_Schema(),
    "positions.update": SubscriptionUpdate_Position_Schema(),
    "executions.update": SubscriptionUpdate_Execution_Schema(),
    "equity.update": SubscriptionUpdate_EquityData_Schema(),
}


MARKER = '{"type":"orders.unsubscribe","payload":{"accountId":"MARKER"}}'


async def drain(ws: Any) -> list[tuple[str, dict[str, Any]]]:
    """Every update published so far, each checked against its schema. The hub writes a
    connection's answers behind the updates already sent, so the answer to a marker request
    ends the batch (background tasks are off: nothing is published later)."""
    await ws.send_str(MARKER)
    received = await receive_until(ws, typed("orders.unsubscribe.response", topic='orders:{"accountId":"MARKER"}'))
    messages = []
    for data in received:
        if data["type"] in UPDATE_SCHEMAS:
            assert_wire(UPDATE_SCHEMAS[data["type"]], data["payload"])
            messages.append((data["type"], data["payload"]["payload"]))
    return messages


async def step(client: Any, ws: Any, body: dict[str, Any] | None = None, close: str | None = None
               ) -> list[tuple[str, dict[str, Any]]]:
    if body is not None:
        response = await client.post(f"{B}/orders", json=body)
        assert response.status == 200, await response.text()
    if close is not None:
        response = await client.delete(f"{B}/positions/AAPL", params={"amount": close} if close != "all" else None)
        assert response.status == 200, await response.text()
    await client.post(f"{B}/debug/execute-orders")
    return await drain(ws)


def last(messages: list[tuple[str, dict[str, Any]]], kind: str) -> dict[str, Any]:
    return [payload for t, payload in messages if t == kind][-1]


async def test_trading_day_matches_hand_arithmetic(broker: Any, stepped_market: Market) -> None:
    quote = stepped_market.quote("AAPL")
    bid, ask = quote.bid, quote.ask
    ws = await broker.ws_connect(f"{B}/ws")
    for route in ("orders", "positions", "executions", "equity"):
        await ws.send_str(orjson.dumps({"type": f"{route}.subscribe", "payload": {"accountId": "ACCOUNT-01"}}).decode())
    opening = await drain(ws)
    assert last(opening, "equity.update") == {
        "equity": 100000.0, "balance": 100000.0, "unrealizedPL": 0.0, "realizedPL": 0.0}

    # 1. buy 10 at 200.00 (a limit force-filled at its price)
    events = await step(broker, ws, {"symbol": "AAPL", "type": 1, "side": 1, "qty": 10, "limitPrice": 200.0})
    assert [t for t, _ in events] == ["orders.update", "executions.update", "orders.update", "equity.update",
                                      "positions.update"]
    assert last(events, "positions.update") == {"id": "AAPL", "symbol": "AAPL", "qty": 10.0, "side": 1,
                                                "avgPrice": 200.0}
    equity = last(events, "equity.update")
    assert equity["balance"] == 100000.0 and equity["realizedPL"] == 0.0
    assert equity["unrealizedPL"] == pytest.approx((bid - 200.0) * 10, abs=1e-6)
    assert equity["equity"] == pytest.approx(100000.0 + (bid - 200.0) * 10, abs=1e-6)

    # 2. buy 10 more at market: the ask; the average re-weights
    events = await step(broker, ws, {"symbol": "AAPL", "type": 2, "side": 1, "qty": 10})
    avg = (200.0 * 10 + ask * 10) / 20
    assert last(events, "executions.update")["price"] == ask
    position = last(events, "positions.update")
    assert (position["qty"], position["side"]) == (20.0, 1)
    assert position["avgPrice"] == pytest.approx(avg, abs=1e-8)

    # 3. sell 5 at 210.00: realizes (210 − avg)·5, the average stays
    events = await step(broker, ws, {"symbol": "AAPL", "type": 1, "side": -1, "qty": 5, "limitPrice": 210.0})
    realized = (210.0 - avg) * 5
    position = last(events, "positions.update")
    assert position["qty"] == 15.0 and position["avgPrice"] == pytest.approx(avg, abs=1e-8)
    equity = last(events, "equity.update")
    assert equity["realizedPL"] == pytest.approx(realized, abs=1e-6)
    assert equity["balance"] == pytest.approx(100000.0 + realized, abs=1e-6)
    assert equity["unrealizedPL"] == pytest.approx((bid - avg) * 15, abs=1e-6)

    # 4. sell 25 at 190.00: closes 15 (realizing), opens a short 10 at the fill price
    events = await step(broker, ws, {"symbol": "AAPL", "type": 1, "side": -1, "qty": 25, "limitPrice": 190.0})
    realized += (190.0 - avg) * 15
    assert last(events, "positions.update") == {"id": "AAPL", "symbol": "AAPL", "qty": 10.0, "side": -1,
                                                "avgPrice": 190.0}
    equity = last(events, "equity.update")
    assert equity["realizedPL"] == pytest.approx(realized, abs=1e-6)
    assert equity["unrealizedPL"] == pytest.approx((190.0 - ask) * 10, abs=1e-6)

    # 5. partial close 4 (buys at the ask), then close the rest
    events = await step(broker, ws, close="4")
    realized += (190.0 - ask) * 4
    assert last(events, "positions.update")["qty"] == 6.0
    events = await step(broker, ws, close="all")
    realized += (190.0 - ask) * 6
    closed = last(events, "positions.update")
    assert closed == {"id": "AAPL", "symbol": "AAPL", "qty": 0.0, "side": -1, "avgPrice": 190.0}
    equity = last(events, "equity.update")
    assert equity["realizedPL"] == pytest.approx(realized, abs=1e-6)
    assert equity["unrealizedPL"] == 0.0
    assert equity["balance"] == equity["equity"] == pytest.approx(100000.0 + realized, abs=1e-6)
    assert await (await broker.get(f"{B}/positions")).read() == b"[]"
    executions = await (await broker.get(f"{B}/executions/AAPL")).json()
    assert [(e["side"], e["qty"], e["price"]) for e in executions] == [
        (1, 10.0, 200.0), (1, 10.0, ask), (-1, 5.0, 210.0), (-1, 25.0, 190.0), (1, 4.0, ask), (1, 6.0, ask)]
    await ws.close()
