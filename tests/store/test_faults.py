"""Store failures while running: each failed write stores nothing and the next one succeeds."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.store import open_store
from app.store.interface import Record, StoreUnavailable
from app.store.postgresql import PostgresStore
from app.store.sqlite import SqliteStore
from tests.pgserver import PgServer

ACCOUNT = "DEMO-ACCOUNT"


def batch(first: int, count: int, size: int = 10) -> list[Record]:
    return [Record(seq, "OrderPlaced", b'"' + b"x" * size + b'"') for seq in range(first, first + count)]


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    store = SqliteStore(tmp_path / "broker.sqlite3", busy_timeout_ms=200)
    await store.open()
    yield store
    await store.close()


async def test_a_full_disk_fails_the_batch_and_stores_none_of_it(sqlite_store: SqliteStore) -> None:
    epoch = await sqlite_store.claim(ACCOUNT)
    await sqlite_store.append(ACCOUNT, epoch, batch(1, 2))
    pages = await sqlite_store.run(lambda c: c.execute("PRAGMA page_count").fetchone()[0])
    await sqlite_store.run(lambda c: c.execute(f"PRAGMA max_page_count = {pages}"))
    with pytest.raises(StoreUnavailable, match="full"):
        await sqlite_store.append(ACCOUNT, epoch, batch(3, 50, size=20_000))
    stored = await sqlite_store.load(ACCOUNT)
    assert ([r.seq for r in stored.records], stored.last_seq) == ([1, 2], 2)
    await sqlite_store.run(lambda c: c.execute("PRAGMA max_page_count = 1073741823"))
    await sqlite_store.append(ACCOUNT, epoch, batch(3, 50, size=20_000))
    assert (await sqlite_store.load(ACCOUNT)).last_seq == 52


async def test_a_lock_held_by_another_program_fails_after_the_busy_timeout(sqlite_store: SqliteStore) -> None:
    epoch = await sqlite_store.claim(ACCOUNT)
    other = sqlite3.connect(sqlite_store.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreUnavailable, match="locked"):
            await sqlite_store.append(ACCOUNT, epoch, batch(1, 1))
        other.execute("ROLLBACK")
        await sqlite_store.append(ACCOUNT, epoch, batch(1, 1))
    finally:
        other.close()
    assert (await sqlite_store.load(ACCOUNT)).last_seq == 1


async def test_a_reader_of_the_same_file_does_not_block_the_writer(sqlite_store: SqliteStore) -> None:
    epoch = await sqlite_store.claim(ACCOUNT)
    await sqlite_store.append(ACCOUNT, epoch, batch(1, 1))
    reader = sqlite3.connect(sqlite_store.path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM events").fetchone()[0] == 1
        await sqlite_store.append(ACCOUNT, epoch, batch(2, 1))
        assert reader.execute("SELECT count(*) FROM events").fetchone()[0] == 1  # its snapshot
        reader.execute("COMMIT")
        assert reader.execute("SELECT count(*) FROM events").fetchone()[0] == 2
    finally:
        reader.close()


async def test_postgresql_stopped_fails_writes_and_they_resume_when_it_is_back(own_pg: PgServer) -> None:
    url = own_pg.create_database()
    store = open_store(url)
    assert isinstance(store, PostgresStore)
    await store.open()
    try:
        epoch = await store.claim(ACCOUNT)
        await store.append(ACCOUNT, epoch, batch(1, 1))
        own_pg.stop()
        with pytest.raises(StoreUnavailable) as info:
            await store.append(ACCOUNT, epoch, batch(2, 1))
        assert "\n" not in str(info.value)
        with pytest.raises(StoreUnavailable):
            await store.load(ACCOUNT)
        own_pg.start()
        await store.append(ACCOUNT, epoch, batch(2, 1))
        assert [r.seq for r in (await store.load(ACCOUNT)).records] == [1, 2]
        own_pg.stop()
        own_pg.start()  # a restart between two writes: the first write after it just works
        await store.append(ACCOUNT, epoch, batch(3, 1))
        assert (await store.load(ACCOUNT)).last_seq == 3
    finally:
        await store.close()
