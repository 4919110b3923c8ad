"""The schema and its versions, shared by SQLite and PostgreSQL (the DDL is common SQL).

``store_meta`` holds ``schema_version``. Start-up applies the steps above the stored version in
one transaction; a stored version above ``SCHEMA_VERSION`` means a newer server wrote the store,
and this one refuses to start rather than misread it. A new version appends a step here (and a
test that a store of the previous version is migrated).
"""

from __future__ import annotations

from collections.abc import Sequence

from app.store.interface import HistoryRow, Record, SchemaTooNew

SCHEMA_VERSION = 5

STEPS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS accounts (account_id TEXT PRIMARY KEY, epoch BIGINT NOT NULL, "
        "last_seq BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS events (account_id TEXT NOT NULL, seq BIGINT NOT NULL, "
        "epoch BIGINT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (account_id, seq))",
        "CREATE TABLE IF NOT EXISTS snapshots (account_id TEXT PRIMARY KEY, seq BIGINT NOT NULL, "
        "epoch BIGINT NOT NULL, payload TEXT NOT NULL)",
    ),
    # 2: accounts and API keys (app/accounts, issue 15); only a key's SHA-256 is kept
    2: (
        "CREATE TABLE IF NOT EXISTS account_names (account_id TEXT PRIMARY KEY, name TEXT NOT NULL, "
        "currency TEXT NOT NULL, balance DOUBLE PRECISION NOT NULL, created_at BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS api_keys (key_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, "
        "digest TEXT NOT NULL, created_at BIGINT NOT NULL, revoked_at BIGINT)",
        "INSERT INTO store_meta (key, value) VALUES ('keys_version', '0') ON CONFLICT (key) DO NOTHING",
    ),
    # 3: the order history (GET /orders/history, issue 18): final orders keyed for keyset paging
    3: (
        "CREATE TABLE IF NOT EXISTS order_history (account_id TEXT NOT NULL, final_time BIGINT NOT NULL, "
        "order_seq BIGINT NOT NULL, order_id TEXT NOT NULL, payload TEXT NOT NULL, "
        "PRIMARY KEY (account_id, final_time, order_seq))",
    ),
    # 4: commissions (issue 18): an OrderFilled event, an execution and an order record carry new
    # fields (``commission``, ``filled_value``). No table changes: the payloads of version 3 read
    # back with their defaults (0.0), so migrating is only the version number, which keeps a
    # server of version 3 from misreading (and failing on) the payloads this one writes.
    4: (),
    # 5: orders carry a duration (time in force, issue 18): the history's payloads, the wire JSON
    # of orders placed before, end with "duration":null like every order now (journal and
    # snapshots need nothing: a stored event without the field reads as its default, GTC)
    5: (
        "UPDATE order_history SET payload = substr(payload, 1, length(payload) - 1) || ',\"duration\":null}' "
        "WHERE payload NOT LIKE '%\"duration\":%'",
    ),
}

VERSION_QUERY = "SELECT value FROM store_meta WHERE key = 'schema_version'"


def pending_steps(found: int | None, name: str) -> list[tuple[int, tuple[str, ...]]]:
    """The steps to apply to a store at version ``found`` (None: empty store), in order."""
    current = found or 0
    if current > SCHEMA_VERSION:
        raise SchemaTooNew(f"store {name} has schema version {current}, newer than this server's "
                           f"{SCHEMA_VERSION}: upgrade the server or point STORE_URL elsewhere")
    return [(v, STEPS[v]) for v in range(current + 1, SCHEMA_VERSION + 1)]


def parse_version(value: object) -> int | None:
    return None if value is None else int(str(value))


def event_rows(account_id: str, epoch: int, records: Sequence[Record]) -> list[tuple[str, int, int, str, str]]:
    """The ``events`` rows of a batch, in column order (payloads as text: readable with any SQL tool)."""
    return [(account_id, r.seq, epoch, r.kind, r.payload.decode()) for r in records]


def history_rows(account_id: str, rows: Sequence[HistoryRow]) -> list[tuple[str, int, int, str, str]]:
    """The ``order_history`` rows, in column order."""
    return [(account_id, r.final_time, r.order_seq, r.order_id, r.payload.decode()) for r in rows]
