"""A scripted session against the real app (both modules, a SQLite store), then one scrape:
every series moved by exactly what the session did."""

from __future__ import annotations

import random
import socket
import string
from pathlib import Path
from typing import Any

from app.keys import HUB, MATCHING, MODULE_APPS
from app.market import Market, default_catalogue
from tests.broker.test_rest import place
from tests.clock import NOW, SteppedClock
from tests.conftest import ClientFactory
from tests.observability.scrape import Samples, scrape, series, value
from tests.waiting import receive_until, wait_until
from tests.ws.rawclient import RawClient

ORDERS_SUB = '{"type":"orders.subscribe","payload":{"accountId":"DEMO-ACCOUNT"}}'
QUOTES_SUB = '{"type":"quotes.subscribe","payload":{"symbols":["AAPL"],"fast_symbols":[]}}'
ORDERS = 3
QUOTES = 2000


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def order_updates(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m["payload"]["payload"] for m in messages if m["type"] == "orders.update"]


async def test_a_scripted_session_moves_every_series_by_what_it_did(
        make_client: ClientFactory, tmp_path: Path) -> None:
    clock = SteppedClock(NOW)
    client = await make_client(on=Market(default_catalogue(), seed=0, clock=clock), background_tasks=False,
                               store_url=f"sqlite:///{tmp_path / 'broker.sqlite3'}")
    broker, datafeed = client.app[MODULE_APPS]["broker"], client.app[MODULE_APPS]["datafeed"]
    await scrape(client)
    before = await scrape(client)

    sockets = [await client.ws_connect("/api/v1/broker/ws") for _ in range(2)]
    for ws in sockets:
        await ws.send_str(ORDERS_SUB)
        await receive_until(ws, lambda m: m["type"] == "orders.subscribe.response")
    opened = await scrape(client)
    assert value(opened, "ws_connections", module="broker") == 2
    assert value(opened, "ws_topics", module="broker", route="orders") == 1

    for _ in range(ORDERS):
        await place(client, type=2, qty=1, limitPrice=None)
    clock.t += 1000
    assert await broker[MATCHING].step() is True
    for ws in sockets:  # each socket: every order working, then filled
        fills: list[dict[str, Any]] = []
        seen = await receive_until(ws, lambda m: bool(fills.extend(
            u for u in order_updates([m]) if u["status"] == 2)) or len(fills) == ORDERS)
        assert [u["status"] for u in order_updates(seen)] == [6] * ORDERS + [2] * ORDERS

    raw = await RawClient.connect(str(client.server.host), int(client.server.port or 0), "/api/v1/datafeed/ws")
    try:
        hub = datafeed[HUB]
        await raw.send_text(QUOTES_SUB)
        await wait_until(lambda: hub.connection_count == 1 and hub.topics("quotes"))
        [stalled] = hub.connections
        stalled.transport.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
        [topic] = hub.topics("quotes")
        for n in range(QUOTES):
            hub.publish(topic, {"n": "AAPL", "s": "ok", "v": {"lp": float(n), "pad": "x" * 1000}})
        conflated = stalled.conflated
        assert conflated > QUOTES // 2  # the stalled reader got the latest, not all
        for ws in sockets:
            await ws.close()
        await wait_until(lambda: broker[HUB].connection_count == 0)

        rng = random.Random(5)
        for _ in range(50):
            path = "/" + "/".join("".join(rng.choices(string.ascii_lowercase, k=8)) for _ in range(2))
            assert (await client.get(path)).status == 404
        after = await scrape(client)
    finally:
        raw.close()

    assert moved(before, after, "orders_total", status="working") == ORDERS
    assert moved(before, after, "orders_total", status="filled") == ORDERS
    assert moved(before, after, "http_requests_total", module="broker", route="/api/v1/broker/orders",
                 method="POST", status="200") == ORDERS
    assert moved(before, after, "http_requests_total", module="unmatched", route="unmatched",
                 method="GET", status="404") == 50
    assert moved(before, after, "ws_messages_sent_total", module="broker", route="orders") == 2 * 2 * ORDERS
    assert moved(before, after, "ws_messages_sent_total", module="datafeed", route="quotes") >= QUOTES
    assert moved(before, after, "ws_conflated_total", module="datafeed") >= conflated
    assert moved(before, after, "ws_closes_total", module="broker", code="1000") == 2
    assert value(after, "ws_connections", module="broker") == 0
    assert value(after, "ws_connections", module="datafeed") == 1
    assert value(after, "ws_backlog_bytes_max", module="datafeed") > 0
    commands = ORDERS + 1  # the orders and the matching step, each its own commit here
    assert moved(before, after, "store_batch_size_count") == commands
    assert moved(before, after, "store_batch_size_sum") == commands
    assert moved(before, after, "store_commit_seconds_count") == commands
    assert moved(before, after, "engine_step_seconds_count") == 1
    assert moved(before, after, "engine_step_failures_total") == 0
    routes = {dict(labels)["route"] for labels in series(after, "http_requests_total")}
    assert not any("ORDER-" in route for route in routes)
