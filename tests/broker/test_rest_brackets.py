"""Brackets through REST (issue: TradingView semantics, OCO; DESIGN §4 #16, §8)."""

from __future__ import annotations

from typing import Any

from app.broker.domain.commands import Step
from app.keys import ENGINE, MODULE_APPS
from app.market import Market
from tests.broker.test_rest import B, execute, orders, place
from tests.clock import SteppedClock
from tests.conftest import ClientFactory
from tests.market.crossings import first_crossing

BRACKETS = {"takeProfit": None, "stopLoss": None, "guaranteedStop": None, "trailingStopPips": None}


async def edit(client: Any, position: str, **brackets: Any) -> Any:
    return await client.put(f"{B}/positions/{position}/brackets",
                            json={"brackets": {**BRACKETS, **brackets}, "customFields": None})


def by_id(all_orders: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {o["id"]: o for o in all_orders}


async def test_placing_with_brackets_creates_inactive_legs_linked_to_the_order(broker: Any) -> None:
    await place(broker, qty=3, limitPrice=150.0, takeProfit=170.0, stopLoss=140.0)
    parent, tp, sl = await orders(broker)
    assert parent["status"] == 6 and (parent["takeProfit"], parent["stopLoss"]) == (170.0, 140.0)
    assert (tp["type"], tp["side"], tp["qty"], tp["limitPrice"], tp["status"]) == (1, -1, 3.0, 170.0, 3)
    assert (sl["type"], sl["side"], sl["qty"], sl["stopPrice"], sl["status"]) == (3, -1, 3.0, 140.0, 3)
    assert (tp["parentId"], tp["parentType"]) == (sl["parentId"], sl["parentType"]) == ("ORDER-1", 1)


async def test_parent_fill_activates_the_legs_on_the_position(broker: Any) -> None:
    await place(broker, qty=3, limitPrice=150.0, takeProfit=170.0, stopLoss=140.0)
    await broker.post(f"{B}/debug/execute-orders")  # fills the parent only: the legs were inactive
    found = by_id(await orders(broker))
    assert found["ORDER-1"]["status"] == 2
    for leg in ("ORDER-2", "ORDER-3"):
        assert found[leg]["status"] == 6
        assert (found[leg]["parentId"], found[leg]["parentType"]) == ("AAPL", 2)


async def test_take_profit_fill_cancels_the_stop_and_flattens(broker: Any, clock: SteppedClock) -> None:
    await place(broker, qty=3, limitPrice=150.0, takeProfit=170.0, stopLoss=140.0)
    await execute(broker)  # the parent fills at 150.00; its legs become WORKING on the position
    await execute(broker)  # creation order: the take-profit fills at 170.00, the stop is re-checked
    found = by_id(await orders(broker))
    tp, sl = found["ORDER-2"], found["ORDER-3"]
    assert (tp["status"], tp["avgPrice"], tp["filledQty"]) == (2, 170.0, 3.0)
    assert (sl["status"], sl["filledQty"], sl["avgPrice"]) == (1, 0.0, None)
    assert await (await broker.get(f"{B}/positions")).read() == b"[]"
    fills = await (await broker.get(f"{B}/executions/AAPL")).json()
    assert [(f["side"], f["qty"], f["price"]) for f in fills] == [(1, 3.0, 150.0), (-1, 3.0, 170.0)]
    ws = await broker.ws_connect(f"{B}/ws")
    await ws.send_str('{"type":"equity.subscribe","payload":{"accountId":"A"}}')
    await ws.receive()
    equity = (await ws.receive_json())["payload"]["payload"]
    assert equity == {"equity": 100060.0, "balance": 100060.0, "unrealizedPL": 0.0, "realizedPL": 60.0}
    await ws.close()


async def test_cancelling_a_partly_filled_parent_puts_its_brackets_on_the_position(
    make_broker: ClientFactory, clock: SteppedClock, stepped_market: Market
) -> None:
    market = stepped_market
    client = await make_broker(liquidity={"AAPL": 3.0})
    engine = client.app[MODULE_APPS]["broker"][ENGINE]
    bid = market.quote("AAPL").bid
    await place(client, type=2, qty=10, takeProfit=round(bid * 2, 2), stopLoss=round(bid / 2, 2))
    for _ in range(2):
        clock.t += 200
        engine.handle(Step())
    assert (await (await client.get(f"{B}/positions")).json())[0]["qty"] == 6.0
    await client.delete(f"{B}/orders/ORDER-1")
    found = by_id(await orders(client))
    for leg in ("ORDER-2", "ORDER-3"):
        assert (found[leg]["status"], found[leg]["qty"], found[leg]["parentId"], found[leg]["parentType"]) == (
            6, 6.0, "AAPL", 2)


async def test_cancelling_the_parent_cancels_its_inactive_legs(broker: Any) -> None:
    await place(broker, qty=1, limitPrice=150.0, takeProfit=170.0, stopLoss=140.0)
    await broker.delete(f"{B}/orders/ORDER-1")
    assert [o["status"] for o in await orders(broker)] == [1, 1, 1]


async def test_edit_position_brackets_creates_replaces_and_removes_only_the_brackets(broker: Any) -> None:
    await place(broker, qty=2, limitPrice=150.0)
    await execute(broker)
    unrelated = await place(broker, side=-1, qty=1, limitPrice=400.0)
    response = await edit(broker, "AAPL", takeProfit=180.0, stopLoss=120.0)
    assert await response.read() == b'{"success":true,"message":"Updated brackets for position AAPL"}'
    found = by_id(await orders(broker))
    legs = [o for o in found.values() if o["parentId"] == "AAPL"]
    assert sorted((o["type"], o["side"], o["qty"], o["limitPrice"], o["stopPrice"], o["status"]) for o in legs) == [
        (1, -1, 2.0, 180.0, None, 6), (3, -1, 2.0, None, 120.0, 6)]

    await edit(broker, "AAPL", takeProfit=185.0, stopLoss=None)
    found = by_id(await orders(broker))
    live = [o for o in found.values() if o["parentId"] == "AAPL" and o["status"] == 6]
    assert [(o["type"], o["limitPrice"]) for o in live] == [(1, 185.0)]
    assert found[unrelated]["status"] == 6, "editing brackets never touches other orders"

    await edit(broker, "AAPL")
    found = by_id(await orders(broker))
    assert not [o for o in found.values() if o["parentId"] == "AAPL" and o["status"] == 6]
    assert found[unrelated]["status"] == 6


async def test_edit_brackets_of_unknown_position_is_404(broker: Any) -> None:
    response = await edit(broker, "MSFT", takeProfit=1.0)
    assert (response.status, await response.read()) == (404, b'{"detail":"Position MSFT not found"}')


async def test_edit_brackets_needs_the_brackets_object(broker: Any) -> None:
    response = await broker.put(f"{B}/positions/AAPL/brackets", json={"stopLoss": 1})
    assert response.status == 422
    assert (await response.json())["detail"][0]["loc"] == ["body", "brackets"]


async def test_off_tick_bracket_is_422_naming_the_field(broker: Any) -> None:
    await place(broker, qty=2, limitPrice=150.0)
    await execute(broker)
    response = await edit(broker, "AAPL", takeProfit=180.001)
    assert response.status == 422
    assert (await response.json())["detail"][0]["loc"] == ["body", "brackets", "takeProfit"]


async def test_closing_the_position_cancels_its_brackets(broker: Any) -> None:
    await place(broker, qty=2, limitPrice=150.0, takeProfit=180.0, stopLoss=120.0)
    await execute(broker)
    await broker.delete(f"{B}/positions/AAPL")
    found = by_id(await orders(broker))
    assert found["ORDER-2"]["status"] == found["ORDER-3"]["status"] == 1


async def test_stop_leg_fills_on_the_market_and_cancels_the_take_profit(
    broker: Any, clock: SteppedClock, stepped_market: Market
) -> None:
    """On the market (no force-fill): a stop leg placed just under the bid triggers as soon
    as the bid touches it; the take-profit far away is cancelled in the same step."""
    client, market = broker, stepped_market
    engine = client.app[MODULE_APPS]["broker"][ENGINE]
    await place(client, type=2, qty=1, limitPrice=None)
    clock.t += 200
    engine.handle(Step())
    bid = market.quote("AAPL").bid
    stop = round(bid - 0.01, 2)
    crossing = first_crossing(market, "AAPL", clock.t, clock.t + 3_600_000, bid_at_or_below=stop)
    assert crossing is not None
    await edit(client, "AAPL", takeProfit=round(bid * 2, 2), stopLoss=stop)
    clock.t = crossing + 200
    engine.handle(Step())
    found = by_id(await orders(client))
    tp, sl = found["ORDER-2"], found["ORDER-3"]
    assert (sl["status"], tp["status"]) == (2, 1)
    assert sl["avgPrice"] == market.quote("AAPL", clock.t).bid
    assert await (await client.get(f"{B}/positions")).read() == b"[]"


async def test_closing_with_an_amount_equal_to_the_position_up_to_float_noise_is_a_whole_close(
        broker: Any) -> None:
    """``0.1 + 0.2`` is 0.30000000000000004 in binary: rounded like every quantity, it is the
    0.3 position, so the close is whole (brackets cancelled), not a 400."""
    await place(broker, limitPrice=150.0, qty=0.3, takeProfit=300.0, stopLoss=100.0)
    await execute(broker)
    response = await broker.delete(f"{B}/positions/AAPL", params={"amount": str(0.1 + 0.2)})
    assert (response.status, await response.read()) == (
        200, b'{"success":true,"message":"Closed position AAPL"}')
    legs = [o for o in await orders(broker) if o["parentType"] is not None]
    assert [(o["type"], o["status"]) for o in legs] == [(1, 1), (3, 1)]
    close = (await orders(broker))[-1]
    assert (close["type"], close["side"], close["qty"], close["status"]) == (2, -1, 0.3, 6)
