"""nginx's consistent-hash ring, in Python: which broker instance an account's requests reach.

The gateway routes broker requests with ``hash $trader_account consistent`` (nginx's ketama
ring: 160 points per server of weight 1, each ``crc32(HOST \\0 PORT PREV_HASH)``; a key's
``crc32`` goes to the first point at or after it). A broker instance told the ring's servers
(``BROKER_PEERS``) and its own address (``BROKER_SELF``) computes the accounts it should hold
without asking anyone, so a restarted instance takes back its own accounts at start.
"""

from __future__ import annotations

import bisect
import struct
import zlib
from collections.abc import Sequence

CHASH_POINTS = 160


class Ring:
    """The ring of ``servers`` (``host:port`` strings, in any order)."""

    __slots__ = ("_points", "_ring")

    def __init__(self, servers: Sequence[str]) -> None:
        points: dict[int, str] = {}
        for server in servers:
            host, _, port = server.rpartition(":")
            base = host.encode() + b"\0" + port.encode()
            previous = 0
            for _ in range(CHASH_POINTS):
                value = zlib.crc32(base + struct.pack("<I", previous))
                points.setdefault(value, server)
                previous = value
        self._points = points
        self._ring = sorted(points)

    def pick(self, key: str) -> str:
        """The server nginx sends ``key`` to while every server is up."""
        if len(set(self._points.values())) == 1:
            return next(iter(self._points.values()))
        index = bisect.bisect_left(self._ring, zlib.crc32(key.encode()))
        return self._points[self._ring[index % len(self._ring)]]


def chash_pick(servers: Sequence[str], key: str) -> str:
    if len(servers) == 1:
        return servers[0]
    return Ring(servers).pick(key)
