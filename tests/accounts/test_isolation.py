"""``AUTH=required`` keeps accounts apart (issue 15 items 2-4 and 7): every broker endpoint, taken
from the application's own router (``/debug`` included, so a new endpoint joins the matrix by
itself), and every broker WebSocket route, called with account A's key, never reads, changes,
cancels, closes or streams anything of account B's; another account's id is answered exactly
as an unknown id; two accounts trade side by side; a restart restores both."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
from aiohttp import web

from app.accounts.directory import Directory
from app.broker.domain.checkpoint import export_state
from app.keys import BROKER_ACCOUNTS, HUB
from app.market import Market
from tests.clock import SteppedClock
from tests.store.apps import BROKER, Client, broker_app, limit, market_order, matching
from tests.store.conftest import Launch, launch, market, clock  # noqa: F401  # the store tests' fixtures
from tests.store.conftest import store_url  # noqa: F401  # SQLite and PostgreSQL

ROOT = Path(__file__).resolve().parents[2]
LEVERAGE = {"symbol": "AAPL", "orderType": 1, "side": 1, "leverage": 5}
UNKNOWN = {"order_id": "ORDER-987654321", "position_id": "KO", "symbol": "KO"}
"""Ids nobody holds, of each path parameter's kind (nobody trades KO here)."""
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/orders"): {"json": market_order(1, symbol="MSFT")},
    ("POST", "/orders/preview"): {"json": market_order(1, symbol="MSFT")},
    ("PUT", "/orders/{order_id}"): {"json": limit(1, 2.5, qty=3.0)},
    ("DELETE", "/positions/{position_id}"): {"params": {"amount": "1"}},
    ("PUT", "/positions/{position_id}/brackets"): {"json": {"brackets": {"takeProfit": 9_000.0}}},
    ("PUT", "/leverage/set"): {"json": {**LEVERAGE, "leverage": 2}},
    ("POST", "/leverage/preview"): {"json": LEVERAGE},
    ("GET", "/leverage/info"): {"params": {"symbol": "AAPL", "orderType": "1", "side": "1"}},
}
"""A valid request for the endpoints that need one; any other endpoint is called bare."""


@dataclass(frozen=True)
class Holder:
    account_id: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def _create(url: str, name: str) -> Holder:
    directory = await Directory(url).open()
    try:
        account, key = await directory.create_account(name, 100_000.0)
    finally:
        await directory.close()
    return Holder(account.id, key.token)


def _cli_create(url: str, name: str) -> Holder:
    done = subprocess.run([sys.executable, "-m", "app", "accounts", "create", name, "--store", url],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    account_line, key_line = done.stdout.splitlines()
    return Holder(account_line.split()[1], key_line.split(": ")[1])


async def _launch(launch: Launch, url: str, market: Market) -> Client:  # noqa: F811
    return await launch(url, market, auth="required", key_poll_s=0.05, rate_burst=10_000, rate_per_s=10_000.0)


async def call(client: Client, who: Holder, method: str, path: str, status: int | None = 200,
               **kwargs: Any) -> Any:
    response = await client.request(method, BROKER + path, headers=who.auth, **kwargs)
    body = await response.read()
    if status is not None:
        assert response.status == status, (method, path, body)
    return orjson.loads(body) if body else None


async def step(client: Client, clock: SteppedClock) -> None:  # noqa: F811
    clock.t += 1000
    assert await matching(client).step() is True


async def b_trades(client: Client, clock: SteppedClock, b: Holder) -> dict[str, str]:  # noqa: F811
    """B: leverage set, an AAPL position with brackets, a resting AAPL limit; its ids."""
    await call(client, b, "PUT", "/leverage/set", json=LEVERAGE)
    await call(client, b, "POST", "/orders", json=market_order(1, 3.0, takeProfit=10_000.0))
    await step(client, clock)
    resting = await call(client, b, "POST", "/orders", json=limit(1, 1.5, clientOrderId="b-rest"))
    gone = await call(client, b, "POST", "/orders", json=limit(1, 1.4, clientOrderId="b-gone"))
    await call(client, b, "DELETE", f"/orders/{gone['orderId']}")  # B's order history is not empty
    await step(client, clock)
    return {"order_id": resting["orderId"], "position_id": "AAPL", "symbol": "AAPL"}


async def seen_by(client: Client, who: Holder) -> dict[str, Any]:
    paths = ["/orders", "/positions", "/executions/AAPL", "/account", "/accounts",
             "/leverage/info?symbol=AAPL&orderType=1&side=1", "/orders/history", "/account/history?period=1D",
             "/account/state"]
    return {path: await call(client, who, "GET", path) for path in paths}


def state_of(client: Client, who: Holder) -> Any:
    account = broker_app(client)[BROKER_ACCOUNTS].get(who.account_id)
    assert account is not None
    return export_state(account.engine.state)


def endpoints(app: web.Application) -> list[tuple[str, str]]:
    """(method, path template below /api/v1/broker) of every REST route the broker serves,
    those naming an id first (before A's own orders could take B's numbers)."""
    found = set()
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource is not None else {}
        template = info.get("formatter") or info.get("path")
        if route.method in ("HEAD", "*") or not template or template.endswith("/ws"):
            continue
        found.add((route.method, template.removeprefix(BROKER)))
    return sorted(found, key=lambda e: ("{" not in e[1], e))


def _fill(template: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], template)


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'broker.sqlite3'}"


