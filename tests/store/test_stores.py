"""The store interface, on SQLite and on a real PostgreSQL: journal, epochs, snapshots, schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import asyncpg
import pytest

from app.store import Store, open_store
from app.store.interface import Fenced, HistoryRow, Record, SchemaTooNew, Snapshot, StoreUnavailable, StoreUnreachable
from app.store.migrations import SCHEMA_VERSION
from app.store.sqlite import SqliteStore
from tests.pgserver import PgServer, free_port

ACCOUNT = "DEMO-ACCOUNT"


def records(first: int, count: int, kind: str = "OrderPlaced") -> list[Record]:
    return [Record(seq, kind, b'{"n":%d}' % seq) for seq in range(first, first + count)]


async def reopened(store: Store, url: str) -> Store:
    await store.close()
    again = open_store(url)
    await again.open()
    return again


async def test_an_empty_store_has_nothing_for_the_account(store: Store) -> None:
    stored = await store.load(ACCOUNT)
    assert (stored.snapshot, stored.records, stored.last_seq) == (None, (), 0)


async def test_appended_records_come_back_in_order_after_a_reopen(store: Store, store_url: str) -> None:
    epoch = await store.claim(ACCOUNT)
    await store.append(ACCOUNT, epoch, records(1, 3))
    await store.append(ACCOUNT, epoch, records(4, 2, "OrderCancelled"))
    store = await reopened(store, store_url)
    try:
        stored = await store.load(ACCOUNT)
        assert [(r.seq, r.kind, r.payload) for r in stored.records] == [
            (1, "OrderPlaced", b'{"n":1}'), (2, "OrderPlaced", b'{"n":2}'), (3, "OrderPlaced", b'{"n":3}'),
            (4, "OrderCancelled", b'{"n":4}'), (5, "OrderCancelled", b'{"n":5}')]
        assert stored.last_seq == 5
    finally:
        await store.close()


async def test_each_claim_is_a_new_epoch_and_fences_the_previous_writer(store: Store) -> None:
    first = await store.claim(ACCOUNT)
    second = await store.claim(ACCOUNT)
    assert second == first + 1
    with pytest.raises(Fenced):
        await store.append(ACCOUNT, first, records(1, 1))
    await store.append(ACCOUNT, second, records(1, 1))
    assert (await store.load(ACCOUNT)).last_seq == 1


async def test_a_gap_in_the_sequence_is_refused_and_stores_nothing(store: Store) -> None:
    epoch = await store.claim(ACCOUNT)
    await store.append(ACCOUNT, epoch, records(1, 2))
    with pytest.raises(StoreUnavailable, match="does not follow 2"):
        await store.append(ACCOUNT, epoch, records(4, 1))
    assert [r.seq for r in (await store.load(ACCOUNT)).records] == [1, 2]


async def test_a_snapshot_replaces_the_records_it_covers(store: Store) -> None:
    epoch = await store.claim(ACCOUNT)
    await store.append(ACCOUNT, epoch, records(1, 5))
    await store.save_snapshot(ACCOUNT, epoch, Snapshot(3, b'{"state":3}'))
    await store.append(ACCOUNT, epoch, records(6, 1))
    stored = await store.load(ACCOUNT)
    assert stored.snapshot == Snapshot(3, b'{"state":3}')
    assert [r.seq for r in stored.records] == [4, 5, 6]
    await store.save_snapshot(ACCOUNT, epoch, Snapshot(6, b'{"state":6}'))
    stored = await store.load(ACCOUNT)
    assert (stored.snapshot, stored.records, stored.last_seq) == (Snapshot(6, b'{"state":6}'), (), 6)


async def test_a_reset_truncates_everything_before_it_in_the_same_commit(store: Store) -> None:
    epoch = await store.claim(ACCOUNT)
    await store.append(ACCOUNT, epoch, records(1, 4))
    await store.save_snapshot(ACCOUNT, epoch, Snapshot(2, b"{}"))
    batch = [*records(5, 1), Record(6, "AccountReset", b"{}"), *records(7, 1)]
    await store.append(ACCOUNT, epoch, batch, truncate_before=6)
    stored = await store.load(ACCOUNT)
    assert stored.snapshot is None
    assert [(r.seq, r.kind) for r in stored.records] == [(6, "AccountReset"), (7, "OrderPlaced")]
    assert stored.last_seq == 7


async def test_accounts_are_kept_apart(store: Store) -> None:
    mine, theirs = await store.claim(ACCOUNT), await store.claim("OTHER")
    await store.append(ACCOUNT, mine, records(1, 2))
    await store.append("OTHER", theirs, records(1, 1, "LeverageSet"))
    assert [r.kind for r in (await store.load("OTHER")).records] == ["LeverageSet"]
    assert (await store.load(ACCOUNT)).last_seq == 2


async def test_a_store_of_a_newer_schema_is_refused_with_one_line(store: Store, store_url: str) -> None:
    await store.close()
    await _set_version(store_url, SCHEMA_VERSION + 1)
    newer = open_store(store_url)
    with pytest.raises(SchemaTooNew) as info:
        await newer.open()
    message = str(info.value)
    assert "\n" not in message
    assert f"schema version {SCHEMA_VERSION + 1}, newer than this server's {SCHEMA_VERSION}" in message
    await _set_version(store_url, SCHEMA_VERSION)
    await store.open()


async def test_opening_twice_keeps_the_data_and_the_version(store: Store, store_url: str) -> None:
    epoch = await store.claim(ACCOUNT)
    await store.append(ACCOUNT, epoch, records(1, 1))
    store = await reopened(store, store_url)
    try:
        assert (await store.load(ACCOUNT)).last_seq == 1
        assert await _version(store_url) == SCHEMA_VERSION
    finally:
        await store.close()


async def _set_version(url: str, version: int) -> None:
    statement = f"UPDATE store_meta SET value = '{version}' WHERE key = 'schema_version'"
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url[len("sqlite:///"):]) as lite:
            lite.execute(statement)
        return
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


async def _version(url: str) -> int:
    query = "SELECT value FROM store_meta WHERE key = 'schema_version'"
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url[len("sqlite:///"):]) as lite:
            return int(lite.execute(query).fetchone()[0])
    conn = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval(query))
    finally:
        await conn.close()


# ------------------------------------------------------------------ start-up failures

async def test_an_unreachable_postgresql_is_one_line_naming_it_without_the_password() -> None:
    url = f"postgresql://trader:hunter2@127.0.0.1:{free_port()}/broker"
    with pytest.raises(StoreUnreachable) as info:
        await open_store(url).open()
    message = str(info.value)
    assert "\n" not in message and "hunter2" not in message
    assert message.startswith(f"cannot open store postgresql://trader:***@127.0.0.1:{url.split(':')[3]}")


async def test_a_wrong_password_is_unreachable_too(pg_server: PgServer) -> None:
    url = pg_server.url().replace("trader-secret", "wrong")
    with pytest.raises(StoreUnreachable, match="password authentication failed"):
        await open_store(url).open()


async def test_an_sqlite_path_that_cannot_be_created_is_unreachable(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(StoreUnreachable) as info:
        await open_store(f"sqlite:///{blocker / 'broker.sqlite3'}").open()
    assert str(info.value).startswith(f"cannot open store sqlite:///{blocker / 'broker.sqlite3'}: ")


async def test_sqlite_is_created_with_its_directory_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "broker.sqlite3"
    store = SqliteStore(path, "full")
    await store.open()
    try:
        modes = await store.run(lambda c: tuple(c.execute(f"PRAGMA {name}").fetchone()[0]
                                                for name in ("journal_mode", "synchronous", "busy_timeout")))
    finally:
        await store.close()
    assert path.exists()
    assert modes == ("wal", 2, 5000)


OLD_ORDER = (b'{"id":"ORDER-1","symbol":"AAPL","type":2,"side":1,"qty":1.0,"status":2,"limitPrice":null,'
             b'"stopPrice":null,"takeProfit":null,"stopLoss":null,"guaranteedStop":null,"trailingStopPips":null,'
             b'"stopType":null,"filledQty":1.0,"avgPrice":101.0,"updateTime":5,"parentId":null,'
             b'"parentType":null,"clientOrderId":"duration"}')


async def test_version_5_appends_a_null_duration_to_the_history_of_older_stores(
        store: Store, store_url: str) -> None:
    """A store of version 4 kept orders' JSON without ``duration``; after the migration each
    payload is the old one plus ``"duration":null`` last, as GET /orders/history now answers."""
    epoch = await store.claim(ACCOUNT)
    current = OLD_ORDER[:-1] + b',"duration":{"type":"DAY","datetime":null}}'
    await store.add_history(ACCOUNT, epoch, [HistoryRow(5, 1, "ORDER-1", OLD_ORDER),
                                             HistoryRow(6, 2, "ORDER-2", current)])
    await store.close()
    await _set_version(store_url, 4)
    store = open_store(store_url)
    await store.open()
    try:
        assert await _version(store_url) == SCHEMA_VERSION == 5
        rows = await store.order_history(ACCOUNT, 10)
        assert [r.payload for r in rows] == [current, OLD_ORDER[:-1] + b',"duration":null}']
    finally:
        await store.close()
