"""Daily OHLCV of one symbol: a seeded, mean-reverting walk on the log price, in ticks.

The walk starts at ``ANCHOR_DAY`` (a fixed Monday) and is computed forward in fixed chunks of
days, each chunk from its own seeded generator, so any day's values are a pure function of
(symbol, seed, day) whichever process asks and whenever it asks. The log distance to the
symbol's centre level is clamped to ±``MAX_LOG_DEVIATION``, which bounds every price of the
path (AAPL at 190 can never go below 190·e⁻¹ minus one day's range).
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field

import numpy as np

from app.market.catalogue import SymbolSpec

ANCHOR_DAY = 16_440  # Monday 2015-01-05
DRIFT_REFERENCE_DAY = 20_089  # 2025-01-01
CHUNK_DAYS = 512
MAX_LOG_DEVIATION = 1.0
RANGE_FACTOR = 0.5
MAX_SHOCK = 4.0
VOLUME_DISPERSION = 0.25
DAILY_STREAM = 0
INTRADAY_STREAM = 1


def symbol_key(name: str) -> int:
    """A stable integer for the symbol (``hash()`` is salted per process)."""
    return zlib.crc32(name.encode("utf-8"))


def generator(seed: int, name: str, stream: int, index: int) -> np.random.Generator:
    """An independent generator per (seed, symbol, stream, chunk or day): no shared state."""
    return np.random.default_rng([seed % 2**64, symbol_key(name), stream, index])


def daily_sigma(spec: SymbolSpec) -> float:
    return spec.volatility / math.sqrt(365.0)


def min_ticks(spec: SymbolSpec) -> int:
    """Lowest last price in ticks that keeps the bid at one tick or more."""
    return spec.spread_ticks + 1


@dataclass(slots=True)
class DailySeries:
    """Open/high/low/close (ticks) and volume per day, from ANCHOR_DAY on, grown on demand."""

    spec: SymbolSpec
    seed: int
    open: list[int] = field(default_factory=list)
    high: list[int] = field(default_factory=list)
    low: list[int] = field(default_factory=list)
    close: list[int] = field(default_factory=list)
    volume: list[int] = field(default_factory=list)
    _deviation: float = 0.0

    @property
    def end_day(self) -> int:
        """First day not computed yet."""
        return ANCHOR_DAY + len(self.close)

    def ensure(self, day: int) -> None:
        while day >= self.end_day:
            self._extend()

    def index(self, day: int) -> int:
        if day < ANCHOR_DAY:
            raise ValueError(f"day {day} is before the market's history (day {ANCHOR_DAY})")
        self.ensure(day)
        return day - ANCHOR_DAY

    def prev_close(self, day: int) -> int:
        i = self.index(day)
        return self.close[i - 1] if i > 0 else self.open[0]

    def _extend(self) -> None:
        spec = self.spec
        chunk = len(self.close) // CHUNK_DAYS
        rng = generator(self.seed, spec.name, DAILY_STREAM, chunk)
        shocks = np.clip(rng.standard_normal((CHUNK_DAYS, 4)), -MAX_SHOCK, MAX_SHOCK).tolist()
        sigma = daily_sigma(spec)
        keep = 1.0 - spec.mean_reversion
        tick = spec.tick_size
        floor = min_ticks(spec)
        log_base = math.log(spec.base_price)
        deviation = self._deviation
        previous = self.close[-1] if self.close else max(floor, round(spec.base_price / tick))
        first_day = self.end_day
        for i, (z_close, z_high, z_low, z_volume) in enumerate(shocks):
            day = first_day + i
            deviation = min(MAX_LOG_DEVIATION, max(-MAX_LOG_DEVIATION, deviation * keep + sigma * z_close))
            centre = log_base + spec.drift * (day - DRIFT_REFERENCE_DAY) / 365.0
            close = max(floor, round(math.exp(centre + deviation) / tick))
            top, bottom = max(previous, close), min(previous, close)
            high = top + round(abs(z_high) * RANGE_FACTOR * sigma * top)
            low = max(floor, bottom - round(abs(z_low) * RANGE_FACTOR * sigma * bottom))
            self.open.append(previous)
            self.high.append(high)
            self.low.append(low)
            self.close.append(close)
            self.volume.append(int(spec.base_volume * math.exp(VOLUME_DISPERSION * z_volume)))
            previous = close
        self._deviation = deviation
