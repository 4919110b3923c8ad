"""One day's base path of one symbol: the last price (ticks) at every base step, built as a bridge.

The day's open, high, low, close and volume are fixed first by the daily walk; the path is then
drawn to honour them exactly (see ``app.market.model`` for the construction); ``day_path_steps`` builds it as
resumable work, so a worker thread can build it without holding the interpreter for long. Everything a bar,
a quote or a crossing check needs is precomputed here as arrays, so those are O(1) or one
numpy reduction over a slice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.market.catalogue import SymbolSpec
from app.market.daily import INTRADAY_STREAM, DailySeries, daily_sigma, generator
from app.market.steps import Steps, finish
from app.market.timegrid import MINUTES_PER_DAY, STEPS_PER_DAY, STEPS_PER_MINUTE

Ints = npt.NDArray[np.int64]
Ints32 = npt.NDArray[np.int32]
VOLUME_WEIGHT_FLOOR = 0.25


@dataclass(frozen=True, slots=True)
class DayPath:
    """``last[i]`` is the price in effect during base step i; the ``run*`` and ``cum*`` arrays
    are inclusive prefixes (high/low/volume of steps 0..i)."""

    day: int
    last: Ints32
    run_high: Ints32
    run_low: Ints32
    cum_volume: Ints

    def volume_between(self, first: int, last: int) -> int:
        """Volume of steps first..last inclusive."""
        before = int(self.cum_volume[first - 1]) if first > 0 else 0
        return int(self.cum_volume[last]) - before


@dataclass(frozen=True, slots=True)
class MinuteBars:
    """The 1,440 one-minute aggregates of a whole day (ticks and volume)."""

    open: Ints
    high: Ints
    low: Ints
    close: Ints
    volume: Ints

    def grouped(self, minutes: int) -> MinuteBars:
        """Aggregate runs of ``minutes`` (a divisor of 1,440) into longer bars."""
        if minutes == 1:
            return self
        return MinuteBars(
            open=self.open[::minutes],
            high=self.high.reshape(-1, minutes).max(axis=1),
            low=self.low.reshape(-1, minutes).min(axis=1),
            close=self.close[minutes - 1 :: minutes],
            volume=self.volume.reshape(-1, minutes).sum(axis=1),
        )


DayDraw = tuple[int, int, int, int, int]
"""A day's drawn open, high, low, close (ticks) and volume: all a day path depends on."""


def day_draw(daily: DailySeries, day: int) -> DayDraw:
    i = daily.index(day)
    return daily.open[i], daily.high[i], daily.low[i], daily.close[i], daily.volume[i]


def build_day_path(spec: SymbolSpec, seed: int, daily: DailySeries, day: int) -> DayPath:
    return finish(day_path_steps(spec, seed, day_draw(daily, day), day))


def day_path_steps(spec: SymbolSpec, seed: int, draw: DayDraw, day: int) -> Steps[DayPath]:
    """The day path as resumable work: each piece is one or two numpy passes over the day
    (well under a millisecond), so a worker thread running it yields the interpreter often."""
    open_, high, low, close, volume = draw
    rng = generator(seed, spec.name, INTRADAY_STREAM, day)
    n = STEPS_PER_DAY
    at_high = int(rng.integers(1, n - 1))
    at_low = int(rng.integers(1, n - 2))
    if at_low >= at_high:
        at_low += 1
    knots = sorted([(0, open_), (at_high, high), (at_low, low), (n - 1, close)])
    knot_t = np.array([k[0] for k in knots], dtype=np.float64)
    knot_v = np.array([k[1] for k in knots], dtype=np.float64)
    step_sigma = daily_sigma(spec) * max(open_, close) / math.sqrt(n)
    walk = np.cumsum(rng.standard_normal(n)) * step_sigma
    yield
    steps = np.arange(n, dtype=np.float64)
    bridge = np.interp(steps, knot_t, knot_v) + walk
    yield
    bridge -= np.interp(steps, knot_t, walk[knot_t.astype(np.int64)])
    yield
    last = np.rint(_fold(bridge, low, high)).astype(np.int32)
    last[knot_t.astype(np.int64)] = knot_v.astype(np.int32)
    yield
    weights = np.cumsum(rng.random(n) + VOLUME_WEIGHT_FLOOR)
    cum_volume = np.floor(volume * (weights / weights[-1])).astype(np.int64)
    yield
    run_high = np.maximum.accumulate(last)
    run_low = np.minimum.accumulate(last)
    return DayPath(day=day, last=last, run_high=run_high, run_low=run_low, cum_volume=cum_volume)


def _fold(values: npt.NDArray[np.float64], low: int, high: int) -> npt.NDArray[np.float64]:
    """Reflect excursions back into [low, high] (a triangle wave), which keeps the path moving
    where clipping would leave flat plateaus at the day's extremes."""
    span = high - low
    if span == 0:
        return np.full_like(values, low)
    folded = np.mod(values - low, 2 * span)
    return low + np.where(folded > span, 2 * span - folded, folded)


def minute_bars(path: DayPath) -> MinuteBars:
    return finish(minute_bars_steps(path))


def minute_bars_steps(path: DayPath) -> Steps[MinuteBars]:
    grid = path.last.reshape(MINUTES_PER_DAY, STEPS_PER_MINUTE).astype(np.int64)
    yield
    closing_volume = path.cum_volume[STEPS_PER_MINUTE - 1 :: STEPS_PER_MINUTE]
    return MinuteBars(
        open=grid[:, 0].copy(),
        high=grid.max(axis=1),
        low=grid.min(axis=1),
        close=grid[:, -1].copy(),
        volume=np.diff(closing_volume, prepend=np.int64(0)),
    )
