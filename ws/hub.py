"""The fan-out hub of one module: its routes, subscriptions, producers and sockets.

Fan-out (DESIGN §4 #1–#3) is the publishing half, ``ws.fanout.Fanout``. A subscription is answered,
registered and snapshotted in one synchronous step, so no event falls in between (a route
with ``settle`` first waits for its snapshot's source to be consistent, then takes that step).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import partial

import marshmallow
from aiohttp import WSMsgType, web

from . import envelope, validation
from .budgets import RATE_CLOSE_REASON, Budgets, Rate
from .connection import Connection, Limits
from .envelope import Invalid, Op, Request, UpdateEncoder
from .fanout import TOO_SLOW, Fanout, TopicPublisher, TopicState
from .frames import close_frame, pong_frame, text_frame
from .heartbeat import Heartbeat
from .pacer import COLLECTOR, PER_TURN, Pacer
from .producers import Producers
from .registry import Added, Registry, Removed
from .route import Payload, Route, Settle
from .stats import HubStats
from .topic import raw_topic

LOG = logging.getLogger(__name__)

Check = Callable[[Route, Payload], "str | None"]
"""A connection's own rule for its subscriptions: None to allow, else the error message."""

SUBSCRIBED = "Subscribed"
UNSUBSCRIBED = "Unsubscribed"
NOT_SUBSCRIBED = "topic: Not subscribed to this topic"
NO_PONG = 1006
"""Recorded (never sent: RFC 6455 §7.4.1) for a peer cut because it stopped answering pings."""


CLOSES_PER_TURN = PER_TURN
"""Sockets closed per turn of the event loop (ws/pacer.py): thousands of peers closing at once
(one epoll wake-up) would otherwise close thousands of transports in one turn."""


SLICE_S = 0.001
"""``receive`` does not suspend while messages are queued: after this long, others get a turn."""
_FROM_PEER = frozenset({WSMsgType.TEXT, WSMsgType.BINARY, WSMsgType.PING, WSMsgType.PONG})


