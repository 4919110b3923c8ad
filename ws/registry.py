"""Which connection holds which topic (STYLE §3): both directions updated together.

Sans-I/O and generic in the connection type. ``add`` reports whether the topic is new so
the caller starts its producer; ``remove`` / ``release`` report the topics that lost their
last holder so the caller stops theirs. One connection counts once per topic.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Set
from typing import Generic, TypeVar

C = TypeVar("C", bound=Hashable)


class Added(enum.Enum):
    FIRST = "first"  # the topic had no holder: start its producer
    JOINED = "joined"  # the topic lives on; this connection is new to it
    ALREADY = "already"  # the connection already held it: nothing changes


class Removed(enum.Enum):
    LAST = "last"  # nobody holds the topic any more: stop its producer
    LEFT = "left"
    NOT_HELD = "not_held"  # the connection did not hold it: nothing changes


class Registry(Generic[C]):
    """``topic → connections`` and ``connection → topics``."""

    __slots__ = ("_holders", "_held")

    def __init__(self) -> None:
        self._holders: dict[str, set[C]] = {}
        self._held: dict[C, set[str]] = {}

    def add(self, conn: C, topic: str) -> Added:
        holders = self._holders.get(topic)
        if holders is None:
            self._holders[topic] = {conn}
            self._held.setdefault(conn, set()).add(topic)
            return Added.FIRST
        if conn in holders:
            return Added.ALREADY
        holders.add(conn)
        self._held.setdefault(conn, set()).add(topic)
        return Added.JOINED

    def remove(self, conn: C, topic: str) -> Removed:
        holders = self._holders.get(topic)
        if holders is None or conn not in holders:
            return Removed.NOT_HELD
        holders.discard(conn)
        held = self._held[conn]
        held.discard(topic)
        if not held:
            del self._held[conn]
        if holders:
            return Removed.LEFT
        del self._holders[topic]
        return Removed.LAST

    def release(self, conn: C) -> list[str]:
        """Drop every topic of ``conn``; returns the topics that lost their last holder."""
        last: list[str] = []
        for topic in self._held.pop(conn, ()):
            holders = self._holders[topic]
            holders.discard(conn)
            if not holders:
                del self._holders[topic]
                last.append(topic)
        return last

    def holders(self, topic: str) -> Set[C]:
        """Live view, not a copy: do not change the registry while iterating it."""
        holders = self._holders.get(topic)
        return holders if holders is not None else frozenset()

    def topics_of(self, conn: C) -> Set[str]:
        held = self._held.get(conn)
        return held if held is not None else frozenset()

    def holds(self, conn: C, topic: str) -> bool:
        return conn in self._holders.get(topic, ())

    @property
    def topic_count(self) -> int:
        return len(self._holders)

    @property
    def connection_count(self) -> int:
        return len(self._held)
