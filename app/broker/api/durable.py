"""The account behind its store: every command is committed before it is answered or published.

Commands go through group commit (app/store/commit.py): a batch is decided inside one engine
transaction (each command sees the ones before it), its events are appended to the store in one
commit, and only then does the transaction commit in the engine, which publishes the batch's
wire snapshots and releases the answers. A failed commit aborts the transaction: the live state
is exactly as before the batch, nothing is published and every command of the batch answers
``StoreUnavailable`` (503). Reads wait for a batch in flight (``readable``), so no client sees
state that may still be rolled back. A commit whose outcome is unknown marks the account stale:
it is reloaded from the store before the next batch or read, and until that succeeds every
request answers 503.

Snapshots keep start-up short: once the journal written since the last snapshot outweighs
``JOURNAL_PER_SNAPSHOT`` times that snapshot (and ``SNAPSHOT_MIN_BYTES``), the committed state is
exported (on the loop, at a point where no transaction is open), encoded on a worker thread and
saved; the store then drops the records it covers. A clean shutdown saves one as well. Each
order is encoded into snapshots 1 + 1/JOURNAL_PER_SNAPSHOT times over the account's life (the
sizes grow geometrically), and each export pauses the loop for a copy of every order: with a
half (the first policy) that was a quarter of the SQLite server's CPU under POST load. Twice
the snapshot costs a start no more than the snapshot itself: replaying a stored order's event
takes about what reading it from a snapshot takes (bench/store_startup.py, 100,000 orders:
2.33 s from the journal alone, 2.55 s from a snapshot).

With ``memory:`` there is nothing to commit: commands run straight on the engine.

An account is written only while its process serves it (``serving``, issue 17): once it is
handed to another instance (``stop_serving``), a command or read still on its way answers 503
(``NotServed``) instead of writing with an epoch the store would fence anyway. A lost store
session loses the account's lock (``lock_lost``): the next batch first takes it again
(``regain``) and reloads the account under a new epoch, or answers ``NotServed`` when another
instance has it now.
"""

from __future__ import annotations

import asyncio
import gc
import logging

import orjson
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar, cast

from app.broker.api import finals, persistence
from app.broker.domain.checkpoint import export_state
from app.broker.domain.commands import Command
from app.broker.domain.engine import Engine, Transaction
from app.broker.domain.events import AccountReset
from app.broker.domain.history import final_count
from app.store.commit import GroupCommit, Outcome
from app.store.interface import HistoryRow, OutcomeUnknown, Record, Snapshot, Store, StoreError, StoreUnavailable

LOG = logging.getLogger(__name__)
T = TypeVar("T")

ACCOUNT_ID = "DEMO-ACCOUNT"
SNAPSHOT_MIN_BYTES = 1 << 20
JOURNAL_PER_SNAPSHOT = 2


class NotServed(StoreUnavailable):
    """The account is served by another broker instance now (or is moving there): retry."""


@dataclass(frozen=True, slots=True)
class _Batch:
    tx: Transaction
    records: list[Record]
    truncate_before: int | None
    history: list[HistoryRow]


