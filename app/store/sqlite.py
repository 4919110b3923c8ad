"""``sqlite:///PATH``: one file, WAL journal, one connection owned by one dedicated thread.

Why a thread of our own rather than aiosqlite: a commit here is one function call (BEGIN, the
account update, ``executemany`` of the batch, COMMIT) that runs start to finish on the store's
thread, so a batch costs one hop between the event loop and the thread, where aiosqlite hops
once per statement; and it is no dependency. The event loop never waits on the disk.

``synchronous=NORMAL`` (``STORE_SYNC=normal``) survives a killed process: a commit is in the WAL
before it returns, only a power cut can lose the last ones. ``FULL`` syncs the WAL on every
commit and survives that too. ``busy_timeout`` lets command-line tools read and write the same
file: a writer waits up to ``BUSY_TIMEOUT_MS`` for their lock before the batch fails (503).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from app.store.interface import (
    Fenced,
    HistoryRow,
    OutcomeUnknown,
    Record,
    Snapshot,
    StoreUnavailable,
    StoreUnreachable,
    Stored,
)
from app.store.migrations import VERSION_QUERY, event_rows, history_rows, parse_version, pending_steps

T = TypeVar("T")
BUSY_TIMEOUT_MS = 5000
SYNC_MODES = ("normal", "full")
INSERT_HISTORY = ("INSERT INTO order_history (account_id, final_time, order_seq, order_id, payload) "
                  "VALUES (?, ?, ?, ?, ?)")
HISTORY_PAGE = ("SELECT final_time, order_seq, order_id, payload FROM order_history WHERE account_id = ?{where} "
                "ORDER BY final_time DESC, order_seq DESC LIMIT ?")
HISTORY_BEFORE = " AND (final_time, order_seq) < (?, ?)"


class SqliteStore:
    __slots__ = ("_path", "_sync", "_busy_ms", "_executor", "_conn", "created")

    def __init__(self, path: Path, sync: str = "normal", busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        if sync not in SYNC_MODES:
            raise ValueError(f"STORE_SYNC must be one of {', '.join(SYNC_MODES)}, not {sync!r}")
        self._path = path
        self._sync = sync
        self._busy_ms = busy_timeout_ms
        self._executor: ThreadPoolExecutor | None = None
        self._conn: sqlite3.Connection | None = None
        self.created = False

    @property
    def name(self) -> str:
        return f"sqlite:///{self._path}"

    @property
    def durable(self) -> bool:
        return True

    @property
    def path(self) -> Path:
        return self._path

    async def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` with the store's connection on the store's thread.

        Only that thread ever touches the connection, one call after the other. A caller
        cancelled while its call runs stops waiting, but the call finishes on the thread before
        the next one (or the close) starts there.
        """
        if self._executor is None:
            raise StoreUnavailable(f"store {self.name} is closed")

        def call() -> T:
            if self._conn is None:
                raise StoreUnavailable(f"store {self.name} is closed")
            return work(self._conn)

        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    async def open(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-sqlite")
        try:
            await asyncio.get_running_loop().run_in_executor(self._executor, self._connect)
        except (OSError, sqlite3.Error) as exc:
            await self.close()
            raise StoreUnreachable(f"cannot open store {self.name}: {exc}") from None
        except BaseException:
            await self.close()
            raise

    def _connect(self) -> None:
        self.created = not self._path.exists()
        self._path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self._busy_ms)}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise sqlite3.OperationalError(f"WAL journal mode refused (got {mode})")
            conn.execute(f"PRAGMA synchronous = {self._sync.upper()}")
            _migrate(conn, self.name)
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    async def close(self) -> None:
        """Close the connection on the store's thread, after every call already queued there
        (a call whose caller was cancelled may still be running: it finishes first). No call
        starts after this one; cancelling the close does not stop it."""
        executor, self._executor = self._executor, None
        if executor is None:
            return

        def close() -> None:
            conn, self._conn = self._conn, None
            if conn is not None:
                conn.close()

        closed = asyncio.get_running_loop().run_in_executor(executor, close)
        executor.shutdown(wait=False)  # the queued calls and the close still run; the thread then ends
        await asyncio.shield(closed)

    async def claim(self, account_id: str) -> int:
        def claim(conn: sqlite3.Connection) -> int:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("INSERT INTO accounts (account_id, epoch, last_seq) VALUES (?, 1, 0) "
                             "ON CONFLICT (account_id) DO UPDATE SET epoch = epoch + 1", (account_id,))
                epoch: int = conn.execute("SELECT epoch FROM accounts WHERE account_id = ?",
                                          (account_id,)).fetchone()[0]
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise
            return epoch

        return await self._guarded(claim)

    async def load(self, account_id: str) -> Stored:
        def load(conn: sqlite3.Connection) -> Stored:
            conn.execute("BEGIN")
            try:
                row = conn.execute("SELECT seq, payload FROM snapshots WHERE account_id = ?",
                                   (account_id,)).fetchone()
                snapshot = None if row is None else Snapshot(row[0], row[1].encode())
                after = 0 if snapshot is None else snapshot.seq
                records = tuple(Record(seq, kind, payload.encode()) for seq, kind, payload in conn.execute(
                    "SELECT seq, kind, payload FROM events WHERE account_id = ? AND seq > ? ORDER BY seq",
                    (account_id, after)))
                last = conn.execute("SELECT last_seq FROM accounts WHERE account_id = ?",
                                    (account_id,)).fetchone()
            finally:
                _rollback(conn)
            return Stored(snapshot, records, 0 if last is None else last[0])

        return await self._guarded(load)

    async def append(self, account_id: str, epoch: int, records: Sequence[Record], *,
                     truncate_before: int | None = None, history: Sequence[HistoryRow] = ()) -> None:
        if not records:
            return
        rows = event_rows(account_id, epoch, records)
        finals = history_rows(account_id, history)
        first, last = records[0].seq, records[-1].seq

        def append(conn: sqlite3.Connection) -> None:
            conn.execute("BEGIN IMMEDIATE")
            try:
                _advance(conn, account_id, epoch, first, last)
                conn.executemany("INSERT INTO events (account_id, seq, epoch, kind, payload) "
                                 "VALUES (?, ?, ?, ?, ?)", rows)
                if truncate_before is not None:
                    conn.execute("DELETE FROM events WHERE account_id = ? AND seq < ?",
                                 (account_id, truncate_before))
                    conn.execute("DELETE FROM snapshots WHERE account_id = ?", (account_id,))
                    conn.execute("DELETE FROM order_history WHERE account_id = ?", (account_id,))
                if finals:
                    conn.executemany(INSERT_HISTORY + " ON CONFLICT DO NOTHING", finals)
            except BaseException:
                _rollback(conn)
                raise
            _commit(conn)

        await self._guarded(append)

    async def order_history(self, account_id: str, limit: int,
                            before: tuple[int, int] | None = None) -> list[HistoryRow]:
        def page(conn: sqlite3.Connection) -> list[HistoryRow]:
            if before is None:
                found = conn.execute(HISTORY_PAGE.format(where=""), (account_id, limit))
            else:
                found = conn.execute(HISTORY_PAGE.format(where=HISTORY_BEFORE),
                                     (account_id, before[0], before[1], limit))
            return [HistoryRow(t, seq, order_id, payload.encode()) for t, seq, order_id, payload in found]

        return await self._guarded(page)

    async def history_count(self, account_id: str) -> int:
        def count(conn: sqlite3.Connection) -> int:
            found: int = conn.execute("SELECT count(*) FROM order_history WHERE account_id = ?",
                                      (account_id,)).fetchone()[0]
            return found

        return await self._guarded(count)

    async def add_history(self, account_id: str, epoch: int, rows: Sequence[HistoryRow]) -> None:
        finals = history_rows(account_id, rows)

        def add(conn: sqlite3.Connection) -> None:
            conn.execute("BEGIN IMMEDIATE")
            try:
                _check_epoch(conn, account_id, epoch)
                conn.executemany(INSERT_HISTORY + " ON CONFLICT DO NOTHING", finals)
            except BaseException:
                _rollback(conn)
                raise
            _commit(conn)

        if finals:
            await self._guarded(add)

    async def save_snapshot(self, account_id: str, epoch: int, snapshot: Snapshot) -> None:
        text = snapshot.payload.decode()

        def save(conn: sqlite3.Connection) -> None:
            conn.execute("BEGIN IMMEDIATE")
            try:
                _check_epoch(conn, account_id, epoch)
                conn.execute("INSERT INTO snapshots (account_id, seq, epoch, payload) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT (account_id) DO UPDATE SET seq = excluded.seq, "
                             "epoch = excluded.epoch, payload = excluded.payload",
                             (account_id, snapshot.seq, epoch, text))
                conn.execute("DELETE FROM events WHERE account_id = ? AND seq <= ?", (account_id, snapshot.seq))
            except BaseException:
                _rollback(conn)
                raise
            _commit(conn)

        await self._guarded(save)

    async def ping(self) -> None:
        await self._guarded(lambda conn: conn.execute("SELECT 1 FROM accounts LIMIT 1").fetchall())

    async def _guarded(self, work: Callable[[sqlite3.Connection], T]) -> T:
        try:
            return await self.run(work)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"store {self.name} failed: {exc}") from None