class Hub(Fanout):
    """One per module (its own routes); mount ``handle`` on the module's ``/ws`` path and
    call ``close_all`` from the application's ``on_shutdown``.

    Per connection (``Budgets``): at most ``max_topics`` topics and ``max_symbols`` symbols (the
    routes' ``weight``), topics of at most ``max_topic_bytes`` characters, ``rate_per_s``
    messages a second in bursts of ``rate_burst``, and ``hard_limit`` unsent bytes (1013).
    """

    def __init__(
        self,
        routes: Sequence[Route],
        *,
        soft_limit: int = 256 * 1024,
        hard_limit: int = 8 * 1024 * 1024,
        heartbeat: float = 20.0,
        max_msg_size: int = 64 * 1024,
        close_timeout: float = 10.0,
        max_topics: int = 1000,
        max_symbols: int = 1000,
        max_topic_bytes: int = 1024,
        rate_per_s: float = 50.0,
        rate_burst: int = 200,
        restart_delay: float = 0.5,
    ) -> None:
        self.routes: Mapping[str, Route] = {route.name: route for route in routes}
        if len(self.routes) != len(routes):
            raise ValueError("route names must be unique")
        self._limits = Limits(soft=soft_limit, hard=hard_limit)
        self._heartbeat = Heartbeat(heartbeat, self._no_pong)
        self._max_msg_size = max_msg_size
        self._close_timeout = close_timeout
        self.budgets = Budgets(max_topics=max_topics, max_symbols=max_symbols, max_topic_bytes=max_topic_bytes,
                               rate_per_s=rate_per_s, rate_burst=rate_burst)
        self._registry: Registry[Connection] = Registry()
        self._topics: dict[str, TopicState] = {}
        self._by_route: dict[str, dict[str, TopicState]] = {name: {} for name in self.routes}
        self.topics_on: Callable[[str], Mapping[str, object]] = self._by_route.__getitem__
        """A route's live topics (empty when nobody listens; KeyError for an unknown route), so
        a publisher can skip building a payload nobody reads: a lookup in C, for publishers
        called on every order event."""
        self._resolver = validation.Resolver()
        self._producers = Producers(first_delay=restart_delay, max_delay=max(5.0, restart_delay))
        self._connections: set[Connection] = set()
        self._closers: set[asyncio.Task[None]] = set()
        self._close_pacer = Pacer(CLOSES_PER_TURN)
        self._checks: dict[Connection, Check] = {}
        self.stats = HubStats()
        self.guard: Callable[[web.Request], Check | None] | None = None
        """Set by the module: the subscription rule of a connection, from its handshake."""

    @property
    def topic_count(self) -> int:
        return self._registry.topic_count

    @property
    def producer_count(self) -> int:
        return len(self._producers)

    @property
    def connection_count(self) -> int:
        return len(self._connections)

    @property
    def conflated(self) -> int:
        """Frames replaced by a newer one for slow clients, since the hub started."""
        return self.stats.conflated + sum(conn.conflated for conn in self._connections)

    @property
    def connections(self) -> frozenset[Connection]:
        return frozenset(self._connections)

    def topics(self, route: str | None = None) -> list[str]:
        """Live topics, all or of one route (introspection and tests)."""
        if route is None:
            return list(self._topics)
        return list(self._by_route.get(route, ()))

    # -- the endpoint ----------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """aiohttp handler for the module's WebSocket path."""
        ws = web.WebSocketResponse(
            heartbeat=None,  # ours: spread over the interval (ws.heartbeat)
            autoping=False,  # pongs tell the heartbeat the peer is alive
            max_msg_size=self._max_msg_size,
            compress=False,
            autoclose=False,
        )
        writer = await ws.prepare(request)
        transport = request.transport
        if transport is None:
            return ws
        conn = Connection(ws, transport, writer, self._limits, request.protocol)
        self._connections.add(conn)
        check = None if self.guard is None else self.guard(request)
        if check is not None:
            self._checks[conn] = check
        self._heartbeat.add(conn)
        clock = asyncio.get_running_loop().time
        take = self.budgets.take
        turn = clock()
        try:
            while True:
                msg = await ws.receive()
                if clock() - turn > SLICE_S:
                    await asyncio.sleep(0)  # a queue of parsed messages is not one long callback
                    turn = clock()
                kind = msg.type
                if kind not in _FROM_PEER:
                    break
                if conn.dead:
                    continue  # closing (in a task of its own): what the peer still sends is ignored
                conn.heard = True
                if kind is WSMsgType.PONG:
                    continue
                if kind is WSMsgType.BINARY:
                    self._kill(conn, 1003, b"Binary frames are not supported")
                    continue
                verdict = take(conn, clock(), len(msg.data) if kind is WSMsgType.TEXT else 0)
                if verdict is not Rate.OK:
                    if verdict is Rate.CLOSE:
                        self._kill(conn, 1008, RATE_CLOSE_REASON)
                    elif conn.refused == 1:
                        self._reply(conn, text_frame(envelope.error(self.budgets.rate_error())))
                    continue
                if kind is WSMsgType.PING:
                    conn.control(pong_frame(msg.data))
                    continue
                try:
                    pending = self._on_text(conn, msg.data)
                    if pending is not None:  # a subscription waiting for its route's ``settle``
                        await pending
                except Exception:
                    LOG.exception("failed to handle %.200r", msg.data)
                    self._kill(conn, 1011, b"Internal error")
        except (ConnectionError, RuntimeError):
            pass
        finally:
            await self._close(conn, 1000, b"")
            self.stats.closes[conn.close_code if conn.close_code is not None else ws.close_code] += 1
            self.stats.conflated += conn.conflated
        return ws

    async def close_all(self, code: int = 1001) -> None:
        """Close every socket (``on_shutdown``) and stop every producer."""
        conns = list(self._connections)
        for conn in conns:
            self._drop(conn)
        await asyncio.gather(*(self._close(conn, code, b"Server shutdown") for conn in conns))
        if self._closers:
            await asyncio.gather(*self._closers, return_exceptions=True)
        await self._heartbeat.stop()
        await self._producers.stop_all()
        COLLECTOR.resume()

    # -- client messages -------------------------------------------------------------

    def _on_text(self, conn: Connection, text: str) -> Awaitable[None] | None:
        """A subscription to a route with ``settle`` is returned, to be awaited before the next message."""
        if conn.dead:
            return None
        request = envelope.parse(text, self.routes)
        if isinstance(request, Invalid):
            self._reply(conn, text_frame(envelope.error(request.message)))
            return None
        route = self.routes[request.route]
        resolved = self._resolve(route, request)
        if isinstance(resolved, str):
            topic = raw_topic(route.name, route.request_schema, request.payload)
            self._reply(conn, text_frame(envelope.response(request.response_type, False, resolved, topic)))
            return None
        params, topic = resolved
        if request.op is Op.SUBSCRIBE:
            check = self._checks.get(conn)
            refused = None if check is None else check(route, params)
            if refused is None:
                refused = self._refusal(conn, route, topic, params)
            if refused is not None:
                self._reply(conn, text_frame(envelope.response(request.response_type, False, refused, topic)))
                return None
            if route.settle is not None:
                return self._settled_subscribe(conn, route.settle, route, topic, params, request.response_type)
            self._subscribe(conn, route, topic, params)
        else:
            self._unsubscribe(conn, route, topic)
        return None

    async def _settled_subscribe(self, conn: Connection, settle: Settle, route: Route, topic: str,
                                 params: Payload, kind: str) -> None:
        """From ``settle``'s return to the snapshot nothing yields: the snapshot is consistent."""
        refused = await settle(params)
        if refused is not None and not conn.dead:
            self._reply(conn, text_frame(envelope.response(kind, False, refused, topic)))
        elif not conn.dead:
            self._subscribe(conn, route, topic, params)

    def _refusal(self, conn: Connection, route: Route, topic: str, params: Payload) -> str | None:
        """Why ``conn`` may not take ``topic`` (its budgets), or None."""
        held = self._registry.topics_of(conn)
        if topic in held:
            return None
        budgets = self.budgets
        too_long = budgets.topic_error(topic)
        if too_long is not None:
            return too_long
        return budgets.hold_error(conn, len(held), self._weight(route, topic, params))

    def _weight(self, route: Route, topic: str, params: Payload) -> int:
        state = self._topics.get(topic)
        if state is not None:
            return state.weight
        return 0 if route.weight is None else route.weight(params)

    def _reply(self, conn: Connection, frame: bytes) -> None:
        if conn.write(frame):
            self._kill(conn, 1013, TOO_SLOW)

    def _resolve(self, route: Route, request: Request) -> tuple[Payload, str] | str:
        """(parameters, topic), or the error message naming the field."""
        if not request.has_payload:
            return "payload: Missing data for required field."
        if not isinstance(request.payload, dict):
            return "payload: Not a valid mapping type."
        try:
            return self._resolver.resolve(route.name, route.request_schema, request.payload)
        except marshmallow.ValidationError as exc:
            return validation.describe(exc.messages)

    def _subscribe(self, conn: Connection, route: Route, topic: str, params: Payload) -> None:
        weight = self._weight(route, topic, params)
        added = self._registry.add(conn, topic)
        first = added is Added.FIRST
        if first:
            state = TopicState(route, params, UpdateEncoder.for_topic(route.name, topic), weight)
            self._topics[topic] = state
            self._by_route[route.name][topic] = state
        if added is not Added.ALREADY:
            conn.symbols += weight
        self._reply(conn, text_frame(envelope.response(f"{route.name}.subscribe.response", True, SUBSCRIBED, topic)))
        if route.snapshot is not None:
            self._send_snapshot(conn, route, topic, params)
        if first and route.producer is not None:
            self._producers.start(topic, partial(route.producer, params, TopicPublisher(self, topic)))

    def _send_snapshot(self, conn: Connection, route: Route, topic: str, params: Payload) -> None:
        try:
            items = route.snapshot(params) if route.snapshot is not None else ()
        except Exception:
            LOG.exception("snapshot of %s failed", topic)
            return
        encoder = self._topics[topic].encoder
        for item in items:
            if conn.write(text_frame(encoder.encode(item))):
                self._kill(conn, 1013, TOO_SLOW)
                return

    def _unsubscribe(self, conn: Connection, route: Route, topic: str) -> None:
        kind = f"{route.name}.unsubscribe.response"
        removed = self._registry.remove(conn, topic)
        if removed is Removed.NOT_HELD:
            self._reply(conn, text_frame(envelope.response(kind, False, NOT_SUBSCRIBED, topic)))
            return
        conn.symbols -= self._topics[topic].weight
        if removed is Removed.LAST:
            self._retire(topic)
        conn.forget(topic)
        self._reply(conn, text_frame(envelope.response(kind, True, UNSUBSCRIBED, topic)))

    # -- lifecycle -------------------------------------------------------------------

    def _retire(self, topic: str) -> None:
        state = self._topics.pop(topic)
        del self._by_route[state.route.name][topic]
        self._producers.stop(topic)

    def _drop(self, conn: Connection) -> bool:
        """Forget a connection everywhere and drop its backlog; the last holder stops producers.
        False when it was already dropped."""
        if conn.dead and conn not in self._connections:
            return False
        self._connections.discard(conn)
        self._checks.pop(conn, None)
        self._heartbeat.remove(conn)
        conn.discard()
        for topic in self._registry.release(conn):
            self._retire(topic)
        return True

    def _kill(self, conn: Connection, code: int, reason: bytes) -> None:
        """The hub closes (1013, 1008, 1003, 1011): held frames dropped, the close frame written
        behind the little the transport holds, then a lingering close (``Connection.linger_close``)
        bounded by ``close_timeout``. Synchronous: callable from publishing and from the handler."""
        if conn.dead:
            return
        conn.close_code = code
        self._drop(conn)
        conn.linger_close(close_frame(code, reason), self._close_timeout)

    def _no_pong(self, conn: Connection) -> None:
        """The peer stopped answering: nothing it would read, so no close frame; cut it now."""
        if self._drop(conn):
            conn.close_code = NO_PONG
            conn.abort()

    async def _close(self, conn: Connection, code: int, reason: bytes) -> None:
        """Close with ``code`` whatever the path (hub, heartbeat, peer, another task's
        ``ws.close``): the backlog is dropped first so the close frame follows at most what the
        transport already holds, and the socket is aborted ``close_timeout`` later unless the
        peer has closed by then, so no socket nor its buffers outlive a bounded delay."""
        if conn.close_code is None and not conn.ws.closed:
            conn.close_code = code
        self._drop(conn)
        await self._close_pacer.turn()
        loop = asyncio.get_running_loop()
        watchdog = loop.call_later(self._close_timeout, conn.abort)
        try:
            async with asyncio.timeout(self._close_timeout):
                await conn.ws.close(code=code, message=reason, drain=False)
        except (TimeoutError, ConnectionError, RuntimeError):
            conn.abort()
        if conn.lost:
            watchdog.cancel()
