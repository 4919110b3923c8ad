"""Spreading work over turns of the event loop (the hub's closes, ws/hub.py ``CLOSES_PER_TURN``).

A turn runs the callbacks that were ready when it began, then polls the sockets: a pass let
through in the next turn lets the loop answer others (a ``/health`` probe) between batches.
"""

from __future__ import annotations

import asyncio
from collections import deque


class Pacer:
    """At most ``per_turn`` passes per turn of the event loop; the others wait their turn, in order."""

    def __init__(self, per_turn: int) -> None:
        self._per_turn = per_turn
        self._used = 0
        self._reset_due = False
        self._waiters: deque[asyncio.Future[None]] = deque()

    async def turn(self) -> None:
        if self._used < self._per_turn and not self._waiters:
            self._use()
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        await waiter

    def _use(self) -> None:
        self._used += 1
        if not self._reset_due:
            self._reset_due = True
            asyncio.get_running_loop().call_soon(self._next_turn)

    def _next_turn(self) -> None:
        self._used = 0
        self._reset_due = False
        waiters = self._waiters
        while waiters and self._used < self._per_turn:
            waiter = waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                self._use()