def _commit(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        _rollback(conn)
        raise OutcomeUnknown(f"commit failed: {exc}") from None


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def _check_epoch(conn: sqlite3.Connection, account_id: str, epoch: int) -> int:
    row = conn.execute("SELECT epoch, last_seq FROM accounts WHERE account_id = ?", (account_id,)).fetchone()
    if row is None or row[0] != epoch:
        raise Fenced(f"account {account_id} is no longer written with epoch {epoch}")
    last: int = row[1]
    return last


def _advance(conn: sqlite3.Connection, account_id: str, epoch: int, first: int, last: int) -> None:
    """One statement on the hot path; the reason is looked up only when it did not apply."""
    moved = conn.execute("UPDATE accounts SET last_seq = ? WHERE account_id = ? AND epoch = ? AND last_seq = ?",
                         (last, account_id, epoch, first - 1)).rowcount
    if moved != 1:
        stored = _check_epoch(conn, account_id, epoch)
        raise StoreUnavailable(f"record {first} does not follow {stored} for account {account_id}")


def _migrate(conn: sqlite3.Connection, name: str) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'store_meta'").fetchone()
        row = conn.execute(VERSION_QUERY).fetchone() if exists else None
        found = None if row is None else parse_version(row[0])
        for version, statements in pending_steps(found, name):
            for statement in statements:
                conn.execute(statement)
            conn.execute("INSERT INTO store_meta (key, value) VALUES ('schema_version', ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(version),))
    except BaseException:
        _rollback(conn)
        raise
    conn.execute("COMMIT")
