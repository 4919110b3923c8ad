"""One client socket's outgoing side: frames written straight to its transport, then queued.

Publishing never awaits a client: while the transport holds less than the soft mark a frame
goes to ``transport.write`` at once (the kernel or the transport buffer takes it), which is what
``ws.send_str`` does minus its per-call coroutine and copy. Past the soft mark frames wait here,
whole, so that a close can drop them and put its close frame right behind the little the
transport already holds (a client that reads does see 1013):

- LATEST routes: frames wait in ``pending`` keyed by conflation key (a newer frame replaces an
  older one of the same key); updates published by key (``Hub.publish_latest``, quotes) are not
  even built: the keys wait in one deferred send per topic (``Later``), built and encoded when
  written;
- RELIABLE routes and replies: frames wait in order in ``queue``.

One flusher task per congested connection writes them when the transport has drained, then ends.
The backlog is measured in bytes: the kernel's unsent bytes (``SIOCOUTQ``), the transport's
buffer and both queues; past the hard bound the hub closes the connection with 1013.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import socket
import struct
import sys
from collections import deque
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.abc import AbstractStreamWriter

from .envelope import UpdateEncoder
from .frames import text_frame

if sys.platform == "linux":
    import fcntl
    import termios

    _SIOCOUTQ: int | None = termios.TIOCOUTQ  # same number as SIOCOUTQ on Linux
else:  # pragma: no cover - the kernel's share is not counted elsewhere
    _SIOCOUTQ = None
_INT = struct.Struct("i")
_LINGER_NOW = struct.pack("ii", 1, 0)
LINGER_BYTES = 64 * 1024
"""What a closing peer may still send before the server stops reading it (a close answer is 8 bytes)."""
LOG = logging.getLogger(__name__)


class Deferral(enum.Enum):
    """What ``Connection.defer`` did with the keys of an update."""

    SEND = "send"  # the connection has room: build and write them now
    HELD = "held"  # they wait in the topic's deferred send (or the socket is closing)
    TOO_SLOW = "too_slow"  # held, and the backlog has passed the hard bound


@dataclass(slots=True)
class Later:
    """One deferred send of a topic: the keys whose newest update a connection is owed."""

    build: Callable[[Any], Any]
    encoder: UpdateEncoder
    size: int
    """Bytes each key is counted for in the backlog (the topic's latest frame)."""
    keys: dict[Hashable, None] = field(default_factory=dict)
    """An ordered set: the order they were first deferred in."""


@dataclass(frozen=True, slots=True)
class Limits:
    soft: int
    hard: int


def kernel_unsent(sock: socket.socket | None) -> int:
    """Bytes the kernel holds unsent (or unacknowledged) for ``sock``; 0 when unknown."""
    if _SIOCOUTQ is None or sock is None:
        return 0
    try:
        fd = sock.fileno()
        if fd < 0:
            return 0
        out: int = _INT.unpack(fcntl.ioctl(fd, _SIOCOUTQ, b"\0\0\0\0"))[0]
        return out
    except (OSError, ValueError):
        return 0


class Connection:
    """A subscriber as the hub sees it; identity-hashed (one per socket)."""

    __slots__ = ("ws", "transport", "_protocol", "_sock", "_writer", "_limits", "_queue", "_queued_bytes",
                 "_pending", "_pending_bytes", "_later", "_later_bytes", "_flusher", "dead", "conflated", "symbols",
                 "heard", "pinged", "close_code", "tokens", "stamp", "refused", "refused_at")

    def __init__(
        self,
        ws: web.WebSocketResponse,
        transport: asyncio.Transport,
        writer: AbstractStreamWriter,
        limits: Limits,
        protocol: asyncio.BaseProtocol | None = None,
    ) -> None:
        self.ws = ws
        self.transport = transport
        self._protocol = protocol
        self._sock: socket.socket | None = transport.get_extra_info("socket")
        self._bound_kernel(limits.soft)
        self._writer = writer
        self._limits = limits
        self._queue: deque[bytes] = deque()
        self._queued_bytes = 0
        self._pending: dict[tuple[str, Hashable], bytes] = {}
        self._pending_bytes = 0
        self._later: dict[str, Later] = {}
        self._later_bytes = 0
        self._flusher: asyncio.Task[None] | None = None
        self.dead = False
        self.conflated = 0
        """Frames a newer frame of the same key replaced before they were written."""
        self.symbols = 0
        """Weight (symbols) of the topics held: the hub's per-connection symbol budget."""
        self.heard = True
        """Something (a message, a pong) arrived since the last ping."""
        self.pinged = False
        self.close_code: int | None = None
        """The code the hub closed with (None: the peer closed or the socket broke)."""
        self.tokens = 0.0
        self.stamp = 0.0
        self.refused = 0
        """Messages the rate limit refused since the last quiet second."""
        self.refused_at = 0.0

    def _bound_kernel(self, size: int) -> None:
        """Fix the kernel's send buffer at the soft mark (Linux doubles it) instead of letting
        it autotune up to megabytes: the share of the backlog nobody here can drop stays small."""
        if self._sock is None:
            return
        try:
            self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, size)
        except (OSError, ValueError):
            pass

    @property
    def writable(self) -> bool:
        return not (self.dead or self.ws.closed or self.transport.is_closing())

    @property
    def lost(self) -> bool:
        """The socket is gone (its descriptor may already belong to another connection)."""
        protocol = self._protocol
        return protocol is not None and getattr(protocol, "transport", None) is None

    def _kernel(self) -> int:
        return 0 if self.lost else kernel_unsent(self._sock)

    @property
    def queued(self) -> int:
        """Bytes held here, not yet handed to the transport (deferred keys at their estimate)."""
        return self._queued_bytes + self._pending_bytes + self._later_bytes

    @property
    def backlog(self) -> int:
        """Unsent bytes: the kernel's, the transport's buffer and the frames held here."""
        return self._kernel() + self.transport.get_write_buffer_size() + self.queued

    @property
    def over_hard(self) -> bool:
        """Cheap first (what this process holds), then the kernel's share (one ioctl)."""
        held = self.transport.get_write_buffer_size() + self.queued
        hard = self._limits.hard
        return held > hard or held + self._kernel() > hard

    def _room(self) -> bool:
        return (not self._queue and not self._pending and not self._later
                and self.transport.get_write_buffer_size() < self._limits.soft)

    def write(self, frame: bytes) -> bool:
        """Reply or reliable update, in order; True when the backlog has passed the hard bound."""
        if not self.writable:
            return False
        if self._room():
            self.transport.write(frame)
            return False
        self._queue.append(frame)
        self._queued_bytes += len(frame)
        self._start_flusher()
        return self.over_hard

    def send_latest(self, frame: bytes, key: tuple[str, Hashable]) -> bool:
        """Write ``frame`` or, when congested, keep it as the newest value of ``key``;
        True when the backlog has passed the hard bound."""
        if not self.writable:
            return False
        if self._room():
            self.transport.write(frame)
            return False
        later = self._later.get(key[0])
        if later is not None:  # the topic's keys are deferred: this one joins them, the frame is dropped
            return self._join(later, (key[1],))
        old = self._pending.pop(key, None)
        if old is not None:
            self._pending_bytes -= len(old)
            self.conflated += 1
        self._pending[key] = frame
        self._pending_bytes += len(frame)
        self._start_flusher()
        return old is None and self.over_hard

    def defer(self, topic: str, keys: Sequence[Hashable], build: Callable[[Any], Any],
              encoder: UpdateEncoder, size: int) -> Deferral:
        """Updates ``build(key)`` of ``topic`` for each key: SEND when there is room (the caller
        builds and writes them), otherwise the keys join the topic's one deferred send, which
        builds each when the flusher writes it (the newest value then); frames of these keys
        already held are dropped, the deferred key replaces them."""
        if not self.writable:
            return Deferral.HELD
        later = self._later.get(topic)
        if later is None:
            if self._room():
                return Deferral.SEND
            later = self._later[topic] = Later(build, encoder, size)
            pending = self._pending
            for key in keys:
                old = pending.pop((topic, key), None)
                if old is not None:
                    self._pending_bytes -= len(old)
                    self.conflated += 1
        return Deferral.TOO_SLOW if self._join(later, keys) else Deferral.HELD

    def _join(self, later: Later, keys: Sequence[Hashable]) -> bool:
        """Add ``keys`` to a deferred send; True when the backlog has passed the hard bound."""
        held = later.keys
        before = len(held)
        held.update(dict.fromkeys(keys))
        added = len(held) - before
        self.conflated += len(keys) - added
        self._start_flusher()
        if not added:
            return False
        self._later_bytes += added * later.size
        return self.over_hard

    def control(self, frame: bytes) -> None:
        """A ping or pong: straight to the transport (two bytes, order does not matter)."""
        if self.writable:
            self.transport.write(frame)

    def forget(self, topic: str) -> None:
        """Drop conflated frames of a topic this connection just left."""
        stale = [key for key in self._pending if key[0] == topic]
        for key in stale:
            self._pending_bytes -= len(self._pending.pop(key))
        later = self._later.pop(topic, None)
        if later is not None:
            self._later_bytes -= len(later.keys) * later.size

    def discard(self) -> None:
        """The socket is going away: drop the frames held, write nothing more, stop the flusher."""
        self.dead = True
        self._queue.clear()
        self._pending.clear()
        self._later.clear()
        self._queued_bytes = self._pending_bytes = self._later_bytes = 0
        if self._flusher is not None:
            self._flusher.cancel()
            self._flusher = None

    def abort(self) -> None:
        """Cut the socket now, and have the kernel drop its unsent bytes too (RST, no FIN_WAIT)."""
        if self.lost:
            return
        if self._sock is not None and kernel_unsent(self._sock):
            try:
                self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_NOW)
            except (OSError, ValueError):
                pass
        self.transport.abort()

    def linger_close(self, frame: bytes, timeout: float) -> None:
        """Close frame, then FIN once the transport has flushed it, the peer's further input read
        and dropped unparsed (a flood costs nothing more, and closing with unread input would send
        RST, which makes the peer's kernel drop the close frame unread); aborted after ``timeout``.
        The peer closing its side ends it at once."""
        transport = self.transport
        if self.lost or transport.is_closing():
            return
        transport.write(frame)
        try:
            transport.write_eof()
        except (OSError, RuntimeError, NotImplementedError):
            self.abort()
            return
        protocol = transport.get_protocol()
        transport.set_protocol(_Discard(protocol, transport))
        asyncio.get_running_loop().call_later(timeout, self.abort)

    def _start_flusher(self) -> None:
        if self._flusher is None:
            self._flusher = asyncio.get_running_loop().create_task(self._flush())

    async def _flush(self) -> None:
        """Hand held frames to the transport whenever it has drained, up to the soft mark
        (at least one frame a round), reliable ones first, deferred keys last (built now);
        ends when nothing is held."""
        transport = self.transport
        soft = self._limits.soft
        try:
            while (self._queue or self._pending or self._later) and self.writable:
                await self._writer.drain()
                if not self.writable:
                    break
                wrote = False
                queue = self._queue
                while queue and (not wrote or transport.get_write_buffer_size() < soft):
                    frame = queue.popleft()
                    self._queued_bytes -= len(frame)
                    transport.write(frame)
                    wrote = True
                pending = self._pending
                while pending and not queue and (not wrote or transport.get_write_buffer_size() < soft):
                    frame = pending.pop(next(iter(pending)))
                    self._pending_bytes -= len(frame)
                    transport.write(frame)
                    wrote = True
                later = self._later
                while later and not queue and not pending and (not wrote or transport.get_write_buffer_size() < soft):
                    wrote = self._write_deferred(later) or wrote
        except (ConnectionError, RuntimeError):
            self.dead = True
        finally:
            self._flusher = None

    def _write_deferred(self, later: dict[str, Later]) -> bool:
        """Build, encode and write the first deferred key (of the first topic deferred)."""
        topic = next(iter(later))
        owed = later[topic]
        key = next(iter(owed.keys))
        del owed.keys[key]
        self._later_bytes -= owed.size
        if not owed.keys:
            del later[topic]
        try:
            frame = text_frame(owed.encoder.encode(owed.build(key)))
        except Exception:
            LOG.exception("building a deferred update of %.200s failed", topic)
            return False
        self.transport.write(frame)
        return True


class _Discard(asyncio.Protocol):
    """Reads and drops what a closed peer still sends; the socket's end reaches aiohttp's own
    protocol (``connection_lost``) so the request handler finishes as for any close."""

    def __init__(self, inner: asyncio.BaseProtocol, transport: asyncio.Transport) -> None:
        self._inner = inner
        self._transport = transport
        self._left = LINGER_BYTES

    def data_received(self, data: bytes) -> None:
        self._left -= len(data)
        if self._left < 0:  # still flooding: stop reading, the abort comes at the timeout
            self._transport.pause_reading()

    def eof_received(self) -> bool:
        return False

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()

    def connection_lost(self, exc: Exception | None) -> None:
        self._inner.connection_lost(exc)
