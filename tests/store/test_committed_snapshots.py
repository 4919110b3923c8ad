"""A WebSocket subscription's snapshot shows committed state only: one asked for while a batch is
committing waits for it, so a batch whose commit fails never appears in it (REST reads wait the
same way), and one that commits appears exactly once (in the snapshot, not again as an update)."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest

from app.market import Market
from app.store.sqlite import SqliteStore
from tests.store.apps import BROKER, Client, account, limit, post
from tests.store.conftest import Launch

SUBSCRIBE = {"type": "orders.subscribe", "payload": {"accountId": "DEMO-ACCOUNT"}}


async def messages(ws: Any, wait: float = 0.3) -> list[dict[str, Any]]:
    """Every message that arrives within ``wait`` seconds of quiet."""
    seen = []
    while True:
        try:
            seen.append(await ws.receive_json(timeout=wait))
        except asyncio.TimeoutError:
            return seen


def order_ids(seen: list[dict[str, Any]]) -> list[str]:
    return [m["payload"]["payload"]["id"] for m in seen if m["type"] == "orders.update"]


async def subscribe_during_a_commit(client: Client, store: SqliteStore, body: dict[str, Any]
                                    ) -> tuple[Any, asyncio.Task[Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """POST ``body`` with the store's thread held, so its batch is prepared (the engine shows the
    order) but not committed; subscribe meanwhile, then let the commit run. Returns the socket,
    the POST's response, every message the socket got and those of them that came before the
    commit ran."""
    gate = threading.Event()
    held = asyncio.ensure_future(store.run(lambda _: gate.wait(10)))
    durable = account(client)
    before = len(durable.engine.state.orders)
    posted = asyncio.create_task(client.post(BROKER + "/orders", json=body))
    while not (durable.group.in_flight and len(durable.engine.state.orders) == before + 1):
        await asyncio.sleep(0.001)
    ws = await client.ws_connect(BROKER + "/ws")
    await ws.send_json(SUBSCRIBE)
    early = await messages(ws, 0.2)
    assert durable.group.in_flight
    gate.set()
    await held
    return ws, posted, early + await messages(ws), early


async def test_a_snapshot_asked_for_during_a_failing_commit_does_not_show_it(
        tmp_path: Path, market: Market, launch: Launch) -> None:
    client = await launch(f"sqlite:///{tmp_path / 'broker.sqlite3'}", market)
    store = account(client).store
    assert isinstance(store, SqliteStore)
    pages = await store.run(lambda c: c.execute("PRAGMA page_count").fetchone()[0])
    await store.run(lambda c: c.execute(f"PRAGMA max_page_count = {pages}"))
    accepted: list[str] = []
    for n in range(3000):  # until the file's last page is full
        response = await client.post(BROKER + "/orders", json=limit(1, 1.5, clientOrderId=f"{n}-" + "c" * 200))
        if response.status == 503:
            break
        accepted.append((await response.json())["orderId"])
    else:
        pytest.fail("the store never filled up")

    ws, posted, seen, early = await subscribe_during_a_commit(client, store,
                                                              limit(1, 1.4, clientOrderId="x-" + "d" * 200))
    response = await posted
    assert (response.status, await response.json()) == (503, {"detail": "Store unavailable"})
    assert order_ids(seen) == accepted  # the snapshot: the committed working orders, not the failed one
    assert early == []  # not even the answer came before the commit: the subscription waited for it
    assert seen[0]["type"] == "orders.subscribe.response" and seen[0]["payload"]["status"] == "ok"
    assert len(account(client).engine.state.orders) == len(accepted)
    await ws.close()

    await store.run(lambda c: c.execute("PRAGMA max_page_count = 1073741823"))
    ws, posted, seen, early = await subscribe_during_a_commit(client, store, limit(1, 1.3))
    response = await posted
    assert response.status == 200
    placed = (await response.json())["orderId"]
    assert order_ids(seen) == [*accepted, placed]  # committed: in the snapshot, and only there
    assert early == []
    assert order_ids(await messages(ws)) == []
    await ws.close()


async def test_a_subscription_without_a_batch_in_flight_is_answered_at_once(
        tmp_path: Path, market: Market, launch: Launch) -> None:
    client = await launch(f"sqlite:///{tmp_path / 'broker.sqlite3'}", market)
    first = await post(client, "/orders", limit(1, 1.5))
    ws = await client.ws_connect(BROKER + "/ws")
    await ws.send_json(SUBSCRIBE)
    answer = await ws.receive_json(timeout=1)
    assert answer["type"] == "orders.subscribe.response" and answer["payload"]["status"] == "ok"
    assert (await ws.receive_json(timeout=1))["payload"]["payload"]["id"] == first["orderId"]
    second = await post(client, "/orders", limit(1, 1.6))
    assert (await ws.receive_json(timeout=1))["payload"]["payload"]["id"] == second["orderId"]
    await ws.close()
