"""Publishing: one event encoded once per topic and written to every holder (DESIGN §4 #1–#3).

The hub's publishing half (``Hub`` inherits it). An event is encoded once per topic into one
WebSocket frame (topic inside the envelope) and that frame is written to every subscriber
synchronously; no task per recipient, no sleep, never an await on a client.

``publish_latest`` is the cheap path of LATEST routes whose updates are a function of a key
(a quote of a symbol): a subscriber that is holding conflated frames (past the soft mark) gets
nothing built nor encoded; the keys join its one deferred send for the topic
(``Connection.defer``), built and encoded when it is written, with the value of that moment.
A socket that never reads then costs a dict update per topic and tick, not a payload and a
JSON encoding per quote.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from .connection import Connection, Deferral
from .envelope import UpdateEncoder
from .frames import text_frame
from .registry import Registry
from .route import Kind, Payload, Route
from .stats import HubStats

K = TypeVar("K", bound=Hashable)
TOO_SLOW = b"Client too slow; resync via REST"
FRAME_GUESS = 160
"""Bytes of a payload not built yet, until the topic has built one (``TopicState.frame_size``)."""


@dataclass(slots=True)
class TopicState:
    route: Route
    params: Payload
    encoder: UpdateEncoder
    weight: int
    frame_size: int = 0
    """The size of the topic's latest frame: what a deferred key is counted for in a backlog."""


class Fanout:
    """Publishing over the hub's registry; ``_kill`` is the hub's close (1013 past the hard bound)."""

    _registry: Registry[Connection]
    _topics: dict[str, TopicState]
    _by_route: dict[str, dict[str, TopicState]]
    stats: HubStats

    def _kill(self, conn: Connection, code: int, reason: bytes) -> None:
        raise NotImplementedError

    def publish(self, topic: str, payload: Payload) -> None:
        """Send ``payload`` as ``R.update`` to every subscriber of ``topic``; never awaits.

        Call it from the event loop's thread. A topic nobody holds costs one dict lookup.
        The payload is serialized here, so later changes to it are not seen (DESIGN §4 #25).
        """
        holders = self._registry.holders(topic)
        if not holders:
            return
        state = self._topics[topic]
        frame = text_frame(state.encoder.encode(payload))
        state.frame_size = len(frame)
        route = state.route
        self.stats.sent[route.name] += len(holders)
        if route.kind is Kind.LATEST:
            key: tuple[str, Hashable] = (
                topic, None if route.conflation_key is None else route.conflation_key(payload)
            )
            too_slow = [conn for conn in holders if conn.send_latest(frame, key)]
        else:
            too_slow = [conn for conn in holders if conn.write(frame)]
        for conn in too_slow:
            self._kill(conn, 1013, TOO_SLOW)

    def publish_latest(self, topic: str, keys: Sequence[K], build: Callable[[K], Payload]) -> None:
        """``build(key)`` as ``R.update`` for each of ``keys``, on a LATEST route whose
        conflation key of ``build(key)`` is ``key``. Each payload is built and encoded once for
        the subscribers that have room; one holding conflated frames defers the keys instead
        (nothing built for it), and gets ``build(key)`` of the moment its turn comes: use it only
        where the newest value is the one to send (quotes), not for events."""
        holders = self._registry.holders(topic)
        if not holders or not keys:
            return
        state = self._topics[topic]
        size = state.frame_size or len(state.encoder.prefix) + FRAME_GUESS
        self.stats.sent[state.route.name] += len(holders) * len(keys)
        ready: list[Connection] = []
        too_slow: list[Connection] = []
        for conn in holders:
            deferral = conn.defer(topic, keys, build, state.encoder, size)
            if deferral is Deferral.SEND:
                ready.append(conn)
            elif deferral is Deferral.TOO_SLOW:
                too_slow.append(conn)
        if ready:
            encode = state.encoder.encode
            frame = b""
            for key in keys:
                frame = text_frame(encode(build(key)))
                full = (topic, key)
                for conn in ready:
                    if conn.send_latest(frame, full):
                        too_slow.append(conn)
            state.frame_size = len(frame)
        for conn in too_slow:
            self._kill(conn, 1013, TOO_SLOW)

    def publish_route(self, route: str, payload: Payload) -> None:
        """Send ``payload`` on every live topic of ``route`` (single-account broker events,
        DESIGN §4 #7). Unknown route names are an error of the caller."""
        for topic in tuple(self._by_route[route]):
            self.publish(topic, payload)


class TopicPublisher:
    """What a producer gets (``ws.route.Publisher``): the hub's publishing, on its own topic."""

    __slots__ = ("_fanout", "_topic")

    def __init__(self, fanout: Fanout, topic: str) -> None:
        self._fanout = fanout
        self._topic = topic

    def __call__(self, payload: Payload) -> None:
        self._fanout.publish(self._topic, payload)

    def latest(self, keys: Sequence[K], build: Callable[[K], Payload]) -> None:
        self._fanout.publish_latest(self._topic, keys, build)
