"""A fixed instant and a clock the test moves by hand: the market is a pure function of time,
so a test that owns the clock owns every price."""

from __future__ import annotations

# Tuesday 2026-11-24 12:34:56.789 UTC
NOW = 1_795_523_696_789
DAY = 86_400_000
TODAY = NOW - NOW % DAY


class SteppedClock:
    def __init__(self, start: int = NOW) -> None:
        self.t = start

    def __call__(self) -> int:
        return self.t

    def advance(self, ms: int) -> int:
        self.t += ms
        return self.t
