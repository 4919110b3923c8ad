"""The event-loop lag ticker: a task that sleeps a short interval and records how late it woke.

A wake-up is late by exactly the time the loop spent on something else (a callback that did not
yield, or the interpreter lock held by another thread), so the worst lag is the longest stall
any client saw. Tests read ``worst``; ``/metrics`` reads ``recent_max`` (the largest lag of the
last few seconds) as ``event_loop_lag_seconds``.
"""

from __future__ import annotations

import asyncio
from collections import deque

INTERVAL = 0.01
WINDOW_SECONDS = 10


class LagTicker:
    def __init__(self, interval: float = INTERVAL, window_seconds: int = WINDOW_SECONDS) -> None:
        self.interval = interval
        self.worst = 0.0
        """Largest lag since start or the last ``reset`` (seconds)."""
        self.ticks = 0
        self._window = window_seconds
        self._slots: deque[tuple[int, float]] = deque(maxlen=window_seconds)
        self._loop: asyncio.AbstractEventLoop | None = None

    def reset(self) -> None:
        self.worst = 0.0

    def recent_max(self) -> float:
        """The largest lag of the last ``window_seconds`` (0 before the first tick)."""
        if self._loop is None:
            return 0.0
        oldest = int(self._loop.time()) - self._window
        return max((lag for second, lag in self._slots if second > oldest), default=0.0)

    def record(self, now: float, lag: float) -> None:
        self.ticks += 1
        if lag > self.worst:
            self.worst = lag
        second = int(now)
        slots = self._slots
        if slots and slots[-1][0] == second:
            if lag > slots[-1][1]:
                slots[-1] = (second, lag)
        else:
            slots.append((second, lag))

    async def run(self) -> None:
        loop = self._loop = asyncio.get_running_loop()
        interval = self.interval
        while True:
            due = loop.time() + interval
            await asyncio.sleep(interval)
            now = loop.time()
            self.record(now, max(0.0, now - due))
