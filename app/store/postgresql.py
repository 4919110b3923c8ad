"""``postgresql://user:pass@host:port/db``: the shared store (asyncpg, one connection per process).

One connection suffices: a process is the single writer of its accounts and group commit puts
every concurrent command into one transaction; a lock keeps a snapshot from interleaving with a
commit on it. A lost connection is dropped and opened again
on the next call, so the broker serves again on its own once the server is back. A failure
before COMMIT was sent is a rollback (``StoreUnavailable``); a failure while committing leaves
the outcome unknown (``OutcomeUnknown``), and the broker then reloads the account.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from app.store.interface import (
    Fenced,
    HistoryRow,
    OutcomeUnknown,
    Record,
    Snapshot,
    StoreError,
    StoreUnavailable,
    StoreUnreachable,
    Stored,
)
from app.store.migrations import VERSION_QUERY, event_rows, history_rows, parse_version, pending_steps

T = TypeVar("T")
CONNECT_TIMEOUT_S = 5.0
COMMAND_TIMEOUT_S = 10.0
FAILURES = (OSError, asyncio.TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError,
            asyncpg.InternalClientError)
LOST = (OSError, asyncpg.ConnectionDoesNotExistError, asyncpg.InterfaceError,
        asyncpg.AdminShutdownError, asyncpg.CannotConnectNowError,
        asyncpg.InternalClientError)  # e.g. a call racing the server's notice that it ended the session
SCHEMA_LOCK = 7_311_020_141  # pg_advisory_xact_lock key: one migrating process at a time
INSERT_HISTORY = ("INSERT INTO order_history (account_id, final_time, order_seq, order_id, payload) "
                  "VALUES ($1, $2, $3, $4, $5)")
HISTORY_PAGE = ("SELECT final_time, order_seq, order_id, payload FROM order_history WHERE account_id = $1{where} "
                "ORDER BY final_time DESC, order_seq DESC LIMIT {limit}")
HISTORY_BEFORE = " AND (final_time, order_seq) < ($2, $3)"
RELEASE_CHANNEL = "trader_account_release"
"""NOTIFY channel: the payload is an account id whose holder is asked to let it go (issue 17)."""


def account_lock_key(account_id: str) -> int:
    """The account's advisory-lock key: a stable signed 64-bit hash of its id (not ``hash()``,
    which differs between processes)."""
    return int.from_bytes(hashlib.sha256(account_id.encode()).digest()[:8], "big", signed=True)


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


class PostgresStore:
    """Besides the journal, the account locks of one writer per account (issue 17 item 3): a
    session-level advisory lock per account on the store's one connection, so the session that
    writes is the session that holds; the server drops them with the session (a dead process
    holds nothing). ``on_locks_lost`` hears which ones went with a lost connection;
    ``on_release_request`` hears the accounts another instance asked this one to release."""

    __slots__ = ("_url", "_conn", "_lock", "_held", "_locking", "on_locks_lost", "on_release_request")

    def __init__(self, url: str) -> None:
        self._url = url
        self._conn: asyncpg.Connection | None = None
        self._lock = asyncio.Lock()
        self._held: set[str] = set()
        self._locking = False
        """Set by the first ``hold``: from then on a write needs its account's lock on this session."""
        self.on_locks_lost: Callable[[frozenset[str]], None] | None = None
        self.on_release_request: Callable[[str], None] | None = None

    @property
    def name(self) -> str:
        return redact(self._url)

    @property
    def durable(self) -> bool:
        return True

    async def open(self) -> None:
        try:
            conn = await self._connection()
            async with conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock($1)", SCHEMA_LOCK)
                exists = await conn.fetchval("SELECT to_regclass('store_meta') IS NOT NULL")
                found = parse_version(await conn.fetchval(VERSION_QUERY)) if exists else None
                for version, statements in pending_steps(found, self.name):
                    for statement in statements:
                        await conn.execute(statement)
                    await conn.execute("INSERT INTO store_meta (key, value) VALUES ('schema_version', $1) "
                                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value", str(version))
        except FAILURES as exc:
            await self.close()
            raise StoreUnreachable(f"cannot open store {self.name}: {_text(exc)}") from None
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None and not conn.is_closed():
            try:
                await asyncio.wait_for(conn.close(), CONNECT_TIMEOUT_S)
            except FAILURES:
                conn.terminate()

    async def claim(self, account_id: str) -> int:
        async def claim(conn: asyncpg.Connection) -> int:
            epoch: int = await conn.fetchval(
                "INSERT INTO accounts (account_id, epoch, last_seq) VALUES ($1, 1, 0) "
                "ON CONFLICT (account_id) DO UPDATE SET epoch = accounts.epoch + 1 RETURNING epoch", account_id)
            return epoch

        return await self._guarded(claim)

    async def load(self, account_id: str) -> Stored:
        async def load(conn: asyncpg.Connection) -> Stored:
            async with conn.transaction(isolation="repeatable_read", readonly=True):
                row = await conn.fetchrow("SELECT seq, payload FROM snapshots WHERE account_id = $1", account_id)
                snapshot = None if row is None else Snapshot(row["seq"], row["payload"].encode())
                rows = await conn.fetch("SELECT seq, kind, payload FROM events WHERE account_id = $1 AND seq > $2 "
                                        "ORDER BY seq", account_id, 0 if snapshot is None else snapshot.seq)
                last = await conn.fetchval("SELECT last_seq FROM accounts WHERE account_id = $1", account_id)
            records = tuple(Record(r["seq"], r["kind"], r["payload"].encode()) for r in rows)
            return Stored(snapshot, records, last or 0)

        return await self._guarded(load)

    async def append(self, account_id: str, epoch: int, records: Sequence[Record], *,
                     truncate_before: int | None = None, history: Sequence[HistoryRow] = ()) -> None:
        if not records:
            return
        rows = event_rows(account_id, epoch, records)
        finals = history_rows(account_id, history)
        first, last = records[0].seq, records[-1].seq

        async def append(conn: asyncpg.Connection) -> None:
            self._check_held(account_id)

            async def work() -> None:
                stored = await _check_epoch(conn, account_id, epoch)
                if first != stored + 1:
                    raise StoreUnavailable(f"record {first} does not follow {stored} for account {account_id}")
                await conn.execute("UPDATE accounts SET last_seq = $1 WHERE account_id = $2", last, account_id)
                await conn.executemany("INSERT INTO events (account_id, seq, epoch, kind, payload) "
                                       "VALUES ($1, $2, $3, $4, $5)", rows)
                if truncate_before is not None:
                    await conn.execute("DELETE FROM events WHERE account_id = $1 AND seq < $2",
                                       account_id, truncate_before)
                    await conn.execute("DELETE FROM snapshots WHERE account_id = $1", account_id)
                    await conn.execute("DELETE FROM order_history WHERE account_id = $1", account_id)
                if finals:
                    await conn.executemany(INSERT_HISTORY + " ON CONFLICT DO NOTHING", finals)

            await _transaction(conn, work)

        await self._guarded(append)

    async def order_history(self, account_id: str, limit: int,
                            before: tuple[int, int] | None = None) -> list[HistoryRow]:
        async def page(conn: asyncpg.Connection) -> list[HistoryRow]:
            if before is None:
                found = await conn.fetch(HISTORY_PAGE.format(where="", limit="$2"), account_id, limit)
            else:
                found = await conn.fetch(HISTORY_PAGE.format(where=HISTORY_BEFORE, limit="$4"),
                                         account_id, before[0], before[1], limit)
            return [HistoryRow(r["final_time"], r["order_seq"], r["order_id"], r["payload"].encode()) for r in found]

        return await self._guarded(page)

    async def history_count(self, account_id: str) -> int:
        async def count(conn: asyncpg.Connection) -> int:
            found: int = await conn.fetchval("SELECT count(*) FROM order_history WHERE account_id = $1", account_id)
            return found

        return await self._guarded(count)

    async def add_history(self, account_id: str, epoch: int, rows: Sequence[HistoryRow]) -> None:
        finals = history_rows(account_id, rows)

        async def add(conn: asyncpg.Connection) -> None:
            async def work() -> None:
                await _check_epoch(conn, account_id, epoch)
                await conn.executemany(INSERT_HISTORY + " ON CONFLICT DO NOTHING", finals)

            await _transaction(conn, work)

        if finals:
            await self._guarded(add)

    async def save_snapshot(self, account_id: str, epoch: int, snapshot: Snapshot) -> None:
        text = snapshot.payload.decode()

        async def save(conn: asyncpg.Connection) -> None:
            self._check_held(account_id)

            async def work() -> None:
                await _check_epoch(conn, account_id, epoch)
                await conn.execute("INSERT INTO snapshots (account_id, seq, epoch, payload) VALUES ($1, $2, $3, $4) "
                                   "ON CONFLICT (account_id) DO UPDATE SET seq = excluded.seq, "
                                   "epoch = excluded.epoch, payload = excluded.payload",
                                   account_id, snapshot.seq, epoch, text)
                await conn.execute("DELETE FROM events WHERE account_id = $1 AND seq <= $2", account_id, snapshot.seq)

            await _transaction(conn, work)

        await self._guarded(save)

    @property
    def held(self) -> frozenset[str]:
        """The accounts whose lock this process's session holds."""
        return frozenset(self._held)

    def _check_held(self, account_id: str) -> None:
        """Run on the connection the write will use (a reconnection has just dropped the locks)."""
        if self._locking and account_id not in self._held:
            raise Fenced(f"account {account_id}: this process no longer holds its lock")

    async def hold(self, account_id: str) -> bool:
        """Take the account's lock; False when another live session holds it. Holding twice is
        holding once (PostgreSQL would count the second and keep the lock after one unlock)."""
        self._locking = True
        if account_id in self._held and self._conn is not None and not self._conn.is_closed():
            return True

        async def hold(conn: asyncpg.Connection) -> bool:
            got: bool = await conn.fetchval("SELECT pg_try_advisory_lock($1)", account_lock_key(account_id))
            return got

        if await self._guarded(hold):
            self._held.add(account_id)
            return True
        return False

    async def release(self, account_id: str) -> None:
        async def release(conn: asyncpg.Connection) -> None:
            if account_id in self._held:  # not after a reconnection: the new session holds nothing
                await conn.fetchval("SELECT pg_advisory_unlock($1)", account_lock_key(account_id))
            self._held.discard(account_id)

        if account_id in self._held:
            await self._guarded(release)

    async def ask_release(self, account_id: str) -> None:
        """Ask the account's holder, whichever process it is, to release it (NOTIFY)."""
        async def notify(conn: asyncpg.Connection) -> None:
            await conn.execute("SELECT pg_notify($1, $2)", RELEASE_CHANNEL, account_id)

        await self._guarded(notify)

    def _notified(self, _conn: object, _pid: int, _channel: str, payload: object) -> None:
        if isinstance(payload, str) and payload in self._held and self.on_release_request is not None:
            self.on_release_request(payload)

    async def ping(self) -> None:
        async def ping(conn: asyncpg.Connection) -> None:
            await conn.fetchval("SELECT 1")

        await self._guarded(ping)

    async def _connection(self) -> asyncpg.Connection:
        conn = self._conn
        if conn is None or conn.is_closed():
            self._forget_locks()
            conn = self._conn = await asyncpg.connect(self._url, timeout=CONNECT_TIMEOUT_S,
                                                      command_timeout=COMMAND_TIMEOUT_S)
            await conn.add_listener(RELEASE_CHANNEL, self._notified)
        return conn

    def _forget_locks(self) -> None:
        """A new session holds none of the old one's locks."""
        lost, self._held = frozenset(self._held), set()
        if lost and self.on_locks_lost is not None:
            self.on_locks_lost(lost)

    async def _guarded(self, work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        """A connection found broken (the server restarted since the last call) is replaced and
        the work tried once more: it was rolled back, so nothing is done twice."""
        async with self._lock:  # one connection: one operation at a time (a snapshot vs a commit)
            return await self._serially(work)

    async def _serially(self, work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        retry = self._conn is not None
        while True:
            try:
                return await work(await self._connection())
            except StoreError:
                raise
            except FAILURES as exc:
                await self._drop()
                if not (retry and isinstance(exc, LOST)):
                    raise StoreUnavailable(f"store {self.name} failed: {_text(exc)}") from None
                retry = False

    async def _drop(self) -> None:
        """Forget a connection that failed: the next call opens a fresh one."""
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.terminate()


async def _transaction(conn: asyncpg.Connection, work: Callable[[], Awaitable[None]]) -> None:
    transaction = conn.transaction()
    await transaction.start()
    try:
        await work()
    except BaseException:
        if not conn.is_closed():
            try:
                await transaction.rollback()
            except FAILURES:
                pass
        raise
    try:
        await transaction.commit()
    except FAILURES as exc:
        conn.terminate()
        raise OutcomeUnknown(f"commit failed: {_text(exc)}") from None


async def _check_epoch(conn: asyncpg.Connection, account_id: str, epoch: int) -> int:
    row = await conn.fetchrow("SELECT epoch, last_seq FROM accounts WHERE account_id = $1 FOR UPDATE", account_id)
    if row is None or row["epoch"] != epoch:
        raise Fenced(f"account {account_id} is no longer written with epoch {epoch}")
    last: int = row["last_seq"]
    return last


def _text(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
