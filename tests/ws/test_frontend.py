"""A client that behaves like the shipped frontend (CONTRACT §6.11) gets every update and leaves
nothing behind.

Like the frontend it computes each topic itself, waits ≤ 3 s for the subscribe.response of that
topic and otherwise re-sends every 200 ms, routes updates by exact topic, never unsubscribes, and
after any close (the server's or its own) reconnects 200 ms later and re-subscribes everything.
It runs once against a bare hub (order across a reconnect, producers restarted) and once against
the real app with one socket per module.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientWebSocketResponse, WSMsgType, web
from aiohttp.test_utils import TestClient
from pytest_aiohttp.plugin import AiohttpClient

from app.keys import HUB, MODULE_APPS
from tests.conftest import ClientFactory
from tests.waiting import wait_until
from tests.ws.conftest import Book, Ticker, make_app
from ws import Hub

CONFIRM_WITHIN_S = 3.0
RESEND_EVERY_S = 0.2
RECONNECT_AFTER_S = 0.2
ACCOUNT = {"accountId": "ACCOUNT-01"}
BROKER_ROUTES = ("orders", "positions", "executions", "equity", "broker-connection")


def js_topic(route: str, payload: dict[str, Any]) -> str:
    """The frontend's own computation: sorted keys, no spaces (JSON.stringify)."""
    return route + ":" + json.dumps(dict(sorted(payload.items())), separators=(",", ":"), ensure_ascii=False)


@dataclass
class Frontend:
    client: TestClient[web.Request, web.Application]
    path: str = "/ws"
    subscriptions: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    updates: dict[str, list[Any]] = field(default_factory=dict)
    answers: list[dict[str, Any]] = field(default_factory=list)
    answered: dict[str, asyncio.Event] = field(default_factory=dict)
    connections: int = 0
    ws: ClientWebSocketResponse | None = None
    stopping: bool = False
    runner: asyncio.Task[None] | None = None

    @classmethod
    async def start(cls, client: TestClient[web.Request, web.Application], path: str = "/ws") -> Frontend:
        frontend = cls(client, path)
        frontend.runner = asyncio.create_task(frontend._run())
        await wait_until(lambda: frontend.connections == 1, what=f"a socket to {path}")
        return frontend

    def of(self, topic: str) -> list[Any]:
        return self.updates.get(topic, [])

    async def subscribe(self, route: str, payload: dict[str, Any]) -> str:
        topic = js_topic(route, payload)
        self.subscriptions[topic] = (route, payload)
        await asyncio.wait_for(self._subscribe(route, payload), CONFIRM_WITHIN_S + 2.0)
        assert self.answers[-1]["status"] == "ok", self.answers[-1]
        return topic

    async def stop(self) -> None:
        self.stopping = True
        if self.ws is not None:
            await self.ws.close()
        assert self.runner is not None
        await asyncio.wait_for(self.runner, 5)

    async def _run(self) -> None:
        while not self.stopping:
            self.ws = await self.client.ws_connect(self.path)
            self.connections += 1
            resubscribe = [asyncio.create_task(self._subscribe(route, payload))
                           for route, payload in self.subscriptions.values()]
            async for msg in self.ws:
                if msg.type is not WSMsgType.TEXT:
                    break
                data = json.loads(msg.data)
                kind, payload = data["type"], data["payload"]
                if kind.endswith(".subscribe.response"):
                    self.answers.append(payload)
                    self.answered.setdefault(payload["topic"], asyncio.Event()).set()
                elif kind.endswith(".update"):
                    self.updates.setdefault(payload["topic"], []).append(payload["payload"])
            for task in resubscribe:
                task.cancel()
            if not self.stopping:
                await asyncio.sleep(RECONNECT_AFTER_S)

    async def _subscribe(self, route: str, payload: dict[str, Any]) -> None:
        topic = js_topic(route, payload)
        event = self.answered[topic] = asyncio.Event()
        message = json.dumps({"type": f"{route}.subscribe", "payload": payload})
        assert self.ws is not None
        await self.ws.send_str(message)
        try:
            await asyncio.wait_for(event.wait(), CONFIRM_WITHIN_S)
        except asyncio.TimeoutError:
            while not event.is_set():
                await self.ws.send_str(message)
                await asyncio.sleep(RESEND_EVERY_S)