async def test_every_endpoint_called_with_another_accounts_key_leaves_it_untouched_and_unseen(
        url: str, market: Market, clock: SteppedClock, launch: Launch) -> None:  # noqa: F811
    a, b = await _create(url, "alice"), await _create(url, "bob")
    client = await _launch(launch, url, market)
    ids = await b_trades(client, clock, b)
    b_before, b_state = await seen_by(client, b), state_of(client, b)
    assert b_before["/positions"] and b_before["/orders"]
    matrix = endpoints(broker_app(client))
    assert ("POST", "/debug/reset") in matrix and ("GET", "/accounts") in matrix and len(matrix) >= 18
    assert ("GET", "/orders/history") in matrix and ("GET", "/account/history") in matrix
    assert ("GET", "/account/state") in matrix and b_before["/account/state"]["marginUsed"] > 0.0
    assert ("GET", "/config") in matrix
    assert [o["clientOrderId"] for o in b_before["/orders/history"]["orders"]] == ["b-gone", None]
    for method, template in matrix:
        extra = BODIES.get((method, template), {})
        answer = await call(client, a, method, _fill(template, ids), status=None, **extra)
        wire = orjson.dumps(answer).decode()
        assert b.account_id not in wire and "b-rest" not in wire and "b-gone" not in wire, (method, template, wire)
        assert await seen_by(client, b) == b_before, (method, template)
        assert state_of(client, b) == b_state, (method, template)
        if "{" in template:  # B's id is answered as an id nobody has
            unknown = await call(client, a, method, _fill(template, UNKNOWN), status=None, **extra)
            for name, value in ids.items():
                wire = wire.replace(value, UNKNOWN[name])
            assert orjson.loads(wire) == unknown, (method, template)
    order, position = ids["order_id"], ids["position_id"]
    assert await call(client, a, "DELETE", f"/orders/{order}", status=400) == {"detail": f"Order {order} not found"}
    assert await call(client, a, "DELETE", f"/positions/{position}", status=404) == {
        "detail": f"Position {position} not found"}
    assert await call(client, a, "GET", "/executions/AAPL") == []
    assert await call(client, a, "GET", "/accounts") == [{"id": a.account_id, "name": "alice", "currency": "USD"}]
    assert await call(client, a, "GET", "/account") == {"id": a.account_id, "name": "alice"}
    a_state = await call(client, a, "GET", "/account/state")
    assert a_state["id"] == a.account_id and a_state != {**b_before["/account/state"], "id": a.account_id}


async def _ws(client: Client, who: Holder) -> Any:
    return await client.ws_connect(f"{BROKER}/ws", headers=who.auth)


async def _answer(ws: Any, kind: str) -> dict[str, Any]:
    while True:
        message = await ws.receive_json(timeout=5)
        if message["type"] == kind:
            payload: dict[str, Any] = message["payload"]
            return payload


