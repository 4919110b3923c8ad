"""Durations across a restart on SQLite: an order whose expiry passed while the server was down
is cancelled by the first step after the start (the catch-up step of the restart rule), with
its expiry as its time; one whose expiry is still ahead keeps working, with its duration."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from app.broker.domain.requests import DAY_MS
from app.market import Market
from tests.broker.conftest import SteppedClock
from tests.store.apps import get_bytes, limit, matching, post
from tests.store.conftest import Launch


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'broker.sqlite3'}"


async def test_an_order_that_expired_while_the_server_was_down_is_cancelled_at_its_expiry(
        url: str, market: Market, clock: SteppedClock, launch: Launch) -> None:
    midnight = (clock.t // DAY_MS + 1) * DAY_MS
    first = await launch(url, market)
    day = await post(first, "/orders", limit(1, 1.5, duration={"type": "DAY"}))
    later = midnight + 3 * 3_600_000
    gtd = await post(first, "/orders", limit(1, 1.5, duration={"type": "GTD", "datetime": later}))
    plain = await post(first, "/orders", limit(1, 1.5))
    clock.t += 1000
    assert await matching(first).step() is True
    await first.close()
    clock.t = midnight + 3_600_000  # down over midnight
    second = await launch(url, market)
    try:
        before = {o["id"]: o for o in orjson.loads(await get_bytes(second, "/orders"))}
        assert before[day["orderId"]]["status"] == 6  # nothing is decided before the first step
        assert await matching(second).step() is True
        after = {o["id"]: o for o in orjson.loads(await get_bytes(second, "/orders"))}
        assert [(after[o["orderId"]]["status"], after[o["orderId"]]["duration"]) for o in (day, gtd, plain)] == [
            (1, {"type": "DAY", "datetime": None}), (6, {"type": "GTD", "datetime": later}), (6, None)]
        assert after[day["orderId"]]["updateTime"] == midnight
        history = orjson.loads(await get_bytes(second, "/orders/history"))["orders"]
        assert [(o["id"], o["updateTime"], o["duration"]["type"]) for o in history] == [
            (day["orderId"], midnight, "DAY")]
    finally:
        await second.close()
    third = await launch(url, market)
    try:
        clock.t = later + 1
        assert await matching(third).step() is True
        after = {o["id"]: o for o in orjson.loads(await get_bytes(third, "/orders"))}
        assert (after[gtd["orderId"]]["status"], after[gtd["orderId"]]["updateTime"]) == (1, later)
        assert after[plain["orderId"]]["status"] == 6
    finally:
        await third.close()
