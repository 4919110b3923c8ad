"""Group commit over a real SQLite store: shared transactions, answers only after the commit."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest

from app.store.commit import GroupCommit, Outcome
from app.store.interface import Record, StoreUnavailable
from app.store.sqlite import SqliteStore

ACCOUNT = "DEMO-ACCOUNT"


class Counter:
    """The smallest journaled state: each command adds its number; negative numbers are refused."""

    def __init__(self, store: SqliteStore, epoch: int) -> None:
        self.store, self.epoch = store, epoch
        self.seq = 0
        self.committed: list[int] = []
        self.answered_before_commit = False
        self.group = GroupCommit(self.prepare, self.commit)

    def prepare(self, commands: Sequence[int]) -> tuple[list[Outcome], list[Record]]:
        outcomes, records = [], []
        for n in commands:
            if n < 0:
                outcomes.append(Outcome(error=ValueError(f"{n} is negative")))
                continue
            self.seq += 1
            records.append(Record(self.seq, "Added", json.dumps([n, "x" * (n // 10)]).encode()))
            outcomes.append(Outcome(value=self.seq))
        return outcomes, records

    async def commit(self, records: list[Record]) -> None:
        try:
            await self.store.append(ACCOUNT, self.epoch, records)
        except StoreUnavailable:
            self.seq -= len(records)
            raise
        self.committed.extend(json.loads(r.payload)[0] for r in records)


@pytest.fixture
async def counter(tmp_path: Path) -> AsyncIterator[Counter]:
    store = SqliteStore(tmp_path / "broker.sqlite3")
    await store.open()
    yield Counter(store, await store.claim(ACCOUNT))
    await store.close()


async def test_concurrent_commands_share_commits_and_are_answered_after_them(counter: Counter) -> None:
    async def one(n: int) -> tuple[object, list[int]]:
        seq = await counter.group.submit(n)
        return seq, list(counter.committed)

    answers = await asyncio.gather(*(one(n) for n in range(1, 41)))
    for seq, committed_then in answers:
        assert isinstance(seq, int) and len(committed_then) >= seq  # durable before the answer
    assert sorted(int(str(seq)) for seq, _ in answers) == list(range(1, 41))
    stats = counter.group.stats
    assert stats.commands == 40 and stats.commits < 40 and max(stats.sizes) > 1
    assert sum(size * n for size, n in stats.sizes.items()) == 40
    stored = await counter.store.load(ACCOUNT)
    assert [json.loads(r.payload)[0] for r in stored.records] == counter.committed == list(range(1, 41))


async def test_a_command_error_reaches_its_caller_alone(counter: Counter) -> None:
    results = await asyncio.gather(counter.group.submit(1), counter.group.submit(-5), counter.group.submit(2),
                                   return_exceptions=True)
    assert results[0] == 1 and results[2] == 2
    assert isinstance(results[1], ValueError) and str(results[1]) == "-5 is negative"


async def test_a_failed_commit_fails_every_command_of_its_batch_and_the_next_batch_succeeds(
        counter: Counter) -> None:
    await counter.group.submit(1)
    pages = await counter.store.run(lambda c: c.execute("PRAGMA page_count").fetchone()[0])
    await counter.store.run(lambda c: c.execute(f"PRAGMA max_page_count = {pages}"))
    results = await asyncio.gather(*(counter.group.submit(200_000) for _ in range(3)), return_exceptions=True)
    assert [type(r) for r in results] == [StoreUnavailable] * 3
    assert counter.group.stats.failed == 1 and counter.committed == [1]
    await counter.store.run(lambda c: c.execute("PRAGMA max_page_count = 1073741823"))
    assert await counter.group.submit(2) == 2
    stored = await counter.store.load(ACCOUNT)
    assert [json.loads(r.payload)[0] for r in stored.records] == [1, 2]
