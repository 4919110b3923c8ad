"""What a module plugs into a hub: one ``Route`` per WebSocket route it serves."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import marshmallow

Payload = Mapping[str, Any]
K = TypeVar("K", bound=Hashable)


class Publisher(Protocol):
    """A producer's publishing on its own topic; synchronous, never waits for a client."""

    def __call__(self, payload: Payload) -> None:
        """Send one update."""

    def latest(self, keys: Sequence[K], build: Callable[[K], Payload]) -> None:
        """Send ``build(key)`` for each key (a LATEST route whose conflation key of
        ``build(key)`` is ``key``); a subscriber holding conflated frames gets nothing built
        now: the keys wait in its one deferred send of the topic, built when written (the
        newest value then). For values of which the newest is the one to send (quotes)."""


Producer = Callable[[Payload, Publisher], Awaitable[None]]
"""Runs while the topic has subscribers; started by the first, cancelled after the last."""
Snapshot = Callable[[Payload], Sequence[Payload]]
"""Current state as updates for a new subscription. Synchronous on purpose: the hub
registers the subscriber, answers and sends the snapshot without yielding, so no event
can fall between the snapshot and the live stream."""
Settle = Callable[[Payload], Awaitable["str | None"]]
"""Awaited before a subscription is registered and snapshotted, when the snapshot's source may
be mid-change (the broker: a batch whose commit may still fail). It returns once the source is
consistent (None; the registration and the snapshot then follow without yielding) or the reason
to refuse the subscription. The connection's later messages wait for it."""
ConflationKey = Callable[[Payload], Hashable]
Weight = Callable[[Payload], int]
"""How many streams (symbols) a topic's parameters carry: its share of a connection's budget."""


class Kind(enum.Enum):
    """What the hub does with a connection that cannot keep up."""

    LATEST = "latest"  # quotes, bars: keep only the newest update per conflation key
    RELIABLE = "reliable"  # broker routes: every update or none; too slow → close 1013


@dataclass(frozen=True, slots=True)
class Route:
    """One route ``name`` with its request schema and, optionally, a producer and a snapshot.

    ``request_schema.load`` turns a subscription payload into the topic's parameters
    (unknown keys are dropped). ``conflation_key`` (LATEST only) picks which updates of a
    topic replace each other for a slow client, e.g. the symbol of a quote or the time of
    a bar; without one only the newest update of the topic is kept. ``weight`` counts the
    symbols a topic streams (known or not: an unknown symbol costs a frame per tick as well),
    charged to the connection's symbol budget; without one a topic weighs nothing there.

    ``update_schema`` (the ``R.update`` envelope) and ``summary`` are not used by the hub:
    they let the published AsyncAPI document be built from the very routes a hub serves,
    so a route cannot be served without being documented, nor documented without being served.
    """

    name: str
    request_schema: marshmallow.Schema
    kind: Kind = Kind.RELIABLE
    producer: Producer | None = None
    snapshot: Snapshot | None = None
    conflation_key: ConflationKey | None = None
    weight: Weight | None = None
    update_schema: marshmallow.Schema | None = None
    summary: str = ""
    settle: Settle | None = None

    def __post_init__(self) -> None:
        if not self.name or "." in self.name:
            raise ValueError(f"route name must be non-empty and without '.': {self.name!r}")
        if self.conflation_key is not None and self.kind is not Kind.LATEST:
            raise ValueError("conflation_key only applies to Kind.LATEST routes")
