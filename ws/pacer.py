"""Spreading work over turns of the event loop: the hub's closes (ws/hub.py ``CLOSES_PER_TURN``)
and the ends of WebSocket connections whose peers have gone (``spread``).

A turn runs the callbacks that were ready when it began, then polls the sockets: a pass let
through in the next turn lets the loop answer others (a ``/health`` probe) between batches.
When thousands of peers close at once one poll reports every end: closing each transport,
aiohttp's ``connection_lost``, waking each handler, its close, all in one turn would stall the
loop for hundreds of milliseconds; spread over turns of ``PER_TURN`` the loop serves others
between them.

While work waits its turn (a mass close) Python's cyclic collector is paused (``COLLECTOR``).
The close path allocates enough to trigger full collections, and a full collection scans every
object still alive, so with 5,000 sockets closing each one took 100-310 ms in one piece, the
sockets it scanned being about to be freed anyway. Resumed ``rest_s`` after the burst (the
closed connections' objects are freed by then, so the next full collection is cheap), at the
latest ``max_s`` after the pause began; reference counting frees all but cycles meanwhile.
After a pause the collector stays on for ``max_s`` before another may begin, so a stream of
bursts (a client opening and dropping sockets in batches) keeps it off half the time at most,
not always, and the cycles it leaves are collected.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import weakref
from collections import deque
from collections.abc import Callable
from contextlib import suppress

LOG = logging.getLogger(__name__)
PER_TURN = 64


class CollectorPause:
    """Pauses the cyclic collector (``gc.disable``) while a burst lasts; never re-enables a
    collector someone else had disabled."""

    def __init__(self, rest_s: float = 1.0, max_s: float = 10.0) -> None:
        self._rest_s = rest_s
        self._max_s = max_s
        self._since: float | None = None
        """Loop time the pause began (None: not paused by us)."""
        self._not_before = float("-inf")
        """Loop time before which no new pause begins (``max_s`` after the last one ended)."""
        self._resting = False
        """The burst is over: the resume is due ``rest_s`` after it (else: at the deadline)."""
        self._resume: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def paused(self) -> bool:
        return self._since is not None

    def hold(self) -> None:
        """A burst goes on: pause now (if the collector is on), resume at the deadline at the latest."""
        loop = asyncio.get_running_loop()
        if self._since is not None and self._loop is not loop:
            self.resume()  # paused by a loop that is gone (tests run many): its timer never fires
        if self._since is None:
            if not gc.isenabled() or loop.time() < self._not_before:
                return
            gc.disable()
            self._loop = loop
            self._since = loop.time()
            self._schedule(self._since + self._max_s)
        elif self._resting:
            self._schedule(self._since + self._max_s)
        self._resting = False

    def release(self) -> None:
        """The burst is over: resume ``rest_s`` from now (or at the deadline, if sooner)."""
        if self._since is not None and self._loop is not asyncio.get_running_loop():
            self.resume()
        elif self._since is not None and not self._resting:
            self._resting = True
            self._schedule(min(asyncio.get_running_loop().time() + self._rest_s, self._since + self._max_s))

    def _schedule(self, when: float) -> None:
        if self._resume is not None:
            self._resume.cancel()
        self._resume = asyncio.get_running_loop().call_at(when, self.resume)

    def resume(self) -> None:
        if self._resume is not None:
            with suppress(RuntimeError):  # a timer of a closed loop
                self._resume.cancel()
            self._resume = None
        if self._since is not None:
            if self._loop is not None and not self._loop.is_closed():
                self._not_before = self._loop.time() + self._max_s
            self._since = None
            self._resting = False
            self._loop = None
            gc.enable()


COLLECTOR = CollectorPause()
"""The process's one (the collector is the process's)."""


class Pacer:
    """At most ``per_turn`` passes per turn of the event loop; the others wait their turn, in order."""

    def __init__(self, per_turn: int, collector: CollectorPause | None = COLLECTOR) -> None:
        self._per_turn = per_turn
        self._used = 0
        self._reset_due = False
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._collector = collector

    async def turn(self) -> None:
        if self._used < self._per_turn and not self._waiters:
            self._use()
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        if self._collector is not None:
            self._collector.hold()
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
        if not waiters and self._collector is not None:
            self._collector.release()


class Spreader:
    """Callbacks run at most ``per_turn`` a turn of the event loop, in order (``spread``)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, per_turn: int = PER_TURN,
                 collector: CollectorPause | None = COLLECTOR) -> None:
        self._loop = loop
        self._per_turn = per_turn
        self._collector = collector
        self._queue: deque[Callable[[], None]] = deque()
        self._due = False

    def __len__(self) -> int:
        return len(self._queue)

    def call(self, callback: Callable[[], None]) -> None:
        self._queue.append(callback)
        if not self._due:
            self._due = True
            self._loop.call_soon(self._run)
        elif len(self._queue) > self._per_turn and self._collector is not None:
            self._collector.hold()

    def _run(self) -> None:
        queue = self._queue
        for _ in range(min(self._per_turn, len(queue))):
            callback = queue.popleft()
            try:
                callback()
            except Exception:
                LOG.exception("a spread callback failed")
        if queue:
            self._loop.call_soon(self._run)
        else:
            self._due = False
            if self._collector is not None:
                self._collector.release()


_SPREADERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Spreader] = weakref.WeakKeyDictionary()


def spread(callback: Callable[[], None]) -> None:
    """Run ``callback`` on the running loop in a later turn, at most ``PER_TURN`` a turn."""
    loop = asyncio.get_running_loop()
    spreader = _SPREADERS.get(loop)
    if spreader is None:
        spreader = _SPREADERS[loop] = Spreader(loop)
    spreader.call(callback)
