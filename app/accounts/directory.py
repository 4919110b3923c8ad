"""The accounts and their keys, in the broker's store (tables of schema version 2).

The command line writes here and a running server reads: every change to keys bumps the
``keys_version`` row of ``store_meta`` in the same transaction, and the server polls that one
row (``KEY_POLL_S``, 0.5 s by default) and reloads the keys when it moved, so a key created or
revoked from the command line works or stops working within a second, on SQLite and PostgreSQL
alike. The directory has its own connection: it never waits behind the broker's group commit.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from app.accounts.keys import KeyEntry, NewKey, new_id, new_key
from app.store import check_url, open_store
from app.store.interface import StoreUnavailable
from app.store.sqlite import SqliteStore

DEFAULT_CURRENCY = "USD"
Row = tuple[Any, ...]
Statement = tuple[str, Sequence[Any]]
BUMP = "UPDATE store_meta SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) WHERE key = 'keys_version'"


class UnknownAccount(LookupError):
    pass


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    name: str
    currency: str
    balance: float


@dataclass(frozen=True, slots=True)
class KeyInfo:
    key_id: str
    account_id: str
    created_at: int
    revoked: bool


class _Sql(Protocol):
    async def fetch(self, sql: str, args: Sequence[Any] = ()) -> list[Row]: ...

    async def transact(self, statements: Sequence[Statement]) -> None: ...

    async def close(self) -> None: ...


class _Sqlite:
    """The directory's own store connection, on its own thread (:meth:`SqliteStore.run`): every
    call runs there in turn and the close runs there after them, so no two threads ever use the
    connection and it is never closed under a call still running (a poll cancelled at shutdown
    goes on running on its thread: closing from the event loop then crashed the process)."""

    def __init__(self, store: SqliteStore) -> None:
        self._store = store

    async def fetch(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        values = tuple(args)
        return await self._store.run(lambda conn: conn.execute(sql, values).fetchall())

    async def transact(self, statements: Sequence[Statement]) -> None:
        def run(conn: sqlite3.Connection) -> None:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for sql, args in statements:
                    conn.execute(sql, tuple(args))
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

        await self._store.run(run)

    async def close(self) -> None:
        await self._store.close()


def _numbered(sql: str) -> str:
    """``?`` placeholders as PostgreSQL's ``$1, $2, …`` (no statement here has a literal ``?``)."""
    parts = sql.split("?")
    return "".join(f"{part}${i}" if i < len(parts) else part for i, part in enumerate(parts, 1))


class _Postgres:
    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()

    async def fetch(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        async with self._lock:
            return [tuple(r) for r in await self._conn.fetch(_numbered(sql), *args)]

    async def transact(self, statements: Sequence[Statement]) -> None:
        async with self._lock, self._conn.transaction():
            for sql, args in statements:
                await self._conn.execute(_numbered(sql), *args)

    async def close(self) -> None:
        await self._conn.close()


class Directory:
    """Open with :meth:`open` (creates or migrates the store's schema first)."""

    def __init__(self, url: str) -> None:
        check_url(url)
        if url == "memory:":
            raise ValueError("accounts need a durable store: pass --store sqlite:///PATH or postgresql://… "
                             "(or set STORE_URL), not memory:")
        self.url = url
        self._sql: _Sql | None = None

    async def open(self) -> Directory:
        store = open_store(self.url)
        await store.open()  # creates or migrates the schema (version 2 holds these tables)
        if isinstance(store, SqliteStore):
            self._sql = _Sqlite(store)
            return self
        await store.close()
        import asyncpg

        self._sql = _Postgres(await asyncpg.connect(self.url, timeout=10))
        return self

    async def close(self) -> None:
        sql, self._sql = self._sql, None
        if sql is not None:
            await sql.close()

    @property
    def sql(self) -> _Sql:
        if self._sql is None:
            raise StoreUnavailable("the accounts directory is not open")
        return self._sql

    async def create_account(self, name: str, balance: float, currency: str = DEFAULT_CURRENCY
                             ) -> tuple[Account, NewKey]:
        account = Account(new_id("ACC"), name, currency, balance)
        key = new_key(account.id)
        await self.sql.transact([
            ("INSERT INTO account_names (account_id, name, currency, balance, created_at) VALUES (?, ?, ?, ?, ?)",
             (account.id, name, currency, balance, _now())),
            _insert_key(key),
            (BUMP, ()),
        ])
        return account, key

    async def accounts(self) -> list[Account]:
        rows = await self.sql.fetch("SELECT account_id, name, currency, balance FROM account_names "
                                    "ORDER BY created_at, account_id")
        return [Account(r[0], r[1], r[2], float(r[3])) for r in rows]

    async def account(self, account_id: str) -> Account | None:
        rows = await self.sql.fetch("SELECT account_id, name, currency, balance FROM account_names "
                                    "WHERE account_id = ?", (account_id,))
        return Account(rows[0][0], rows[0][1], rows[0][2], float(rows[0][3])) if rows else None

    async def add_key(self, account_id: str) -> NewKey:
        if await self.account(account_id) is None:
            raise UnknownAccount(f"no account {account_id}")
        key = new_key(account_id)
        await self.sql.transact([_insert_key(key), (BUMP, ())])
        return key

    async def revoke(self, key_id: str) -> bool:
        """False when no live key has that id."""
        rows = await self.sql.fetch("SELECT 1 FROM api_keys WHERE key_id = ? AND revoked_at IS NULL", (key_id,))
        if not rows:
            return False
        await self.sql.transact([("UPDATE api_keys SET revoked_at = ? WHERE key_id = ?", (_now(), key_id)),
                                 (BUMP, ())])
        return True

    async def keys(self) -> list[KeyInfo]:
        rows = await self.sql.fetch("SELECT key_id, account_id, created_at, revoked_at FROM api_keys "
                                    "ORDER BY created_at, key_id")
        return [KeyInfo(r[0], r[1], int(r[2]), r[3] is not None) for r in rows]

    async def keys_version(self) -> int:
        rows = await self.sql.fetch("SELECT value FROM store_meta WHERE key = 'keys_version'")
        return int(rows[0][0]) if rows else 0

    async def live_keys(self) -> list[KeyEntry]:
        rows = await self.sql.fetch("SELECT key_id, account_id, digest FROM api_keys WHERE revoked_at IS NULL")
        return [KeyEntry(r[0], r[1], r[2]) for r in rows]


def _insert_key(key: NewKey) -> Statement:
    return ("INSERT INTO api_keys (key_id, account_id, digest, created_at) VALUES (?, ?, ?, ?)",
            (key.key_id, key.account_id, key.digest, _now()))


def _now() -> int:
    return time.time_ns() // 1000
