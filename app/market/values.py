"""The market's answers as values: bars, quotes, top of book and extremes (floats, ready for the wire)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

Clock = Callable[[], int]


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, slots=True)
class Bar:
    time: int
    open: float
    high: float
    low: float
    close: float
    volume: int


@dataclass(frozen=True, slots=True)
class Quote:
    """A symbol's quote at ``time`` with the statistics of its UTC day so far."""

    symbol: str
    time: int
    bid: float
    ask: float
    last: float
    open: float
    high: float
    low: float
    prev_close: float
    volume: int

    @property
    def spread(self) -> float:
        return self.ask - self.bid

    @property
    def change(self) -> float:
        """Against the previous day's close, as TradingView shows it (not rounded)."""
        return self.last - self.prev_close

    @property
    def change_percent(self) -> float:
        return self.change / self.prev_close * 100.0


@dataclass(frozen=True, slots=True)
class Top:
    """Just the bid and ask at an instant: what order matching needs, without day statistics."""

    bid: float
    ask: float


@dataclass(frozen=True, slots=True)
class Extremes:
    bid_low: float
    bid_high: float
    ask_low: float
    ask_high: float
