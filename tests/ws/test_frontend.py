"""A client that behaves like the shipped frontend (CONTRACT §6.11) gets every update and
leaves nothing behind: it waits ≤ 3 s for the matching response else re-sends every 200 ms,
and after a close reconnects after 200 ms and re-subscribes everything."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientWebSocketResponse, WSMsgType, web
from aiohttp.test_utils import TestClient
from pytest_aiohttp.plugin import AiohttpClient

from tests.waiting import wait_until
from tests.ws.conftest import Book, Ticker, make_app
from ws import Hub


def js_topic(route: str, payload: dict[str, Any]) -> str:
    """The frontend's own computation: sorted keys, no spaces (JSON.stringify)."""
    return route + ":" + json.dumps(dict(sorted(payload.items())), separators=(",", ":"), ensure_ascii=False)


@dataclass
class Frontend:
    client: TestClient[web.Request, web.Application]
    subscriptions: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    updates: dict[str, list[Any]] = field(default_factory=dict)
    confirmed: dict[str, asyncio.Event] = field(default_factory=dict)
    connections: int = 0
    ws: ClientWebSocketResponse | None = None
    stopping: bool = False

    async def run(self) -> None:
        while not self.stopping:
            self.ws = await self.client.ws_connect("/ws")
            self.connections += 1
            resubscribe = [asyncio.create_task(self._subscribe(route, payload))
                           for route, payload in self.subscriptions.values()]
            async for msg in self.ws:
                if msg.type is not WSMsgType.TEXT:
                    break
                data = json.loads(msg.data)
                kind, payload = data["type"], data["payload"]
                if kind.endswith(".subscribe.response") and payload["status"] == "ok":
                    self.confirmed.setdefault(payload["topic"], asyncio.Event()).set()
                elif kind.endswith(".update"):
                    self.updates.setdefault(payload["topic"], []).append(payload["payload"])
            for task in resubscribe:
                task.cancel()
            if not self.stopping:
                await asyncio.sleep(0.2)

    async def subscribe(self, route: str, payload: dict[str, Any]) -> str:
        topic = js_topic(route, payload)
        self.subscriptions[topic] = (route, payload)
        await self._subscribe(route, payload)
        return topic

    async def _subscribe(self, route: str, payload: dict[str, Any]) -> None:
        topic = js_topic(route, payload)
        event = self.confirmed[topic] = asyncio.Event()
        message = json.dumps({"type": f"{route}.subscribe", "payload": payload})
        assert self.ws is not None
        await self.ws.send_str(message)
        try:
            await asyncio.wait_for(event.wait(), 3.0)
        except asyncio.TimeoutError:
            while not event.is_set():
                await self.ws.send_str(message)
                await asyncio.sleep(0.2)

    async def stop(self) -> None:
        self.stopping = True
        if self.ws is not None:
            await self.ws.close()


async def test_the_frontend_gets_every_update_across_a_reconnect_and_leaves_nothing(
    aiohttp_client: AiohttpClient, hub: Hub, ticker: Ticker, book: Book
) -> None:
    book.items = [{"id": "snapshot"}]
    client = await aiohttp_client(make_app(hub))
    frontend = Frontend(client)
    runner = asyncio.create_task(frontend.run())
    await wait_until(lambda: frontend.ws is not None)
    orders = await frontend.subscribe("orders", {"accountId": "ACCOUNT-01"})
    events = await frontend.subscribe("events", {"accountId": "ACCOUNT-01"})
    ticks = await frontend.subscribe("ticks", {"symbol": "AAPL", "resolution": "1D"})
    for n in range(50):
        hub.publish_route("orders", {"n": n})
    await wait_until(lambda: len(frontend.updates.get(orders, [])) == 50)

    await hub.close_all(code=1012)
    await wait_until(lambda: frontend.connections == 2 and hub.topic_count == 3)
    await wait_until(lambda: all(e.is_set() for e in frontend.confirmed.values()))
    for n in range(50, 100):
        hub.publish_route("orders", {"n": n})
    await wait_until(lambda: len(frontend.updates.get(orders, [])) == 100)
    await wait_until(lambda: len(ticker.started) == 2 and len(frontend.updates.get(ticks, [])) > 3)

    await frontend.stop()
    await asyncio.wait_for(runner, 5)

    assert [u["n"] for u in frontend.updates[orders]] == list(range(100))
    assert frontend.updates[events] == [{"id": "snapshot"}, {"id": "snapshot"}]
    await wait_until(lambda: (hub.connection_count, hub.topic_count, hub.producer_count, ticker.running)
                     == (0, 0, 0, 0))
