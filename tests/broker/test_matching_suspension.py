"""A market that breaks makes matching fail visibly: after SUSPEND_AFTER_FAILURES failed steps
the broker-connection stream says "Matching suspended", the first good step says connected
again, and nothing of the failed steps was kept or published."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from app.broker.api.matching import SUSPEND_AFTER_FAILURES
from app.keys import MATCHING, MODULE_APPS
from app.market import Market, default_catalogue
from app.market.model import Top
from tests.clock import NOW, SteppedClock
from tests.conftest import ClientFactory
from tests.broker.test_rest import B, orders, place


class FeedDown(RuntimeError):
    pass


class BreakableMarket(Market):
    """The real market, whose quotes can be switched off."""

    broken = False

    def top(self, symbol: str, t: int | None = None) -> Top:
        if self.broken:
            raise FeedDown(f"no quote for {symbol}")
        return super().top(symbol, t)


async def _next(ws: Any) -> dict[str, Any]:
    message: dict[str, Any] = await ws.receive_json(timeout=2)
    return message


async def test_five_failed_steps_suspend_matching_and_a_good_one_resumes_it(
        make_broker: ClientFactory, caplog: pytest.LogCaptureFixture) -> None:
    clock = SteppedClock(NOW)
    market = BreakableMarket(default_catalogue(), seed=0, clock=clock)
    client = await make_broker(on=market)
    loop = client.app[MODULE_APPS]["broker"][MATCHING]
    ws = await client.ws_connect(f"{B}/ws")
    await ws.send_str('{"type":"broker-connection.subscribe","payload":{"accountId":"A"}}')
    await _next(ws)
    assert (await _next(ws))["payload"]["payload"]["status"] == 1
    await ws.send_str('{"type":"orders.subscribe","payload":{"accountId":"A"}}')
    await _next(ws)
    order_id = await place(client, type=2, qty=1, limitPrice=None)
    assert (await _next(ws))["payload"]["payload"]["status"] == 6

    market.broken = True
    with caplog.at_level(logging.ERROR, logger="app.broker.api.matching"):
        for failures in range(1, SUSPEND_AFTER_FAILURES + 1):
            clock.t += 200
            assert await loop.step() is False
            assert (loop.failures, loop.suspended) == (failures, failures == SUSPEND_AFTER_FAILURES)
    suspended = (await _next(ws))["payload"]
    assert suspended["topic"].startswith("broker-connection:")
    assert suspended["payload"] == {
        "status": 0,
        "message": "Matching suspended: Step failed on AAPL (orders: none): FeedDown: no quote for AAPL",
        "disconnectType": None, "timestamp": clock.t}
    first, second = (r for r in caplog.records if r.name == "app.broker.api.matching")
    assert "Step failed on AAPL" in first.getMessage() and first.exc_info is not None
    assert second.getMessage().startswith("matching suspended after 5 failed steps")
    assert [(o["id"], o["status"]) for o in await orders(client)] == [(order_id, 6)]

    late = await client.ws_connect(f"{B}/ws")
    await late.send_str('{"type":"broker-connection.subscribe","payload":{"accountId":"A"}}')
    await _next(late)
    assert (await _next(late))["payload"]["payload"]["status"] == 0, "a new subscriber is told too"

    market.broken = False
    clock.t += 200
    assert await loop.step() is True
    assert (loop.failures, loop.suspended) == (0, False)
    filled, resumed = await _next(ws), await _next(ws)
    assert (filled["type"], filled["payload"]["payload"]["status"]) == ("orders.update", 2)
    assert resumed["type"] == "broker-connection.update"
    assert resumed["payload"]["payload"] == {
        "status": 1, "message": "Connected to demo broker", "disconnectType": None, "timestamp": clock.t}
    await ws.close()
    await late.close()


async def test_fewer_failures_than_the_threshold_publish_nothing(make_broker: ClientFactory) -> None:
    clock = SteppedClock(NOW)
    market = BreakableMarket(default_catalogue(), seed=0, clock=clock)
    client = await make_broker(on=market)
    loop = client.app[MODULE_APPS]["broker"][MATCHING]
    ws = await client.ws_connect(f"{B}/ws")
    await ws.send_str('{"type":"broker-connection.subscribe","payload":{"accountId":"A"}}')
    await _next(ws)
    await _next(ws)
    await place(client, type=2, qty=1, limitPrice=None)
    market.broken = True
    for _ in range(SUSPEND_AFTER_FAILURES - 1):
        clock.t += 200
        await loop.step()
    market.broken = False
    clock.t += 200
    assert await loop.step() is True
    await ws.send_str('{"type":"broker-connection.subscribe","payload":{"accountId":"A"}}')
    assert (await _next(ws))["type"] == "broker-connection.subscribe.response"
    assert (await _next(ws))["payload"]["payload"]["status"] == 1, "no status change was published before"
    await ws.close()
