"""The accounts directory on SQLite and on a real PostgreSQL: what the command line writes, a
server reads; every key change moves ``keys_version``; a version-1 store is migrated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.accounts.directory import Directory, UnknownAccount
from app.accounts.keys import KeyRing, digest
from app.store.migrations import SCHEMA_VERSION, STEPS


from tests.store.conftest import store_url  # noqa: F401  # the store tests' SQLite and PostgreSQL


async def test_accounts_keys_and_revocation_round_trip(store_url: str) -> None:  # noqa: F811
    directory = await Directory(store_url).open()
    try:
        start = await directory.keys_version()
        alice, alice_key = await directory.create_account("alice", 5000.0)
        bob, _ = await directory.create_account("bob", 100_000.0)
        assert [a.name for a in await directory.accounts()] == ["alice", "bob"]
        assert await directory.account(alice.id) == alice and alice.currency == "USD"
        second = await directory.add_key(alice.id)
        with pytest.raises(UnknownAccount):
            await directory.add_key("ACC-nobody")
        assert await directory.keys_version() == start + 3
        ring = KeyRing()
        ring.replace(await directory.live_keys(), await directory.keys_version())
        assert ring.account_of(alice_key.token) == alice.id and ring.account_of(second.token) == alice.id
        assert {k.digest for k in await directory.live_keys()} >= {digest(alice_key.token)}
        assert await directory.revoke(alice_key.key_id)
        assert not await directory.revoke(alice_key.key_id)
        assert await directory.keys_version() == start + 4
        ring.replace(await directory.live_keys(), await directory.keys_version())
        assert ring.account_of(alice_key.token) is None and ring.account_of(second.token) == alice.id
        listed = {k.key_id: k.revoked for k in await directory.keys()}
        assert listed[alice_key.key_id] is True and listed[second.key_id] is False
        assert bob.id != alice.id
    finally:
        await directory.close()


async def test_a_version_1_store_is_migrated_to_hold_accounts(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        for statement in STEPS[1]:
            conn.execute(statement)
        conn.execute("INSERT INTO store_meta VALUES ('schema_version', '1')")
    directory = await Directory(f"sqlite:///{path}").open()
    try:
        account, _ = await directory.create_account("carol", 1.0)
        assert await directory.accounts() == [account]
    finally:
        await directory.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM store_meta WHERE key = 'schema_version'").fetchone() == (
            str(SCHEMA_VERSION),)


def test_memory_is_refused() -> None:
    with pytest.raises(ValueError, match="accounts need a durable store"):
        Directory("memory:")
