"""``/health`` tells the truth: 503 with the HealthResponse shape while matching is suspended or
the store does not answer, the original body again once they work."""

from __future__ import annotations

import json
import re
from typing import Any

from app.broker.api.matching import SUSPEND_AFTER_FAILURES
from app.keys import MATCHING, MODULE_APPS
from app.market import Market, default_catalogue
from tests.broker.test_matching_suspension import BreakableMarket
from tests.broker.test_rest import place
from tests.clock import NOW, SteppedClock
from tests.conftest import ClientFactory
from tests.observability.scrape import scrape, value
from tests.pgserver import PgServer
from tests.store.apps import start
from tests.waiting import wait_until_async

HEALTH = "/api/v1/broker/health"
HEALTHY = re.compile(rb'\{"status":"ok","message":"Service is healthy","timestamp":"[^"]+Z",'
                     rb'"module_name":"broker","api_version":"v1"\}')


async def health(client: Any) -> tuple[int, Any]:
    response = await client.get(HEALTH)
    body = await response.read()
    return response.status, body


def failing(status_body: tuple[int, Any], part: str) -> bool:
    status, body = status_body
    if status != 503:
        return False
    data = json.loads(body)
    assert set(data) == {"status", "message", "timestamp", "module_name", "api_version"}
    assert (data["status"], data["module_name"], data["api_version"]) == ("error", "broker", "v1")
    return bool(data["message"].startswith(part))


async def test_suspended_matching_makes_health_503_until_a_good_step(make_client: ClientFactory) -> None:
    clock = SteppedClock(NOW)
    market = BreakableMarket(default_catalogue(), seed=0, clock=clock)
    client = await make_client(on=market, modules=("broker",), background_tasks=False)
    loop = client.app[MODULE_APPS]["broker"][MATCHING]
    status, body = await health(client)
    assert status == 200 and HEALTHY.fullmatch(body), body
    await place(client, type=2, qty=1, limitPrice=None)  # a working order: each step needs quotes
    before = await scrape(client)
    market.broken = True
    for failures in range(1, SUSPEND_AFTER_FAILURES + 1):
        clock.t += 200
        assert await loop.step() is False
        answer = await health(client)
        if failures < SUSPEND_AFTER_FAILURES:
            assert answer[0] == 200
    assert failing(answer, "Matching suspended: ")
    assert b"FeedDown" in answer[1] or b"no quote" in answer[1]
    market.broken = False
    clock.t += 200
    assert await loop.step() is True
    status, body = await health(client)
    assert status == 200 and HEALTHY.fullmatch(body), body
    after = await scrape(client)
    assert value(after, "engine_step_failures_total") - value(before, "engine_step_failures_total") == 5
    assert value(after, "engine_step_seconds_count") - value(before, "engine_step_seconds_count") == 6


async def test_a_stopped_postgresql_makes_health_503_and_its_return_makes_it_200(
        own_pg: PgServer, market: Market) -> None:
    client = await start(own_pg.create_database(), market, background_tasks=True)
    try:
        status, body = await health(client)
        assert status == 200 and HEALTHY.fullmatch(body), body
        own_pg.stop()
        try:
            answer = await wait_until_async(
                lambda: _when(health(client), lambda a: failing(a, "Store unavailable: ")),
                timeout=15, interval=0.2, what="health to say the store is unavailable")
            assert b"postgres" in answer[1].lower() or b"failed" in answer[1]
        finally:
            own_pg.start()
        status, body = await wait_until_async(
            lambda: _when(health(client), lambda a: a[0] == 200), timeout=20, interval=0.2,
            what="health to recover")
        assert HEALTHY.fullmatch(body), body
    finally:
        await client.close()


async def _when(answer: Any, accept: Any) -> Any:
    """The awaited answer when ``accept`` takes it, else None (keep waiting)."""
    result = await answer
    return result if accept(result) else None
