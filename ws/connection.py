"""One client socket's outgoing side: frames written straight to its transport.

Publishing never awaits a client: a frame goes to ``transport.write`` at once (the kernel
or the transport buffer takes it), which is what ``ws.send_str`` does minus its per-call
coroutine and copy. The backlog is measured in bytes, ``transport.get_write_buffer_size()``
plus the conflated frames held here:

- LATEST routes: over the soft mark, frames wait in ``pending`` keyed by conflation key
  (a newer frame replaces an older one of the same key); one flusher task per congested
  connection writes them when the transport has drained, then ends.
- RELIABLE routes: always written; the caller closes the connection with 1013 when the
  backlog passes the hard bound.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from dataclasses import dataclass

from aiohttp import web
from aiohttp.abc import AbstractStreamWriter


@dataclass(frozen=True, slots=True)
class Limits:
    soft: int
    hard: int


class Connection:
    """A subscriber as the hub sees it; identity-hashed (one per socket)."""

    __slots__ = ("ws", "transport", "_writer", "_limits", "_pending", "_pending_bytes",
                 "_flusher", "dead", "conflated")

    def __init__(
        self,
        ws: web.WebSocketResponse,
        transport: asyncio.Transport,
        writer: AbstractStreamWriter,
        limits: Limits,
    ) -> None:
        self.ws = ws
        self.transport = transport
        self._writer = writer
        self._limits = limits
        self._pending: dict[tuple[str, Hashable], bytes] = {}
        self._pending_bytes = 0
        self._flusher: asyncio.Task[None] | None = None
        self.dead = False
        self.conflated = 0
        """Frames a newer frame of the same key replaced before they were written."""

    @property
    def writable(self) -> bool:
        return not (self.dead or self.ws.closed or self.transport.is_closing())

    @property
    def backlog(self) -> int:
        """Unsent bytes: the transport's buffer plus conflated frames not yet written."""
        return self.transport.get_write_buffer_size() + self._pending_bytes

    @property
    def congested(self) -> bool:
        return self.transport.get_write_buffer_size() >= self._limits.soft

    def write(self, frame: bytes) -> None:
        """Unconditional, for replies and reliable updates; a closed socket drops it."""
        if self.writable:
            self.transport.write(frame)

    def send_reliable(self, frame: bytes) -> bool:
        """Write ``frame``; True when the backlog has passed the hard bound (close 1013)."""
        if not self.writable:
            return False
        self.transport.write(frame)
        return self.transport.get_write_buffer_size() + self._pending_bytes > self._limits.hard

    def send_latest(self, frame: bytes, key: tuple[str, Hashable]) -> None:
        """Write ``frame`` or, when congested, keep it as the newest value of ``key``."""
        if not self.writable:
            return
        if not self._pending and self.transport.get_write_buffer_size() < self._limits.soft:
            self.transport.write(frame)
            return
        old = self._pending.pop(key, None)
        if old is not None:
            self._pending_bytes -= len(old)
            self.conflated += 1
        self._pending[key] = frame
        self._pending_bytes += len(frame)
        if self._flusher is None:
            self._flusher = asyncio.get_running_loop().create_task(self._flush())

    def forget(self, topic: str) -> None:
        """Drop conflated frames of a topic this connection just left."""
        stale = [key for key in self._pending if key[0] == topic]
        for key in stale:
            self._pending_bytes -= len(self._pending.pop(key))

    def discard(self) -> None:
        """The socket is going away: write nothing more, stop the flusher."""
        self.dead = True
        self._pending.clear()
        self._pending_bytes = 0
        if self._flusher is not None:
            self._flusher.cancel()
            self._flusher = None

    async def drain(self) -> None:
        """Wait until the transport accepts more (used only by this connection's own tasks)."""
        await self._writer.drain()

    async def _flush(self) -> None:
        try:
            while self._pending and self.writable:
                await self._writer.drain()
                if not self.writable:
                    break
                frames = list(self._pending.values())
                self._pending.clear()
                self._pending_bytes = 0
                for frame in frames:
                    self.transport.write(frame)
        except (ConnectionError, RuntimeError):
            self.dead = True
        finally:
            self._flusher = None
