"""A client that behaves like the shipped frontend (CONTRACT §6.11) against the real app:
one socket per module, confirmed subscriptions, reconnect after 200 ms and re-subscribe
everything, never unsubscribing bars/quotes. It must get every update and leave nothing behind."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import orjson

from app.keys import HUB, MODULE_APPS
from tests.conftest import ClientFactory

BROKER_ROUTES = ("orders", "positions", "executions", "equity", "broker-connection")


def topic(route: str, payload: dict[str, Any]) -> str:
    return route + ":" + json.dumps(payload, sort_keys=True, separators=(",", ":"))


class FrontendSocket:
    """One module socket; updates are routed by exact topic, like the frontend does."""

    def __init__(self, client: Any, path: str) -> None:
        self.client = client
        self.path = path
        self.subscriptions: dict[str, tuple[str, dict[str, Any]]] = {}
        self.updates: dict[str, list[Any]] = {}
        self.ws: Any = None

    async def connect(self) -> None:
        self.ws = await self.client.ws_connect(self.path)

    async def subscribe(self, route: str, payload: dict[str, Any]) -> None:
        key = topic(route, payload)
        self.subscriptions[key] = (route, payload)
        message = orjson.dumps({"type": f"{route}.subscribe", "payload": payload}).decode()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 3.0
        await self.ws.send_str(message)
        while True:
            try:
                msg = await asyncio.wait_for(self.ws.receive(), timeout=max(0.01, deadline - loop.time()))
            except asyncio.TimeoutError:
                await self.ws.send_str(message)  # unconfirmed: re-send, as the frontend does
                deadline = loop.time() + 0.2
                continue
            data = orjson.loads(msg.data)
            if data["type"].endswith(".update"):
                self.updates.setdefault(data["payload"]["topic"], []).append(data["payload"]["payload"])
            elif data["type"] == f"{route}.subscribe.response" and data["payload"]["topic"] == key:
                assert data["payload"]["status"] == "ok"
                return

    async def pump(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while (left := deadline - loop.time()) > 0:
            try:
                msg = await asyncio.wait_for(self.ws.receive(), timeout=left)
            except asyncio.TimeoutError:
                return
            data = orjson.loads(msg.data)
            if data["type"].endswith(".update"):
                self.updates.setdefault(data["payload"]["topic"], []).append(data["payload"]["payload"])

    async def reconnect(self) -> None:
        await self.ws.close()
        await asyncio.sleep(0.2)
        await self.connect()
        for route, payload in list(self.subscriptions.values()):
            await self.subscribe(route, payload)


async def test_frontend_like_client_gets_every_update_and_leaves_nothing_behind(make_client: ClientFactory) -> None:
    client = await make_client()
    broker = FrontendSocket(client, "/api/v1/broker/ws")
    feed = FrontendSocket(client, "/api/v1/datafeed/ws")
    await broker.connect()
    await feed.connect()
    account = {"accountId": "ACCOUNT-01"}
    for route in BROKER_ROUTES:
        await broker.subscribe(route, account)
    await feed.subscribe("bars", {"symbol": "AAPL", "resolution": "1"})
    await feed.subscribe("quotes", {"symbols": ["AAPL"], "fast_symbols": ["MSFT"]})
    await broker.pump(0.2)  # snapshots follow their subscribe.response
    connection = broker.updates[topic("broker-connection", account)]
    assert connection[0]["status"] == 1 and connection[0]["message"] == "Connected to demo broker"
    assert broker.updates[topic("equity", account)][0]["equity"] == 100000.0

    response = await client.post("/api/v1/broker/orders", json={"symbol": "AAPL", "type": 2, "side": 1, "qty": 1})
    order_id = (await response.json())["orderId"]
    await asyncio.gather(broker.pump(1.2), feed.pump(1.2))
    orders = broker.updates[topic("orders", account)]
    assert [o["status"] for o in orders if o["id"] == order_id] == [6, 2]
    assert len(broker.updates[topic("executions", account)]) == 1
    assert broker.updates[topic("positions", account)][-1]["qty"] == 1.0
    assert len(feed.updates[topic("bars", {"symbol": "AAPL", "resolution": "1"})]) >= 3
    quotes = feed.updates[topic("quotes", {"symbols": ["AAPL"], "fast_symbols": ["MSFT"]})]
    assert {q["n"] for q in quotes} == {"AAPL", "MSFT"}

    await broker.reconnect()
    await feed.reconnect()
    await broker.pump(0.2)
    positions = broker.updates[topic("positions", account)]
    assert positions[-1] == {"id": "AAPL", "symbol": "AAPL", "qty": 1.0, "side": 1,
                             "avgPrice": positions[-1]["avgPrice"]}, "a re-subscription gets the snapshot again"
    await client.delete("/api/v1/broker/positions/AAPL")
    await broker.pump(1.0)
    assert broker.updates[topic("positions", account)][-1]["qty"] == 0.0

    hubs = [client.app[MODULE_APPS][m][HUB] for m in ("broker", "datafeed")]
    assert hubs[0].topic_count == 5 and hubs[1].producer_count == 2
    await broker.ws.close()
    await feed.ws.close()
    for _ in range(50):
        if all(h.topic_count == 0 and h.producer_count == 0 and h.connection_count == 0 for h in hubs):
            break
        await asyncio.sleep(0.02)
    assert [(h.topic_count, h.producer_count, h.connection_count) for h in hubs] == [(0, 0, 0), (0, 0, 0)]
