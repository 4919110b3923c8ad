"""A restarted broker serves exactly the account it had: orders, positions, executions, balance,
leverage, the id counter and the clientOrderId map, from a snapshot or from the journal alone."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from app.broker.domain.checkpoint import differences, export_state
from app.market import Market
from tests.broker.conftest import SteppedClock
from tests.store.apps import Client, account, get_bytes, limit, market_order, matching, post, put
from tests.store.conftest import Launch

SECOND = 1000
LEVERAGE = {"symbol": "AAPL", "orderType": 1, "side": 1, "leverage": 5}


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'broker.sqlite3'}"


async def step(client: Client, clock: SteppedClock, ms: int = SECOND) -> None:
    clock.t += ms
    assert await matching(client).step() is True


async def trade(client: Client, clock: SteppedClock) -> None:
    """A day's worth of everything the account can hold."""
    await put(client, "/leverage/set", LEVERAGE)
    await post(client, "/orders", limit(1, 1.5, clientOrderId="resting-1"))
    await post(client, "/orders", market_order(1, 3.0, takeProfit=10_000.0, stopLoss=1.0))
    await step(client, clock)
    far = await post(client, "/orders", limit(-1, 9_000.0, symbol="MSFT"))
    await put(client, f"/orders/{far['orderId']}", limit(-1, 9_100.0, qty=2.0, symbol="MSFT"))
    doomed = await post(client, "/orders", limit(1, 2.0, symbol="MSFT"))
    response = await client.delete(f"/api/v1/broker/orders/{doomed['orderId']}")
    assert response.status == 200
    await post(client, "/orders", market_order(-1, 2.0, symbol="MSFT"))
    await step(client, clock)
    response = await client.delete("/api/v1/broker/positions/AAPL", params={"amount": "1"})
    assert response.status == 200
    await step(client, clock)


async def served(client: Client) -> dict[str, bytes]:
    paths = ["/orders", "/positions", "/executions/AAPL", "/executions/MSFT",
             "/leverage/info?symbol=AAPL&orderType=1&side=1"]
    return {path: await get_bytes(client, path) for path in paths}


async def test_a_graceful_restart_serves_the_same_account_byte_for_byte(
        url: str, market: Market, clock: SteppedClock, launch: Launch) -> None:
    first = await launch(url, market)
    await trade(first, clock)
    before, state = await served(first), export_state(account(first).engine.state)
    await first.close()
    second = await launch(url, market)
    try:
        assert await served(second) == before
        assert export_state(account(second).engine.state) == state
        orders = orjson.loads(before["/orders"])
        assert {o["status"] for o in orders} == {1, 2, 6} and any(o["parentType"] == 2 for o in orders)
        opened = {o["symbol"]: o["avgPrice"] for o in orders if o["type"] == 2 and o["qty"] != 1.0}
        assert orjson.loads(before["/positions"]) == [
            {"id": "AAPL", "symbol": "AAPL", "qty": 2.0, "side": 1, "avgPrice": opened["AAPL"]},
            {"id": "MSFT", "symbol": "MSFT", "qty": 2.0, "side": -1, "avgPrice": opened["MSFT"]}]
    finally:
        await second.close()


async def test_a_server_that_never_shut_down_is_rebuilt_from_the_journal_alone(
        url: str, market: Market, clock: SteppedClock, launch: Launch) -> None:
    first = await launch(url, market)
    await trade(first, clock)
    before = await served(first)
    second = await launch(url, market)  # takes the account over: nothing was snapshotted
    try:
        assert account(second).epoch == account(first).epoch + 1
        assert await served(second) == before
        assert differences(account(first).engine.state, account(second).engine.state) == []
        response = await first.post("/api/v1/broker/orders", json=limit(1, 1.5))
        assert (response.status, await response.json()) == (503, {"detail": "Store unavailable"})
    finally:
        await second.close()
        await first.close()


async def test_the_id_counter_and_client_order_ids_survive_a_restart(
        url: str, market: Market, clock: SteppedClock, launch: Launch) -> None:
    first = await launch(url, market)
    await trade(first, clock)
    last = orjson.loads(await get_bytes(first, "/orders"))[-1]["id"]
    await first.close()
    second = await launch(url, market)
    try:
        again = await post(second, "/orders", limit(1, 1.5, clientOrderId="resting-1"))
        assert again == {"orderId": "ORDER-1"}
        response = await second.post("/api/v1/broker/orders", json=limit(1, 1.6, clientOrderId="resting-1"))
        assert response.status == 409
        fresh = await post(second, "/orders", limit(1, 1.5))
        assert fresh == {"orderId": f"ORDER-{int(last.split('-')[1]) + 1}"}
    finally:
        await second.close()


async def test_a_reset_also_clears_the_stored_account(
        url: str, market: Market, clock: SteppedClock, launch: Launch) -> None:
    first = await launch(url, market)
    await trade(first, clock)
    await post(first, "/debug/reset")
    after_reset = await served(first)
    await first.close()
    second = await launch(url, market)
    try:
        assert await served(second) == after_reset
        assert after_reset["/orders"] == b"[]" and after_reset["/positions"] == b"[]"
        stored = await account(second).store.load("DEMO-ACCOUNT")
        kinds = [r.kind for r in stored.records]
        assert stored.snapshot is not None or kinds[0] == "AccountReset"
        assert "OrderAccepted" not in kinds
    finally:
        await second.close()


async def test_working_orders_crossed_while_down_fill_on_the_first_step_after_start(
        url: str, market: Market, clock: SteppedClock, launch: Launch) -> None:
    """The restart rule: matching catches up the whole interval it missed, from the market."""
    down = 6 * 3600 * SECOND
    ask_now = market.top("AAPL", clock.t + SECOND).ask
    lowest = market.extremes("AAPL", clock.t + SECOND, clock.t + down).ask_low
    assert lowest < ask_now, "the path must dip below the current ask in these six hours"
    first = await launch(url, market)
    order_id = (await post(first, "/orders", limit(1, lowest)))["orderId"]
    await step(first, clock)
    assert orjson.loads(await get_bytes(first, "/orders"))[0]["status"] == 6
    await first.close()
    clock.t += down
    second = await launch(url, market)
    try:
        assert orjson.loads(await get_bytes(second, "/orders"))[0]["status"] == 6  # nothing moves before a step
        await step(second, clock, 0)
        order = orjson.loads(await get_bytes(second, "/orders"))[0]
        assert (order["id"], order["status"], order["avgPrice"], order["updateTime"]) == (
            order_id, 2, lowest, clock.t)
        executions = orjson.loads(await get_bytes(second, "/executions/AAPL"))
        assert executions == [
            {"symbol": "AAPL", "price": lowest, "qty": 1.0, "side": 1, "time": clock.t, "commission": 0.0}]
    finally:
        await second.close()
