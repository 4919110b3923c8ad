"""``kill -9`` under load: a real server process on SQLite and on PostgreSQL, concurrent orders
and fills, killed mid-flight and started again. Every order answered before the kill is back, the
orders settled before the load are byte-identical in ``GET /orders``, and positions and balance
are what the executions add up to."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import orjson
import pytest

from app.broker.domain.netting import Holding, money, net
from tests.store.process import BROKER, Server

RESTING = {"symbol": "AAPL", "type": 1, "side": 1, "qty": 1, "limitPrice": 1.5}


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    store = (f"sqlite:///{tmp_path / 'broker.sqlite3'}" if request.param == "sqlite"
             else str(request.getfixturevalue("pg_url")))
    s = Server(tmp_path, {"STORE_URL": store, "ENGINE_STEP_MS": "50"})
    yield s
    if s.proc is not None and s.proc.poll() is None:
        s.kill(signal.SIGTERM)


async def place(session: aiohttp.ClientSession, url: str, body: dict[str, Any]) -> str:
    async with session.post(url + BROKER + "/orders", json=body) as response:
        assert response.status == 200, await response.text()
        order_id: str = (await response.json())["orderId"]
        return order_id


async def settled_load(url: str) -> list[str]:
    """Resting orders, market orders that fill on the next steps, and force-fills, concurrently."""
    acked: list[str] = []
    async with aiohttp.ClientSession() as session:
        async def worker(n: int) -> None:
            for i in range(12):
                symbol = ("AAPL", "MSFT")[(n + i) % 2]
                if i % 4 == 0:
                    body: dict[str, Any] = {"symbol": symbol, "type": 2, "side": (1, -1)[n % 2], "qty": 1 + n % 3}
                else:
                    body = {"symbol": symbol, "type": 1, "side": 1, "qty": 1, "limitPrice": 1.5}
                acked.append(await place(session, url, body))

        async def filler() -> None:
            for _ in range(3):
                await asyncio.sleep(0.05)
                async with session.post(url + BROKER + "/debug/execute-orders") as response:
                    assert response.status == 200

        await asyncio.gather(*(worker(n) for n in range(8)), filler())
        for _ in range(100):  # the market orders placed last fill on the next steps
            async with session.get(url + BROKER + "/orders") as response:
                if all(o["status"] != 6 or o["type"] != 2 for o in await response.json()):
                    break
            await asyncio.sleep(0.05)
    return acked


async def load_until_killed(server: Server) -> list[str]:
    acked: list[str] = []
    async with aiohttp.ClientSession() as session:
        async def worker() -> None:
            while True:
                try:
                    acked.append(await place(session, server.url, RESTING))
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    return

        async def killer() -> None:
            while len(acked) < 150:
                await asyncio.sleep(0.01)
            server.kill()

        await asyncio.gather(*(worker() for _ in range(8)), killer())
    return acked


async def fetch(url: str, path: str) -> bytes:
    async with aiohttp.ClientSession() as session, session.get(url + BROKER + path) as response:
        assert response.status == 200
        return await response.read()


async def equity(url: str) -> dict[str, Any]:
    async with aiohttp.ClientSession() as session, session.ws_connect(url + BROKER + "/ws") as ws:
        await ws.send_json({"type": "equity.subscribe", "payload": {"accountId": "DEMO-ACCOUNT"}})
        while True:
            message = await ws.receive_json(timeout=10)
            if message["type"] == "equity.update":
                payload: dict[str, Any] = message["payload"]["payload"]
                return payload


async def test_kill_9_under_load_loses_no_answered_order_and_no_fill(server: Server) -> None:
    server.start()
    settled = await settled_load(server.url)
    before = await fetch(server.url, "/orders")
    racing = await load_until_killed(server)
    assert server.proc is not None and server.proc.returncode == -signal.SIGKILL
    server.start()
    after = await fetch(server.url, "/orders")
    assert after[:len(before) - 1] == before[:-1], "orders settled before the kill changed"
    orders = {o["id"]: o for o in orjson.loads(after)}
    assert set(settled) | set(racing) <= set(orders)
    assert all(orders[i]["status"] == 6 and orders[i]["limitPrice"] == 1.5 for i in racing)
    assert len(racing) >= 150
    realized = 0.0
    positions: dict[str, Holding] = {}
    for symbol in ("AAPL", "MSFT"):
        holding: Holding | None = None
        for x in orjson.loads(await fetch(server.url, f"/executions/{symbol}")):
            netted = net(holding, x["side"], x["qty"], x["price"])
            realized = money(realized + netted.realized)
            holding = netted.holding
        if holding is not None and holding.qty:
            positions[symbol] = holding
    served = orjson.loads(await fetch(server.url, "/positions"))
    assert [(p["symbol"], p["qty"], p["side"], p["avgPrice"]) for p in served] == [
        (s, h.qty, h.side, h.avg_price) for s, h in positions.items()]
    assert positions, "the load opened positions"
    account = await equity(server.url)
    assert (account["balance"], account["realizedPL"]) == (money(100000.0 + realized), realized)
