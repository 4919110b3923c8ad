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

5. Extremes. ``extremes`` scans the same steps as quotes: every price in effect at some
   instant of (t0, t1], i.e. steps floor(t0) .. floor(t1); whole days inside the window use
   the day's drawn high/low without building its path.

numpy earns its place in step 2: a day is 86,400 points, which numpy draws, bridges and
reduces in about 5 ms per symbol against roughly 100 ms in pure Python, and it keeps a day in
compact int32/int64 arrays (a list of Python ints would take about five times the memory).

Caches are bounded (``days.py``): the daily walk is ~5 ints per day per symbol; full day paths
(about 1.7 MB) live in an LRU, and minute aggregates (about 58 kB) in another sized for the
whole intraday window of every symbol. The heavy builds are also offered as resumable work
(``path_work``/``minutes_work`` + ``install_*``), so a caller that owns an event loop can run
them on a worker thread; the other modules: ``values.py`` (the answers), ``series.py`` (daily
and weekly bars), ``intraday.py`` (long intraday series as columns).
"""

from __future__ import annotations

from app.market.catalogue import Catalogue
from app.market.daily import ANCHOR_DAY
from app.market.days import DayCache
from app.market.daypath import DayPath, MinuteBars
from app.market.intraday import IntradaySeries, needed_days, plan
from app.market.series import SymbolSeries, merge
from app.market.steps import Steps
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
from app.market.values import Bar, Clock, Extremes, Quote, Top, wall_clock_ms

__all__ = ["Bar", "Clock", "Extremes", "Market", "Quote", "Top", "wall_clock_ms"]


class Market:
    """Answers every price question of the datafeed and the broker from the per-symbol paths.

    ``history_days`` bounds daily/weekly history (aligned to a Monday), ``intraday_days`` the
    intraday history; ``path_cache_days`` bounds the LRU of full day paths (default: room for
    today's and tomorrow's of every symbol), and
    ``minute_cache_days`` (default: the intraday window of every symbol, plus today and
    tomorrow) that of minute aggregates.
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
        path_cache_days: int | None = None,
        minute_cache_days: int | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.seed = seed
        self.now: Clock = clock
        """The market's time (unix ms): the clock itself, not a method calling it (read on every
        order placed)."""
        self._history_days = history_days
        self._intraday_days = intraday_days
        self._symbols = {spec.name: SymbolSeries.of(spec, seed) for spec in catalogue.symbols}
        if path_cache_days is None:
            path_cache_days = max(32, 2 * len(self._symbols) + 4)
        if minute_cache_days is None:
            minute_cache_days = (intraday_days + 2) * len(self._symbols)
        self._days = DayCache(seed, path_cache_days, minute_cache_days)
        self._tops: dict[str, tuple[int, Top]] = {}

    @property
    def symbols(self) -> list[str]:
        return list(self._symbols)

    def warm(self, t: int | None = None) -> None:
        """Build what the day containing t (default now) needs for every symbol, about 5 ms a
        symbol; calling it shortly before midnight with t in the next day avoids that cost
        landing on the first quotes of the new day."""
        day = day_of(self.now() if t is None else t)
        for name in self._symbols:
            self._symbols[name].closed_daily(day)
            self.day_path(name, day)

    # ----------------------------------------------------- day paths, offered

    def day_path(self, symbol: str, day: int) -> DayPath:
        """The day's full path (built now if not cached): the crossing oracle of the tests reads it."""
        return self._days.path(self._symbols[symbol], day)

    def has_day_path(self, symbol: str, day: int) -> bool:
        return self._days.has_path(symbol, day)

    def day_path_work(self, symbol: str, day: int) -> Steps[DayPath]:
        """Resumable work building the path (its inputs are read now; it touches no cache);
        ``install_day_path`` then keeps the result."""
        sym = self._symbols[symbol]
        sym.closed_daily(day)
        return self._days.path_work(sym, day)

    def install_day_path(self, symbol: str, day: int, path: DayPath) -> None:
        self._days.install_path(symbol, day, path)

    def has_minutes(self, symbol: str, day: int) -> bool:
        return self._days.has_minutes(symbol, day)

    def minutes_work(self, symbol: str, day: int) -> Steps[MinuteBars]:
        return self._days.minutes_work(self._symbols[symbol], day)

    def install_minutes(self, symbol: str, day: int, minutes: MinuteBars) -> None:
        self._days.install_minutes(symbol, day, minutes)

    # ----------------------------------------------------------------- quotes

    def spread_offsets(self, symbol: str) -> tuple[int, int]:
        """(bid below last, ask above last) in ticks."""
        sym = self._symbols[symbol]
        return sym.bid_offset, sym.ask_offset

    def top(self, symbol: str, t: int | None = None) -> Top:
        """The bid and ask at ``t``'s step; each symbol's last one is kept (every order placed
        asks for it, mostly within the same step)."""
        at = self.now() if t is None else t
        at -= at % STEP_MS
        known = self._tops.get(symbol)
        if known is not None and known[0] == at:
            return known[1]
        sym = self._symbols[symbol]
        day = day_of(at)
        bid = int(self._days.path(sym, day).last[(at - day * DAY_MS) // STEP_MS]) - sym.bid_offset
        p = sym.spec.ticks_to_price
        top = Top(p(bid), p(bid + sym.spec.spread_ticks))
        self._tops[symbol] = (at, top)
        return top

    def quote(self, symbol: str, t: int | None = None) -> Quote:
        sym = self._symbols[symbol]
        at = floor_step(self.now() if t is None else t)
        day = day_of(at)
        path = self._days.path(sym, day)
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
        if res.is_intraday:
            series = self.intraday_series(symbol, resolution, from_ms, to_ms, count_back, limit)
            return series.bars() if series is not None else []
        now = self.now()
        window = self._window(symbol, res, from_ms, to_ms, count_back, limit, now)
        if window is None:
            return []
        low, high, want = window
        if res is Resolution.DAY:
            return self._daily_range(symbol, low, high, want, now)
        return self._weekly_range(symbol, low, high, want, now)

    def intraday_days_needed(
        self, symbol: str, resolution: str, from_ms: int, to_ms: int, count_back: int | None = None,
        limit: int = 10_000,
    ) -> list[int]:
        """The days whose minute aggregates ``intraday_series`` would have to build first."""
        res = _resolution(resolution)
        now = self.now()
        window = self._window(symbol, res, from_ms, to_ms, count_back, limit, now) if res.is_intraday else None
        if window is None:
            return []
        return [day for day in needed_days(res, *window, now) if not self._days.has_minutes(symbol, day)]

    def intraday_series(
        self, symbol: str, resolution: str, from_ms: int, to_ms: int, count_back: int | None = None,
        limit: int = 10_000,
    ) -> IntradaySeries | None:
        """``bars`` of an intraday resolution as columns (None when empty); days not cached
        yet are built here, so callers that mind the time build them first."""
        res = _resolution(resolution)
        now = self.now()
        window = self._window(symbol, res, from_ms, to_ms, count_back, limit, now)
        if window is None:
            return None
        sym = self._symbols[symbol]
        at = floor_step(now)
        series = plan(sym.spec, res, *window, now, lambda day: self._days.minutes(sym, day),
                      lambda start: self._partial_bar(symbol, start, at))
        return series if len(series) else None

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

    # --------------------------------------------------------------- extremes

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

    # ---------------------------------------------------------------- helpers

    def _window(
        self, symbol: str, res: Resolution, from_ms: int, to_ms: int, count_back: int | None, limit: int, now: int
    ) -> tuple[int, int, int] | None:
        """(low, high, want) of a bar query, or None when it asks for nothing."""
        want = min(count_back, limit) if count_back else limit
        low = max(from_ms, self.first_bar_time(symbol, res.value))
        high = min(to_ms, now)
        if want <= 0 or high < low:
            return None
        return low, high, want

    def day_low_high(self, symbol: str, day: int) -> tuple[int, int]:
        """The day's drawn low and high in ticks (its path's extremes, without building it)."""
        daily = self._symbols[symbol].daily
        i = daily.index(day)
        return daily.low[i], daily.high[i]

    def _range_extremes(self, symbol: str, t0: int, t1: int) -> tuple[int, int]:
        sym = self._symbols[symbol]
        lowest, highest = 2**62, -(2**62)
        for day, first, last in day_segments(t0, t1):
            if first == 0 and last == STEPS_PER_DAY - 1:
                lo, hi = self.day_low_high(symbol, day)
            else:
                window = self._days.path(sym, day).last[first : last + 1]
                lo, hi = int(window.min()), int(window.max())
            lowest, highest = min(lowest, lo), max(highest, hi)
        return lowest, highest

    def _partial_bar(self, symbol: str, start: int, at: int) -> Bar:
        """Aggregate of the steps from ``start`` to ``at`` (both within one UTC day)."""
        sym = self._symbols[symbol]
        day = day_of(start)
        path = self._days.path(sym, day)
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

    def _week_bar(self, symbol: str, monday: int, at: int) -> Bar:
        today = day_of(at)
        days = self._symbols[symbol].closed_daily(today)[monday - ANCHOR_DAY : today - ANCHOR_DAY]
        days.append(self._partial_bar(symbol, today * DAY_MS, at))
        return merge(days, monday * DAY_MS)

    def _daily_range(self, symbol: str, low: int, high: int, want: int, now: int) -> list[Bar]:
        today = day_of(now)
        first = max(-(-low // DAY_MS), day_of(high) - want + 1)
        last = day_of(high)
        closed = self._symbols[symbol].closed_daily(today)
        result = closed[first - ANCHOR_DAY : min(last, today - 1) - ANCHOR_DAY + 1]
        if last >= today >= first:
            result.append(self._partial_bar(symbol, today * DAY_MS, floor_step(now)))
        return result

    def _weekly_range(self, symbol: str, low: int, high: int, want: int, now: int) -> list[Bar]:
        this_week = week_start_day(day_of(now))
        first = week_start_day(-(-low // DAY_MS) + 6)
        last = week_start_day(day_of(high))
        first = max(first, last - 7 * (want - 1))
        closed = self._symbols[symbol].closed_weekly(this_week)
        result = closed[(first - ANCHOR_DAY) // 7 : (min(last, this_week - 7) - ANCHOR_DAY) // 7 + 1]
        if last >= this_week >= first:
            result.append(self._week_bar(symbol, this_week, floor_step(now)))
        return result


def _resolution(text: str) -> Resolution:
    res = parse_resolution(text)
    if res is None:
        raise ValueError(f"unsupported resolution {text!r}")
    return res


def day_segments(t0: int, t1: int) -> list[tuple[int, int, int]]:
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
