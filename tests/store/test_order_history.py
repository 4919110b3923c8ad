"""``GET /orders/history`` (issue 18 item 4): the final orders, newest first, a page at a time,
read from the store (SQLite, PostgreSQL; ``memory:`` from the engine): every final order exactly
once, also across a restart and while orders finish between pages."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path
from typing import Any

import orjson
import pytest

from app.market import Market
from tests.broker.conftest import SteppedClock
from tests.store.apps import BROKER, Client, get_bytes, limit, market_order, matching, post
from tests.store.conftest import Launch

SECOND = 1000
_names = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql", "memory"])
def any_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "memory":
        return "memory:"
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'broker.sqlite3'}"
    url: str = request.getfixturevalue("pg_url")
    return url


async def step(client: Client, clock: SteppedClock) -> None:
    clock.t += SECOND
    assert await matching(client).step() is True


async def cancel(client: Client, order_id: str) -> None:
    response = await client.delete(f"{BROKER}/orders/{order_id}")
    assert response.status == 200, await response.text()


async def finish_some(client: Client, clock: SteppedClock, rounds: int) -> None:
    """Per round: a market order filled by the next step, a limit cancelled, one far limit left
    working, and (with brackets) a filled parent whose legs stay working."""
    for i in range(rounds):
        await post(client, "/orders", market_order(1 if i % 2 else -1, 1.0 + i))
        doomed = await post(client, "/orders", limit(1, 1.5, clientOrderId=f"doomed-{next(_names)}"))
        await cancel(client, doomed["orderId"])
        await post(client, "/orders", limit(1, 1.25, symbol="MSFT"))
        await step(client, clock)


async def history(client: Client, status: int = 200, **params: Any) -> Any:
    response = await client.get(f"{BROKER}/orders/history", params={k: str(v) for k, v in params.items()})
    assert response.status == status, await response.text()
    return orjson.loads(await response.read())


async def every_page(client: Client, size: int, before: str | None = None) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    while True:
        params: dict[str, Any] = {"limit": size} if before is None else {"limit": size, "before": before}
        answer = await history(client, **params)
        assert len(answer["orders"]) <= size
        seen += answer["orders"]
        before = answer["next"]
        if before is None:
            return seen


def newest_first(orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    final = [o for o in orders if o["status"] in (1, 2, 5)]
    return sorted(final, key=lambda o: (o["updateTime"], int(o["id"].split("-")[1])), reverse=True)


async def test_the_pages_hold_every_final_order_once_newest_first_as_get_orders_shows_it(
        any_url: str, market: Market, clock: SteppedClock, launch: Launch) -> None:
    client = await launch(any_url, market)
    await finish_some(client, clock, 7)
    orders = orjson.loads(await get_bytes(client, "/orders"))
    expected = newest_first(orders)
    assert len(expected) == 14 and len(orders) == 21
    for size in (1, 3, 14, 50):
        assert await every_page(client, size) == expected, size
    first = await history(client, limit=14)
    assert first == {"orders": expected, "next": None}
    assert (await history(client))["orders"] == expected  # default limit: 50


async def test_orders_finishing_between_pages_neither_repeat_nor_hide_an_older_one(
        any_url: str, market: Market, clock: SteppedClock, launch: Launch) -> None:
    client = await launch(any_url, market)
    await finish_some(client, clock, 5)
    expected = newest_first(orjson.loads(await get_bytes(client, "/orders")))
    seen: list[dict[str, Any]] = []
    before: str | None = None
    rounds = 0
    while True:
        params: dict[str, Any] = {"limit": 3} if before is None else {"limit": 3, "before": before}
        answer = await history(client, **params)
        seen += answer["orders"]
        before = answer["next"]
        if before is None:
            break
        await finish_some(client, clock, 1)  # newer final orders, between every two pages
        rounds += 1
    assert rounds >= 3
    assert seen == expected
    now = newest_first(orjson.loads(await get_bytes(client, "/orders")))
    assert len(now) == len(expected) + 2 * rounds and now[-len(expected):] == expected


async def test_paging_goes_on_across_a_restart_on_a_store_file_and_on_postgresql(
        store_url: str, market: Market, clock: SteppedClock, launch: Launch) -> None:
    first = await launch(store_url, market)
    await finish_some(first, clock, 6)
    expected = newest_first(orjson.loads(await get_bytes(first, "/orders")))
    page = await history(first, limit=5)
    await first.close()
    second = await launch(store_url, market)
    rest = await every_page(second, 4, before=page["next"])
    assert page["orders"] + rest == expected
    assert await every_page(second, 5) == expected


async def test_history_rows_are_the_stores_own_not_the_engines(
        market: Market, clock: SteppedClock, launch: Launch, tmp_path: Path) -> None:
    """A row the store lacks is missing from the page (the page is read from the store), and a
    start-up fills in what a store written before the history lacks."""
    path = tmp_path / "broker.sqlite3"
    url = f"sqlite:///{path}"
    client = await launch(url, market)
    await finish_some(client, clock, 3)
    expected = newest_first(orjson.loads(await get_bytes(client, "/orders")))
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM order_history WHERE order_id = ?", (expected[0]["id"],))
    assert (await history(client))["orders"] == expected[1:]
    await client.close()
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM order_history")
    again = await launch(url, market)
    assert (await history(again))["orders"] == expected
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM order_history").fetchone()[0] == len(expected)


async def test_a_reset_empties_the_history(
        any_url: str, market: Market, clock: SteppedClock, launch: Launch) -> None:
    client = await launch(any_url, market)
    await finish_some(client, clock, 2)
    assert len((await history(client))["orders"]) == 4
    await post(client, "/debug/reset")
    assert await history(client) == {"orders": [], "next": None}
    await finish_some(client, clock, 1)
    filled_last = [o["clientOrderId"] is None for o in (await history(client))["orders"]]
    assert filled_last == [True, False]  # the market order was filled by the step, after the cancel


@pytest.mark.parametrize("params, loc, kind", [
    ({"limit": "0"}, "limit", "greater_than_equal"),
    ({"limit": "501"}, "limit", "less_than_equal"),
    ({"limit": "ten"}, "limit", "int_parsing"),
    ({"before": "not-a-cursor"}, "before", "value_error"),
    ({"before": "MTIz"}, "before", "value_error"),  # "123": base64, but not a cursor
    ({"before": "x" * 4_000}, "before", "value_error"),
])
async def test_bad_parameters_are_422_naming_the_parameter(
        market: Market, launch: Launch, params: dict[str, str], loc: str, kind: str) -> None:
    client = await launch("memory:", market)
    response = await client.get(f"{BROKER}/orders/history", params=params)
    assert response.status == 422
    detail = (await response.json())["detail"]
    assert [(d["loc"], d["type"]) for d in detail] == [(["query", loc], kind)]
    assert len(await response.read()) < 2_000
