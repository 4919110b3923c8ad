"""Long intraday bar series as columns over the days' minute aggregates.

A series of 10,000 bars spans up to a week of minute aggregates; planning it (which days,
which slice of each) is cheap, while turning it into bars or bytes is the long part. The plan
holds only immutable arrays, so that part can run anywhere (a worker thread, in pieces) while
the market's caches stay with their owner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from app.market.catalogue import SymbolSpec
from app.market.daypath import MinuteBars
from app.market.series import prices
from app.market.timegrid import DAY_MS, Resolution, day_of
from app.market.values import Bar

PIECE_BARS = 480
"""Bars per piece of a series (a third of a day of minutes): well under a millisecond of work."""

Columns = tuple[list[int], list[float], list[float], list[float], list[float], list[int]]
"""time, open, high, low, close, volume of consecutive bars."""


@dataclass(frozen=True, slots=True)
class Segment:
    """Bars ``first`` .. ``stop − 1`` of one day at one resolution."""

    start: int
    length: int
    minutes: MinuteBars
    group: int
    first: int
    stop: int


@dataclass(frozen=True, slots=True)
class IntradaySeries:
    """Ascending closed bars of whole segments, then the bar still forming (if asked for)."""

    spec: SymbolSpec
    segments: tuple[Segment, ...]
    partial: Bar | None

    def __len__(self) -> int:
        return sum(s.stop - s.first for s in self.segments) + (self.partial is not None)

    def pieces(self) -> Iterator[Columns]:
        """The closed bars as columns, at most PIECE_BARS at a time."""
        spec = self.spec
        for seg in self.segments:
            agg = seg.minutes.grouped(seg.group)
            for lo in range(seg.first, seg.stop, PIECE_BARS):
                hi = min(lo + PIECE_BARS, seg.stop)
                yield (
                    list(range(seg.start + lo * seg.length, seg.start + hi * seg.length, seg.length)),
                    prices(spec, agg.open[lo:hi]),
                    prices(spec, agg.high[lo:hi]),
                    prices(spec, agg.low[lo:hi]),
                    prices(spec, agg.close[lo:hi]),
                    agg.volume[lo:hi].tolist(),
                )

    def bars(self) -> list[Bar]:
        result = [bar for columns in self.pieces() for bar in map(Bar, *columns)]
        if self.partial is not None:
            result.append(self.partial)
        return result


def needed_days(res: Resolution, low: int, high: int, want: int, now: int) -> list[int]:
    """The days (latest first) whose minute aggregates the series of ``plan`` reads."""
    days = []
    for day, _first, _last in _day_ranges(res, low, high, want, now):
        days.append(day)
    return days


def plan(
    spec: SymbolSpec,
    res: Resolution,
    low: int,
    high: int,
    want: int,
    now: int,
    minutes: Callable[[int], MinuteBars],
    partial: Callable[[int], Bar],
) -> IntradaySeries:
    """The latest ``want`` bars opening in [low, high] (high ≤ now); the bar containing now is
    ``partial(its start)``, aggregated only up to now."""
    length = res.minutes * 60_000
    now_bar = res.bar_start(now)
    segments: list[Segment] = []
    forming: Bar | None = None
    for day, first, last in _day_ranges(res, low, high, want, now):
        start = day * DAY_MS
        stop = last + 1
        if start + last * length == now_bar:
            stop -= 1
            forming = partial(now_bar)
        segments.append(Segment(start, length, minutes(day), res.minutes, first, stop))
    return IntradaySeries(spec, tuple(reversed(segments)), forming)


def _day_ranges(res: Resolution, low: int, high: int, want: int, now: int) -> Iterator[tuple[int, int, int]]:
    """(day, first bar, last bar) from the latest day back, until ``want`` bars are covered."""
    length = res.minutes * 60_000
    per_day = DAY_MS // length
    now_bar = res.bar_start(now)
    collected = 0
    day = day_of(high)
    while day >= day_of(low) and collected < want:
        start = day * DAY_MS
        first = max(0, -(-(low - start) // length))
        last = min(per_day - 1, (min(high, now_bar) - start) // length)
        if first <= last:
            first = max(first, last + 1 - (want - collected))
            collected += last + 1 - first
            yield day, first, last
        day -= 1
