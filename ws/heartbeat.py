"""Protocol pings spread over the interval, one slice of the connections at a time.

aiohttp's own heartbeat schedules each socket's ping on a timer rounded up to the whole second,
so thousands of sockets opened together ping (and wake the loop) in the same instant. Here one
task per hub visits ``SLOTS`` slots in turn, one every ``interval / SLOTS``; a connection joins
the slots round-robin, so its pings keep a fixed offset of its own in the interval. A visit
pings the connection; a connection that has sent nothing (no pong, no message) since the
previous visit, one interval earlier, is reported dead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from .connection import Connection

PING = b"\x89\x00"
"""An unmasked PING frame with no payload (RFC 6455 §5.5.2)."""
SLOTS = 100
MIN_SLICE = 0.02


class Heartbeat:
    __slots__ = ("_interval", "_slots", "_next", "_where", "_on_dead", "_task")

    def __init__(self, interval: float, on_dead: Callable[[Connection], None]) -> None:
        self._interval = interval
        count = max(1, min(SLOTS, int(interval / MIN_SLICE)))
        self._slots: list[set[Connection]] = [set() for _ in range(count)]
        self._next = 0
        self._where: dict[Connection, int] = {}
        self._on_dead = on_dead
        self._task: asyncio.Task[None] | None = None

    def add(self, conn: Connection) -> None:
        slot = self._next
        self._next = (slot + 1) % len(self._slots)
        self._slots[slot].add(conn)
        self._where[conn] = slot
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="ws heartbeat")

    def remove(self, conn: Connection) -> None:
        slot = self._where.pop(conn, None)
        if slot is not None:
            self._slots[slot].discard(conn)

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        step = self._interval / len(self._slots)
        deadline = loop.time()
        slot = 0
        while True:
            deadline = max(deadline + step, loop.time())
            await asyncio.sleep(deadline - loop.time())
            slot = (slot + 1) % len(self._slots)
            dead = []
            for conn in self._slots[slot]:
                if conn.pinged and not conn.heard:
                    dead.append(conn)
                    continue
                conn.heard = False
                conn.pinged = True
                conn.control(PING)
            for conn in dead:
                self.remove(conn)
                self._on_dead(conn)
