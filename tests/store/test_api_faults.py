"""The store failing under a running broker: 503, nothing half-applied, nothing published, matching
paused, and service back on its own when the store is."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import asyncpg
import orjson
import pytest

from app.broker.domain.checkpoint import differences
from app.broker.api.persistence import rebuild
from app.market import Market
from app.store.sqlite import SqliteStore
from tests.broker.conftest import SteppedClock
from tests.pgserver import PgServer
from tests.store.apps import BROKER, Client, account, get_bytes, limit, matching, post
from tests.store.conftest import Launch

UNAVAILABLE = {"detail": "Store unavailable"}
SUBSCRIBE = {"type": "orders.subscribe", "payload": {"accountId": "DEMO-ACCOUNT"}}


async def updates(ws: Any, wait: float = 0.3) -> list[dict[str, Any]]:
    """Every order update that arrives within ``wait`` seconds of quiet."""
    seen = []
    while True:
        try:
            message = await ws.receive_json(timeout=wait)
        except asyncio.TimeoutError:
            return seen
        if message["type"] == "orders.update":
            seen.append(message["payload"]["payload"])


async def refused(client: Client, body: object) -> None:
    response = await client.post(BROKER + "/orders", json=body)
    assert (response.status, await response.json()) == (503, UNAVAILABLE)


async def test_a_full_disk_answers_503_changes_nothing_publishes_nothing_and_recovers(
        tmp_path: Path, market: Market, clock: SteppedClock, launch: Launch) -> None:
    client = await launch(f"sqlite:///{tmp_path / 'broker.sqlite3'}", market)
    store = account(client).store
    assert isinstance(store, SqliteStore)
    ws = await client.ws_connect(BROKER + "/ws")
    await ws.send_json(SUBSCRIBE)
    await updates(ws)
    pages = await store.run(lambda c: c.execute("PRAGMA page_count").fetchone()[0])
    await store.run(lambda c: c.execute(f"PRAGMA max_page_count = {pages}"))
    accepted: list[str] = []
    for n in range(3000):  # until the file's last page is full
        response = await client.post(BROKER + "/orders", json=limit(1, 1.5, clientOrderId=f"{n}-" + "c" * 200))
        if response.status == 503:
            assert await response.json() == UNAVAILABLE
            break
        accepted.append((await response.json())["orderId"])
    else:
        pytest.fail("the store never filled up")
    published = await updates(ws)
    assert [o["id"] for o in published] == accepted  # none for the refused order
    orders = orjson.loads(await get_bytes(client, "/orders"))
    assert [o["id"] for o in orders] == accepted
    assert differences(account(client).engine.state, rebuild(await store.load("DEMO-ACCOUNT"))) == []
    await store.run(lambda c: c.execute("PRAGMA max_page_count = 1073741823"))
    again = await post(client, "/orders", limit(1, 1.5))
    assert again["orderId"] == f"ORDER-{int(accepted[-1].split('-')[1]) + 1}"  # no id was burnt
    assert [o["id"] for o in await updates(ws)] == [again["orderId"]]
    await ws.close()


async def test_a_database_locked_by_another_program_pauses_matching_until_it_lets_go(
        tmp_path: Path, market: Market, clock: SteppedClock, launch: Launch) -> None:
    path = tmp_path / "broker.sqlite3"
    client = await launch(f"sqlite:///{path}", market)
    store = account(client).store
    assert isinstance(store, SqliteStore)
    await store.run(lambda c: c.execute("PRAGMA busy_timeout = 50"))
    await post(client, "/orders", limit(1, 1.5))  # a working order: each step has something to write
    before = await get_bytes(client, "/orders")
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        clock.t += 1000
        assert await matching(client).step() is False
        assert matching(client).failures == 1
        await refused(client, limit(1, 1.5))
        assert await get_bytes(client, "/orders") == before
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert await matching(client).step() is True
    assert matching(client).failures == 0
    await post(client, "/orders", limit(1, 1.5))
    assert account(client).engine.state.last_step == clock.t


async def test_postgresql_restarted_mid_test_pauses_the_broker_and_it_resumes_by_itself(
        own_pg: PgServer, market: Market, clock: SteppedClock, launch: Launch) -> None:
    client = await launch(own_pg.create_database(), market)
    first = await post(client, "/orders", limit(1, 1.5))
    own_pg.stop()
    try:
        await refused(client, limit(1, 1.6))
        clock.t += 1000
        assert await matching(client).step() is False
        assert [o["id"] for o in orjson.loads(await get_bytes(client, "/orders"))] == [first["orderId"]]
    finally:
        own_pg.start()
    second = await post(client, "/orders", limit(1, 1.7))
    assert second["orderId"] == f"ORDER-{int(first['orderId'].split('-')[1]) + 1}"
    assert await matching(client).step() is True
    stored = rebuild(await account(client).store.load("DEMO-ACCOUNT"))
    assert differences(account(client).engine.state, stored) == []


async def test_a_commit_of_unknown_outcome_reloads_the_account_before_serving_it(
        own_pg: PgServer, market: Market, launch: Launch) -> None:
    """A deferred constraint fails at COMMIT: the broker cannot tell whether the batch was
    stored, so it answers 503 and reloads the account from the store before the next request."""
    url = own_pg.create_database()
    client = await launch(url, market)
    kept = await post(client, "/orders", limit(1, 1.5))
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("""
            CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'refused at commit'; END $$;
            CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON events DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW WHEN (NEW.payload LIKE '%refuse-me%') EXECUTE FUNCTION refuse();""")
    finally:
        await conn.close()
    await refused(client, limit(1, 1.6, clientOrderId="refuse-me"))
    assert account(client).stale
    assert [o["id"] for o in orjson.loads(await get_bytes(client, "/orders"))] == [kept["orderId"]]
    assert not account(client).stale  # the read reloaded it first
    later = await post(client, "/orders", limit(1, 1.7))
    assert later["orderId"] == f"ORDER-{int(kept['orderId'].split('-')[1]) + 1}"
