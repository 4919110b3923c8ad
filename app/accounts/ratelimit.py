"""Token buckets keyed by API key or client address: ``rate`` per second, bursts of ``burst``.

The table of buckets is bounded: a full bucket carries no information (a new one would be full
too), so when the table outgrows ``max_keys`` the full ones are dropped first, then the oldest.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float


class Buckets:
    __slots__ = ("_rate", "_burst", "_clock", "_max", "_buckets")

    def __init__(self, rate: float, burst: int, *, max_keys: int = 100_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._rate = rate
        self._burst = float(burst)
        self._clock = clock
        self._max = max_keys
        self._buckets: dict[str, _Bucket] = {}

    def take(self, key: str) -> float:
        """0 when ``key`` may go on (one token spent), else the seconds until it may."""
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self._max:
                self._prune(now)
            bucket = self._buckets[key] = _Bucket(self._burst, now)
        else:
            bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.at) * self._rate)
            bucket.at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self._rate

    def empty(self, key: str) -> bool:
        """Whether ``key`` would be refused now (spends nothing)."""
        bucket = self._buckets.get(key)
        if bucket is None:
            return False
        return bucket.tokens + (self._clock() - bucket.at) * self._rate < 1.0

    def _prune(self, now: float) -> None:
        refill = self._burst / self._rate
        self._buckets = {k: b for k, b in self._buckets.items() if now - b.at < refill}
        while len(self._buckets) >= self._max:
            del self._buckets[next(iter(self._buckets))]


def retry_after(seconds: float) -> str:
    """``Retry-After`` in whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))
