"""What every store offers the broker: an append-only journal of events and one snapshot per account.

The store knows nothing of the domain: an event is a ``Record`` (its sequence number, its kind,
its JSON payload), a snapshot is JSON bytes taken at a sequence number. Rebuilding an account is
"import the snapshot, apply the records after it", so start-up reads at most one snapshot and
the tail of the journal, never the whole history (snapshots prune what they cover).

Every row carries its ``account_id`` and the ``epoch`` of the process that wrote it: ``claim``
bumps the account's epoch, and a write whose epoch is no longer the account's is refused
(``Fenced``), so of two processes writing one account only the newest succeeds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class StoreError(Exception):
    """Base of every store failure; ``str()`` is one line meant for a log or a terminal."""


class StoreUnreachable(StoreError):
    """The store cannot be opened at start (no server, unwritable path, refused credentials)."""


class SchemaTooNew(StoreError):
    """The store was written by a newer server: this one must not touch it."""


class StoreUnavailable(StoreError):
    """A write or read failed and was rolled back: nothing of it is stored."""


class OutcomeUnknown(StoreUnavailable):
    """The commit itself failed (connection lost while committing): the batch may or may not be
    stored, so the writer must reload the account from the store before serving it again."""


class Fenced(StoreUnavailable):
    """Another writer has claimed the account since this one did (a newer epoch)."""


@dataclass(frozen=True, slots=True)
class Record:
    seq: int
    kind: str
    payload: bytes


@dataclass(frozen=True, slots=True)
class Snapshot:
    seq: int
    payload: bytes


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """A final order (filled, cancelled, rejected) as the order history keeps it: its wire JSON,
    keyed by (``final_time``, ``order_seq``) — when it became final and its number. The key
    never changes once written, so a page boundary taken from it is stable however many orders
    finish later (the history's cursor encodes it)."""

    final_time: int
    order_seq: int
    order_id: str
    payload: bytes

    @property
    def key(self) -> tuple[int, int]:
        return self.final_time, self.order_seq


@dataclass(frozen=True, slots=True)
class Stored:
    """An account as stored: the latest snapshot (if any) and the records after it, in order.
    ``last_seq`` is the sequence number of the last record ever committed (0: none)."""

    snapshot: Snapshot | None
    records: tuple[Record, ...]
    last_seq: int

    @property
    def journal_bytes(self) -> int:
        return sum(len(r.payload) for r in self.records)


class Store(Protocol):
    @property
    def name(self) -> str:
        """The URL without its password, for logs and error lines."""

    @property
    def durable(self) -> bool:
        """False for ``memory:``: nothing survives the process."""

    async def open(self) -> None:
        """Connect, create or migrate the schema; ``StoreUnreachable`` / ``SchemaTooNew``."""

    async def close(self) -> None: ...

    async def claim(self, account_id: str) -> int:
        """Become the account's writer: returns the new epoch (creates the account row)."""

    async def load(self, account_id: str) -> Stored: ...

    async def append(self, account_id: str, epoch: int, records: Sequence[Record], *,
                     truncate_before: int | None = None, history: Sequence[HistoryRow] = ()) -> None:
        """Commit the records in one transaction (their seqs continue ``last_seq`` without gaps).

        ``truncate_before``: also delete the account's records below that seq, its snapshot and
        its order history (an account reset: what came before it no longer matters).
        ``history``: the orders the batch made final, added to the order history in the same
        transaction (after a reset's deletion)."""

    async def order_history(self, account_id: str, limit: int,
                            before: tuple[int, int] | None = None) -> list[HistoryRow]:
        """Up to ``limit`` final orders, newest first (by ``HistoryRow.key``, descending), only
        those whose key is below ``before`` when given (keyset paging)."""

    async def history_count(self, account_id: str) -> int:
        """How many final orders the account's history holds."""

    async def add_history(self, account_id: str, epoch: int, rows: Sequence[HistoryRow]) -> None:
        """Add rows the history lacks, keeping those it has (a store written before the history
        existed is filled in from the loaded state at start)."""

    async def save_snapshot(self, account_id: str, epoch: int, snapshot: Snapshot) -> None:
        """Replace the account's snapshot and delete the records it covers."""

    async def ping(self) -> None:
        """Read from the store (readiness): ``StoreUnavailable`` when it cannot answer."""