async def test_the_frontend_gets_every_update_across_a_reconnect_and_leaves_nothing(
    aiohttp_client: AiohttpClient, hub: Hub, ticker: Ticker, book: Book
) -> None:
    book.items = [{"id": "snapshot"}]
    client = await aiohttp_client(make_app(hub))
    frontend = await Frontend.start(client)
    orders = await frontend.subscribe("orders", ACCOUNT)
    events = await frontend.subscribe("events", ACCOUNT)
    ticks = await frontend.subscribe("ticks", {"symbol": "AAPL", "resolution": "1D"})
    for n in range(50):
        hub.publish_route("orders", {"n": n})
    await wait_until(lambda: len(frontend.of(orders)) == 50)

    await hub.close_all(code=1012)
    await wait_until(lambda: frontend.connections == 2 and hub.topic_count == 3)
    await wait_until(lambda: all(e.is_set() for e in frontend.answered.values()))
    for n in range(50, 100):
        hub.publish_route("orders", {"n": n})
    await wait_until(lambda: len(frontend.of(orders)) == 100)
    await wait_until(lambda: len(ticker.started) == 2 and len(frontend.of(ticks)) > 3)

    await frontend.stop()

    assert [u["n"] for u in frontend.updates[orders]] == list(range(100))
    assert frontend.updates[events] == [{"id": "snapshot"}, {"id": "snapshot"}]
    assert [a["status"] for a in frontend.answers] == ["ok"] * 6
    await wait_until(lambda: (hub.connection_count, hub.topic_count, hub.producer_count, ticker.running)
                     == (0, 0, 0, 0))


async def test_on_the_real_app_the_frontend_gets_every_update_and_leaves_nothing(make_client: ClientFactory) -> None:
    client = await make_client()
    broker_hub, feed_hub = (client.app[MODULE_APPS][m][HUB] for m in ("broker", "datafeed"))
    broker = await Frontend.start(client, "/api/v1/broker/ws")
    feed = await Frontend.start(client, "/api/v1/datafeed/ws")
    topics = {route: await broker.subscribe(route, ACCOUNT) for route in BROKER_ROUTES}
    bars = await feed.subscribe("bars", {"symbol": "AAPL", "resolution": "1"})
    quotes = await feed.subscribe("quotes", {"symbols": ["AAPL"], "fast_symbols": ["MSFT"]})
    await wait_until(lambda: broker.of(topics["broker-connection"]) and broker.of(topics["equity"]),
                     what="the snapshots that follow their subscribe.response")
    connection = broker.updates[topics["broker-connection"]]
    assert connection[0]["status"] == 1 and connection[0]["message"] == "Connected to demo broker"
    assert broker.updates[topics["equity"]][0]["equity"] == 100000.0

    response = await client.post("/api/v1/broker/orders", json={"symbol": "AAPL", "type": 2, "side": 1, "qty": 1})
    order_id = (await response.json())["orderId"]
    await wait_until(lambda: broker.of(topics["positions"]) and broker.updates[topics["positions"]][-1]["qty"] == 1.0,
                     what="the filled order's position")
    assert [o["status"] for o in broker.updates[topics["orders"]] if o["id"] == order_id] == [6, 2]
    assert len(broker.updates[topics["executions"]]) == 1
    await wait_until(lambda: len(feed.of(bars)) >= 3 and {q["n"] for q in feed.of(quotes)} == {"AAPL", "MSFT"},
                     what="three bars and a quote of each symbol")

    seen = len(broker.updates[topics["positions"]])
    await broker_hub.close_all(code=1012)
    assert feed.ws is not None
    await feed.ws.close()
    await wait_until(lambda: (broker.connections, feed.connections, broker_hub.topic_count, feed_hub.producer_count)
                     == (2, 2, 5, 2), what="both sockets back with every subscription")
    await wait_until(lambda: len(broker.updates[topics["positions"]]) > seen, what="the positions snapshot again")
    positions = broker.updates[topics["positions"]]
    assert positions[-1] == {"id": "AAPL", "symbol": "AAPL", "qty": 1.0, "side": 1,
                             "avgPrice": positions[-1]["avgPrice"]}, "a re-subscription gets the snapshot again"
    await client.delete("/api/v1/broker/positions/AAPL")
    await wait_until(lambda: broker.updates[topics["positions"]][-1]["qty"] == 0.0, what="the closed position")

    assert broker_hub.topic_count == 5 and feed_hub.producer_count == 2
    await broker.stop()
    await feed.stop()
    assert [a["status"] for a in broker.answers + feed.answers] == ["ok"] * 14
    await wait_until(lambda: [(h.topic_count, h.producer_count, h.connection_count) for h in (broker_hub, feed_hub)]
                     == [(0, 0, 0), (0, 0, 0)], what="both hubs empty")
