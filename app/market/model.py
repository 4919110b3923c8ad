"""The simulated market: one deterministic base path per symbol, and everything derived from it.

Model
-----
Every price is a pure function of (symbol, seed, time); nothing depends on when the process
started or in which order questions are asked, so a broker and a datafeed in different
processes see the same prices. Prices are integers of ticks (``minmov / pricescale``) inside
the model and become floats through one conversion (``SymbolSpec.ticks_to_price``), so equal
ticks always give identical floats and bars of different resolutions agree exactly.

1. Daily walk (``daily.py``). From a fixed anchor day (Monday 2015-01-05) each day draws a
   close from a mean-reverting walk on the log price around the symbol's centre level
   (``base_price``, optionally drifting), with daily volatility ``volatility / sqrt(365)``; the
   deviation is clamped to ±1 in log terms, which bounds the price for ever. A day opens at
   the previous close (the market trades 24x7, no gaps); its high and low extend beyond
   open/close by half-normal amounts; its volume is log-normal around ``base_volume``.
2. Day path (``daypath.py``), built on demand. The base step is 1 s, so a day has 86,400
   steps. Two distinct interior steps are drawn for the high and the low; with the open at
   step 0 and the close at the last step they make four knots. A seeded Gaussian walk W is
   turned into a bridge through the knots: path = linear interpolation of the knot values +
   (W − linear interpolation of W at the knots), which is zero at every knot. The path is
   reflected into [low, high] (excursions fold back instead of sticking to the bound), rounded
   to ticks and pinned to the knot values, so its open, maximum, minimum and final value are
   *exactly* the day's open, high, low and close. Nothing but the day's own drawn numbers
   (fixed in step 1) shapes a day, so a past day never changes and no day peeks at another. Per-step
   volumes split the day's volume by a seeded cumulative weight whose last value is exactly
   the day's volume.
3. Derived views. A closed day's daily bar is its drawn OHLCV (equal to the aggregate of its
   path); the current day's bar is the aggregate of the path up to now (running max/min and
   cumulative volume are precomputed). Intraday bars aggregate the path by minute and then by
   5/15/60 minutes; weekly bars aggregate Monday..Sunday daily bars. The bar that contains now
   is aggregated only up to now: its high/low are the path so far, never a pre-drawn future.
4. Quotes. ``last`` is the path value; ``bid = last − ⌊spread/2⌋`` and ``ask = bid + spread``
   ticks, so bid < ask and bid ≤ last ≤ ask always, and a quote's last lies inside the
   1-minute bar containing it.

5. Crossings. ``extremes`` and ``first_crossing`` scan the same steps as quotes: every price in
   effect at some instant of (t0, t1], i.e. steps floor(t0) .. floor(t1); whole days inside
   the window use the day's drawn high/low without building its path.

numpy earns its place in step 2: a day is 86,400 points, which numpy draws, bridges and
reduces in about 5 ms per symbol against roughly 100 ms in pure Python, and it keeps a day in
compact int32/int64 arrays (a list of Python ints would take about five times the memory).

Caches are bounded: the daily walk is ~5 ints per day per symbol; full day paths (about 1.7 MB)
live in an LRU, and past days' minute aggregates (about 58 kB) in another.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np
import numpy.typing as npt

from app.market.catalogue import Catalogue, SymbolSpec
from app.market.daily import ANCHOR_DAY, DailySeries
from app.market.daypath import DayPath, MinuteBars, build_day_path, minute_bars
from app.market.lru import LruCache
from app.market.timegrid import (
    DAY_MS,
    STEP_MS,
    STEPS_PER_DAY,
    Resolution,
    day_of,
    floor_step,
    parse_resolution,
    week_start_day,
)

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


@dataclass(slots=True)
class _Symbol:
    spec: SymbolSpec
    daily: DailySeries
    bid_offset: int
    ask_offset: int
    daily_bars: list[Bar]
    weekly_bars: list[Bar]

    def bar(self, t: int, o: int, h: int, low: int, c: int, v: int) -> Bar:
        p = self.spec.ticks_to_price
        return Bar(t, p(o), p(h), p(low), p(c), v)


_NO_BOUND = -(2**62)


class Market:
    """Answers every price question of the datafeed and the broker from the per-symbol paths.

    ``history_days`` bounds daily/weekly history (aligned to a Monday), ``intraday_days`` the
    intraday history; ``path_cache_days`` and ``minute_cache_days`` bound the two LRUs.
    Symbols are canonical catalogue names; an unknown one raises KeyError. The seed is taken
    modulo 2**64. A time before the model's anchor day (2015-01-05) raises ValueError.
    """

    def __init__(
        self,
        catalogue: Catalogue,
        seed: int = 0,
        clock: Clock = wall_clock_ms,
        history_days: int = 800,
        intraday_days: int = 60,
        path_cache_days: int = 32,
        minute_cache_days: int = 512,
    ) -> None:
        self.catalogue = catalogue
        self.seed = seed
        self._clock = clock
        self._history_days = history_days
        self._intraday_days = intraday_days
        self._symbols = {
            spec.name: _Symbol(
                spec=spec,
                daily=DailySeries(spec, seed),
                bid_offset=spec.spread_ticks // 2,
                ask_offset=spec.spread_ticks - spec.spread_ticks // 2,
                daily_bars=[],
                weekly_bars=[],
            )
            for spec in catalogue.symbols
        }
        self._paths: LruCache[tuple[str, int], DayPath] = LruCache(path_cache_days)
        self._hot: dict[str, tuple[int, DayPath]] = {}
        self._minutes: LruCache[tuple[str, int], MinuteBars] = LruCache(minute_cache_days)

    def now(self) -> int:
        return self._clock()

    def warm(self, t: int | None = None) -> None:
        """Build what the day containing t (default now) needs for every symbol, about 5 ms a
        symbol; calling it shortly before midnight with t in the next day avoids that cost
        landing on the first quotes of the new day."""
        day = day_of(self.now() if t is None else t)
        for name in self._symbols:
            self._closed_daily(name, day)
            self._path(name, day)

    # ----------------------------------------------------------------- quotes

    def top(self, symbol: str, t: int | None = None) -> Top:
        sym = self._symbols[symbol]
        at = floor_step(self.now() if t is None else t)
        day = day_of(at)
        bid = int(self._path(symbol, day).last[(at - day * DAY_MS) // STEP_MS]) - sym.bid_offset
        p = sym.spec.ticks_to_price
        return Top(p(bid), p(bid + sym.spec.spread_ticks))

    def quote(self, symbol: str, t: int | None = None) -> Quote:
        sym = self._symbols[symbol]
        at = floor_step(self.now() if t is None else t)
        day = day_of(at)
        path = self._path(symbol, day)
        k = (at - day * DAY_MS) // STEP_MS
        last = int(path.last[k])
        bid = last - sym.bid_offset
        p = sym.spec.ticks_to_price
        daily = sym.daily
        return Quote(
            symbol=symbol,
            time=at,
            bid=p(bid),
            ask=p(bid + sym.spec.spread_ticks),
            last=p(last),
            open=p(daily.open[daily.index(day)]),
            high=p(int(path.run_high[k])),
            low=p(int(path.run_low[k])),
            prev_close=p(daily.prev_close(day)),
            volume=int(path.cum_volume[k]),
        )

    # ------------------------------------------------------------------- bars

    def bars(
        self,
        symbol: str,
        resolution: str,
        from_ms: int,
        to_ms: int,
        count_back: int | None = None,
        limit: int = 10_000,
    ) -> list[Bar]:
        """Bars opening in [from_ms, to_ms], never beyond now, ascending.

        ``count_back`` (when truthy) keeps the last n of the range; at most ``limit`` (the most
        recent) are returned. ValueError for an unknown resolution.
        """
        res = _resolution(resolution)
        now = self.now()
        want = min(count_back, limit) if count_back else limit
        low = max(from_ms, self.first_bar_time(symbol, res.value))
        high = min(to_ms, now)
        if want <= 0 or high < low:
            return []
        if res is Resolution.DAY:
            return self._daily_range(symbol, low, high, want, now)
        if res is Resolution.WEEK:
            return self._weekly_range(symbol, low, high, want, now)
        return self._intraday_range(symbol, res, low, high, want, now)

    def current_bar(self, symbol: str, resolution: str, t: int | None = None) -> Bar:
        """The bar containing t (default now), aggregated up to t."""
        res = _resolution(resolution)
        at = floor_step(self.now() if t is None else t)
        start = res.bar_start(at)
        if res is Resolution.WEEK:
            return self._week_bar(symbol, day_of(start), at)
        return self._partial_bar(symbol, start, at)

    def first_bar_time(self, symbol: str, resolution: str) -> int:
        """Open time of the oldest bar served at this resolution (moves with the clock)."""
        if symbol not in self._symbols:
            raise KeyError(symbol)
        res = _resolution(resolution)
        today = day_of(self.now())
        if res.is_intraday:
            return max(ANCHOR_DAY, today - self._intraday_days) * DAY_MS
        return max(ANCHOR_DAY, week_start_day(today - self._history_days)) * DAY_MS

    def has_bar_at_or_before(self, symbol: str, resolution: str, t: int) -> bool:
        return self.first_bar_time(symbol, resolution) <= min(t, self.now())

    def last_bar_time_before(self, symbol: str, resolution: str, t: int) -> int | None:
        """Open time of the latest served bar opening strictly before t (UDF ``nextTime``)."""
        latest = min(t - 1, self.now())
        start = _resolution(resolution).bar_start(latest)
        return start if start >= self.first_bar_time(symbol, resolution) else None

    # -------------------------------------------------------------- crossings

    def extremes(self, symbol: str, t0: int, t1: int) -> Extremes:
        """Bid/ask extremes over the prices in effect at some instant of (t0, t1].

        That is the base steps floor(t0) .. floor(t1): never empty, so a window shorter than
        a base step still yields the price in effect. ValueError if t1 < t0.
        """
        sym = self._symbols[symbol]
        lowest, highest = self._range_extremes(symbol, t0, t1)
        p = sym.spec.ticks_to_price
        return Extremes(
            bid_low=p(lowest - sym.bid_offset),
            bid_high=p(highest - sym.bid_offset),
            ask_low=p(lowest + sym.ask_offset),
            ask_high=p(highest + sym.ask_offset),
        )

    def first_crossing(
        self,
        symbol: str,
        t0: int,
        t1: int,
        *,
        ask_at_or_below: float | None = None,
        bid_at_or_above: float | None = None,
        ask_at_or_above: float | None = None,
        bid_at_or_below: float | None = None,
    ) -> int | None:
        """The first instant of (t0, t1] at which any given condition holds, or None.

        Steps are examined as in ``extremes``; the result is the step's open time, or t0 when
        the price already in effect at t0 satisfies the condition.
        """
        sym = self._symbols[symbol]
        spec = sym.spec
        below = _NO_BOUND
        above = -_NO_BOUND
        if ask_at_or_below is not None:
            below = max(below, _ticks_at_or_below(spec, ask_at_or_below) - sym.ask_offset)
        if bid_at_or_below is not None:
            below = max(below, _ticks_at_or_below(spec, bid_at_or_below) + sym.bid_offset)
        if ask_at_or_above is not None:
            above = min(above, _ticks_at_or_above(spec, ask_at_or_above) - sym.ask_offset)
        if bid_at_or_above is not None:
            above = min(above, _ticks_at_or_above(spec, bid_at_or_above) + sym.bid_offset)
        for day, first, last in _day_segments(t0, t1):
            if first == 0 and last == STEPS_PER_DAY - 1:
                i = sym.daily.index(day)
                if sym.daily.low[i] > below and sym.daily.high[i] < above:
                    continue
            window = self._path(symbol, day).last[first : last + 1]
            hits = np.flatnonzero((window <= below) | (window >= above))
            if hits.size:
                return max(t0, day * DAY_MS + (first + int(hits[0])) * STEP_MS)
        return None

    # ---------------------------------------------------------------- helpers

    def _path(self, symbol: str, day: int) -> DayPath:
        """Each symbol's latest day path is kept aside: quotes and matching ask for it
        thousands of times a second, and the LRU's bookkeeping is the larger cost."""
        hot = self._hot.get(symbol)
        if hot is not None and hot[0] == day:
            return hot[1]
        sym = self._symbols[symbol]
        path = self._paths.get_or_compute(
            (symbol, day), lambda: build_day_path(sym.spec, self.seed, sym.daily, day)
        )
        if hot is None or day >= hot[0]:
            self._hot[symbol] = (day, path)
        return path

    def _minute_bars(self, symbol: str, day: int) -> MinuteBars:
        def compute() -> MinuteBars:
            if (symbol, day) in self._paths:
                return minute_bars(self._path(symbol, day))
            sym = self._symbols[symbol]
            return minute_bars(build_day_path(sym.spec, self.seed, sym.daily, day))

        return self._minutes.get_or_compute((symbol, day), compute)

    def _range_extremes(self, symbol: str, t0: int, t1: int) -> tuple[int, int]:
        daily = self._symbols[symbol].daily
        lowest, highest = 2**62, -(2**62)
        for day, first, last in _day_segments(t0, t1):
            if first == 0 and last == STEPS_PER_DAY - 1:
                i = daily.index(day)
                lo, hi = daily.low[i], daily.high[i]
            else:
                window = self._path(symbol, day).last[first : last + 1]
                lo, hi = int(window.min()), int(window.max())
            lowest, highest = min(lowest, lo), max(highest, hi)
        return lowest, highest

    def _partial_bar(self, symbol: str, start: int, at: int) -> Bar:
        """Aggregate of the steps from ``start`` to ``at`` (both within one UTC day)."""
        sym = self._symbols[symbol]
        day = day_of(start)
        path = self._path(symbol, day)
        first = (start - day * DAY_MS) // STEP_MS
        last = (at - day * DAY_MS) // STEP_MS
        if first == 0:
            hi, lo = int(path.run_high[last]), int(path.run_low[last])
        else:
            window = path.last[first : last + 1]
            hi, lo = int(window.max()), int(window.min())
        return sym.bar(
            start, int(path.last[first]), hi, lo, int(path.last[last]), path.volume_between(first, last)
        )

    def _closed_daily(self, symbol: str, today: int) -> list[Bar]:
        """Daily bars from ANCHOR_DAY (list index = day − ANCHOR_DAY), at least up to yesterday."""
        sym = self._symbols[symbol]
        bars = sym.daily_bars
        if ANCHOR_DAY + len(bars) < today:
            daily = sym.daily
            daily.ensure(today)
            start = len(bars)
            bars.extend(
                sym.bar((ANCHOR_DAY + start + j) * DAY_MS, o, h, lo, c, v)
                for j, (o, h, lo, c, v) in enumerate(
                    zip(
                        daily.open[start:],
                        daily.high[start:],
                        daily.low[start:],
                        daily.close[start:],
                        daily.volume[start:],
                    )
                )
            )
        return bars

    def _closed_weekly(self, symbol: str, this_week: int) -> list[Bar]:
        """Weekly bars from ANCHOR_DAY (index = weeks since then), at least up to last week."""
        sym = self._symbols[symbol]
        weeks = sym.weekly_bars
        if ANCHOR_DAY + 7 * len(weeks) < this_week:
            daily = self._closed_daily(symbol, this_week)
            complete = (len(daily) // 7) * 7
            for first in range(7 * len(weeks), complete, 7):
                days = daily[first : first + 7]
                weeks.append(
                    Bar(
                        days[0].time,
                        days[0].open,
                        max(b.high for b in days),
                        min(b.low for b in days),
                        days[-1].close,
                        sum(b.volume for b in days),
                    )
                )
        return weeks

    def _week_bar(self, symbol: str, monday: int, at: int) -> Bar:
        today = day_of(at)
        days = self._closed_daily(symbol, today)[monday - ANCHOR_DAY : today - ANCHOR_DAY]
        days.append(self._partial_bar(symbol, today * DAY_MS, at))
        return Bar(
            monday * DAY_MS,
            days[0].open,
            max(b.high for b in days),
            min(b.low for b in days),
            days[-1].close,
            sum(b.volume for b in days),
        )

    def _daily_range(self, symbol: str, low: int, high: int, want: int, now: int) -> list[Bar]:
        today = day_of(now)
        first = max(-(-low // DAY_MS), day_of(high) - want + 1)
        last = day_of(high)
        closed = self._closed_daily(symbol, today)
        result = closed[first - ANCHOR_DAY : min(last, today - 1) - ANCHOR_DAY + 1]
        if last >= today >= first:
            result.append(self._partial_bar(symbol, today * DAY_MS, floor_step(now)))
        return result

    def _weekly_range(self, symbol: str, low: int, high: int, want: int, now: int) -> list[Bar]:
        this_week = week_start_day(day_of(now))
        first = week_start_day(-(-low // DAY_MS) + 6)
        last = week_start_day(day_of(high))
        first = max(first, last - 7 * (want - 1))
        closed = self._closed_weekly(symbol, this_week)
        result = closed[(first - ANCHOR_DAY) // 7 : (min(last, this_week - 7) - ANCHOR_DAY) // 7 + 1]
        if last >= this_week >= first:
            result.append(self._week_bar(symbol, this_week, floor_step(now)))
        return result

    def _intraday_range(
        self, symbol: str, res: Resolution, low: int, high: int, want: int, now: int
    ) -> list[Bar]:
        sym = self._symbols[symbol]
        length = res.minutes * 60_000
        per_day = DAY_MS // length
        now_bar = res.bar_start(now)
        chunks: list[list[Bar]] = []
        collected = 0
        day = day_of(high)
        while day >= day_of(low) and collected < want:
            start = day * DAY_MS
            first = max(0, -(-(low - start) // length))
            last = min(per_day - 1, (min(high, now_bar) - start) // length)
            if first <= last:
                agg = self._minute_bars(symbol, day).grouped(res.minutes)
                stop = last + 1
                partial = start + last * length == now_bar
                if partial:
                    stop -= 1
                first = max(first, last + 1 - (want - collected))
                chunk = list(
                    map(
                        Bar,
                        range(start + first * length, start + stop * length, length),
                        _prices(sym.spec, agg.open[first:stop]),
                        _prices(sym.spec, agg.high[first:stop]),
                        _prices(sym.spec, agg.low[first:stop]),
                        _prices(sym.spec, agg.close[first:stop]),
                        agg.volume[first:stop].tolist(),
                    )
                )
                if partial:
                    chunk.append(self._partial_bar(symbol, now_bar, floor_step(now)))
                chunks.append(chunk)
                collected += len(chunk)
            day -= 1
        result = [bar for chunk in reversed(chunks) for bar in chunk]
        return result[-want:]


def _prices(spec: SymbolSpec, ticks: npt.NDArray[np.int64]) -> list[float]:
    """Vectorised ``ticks_to_price``: int64 → float64 division rounds exactly as Python's does."""
    result: list[float] = ((ticks * spec.minmov) / spec.pricescale).tolist()
    return result


def _resolution(text: str) -> Resolution:
    res = parse_resolution(text)
    if res is None:
        raise ValueError(f"unsupported resolution {text!r}")
    return res


def _day_segments(t0: int, t1: int) -> list[tuple[int, int, int]]:
    """(day, first step, last step) pieces covering steps floor(t0)..floor(t1)."""
    if t1 < t0:
        raise ValueError("t1 must not precede t0")
    first_step, last_step = t0 // STEP_MS, t1 // STEP_MS
    segments = []
    for day in range(first_step // STEPS_PER_DAY, last_step // STEPS_PER_DAY + 1):
        base = day * STEPS_PER_DAY
        segments.append(
            (day, max(first_step, base) - base, min(last_step, base + STEPS_PER_DAY - 1) - base)
        )
    return segments


def _ticks_at_or_below(spec: SymbolSpec, price: float) -> int:
    """Largest tick count whose price is <= price (exact under the model's conversion)."""
    if math.isnan(price):
        return _NO_BOUND
    if math.isinf(price):
        return -_NO_BOUND if price > 0 else _NO_BOUND
    n = math.floor(price * spec.pricescale / spec.minmov)
    while spec.ticks_to_price(n + 1) <= price:
        n += 1
    while spec.ticks_to_price(n) > price:
        n -= 1
    return n


def _ticks_at_or_above(spec: SymbolSpec, price: float) -> int:
    """Smallest tick count whose price is >= price."""
    if math.isnan(price):
        return -_NO_BOUND
    if math.isinf(price):
        return _NO_BOUND if price < 0 else -_NO_BOUND
    n = math.ceil(price * spec.pricescale / spec.minmov)
    while spec.ticks_to_price(n - 1) >= price:
        n -= 1
    while spec.ticks_to_price(n) < price:
        n += 1
    return n
