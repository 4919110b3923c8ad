"""The tests' crossing oracle: the first instant a condition on the bid or ask holds.

The engine decides fills from ``Market.extremes`` and quotes; this scans the day paths step
by step instead, so a test can compare both ways of finding the same fill.
"""

from __future__ import annotations

import math

import numpy as np

from app.market import Market, SymbolSpec
from app.market.model import day_segments
from app.market.timegrid import DAY_MS, STEP_MS, STEPS_PER_DAY

_NO_BOUND = -(2**62)


def first_crossing(
    market: Market,
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

    Steps are examined as in ``Market.extremes``; the result is the step's open time, or t0
    when the price already in effect at t0 satisfies the condition.
    """
    spec = market.catalogue.get(symbol)
    bid_offset, ask_offset = market.spread_offsets(symbol)
    below = _NO_BOUND
    above = -_NO_BOUND
    if ask_at_or_below is not None:
        below = max(below, _ticks_at_or_below(spec, ask_at_or_below) - ask_offset)
    if bid_at_or_below is not None:
        below = max(below, _ticks_at_or_below(spec, bid_at_or_below) + bid_offset)
    if ask_at_or_above is not None:
        above = min(above, _ticks_at_or_above(spec, ask_at_or_above) - ask_offset)
    if bid_at_or_above is not None:
        above = min(above, _ticks_at_or_above(spec, bid_at_or_above) + bid_offset)
    for day, first, last in day_segments(t0, t1):
        if first == 0 and last == STEPS_PER_DAY - 1:
            low, high = market.day_low_high(symbol, day)
            if low > below and high < above:
                continue
        window = market.day_path(symbol, day).last[first : last + 1]
        hits = np.flatnonzero((window <= below) | (window >= above))
        if hits.size:
            return max(t0, day * DAY_MS + (first + int(hits[0])) * STEP_MS)
    return None


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