async def test_no_websocket_route_subscribes_to_another_account(
        url: str, market: Market, clock: SteppedClock, launch: Launch) -> None:  # noqa: F811
    a, b = await _create(url, "alice"), await _create(url, "bob")
    client = await _launch(launch, url, market)
    routes = sorted(broker_app(client)[HUB].routes)
    assert {"orders", "positions", "executions", "equity", "broker-connection"} <= set(routes)
    ws = await _ws(client, a)
    try:
        for route in routes:
            await ws.send_json({"type": f"{route}.subscribe", "payload": {"accountId": b.account_id}})
            refused = await _answer(ws, f"{route}.subscribe.response")
            assert refused["status"] == "error" and refused["message"].startswith("accountId: "), route
            await ws.send_json({"type": f"{route}.subscribe", "payload": {"accountId": a.account_id}})
            assert (await _answer(ws, f"{route}.subscribe.response"))["status"] == "ok", route
        assert all(b.account_id not in topic for topic in broker_app(client)[HUB].topics())
    finally:
        await ws.close()


async def test_two_accounts_from_the_command_line_trade_side_by_side_over_rest_and_websockets(
        url: str, market: Market, clock: SteppedClock, launch: Launch) -> None:  # noqa: F811
    a = _cli_create(url, "alice")
    client = await _launch(launch, url, market)
    b = await asyncio.to_thread(_cli_create, url, "bob")  # created while the server runs
    for _ in range(100):
        response = await client.get(f"{BROKER}/orders", headers=b.auth)
        if response.status == 200:
            break
        await asyncio.sleep(0.05)
    assert response.status == 200
    sockets = {}
    for who in (a, b):
        ws = sockets[who.account_id] = await _ws(client, who)
        for route in ("orders", "executions"):
            await ws.send_json({"type": f"{route}.subscribe", "payload": {"accountId": who.account_id}})
            assert (await _answer(ws, f"{route}.subscribe.response"))["status"] == "ok"
    try:
        a_order = (await call(client, a, "POST", "/orders", json=market_order(1, 2.0)))["orderId"]
        b_order = (await call(client, b, "POST", "/orders", json=market_order(-1, 5.0)))["orderId"]
        await step(client, clock)
        for who, qty, side in ((a, 2.0, 1), (b, 5.0, -1)):
            positions = await call(client, who, "GET", "/positions")
            assert [(p["symbol"], p["qty"], p["side"]) for p in positions] == [("AAPL", qty, side)]
            fills = await call(client, who, "GET", "/executions/AAPL")
            assert [f["qty"] for f in fills] == [qty]
        for who, order, qty, side in ((a, a_order, 2.0, 1), (b, b_order, 5.0, -1)):
            ws = sockets[who.account_id]
            fill = await _answer(ws, "executions.update")
            assert (fill["payload"]["qty"], fill["payload"]["side"]) == (qty, side), order
        marker = await call(client, a, "POST", "/orders", json=limit(1, 1.0, clientOrderId="marker"))
        while True:  # everything A's socket got before its own marker order: only A's orders
            message = await sockets[a.account_id].receive_json(timeout=5)
            text = orjson.dumps(message).decode()
            assert b.account_id not in text and '"qty":5.0' not in text, text
            if marker["orderId"] in text:
                break
    finally:
        for ws in sockets.values():
            await ws.close()


async def test_a_restart_restores_both_accounts(
        store_url: str, market: Market, clock: SteppedClock, launch: Launch) -> None:  # noqa: F811
    a, b = await _create(store_url, "alice"), await _create(store_url, "bob")
    first = await _launch(launch, store_url, market)
    await b_trades(first, clock, b)
    await call(first, a, "POST", "/orders", json=limit(-1, 9_000.0, symbol="MSFT"))
    before = {who.account_id: (await seen_by(first, who), state_of(first, who)) for who in (a, b)}
    assert before[a.account_id][0] != before[b.account_id][0]
    await first.close()
    second = await _launch(launch, store_url, market)
    for who in (a, b):
        assert (await seen_by(second, who), state_of(second, who)) == before[who.account_id]