class DurableAccount:
    def __init__(self, engine: Engine, store: Store, account_id: str = ACCOUNT_ID,
                 snapshot_min_bytes: int = SNAPSHOT_MIN_BYTES, on_load: Callable[[], None] | None = None) -> None:
        """``on_load``: called whenever the engine's state is replaced by the stored one (caches)."""
        self.engine = engine
        self._on_load = on_load
        self.load_listeners: list[Callable[[], None]] = []
        """Also called whenever the stored state replaces the engine's (after ``on_load``)."""
        self.store = store
        self.immediate = not store.durable
        """``memory:``: a command is answered as soon as the engine ran it (``execute`` awaits nothing)."""
        self.account_id = account_id
        self.epoch = 0
        self.seq = 0
        self.stale = False
        self.serving = False
        """Set by ``attach``, cleared by ``stop_serving``: whether this process may write the account."""
        self.lock_lost = False
        self.regain: Callable[[], Awaitable[bool]] | None = None
        """Takes the account's lock again after ``lock_lost`` (False: another instance has it)."""
        self.group: GroupCommit[Command[object], _Batch] = GroupCommit(self._prepare, self._commit, self._ready)
        self.snapshot_min_bytes = snapshot_min_bytes
        self._journal_bytes = 0
        self._snapshot_bytes = 0
        self._snapshotting: asyncio.Task[None] | None = None

    # ------------------------------------------------------------------ life cycle
    async def start(self) -> None:
        """Open the store, become the account's writer and load it (``StoreUnreachable`` etc.)."""
        await self.store.open()
        await self.attach()

    async def attach(self) -> None:
        """Become the account's writer and load it, on a store already open (shared by accounts)."""
        self.epoch = await self.store.claim(self.account_id)
        await self._load()
        self.serving = True
        self.lock_lost = False

    def stop_serving(self) -> None:
        """From now on every command and read answers ``NotServed`` (until the next ``attach``)."""
        self.serving = False
        self.stale = False

    async def quiesce(self) -> None:
        """Let the batch in flight commit and a snapshot being saved finish (before unlocking)."""
        await self.group.idle()
        if self._snapshotting is not None:
            await asyncio.gather(self._snapshotting, return_exceptions=True)

    async def close(self) -> None:
        await self.detach()
        await self.store.close()

    async def detach(self) -> None:
        """Let the last batch commit and save a snapshot; the store stays open."""
        await self.group.idle()
        if self.store.durable:
            LOG.info("store %s: group commit %s", self.store.name, orjson.dumps(self.group.stats.to_wire()).decode())
        if self._snapshotting is not None:
            await asyncio.gather(self._snapshotting, return_exceptions=True)
        if self.store.durable and self._journal_bytes and not self.stale:
            try:
                await self._save_snapshot(export_state(self.engine.state), self.seq, self._journal_bytes)
            except StoreError as exc:
                LOG.warning("no snapshot at shutdown: %s", exc)

    async def _load(self) -> None:
        stored = await self.store.load(self.account_id)
        if stored.last_seq == 0:
            genesis = self.engine.genesis
            await self.store.append(self.account_id, self.epoch, persistence.to_records([genesis], 1))
            self.engine.restore(type(self.engine.state).fresh(genesis))
            self.seq = 1
            return
        self.engine.restore(persistence.rebuild(stored))
        await self._fill_history()
        if self._on_load is not None:
            self._on_load()
        for listener in self.load_listeners:
            listener()
        gc.freeze()  # what was loaded lives on: later collections need not scan it
        self.seq = stored.last_seq
        self._journal_bytes = stored.journal_bytes
        self._snapshot_bytes = 0 if stored.snapshot is None else len(stored.snapshot.payload)
        self.stale = False

    async def _fill_history(self) -> None:
        """A store written before the order history existed (or by a server that lost a row)
        gets the loaded state's final orders: the history then holds every one of them."""
        orders = self.engine.state.orders.values()
        if final_count(orders) != await self.store.history_count(self.account_id):
            await self.store.add_history(self.account_id, self.epoch, finals.all_rows(orders))

    # ------------------------------------------------------------------ commands and reads
    async def execute(self, command: Command[T]) -> T:
        """The command's value once its events are committed; ``StoreUnavailable`` when not."""
        if self.immediate:
            return self.engine.run(command)
        value = await self.group.submit(cast("Command[object]", command))
        return cast(T, value)

    async def readable(self) -> None:
        """Wait for the batch in flight; ``StoreUnavailable`` while the account cannot be served.
        On return no batch is in flight: what the caller reads before it next yields is committed."""
        while True:
            await self.group.settled()
            if self.stale or not self.serving:
                await self._ready()  # a reload awaits the store: a batch may have started meanwhile
            if not self.group.in_flight:
                return

    async def _ready(self) -> None:
        if not self.serving:
            raise NotServed(f"account {self.account_id} is served by another broker instance")
        if self.lock_lost:
            if self.regain is not None and not await self.regain():
                raise NotServed(f"account {self.account_id} is served by another broker instance")
            await self.attach()  # someone may have written it while the lock was not ours
            LOG.warning("account %s: its lock taken again, reloaded from %s (epoch %d)", self.account_id,
                        self.store.name, self.epoch)
            return
        if not self.stale:
            return
        try:
            await self._load()
        except StoreError as exc:
            raise StoreUnavailable(f"account {self.account_id} awaits a reload: {exc}") from None
        LOG.warning("account %s reloaded from %s after a commit of unknown outcome", self.account_id,
                    self.store.name)

    def _prepare(self, commands: Sequence[Command[object]]) -> tuple[list[Outcome], _Batch]:
        tx = self.engine.begin()
        outcomes = []
        for command in commands:
            try:
                outcomes.append(Outcome(self.engine.handle(command).value))
            except Exception as exc:  # a refusal (BrokerError) or a failed step, rolled back alone
                outcomes.append(Outcome(error=exc))
        events = tx.events
        records = persistence.to_records(events, self.seq + 1)
        resets = [i for i, event in enumerate(events) if isinstance(event, AccountReset)]
        truncate = records[resets[-1]].seq if resets else None
        return outcomes, _Batch(tx, records, truncate, finals.batch_rows(self.engine.state.orders, events))

    async def _commit(self, batch: _Batch) -> None:
        if batch.records:
            try:
                await self.store.append(self.account_id, self.epoch, batch.records,
                                        truncate_before=batch.truncate_before, history=batch.history)
            except BaseException as exc:
                batch.tx.abort()
                if isinstance(exc, OutcomeUnknown):
                    self.stale = True
                if isinstance(exc, StoreError):
                    LOG.error("store %s: a batch of %d records failed: %s", self.store.name,
                              len(batch.records), exc)
                raise
            self.seq = batch.records[-1].seq
        batch.tx.commit()
        if batch.truncate_before is not None:
            self._journal_bytes = self._snapshot_bytes = 0
        self._journal_bytes += sum(len(r.payload) for r in batch.records)
        self._maybe_snapshot()

    # ------------------------------------------------------------------ snapshots
    def _maybe_snapshot(self) -> None:
        due = max(self.snapshot_min_bytes, self._snapshot_bytes * JOURNAL_PER_SNAPSHOT)
        if self._snapshotting is not None or self._journal_bytes < due:
            return
        state = export_state(self.engine.state)  # no transaction is open: this is the committed state
        self._snapshotting = asyncio.create_task(self._snapshot_task(state, self.seq, self._journal_bytes),
                                                 name="store-snapshot")

    async def _snapshot_task(self, state: object, seq: int, covered: int) -> None:
        try:
            await self._save_snapshot(state, seq, covered)
        except StoreError as exc:
            LOG.warning("snapshot at %d not saved (the journal still has everything): %s", seq, exc)
        finally:
            self._snapshotting = None

    async def _save_snapshot(self, state: object, seq: int, covered: int) -> None:
        """``covered``: the journal bytes counted up to ``seq`` (what the snapshot replaces)."""
        payload = await asyncio.to_thread(persistence.CODEC.dumps, state)
        await self.store.save_snapshot(self.account_id, self.epoch, Snapshot(seq, payload))
        self._snapshot_bytes = len(payload)
        self._journal_bytes = max(0, self._journal_bytes - covered)
