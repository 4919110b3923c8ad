"""Heavy market work off the event loop: one worker thread runs resumable work in pieces.

Building a day path or encoding a long bar series takes tens of milliseconds of CPU; run on
the event loop it stalls every other client for that long. Here it runs on a single worker
thread, which releases the interpreter lock between pieces (each well under a millisecond),
so the loop waits at most about one piece for it.

The market's caches are touched only on the event loop: the work is prepared there (its
inputs read), run on the worker over immutable values, and its result installed back on the
loop. ``shared`` runs one build per key however many requests ask for it at once, all of them
awaiting the one future, so two builds of the same day never race.

With ``enabled=False`` (or before start) everything runs inline on the loop, as it once did:
the loop-lag test uses that to show what the offloading buys.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from app.market.steps import Steps, finish

T = TypeVar("T")
WORKER_NICENESS = 10
"""How much lower the worker thread's scheduling priority is than the process's: on a busy host
the loop thread then gets a core first whenever both are ready to run."""


def _lower_priority() -> None:
    """Linux schedules threads on their own; elsewhere (or when refused) nothing changes."""
    with contextlib.suppress(AttributeError, OSError):
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + WORKER_NICENESS))


def _drive(work: Steps[T]) -> T:
    """On the worker: one piece, then let any waiting thread (the loop) take the lock."""
    while True:
        try:
            next(work)
        except StopIteration as done:
            value: T = done.value
            return value
        time.sleep(0)


class Offload:
    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._executor: ThreadPoolExecutor | None = None
        self._pending: dict[Hashable, asyncio.Future[Any]] = {}

    def start(self) -> None:
        if self.enabled and self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="offload",
                                                initializer=_lower_priority)

    def close(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    async def run(self, work: Steps[T]) -> T:
        """The value of ``work``, computed on the worker (inline when offloading is off)."""
        if self._executor is None:
            return finish(work)
        return await asyncio.get_running_loop().run_in_executor(self._executor, _drive, work)

    async def shared(self, key: Hashable, prepare: Callable[[], Steps[T]], install: Callable[[T], None]) -> T:
        """Build once per ``key``: ``prepare`` (on the loop) gives the work, its value goes to
        ``install`` (on the loop) before any waiter resumes. A waiter that is cancelled does
        not cancel the build the others share."""
        if self._executor is None:
            built = finish(prepare())
            install(built)
            return built
        pending = self._pending.get(key)
        if pending is None:
            pending = self._pending[key] = asyncio.ensure_future(self._build(key, prepare, install))
        value: T = await asyncio.shield(pending)
        return value

    async def _build(self, key: Hashable, prepare: Callable[[], Steps[T]], install: Callable[[T], None]) -> T:
        try:
            value = await self.run(prepare())
            install(value)
            return value
        finally:
            del self._pending[key]
