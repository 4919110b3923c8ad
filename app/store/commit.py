"""Group commit: concurrent commands share one transaction, and nobody is answered before it.

``submit(command)`` queues the command and waits. One drain task at a time takes everything
queued, has ``prepare`` run the batch (synchronously: the engine decides every command in order,
each seeing the ones before it), then awaits ``commit`` of what they produced; while that
transaction is in flight the next batch gathers in the queue. Only when ``commit`` returns are
the batch's answers released; when it raises a ``StoreError``, every command of the batch gets
that error (the caller answers 503), whatever its own outcome would have been: it was decided
on a state that did not become durable.

The batch sizes are counted (``stats``), so a benchmark can show how many commands one commit
carried.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from time import perf_counter
from typing import Generic, TypeVar

from app.store.interface import StoreError

C = TypeVar("C")
P = TypeVar("P")


@dataclass(frozen=True, slots=True)
class Outcome:
    """One command's answer: its value, or the exception it raised (re-raised to its caller)."""

    value: object = None
    error: BaseException | None = None


@dataclass(slots=True)
class CommitStats:
    commits: int = 0
    commands: int = 0
    failed: int = 0
    sizes: Counter[int] = field(default_factory=Counter)

    def to_wire(self) -> dict[str, object]:
        largest = max(self.sizes, default=0)
        return {"commits": self.commits, "commands": self.commands, "failedCommits": self.failed,
                "meanBatch": round(self.commands / self.commits, 2) if self.commits else 0.0,
                "maxBatch": largest,
                "batchSizes": {str(size): count for size, count in sorted(self.sizes.items())}}


class GroupCommit(Generic[C, P]):
    """``prepare(commands)`` → (an outcome per command, the prepared batch); ``commit(batch)``
    makes it durable (and raises ``StoreError`` when it could not)."""

    __slots__ = ("_prepare", "_commit", "_ready", "_queue", "_drain", "_flight", "stats", "observer")

    def __init__(self, prepare: Callable[[Sequence[C]], tuple[list[Outcome], P]],
                 commit: Callable[[P], Awaitable[None]],
                 ready: Callable[[], Awaitable[None]] | None = None) -> None:
        self._prepare = prepare
        self._commit = commit
        self._ready = ready
        self._queue: list[tuple[C, asyncio.Future[object]]] = []
        self._drain: asyncio.Task[None] | None = None
        self._flight: asyncio.Future[None] | None = None
        self.stats = CommitStats()
        self.observer: Callable[[int, float], None] | None = None
        """Told (commands in the batch, seconds its commit took) after each successful commit (metrics)."""

    @property
    def busy(self) -> bool:
        return self._drain is not None

    @property
    def in_flight(self) -> bool:
        """A batch is being prepared or committed: the state may show what could still roll back."""
        return self._flight is not None

    async def submit(self, command: C) -> object:
        future: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        self._queue.append((command, future))
        if self._drain is None:
            self._drain = asyncio.create_task(self._run(), name="store-group-commit")
        return await future

    async def settled(self) -> None:
        """Return once no batch is in flight: what a reader then sees is committed. The next
        batch is prepared only after the readers woken by a commit have run (see ``_run``)."""
        while self._flight is not None:
            await asyncio.shield(self._flight)

    async def idle(self) -> None:
        """Return once nothing is queued or in flight (shutdown, tests)."""
        while self._drain is not None:
            await asyncio.shield(self._drain)

    async def _run(self) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue, []
                await self._one(batch)
                await asyncio.sleep(0)  # let the readers that waited for this commit read first
        finally:
            self._drain = None

    async def _one(self, batch: list[tuple[C, asyncio.Future[object]]]) -> None:
        flight = self._flight = asyncio.get_running_loop().create_future()
        try:
            if self._ready is not None:
                await self._ready()
            outcomes, prepared = self._prepare([command for command, _ in batch])
            start = perf_counter()
            await self._commit(prepared)
            seconds = perf_counter() - start
        except StoreError as exc:
            self.stats.failed += 1
            outcomes = [Outcome(error=exc)] * len(batch)
        except BaseException as exc:  # a defect: every caller hears of it, the drain goes on
            outcomes = [Outcome(error=exc)] * len(batch)
            if not isinstance(exc, Exception):
                _settle(batch, outcomes)
                raise
        else:
            self.stats.commits += 1
            self.stats.commands += len(batch)
            self.stats.sizes[len(batch)] += 1
            if self.observer is not None:
                self.observer(len(batch), seconds)
        finally:
            self._flight = None
            flight.set_result(None)
        _settle(batch, outcomes)


def _settle(batch: Sequence[tuple[object, asyncio.Future[object]]], outcomes: Sequence[Outcome]) -> None:
    for (_, future), outcome in zip(batch, outcomes, strict=True):
        if future.done():  # its caller went away (client disconnected): nobody to answer
            continue
        if outcome.error is not None:
            future.set_exception(outcome.error)
        else:
            future.set_result(outcome.value)
