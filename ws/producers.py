"""One supervised task per live topic that has a producer.

Policy on a crash: the exception is logged and the producer is started again after a
back-off (0.5 s doubling to 5 s, reset after a run that lasted longer than that), so a
stream resumes by itself and its subscribers keep their subscription. A producer that
returns normally is finished and is not restarted. Cancellation (last subscriber gone,
shutdown) is the only way a running producer is stopped from outside.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress

LOG = logging.getLogger(__name__)


class Producers:
    """Tasks keyed by topic; ``start`` on the first subscriber, ``stop`` after the last."""

    __slots__ = ("_tasks", "_first_delay", "_max_delay")

    def __init__(self, *, first_delay: float = 0.5, max_delay: float = 5.0) -> None:
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._first_delay = first_delay
        self._max_delay = max_delay

    def __len__(self) -> int:
        return len(self._tasks)

    def start(self, topic: str, run: Callable[[], Awaitable[None]]) -> None:
        if topic in self._tasks:
            return
        task = asyncio.get_running_loop().create_task(
            self._supervise(topic, run), name=f"producer {topic}"
        )
        self._tasks[topic] = task
        task.add_done_callback(lambda done: self._forget(topic, done))

    def stop(self, topic: str) -> None:
        task = self._tasks.pop(topic, None)
        if task is not None:
            task.cancel()

    async def stop_all(self) -> None:
        tasks = list(self._tasks.values())
        self._tasks.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with suppress(asyncio.CancelledError):
                await task

    def _forget(self, topic: str, task: asyncio.Task[None]) -> None:
        if self._tasks.get(topic) is task:
            del self._tasks[topic]

    async def _supervise(self, topic: str, run: Callable[[], Awaitable[None]]) -> None:
        loop = asyncio.get_running_loop()
        delay = self._first_delay
        while True:
            started = loop.time()
            try:
                await run()
                return
            except Exception:
                LOG.exception("producer of %s crashed; restarting in %.1f s", topic, delay)
            if loop.time() - started > self._max_delay:
                delay = self._first_delay
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._max_delay)
