"""A scripted price source for the engine's unit tests (a double of app.broker.domain.prices.PriceSource).

Each symbol has a step path of (time, bid, ask) points; the quote at t is the last point at or
before t. ``extremes(t0, t1)`` covers every price in effect at some instant of (t0, t1], i.e.
the one in force at t0 and every point in (t0, t1] (as the real Market does).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from app.market.model import Extremes
from app.market.model import Top as Quote


class FeedDown(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class Spec:
    name: str
    pricescale: int = 100
    minmov: int = 1

    @property
    def tick_size(self) -> float:
        return self.minmov / self.pricescale

    def round_price(self, price: float) -> float:
        return round(price * self.pricescale / self.minmov) * self.minmov / self.pricescale

    def is_on_tick(self, price: float) -> bool:
        ticks = price * self.pricescale / self.minmov
        return abs(ticks - round(ticks)) <= 1e-6

    def tick_price(self, price: float) -> float | None:
        return self.round_price(price) if self.is_on_tick(price) else None


@dataclass(frozen=True, slots=True)
class Catalogue:
    specs: tuple[Spec, ...]

    def resolve(self, text: str) -> Spec | None:
        for spec in self.specs:
            if spec.name.lower() == text.lower():
                return spec
        return None


@dataclass(slots=True)
class ScriptedMarket:
    t: int = 1_000_000
    catalogue: Catalogue = field(default_factory=lambda: Catalogue(
        (Spec("AAPL"), Spec("MSFT"), Spec("EURUSD", pricescale=100000), Spec("BTC", 2, 1))))
    paths: dict[str, tuple[list[int], list[Quote]]] = field(default_factory=dict)
    quote_calls: int = 0
    extremes_calls: int = 0
    fail_on_call: int | None = None
    """The quote call with this number (counting from 1) raises FeedDown: a broken market."""

    def now(self) -> int:
        return self.t

    def set(self, symbol: str, bid: float, ask: float, at: int | None = None) -> None:
        """The price from ``at`` (default: now) on; later points must come later."""
        times, quotes = self.paths.setdefault(symbol, ([], []))
        when = self.t if at is None else at
        if times and when < times[-1]:
            raise ValueError("points must be appended in time order")
        if times and when == times[-1]:
            quotes[-1] = Quote(bid, ask)
        else:
            times.append(when)
            quotes.append(Quote(bid, ask))

    def advance(self, ms: int) -> int:
        self.t += ms
        return self.t

    def quote(self, symbol: str, t: int | None = None) -> Quote:
        self.quote_calls += 1
        if self.quote_calls == self.fail_on_call:
            raise FeedDown(f"no quote for {symbol}")
        times, quotes = self.paths[symbol]
        i = bisect.bisect_right(times, self.t if t is None else t) - 1
        return quotes[max(i, 0)]

    def top(self, symbol: str, t: int | None = None) -> Quote:
        return self.quote(symbol, t)

    def extremes(self, symbol: str, t0: int, t1: int) -> Extremes:
        self.extremes_calls += 1
        times, quotes = self.paths[symbol]
        lo = max(bisect.bisect_right(times, t0) - 1, 0)
        hi = bisect.bisect_right(times, t1)
        seen = quotes[lo:hi] or [quotes[lo]]
        return Extremes(min(q.bid for q in seen), max(q.bid for q in seen),
                        min(q.ask for q in seen), max(q.ask for q in seen))
