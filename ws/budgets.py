"""What one connection may cost the server (issue 21): topics, symbols, topic length, messages/s.

Sans-I/O: the hub asks, these answer with the refusal text (``None``: allowed). The texts follow
the existing error shapes: a refused subscription is a ``R.subscribe.response`` with
``status: "error"`` and a message naming ``topic``; a message over the rate is answered once with
``{"type":"error"}`` and, if the client goes on, the socket is closed with 1008.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .connection import Connection

RATE_CLOSE_REASON = b"Too many messages"
KIB = 1024
FORGIVE_S = 1.0
"""Refusals are counted until a second passes without one: messages admitted in between (as
the bucket refills) do not reset the count, so a client that stays over the rate is closed."""


class Rate(enum.Enum):
    OK = "ok"
    REFUSE = "refuse"  # dropped; the first of a run is answered with an error
    CLOSE = "close"  # still flooding after the error: close with 1008


@dataclass(frozen=True, slots=True)
class Budgets:
    max_topics: int = 1000
    max_symbols: int = 1000
    """Sum of the routes' ``weight`` (symbols of quote topics) over a connection's topics."""
    max_topic_bytes: int = 1024
    """Every update frame repeats its topic: a longer one is refused, not sent a thousand times."""
    rate_per_s: float = 50.0
    rate_burst: int = 200

    def __post_init__(self) -> None:
        if self.max_topics < 1 or self.max_symbols < 1 or self.max_topic_bytes < 64:
            raise ValueError("max_topics and max_symbols must be at least 1, max_topic_bytes at least 64")
        if not self.rate_per_s > 0 or self.rate_burst < 1:
            raise ValueError("rate_per_s must be positive and rate_burst at least 1")

    def rate_error(self) -> str:
        return (f"Too many messages: at most {self.rate_per_s:g} per second (bursts of {self.rate_burst}, "
                f"a message counting one more per KiB); the connection is closed with 1008 if they go on")

    def take(self, conn: Connection, now: float, size: int = 0) -> Rate:
        """Spend the tokens of one message of ``size`` characters from ``conn``'s bucket (full at
        the first message): one, and one more per KiB, since validating a long list costs in
        proportion (a subscription of 1,000 symbols takes milliseconds of marshmallow)."""
        cost = 1.0 + size // KIB
        if conn.stamp == 0.0:
            conn.tokens = float(self.rate_burst)
        else:
            conn.tokens = min(float(self.rate_burst), conn.tokens + (now - conn.stamp) * self.rate_per_s)
        conn.stamp = now
        if conn.refused and now - conn.refused_at > FORGIVE_S:
            conn.refused = 0
        if conn.tokens >= cost:
            conn.tokens -= cost
            return Rate.OK
        conn.refused += 1
        conn.refused_at = now
        return Rate.CLOSE if conn.refused > self.rate_burst else Rate.REFUSE

    def topic_error(self, topic: str) -> str | None:
        size = len(topic)
        if size > self.max_topic_bytes:
            return (f"topic: Longer than {self.max_topic_bytes} characters ({size}); "
                    f"split the symbols over several subscriptions")
        return None

    def hold_error(self, conn: Connection, held: int, weight: int) -> str | None:
        """Whether ``conn``, holding ``held`` topics, may take one more of ``weight`` symbols."""
        if held >= self.max_topics:
            return f"topic: A connection may hold at most {self.max_topics} topics"
        if conn.symbols + weight > self.max_symbols:
            return (f"topic: A connection may hold at most {self.max_symbols} symbols across its topics "
                    f"({conn.symbols} held, this topic has {weight})")
        return None
