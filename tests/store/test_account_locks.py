"""One writer per account, from the store's side (issue 17 item 3): the account lock is an
advisory lock of the writing session, so it cannot outlive its process; the holder hears a
release request from another instance (NOTIFY)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest

from app.store.postgresql import PostgresStore, account_lock_key
from tests.waiting import wait_until, wait_until_async


@pytest.fixture
async def two(pg_url: str) -> AsyncIterator[tuple[PostgresStore, PostgresStore]]:
    first, second = PostgresStore(pg_url), PostgresStore(pg_url)
    await first.open()
    await second.open()
    yield first, second
    await first.close()
    await second.close()


def test_the_lock_key_is_stable_across_processes() -> None:
    import hashlib

    expected = int.from_bytes(hashlib.sha256(b"DEMO-ACCOUNT").digest()[:8], "big", signed=True)
    assert account_lock_key("DEMO-ACCOUNT") == expected
    assert account_lock_key("ACC-1") != account_lock_key("ACC-2")


async def test_an_account_held_by_a_live_session_cannot_be_taken(two: tuple[PostgresStore, PostgresStore]) -> None:
    first, second = two
    assert await first.hold("ACC-1")
    assert not await second.hold("ACC-1")
    assert await second.hold("ACC-2"), "other accounts are free"
    assert (first.held, second.held) == ({"ACC-1"}, {"ACC-2"})
    await first.release("ACC-1")
    assert await second.hold("ACC-1")


async def test_the_lock_goes_with_the_session(pg_url: str, two: tuple[PostgresStore, PostgresStore]) -> None:
    first, second = two
    lost: list[frozenset[str]] = []
    first.on_locks_lost = lost.append
    assert await first.hold("ACC-1")
    admin = await asyncpg.connect(pg_url)
    try:
        await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                            "AND objid = ($1::bigint & 4294967295)::oid", account_lock_key("ACC-1"))
    finally:
        await admin.close()
    await wait_until_async(lambda: second.hold("ACC-1"), timeout=5, what="a dead session to hold nothing")
    await first.ping()  # the first store reconnects: its new session holds no lock
    assert lost == [frozenset({"ACC-1"})] and first.held == frozenset()
    assert not await first.hold("ACC-1")


async def test_the_holder_hears_a_release_request(two: tuple[PostgresStore, PostgresStore]) -> None:
    first, second = two
    asked: list[str] = []
    first.on_release_request = asked.append
    assert await first.hold("ACC-1")
    await second.ask_release("ACC-2")  # not held by first: not its business
    await second.ask_release("ACC-1")
    await wait_until(lambda: asked, timeout=2, what="the NOTIFY to reach the holder")
    await asyncio.sleep(0.05)
    assert asked == ["ACC-1"]
    await first.release("ACC-1")
    assert await second.hold("ACC-1")
