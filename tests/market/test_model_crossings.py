from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.market import Catalogue, Extremes, Market, Quote, default_catalogue

from .conftest import DAY, NOW, TODAY, YESTERDAY
from .crossings import first_crossing

CATALOGUE = default_catalogue()
SHARED = Market(CATALOGUE, seed=7, clock=lambda: NOW)
HOUR = 3_600_000


def quotes_between(market: Market, symbol: str, t0: int, t1: int) -> list[Quote]:
    return [market.quote(symbol, t) for t in range(t0 - t0 % 1000, t1 + 1, 1000)]


def test_extremes_over_an_hour_are_the_hourly_bar_shifted_to_bid_and_ask() -> None:
    spec = CATALOGUE.get("MSFT")  # spread 3 ticks: bid = last - 1 tick, ask = last + 2 ticks
    (bar,) = SHARED.bars("MSFT", "60", TODAY + 5 * HOUR, TODAY + 5 * HOUR)
    tick = spec.tick_size
    assert SHARED.extremes("MSFT", TODAY + 5 * HOUR, TODAY + 6 * HOUR - 1) == Extremes(
        bid_low=spec.round_price(bar.low - tick),
        bid_high=spec.round_price(bar.high - tick),
        ask_low=spec.round_price(bar.low + 2 * tick),
        ask_high=spec.round_price(bar.high + 2 * tick),
    )


def test_extremes_over_several_days_agree_with_the_daily_bars() -> None:
    spec = CATALOGUE.get("AAPL")
    days = SHARED.bars("AAPL", "1D", TODAY - 5 * DAY, NOW)
    extremes = SHARED.extremes("AAPL", TODAY - 5 * DAY + 7 * HOUR, NOW)
    partial_first = SHARED.bars("AAPL", "60", TODAY - 5 * DAY + 7 * HOUR, TODAY - 4 * DAY - 1)
    bars = partial_first + days[1:]
    assert extremes.bid_low == spec.round_price(min(b.low for b in bars) - spec.tick_size)
    assert extremes.ask_high == spec.round_price(max(b.high for b in bars) + spec.tick_size)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["AAPL", "EURUSD", "BTCUSD"]), st.integers(YESTERDAY, NOW - 1), st.integers(0, 120_000))
def test_extremes_are_the_extremes_of_the_quotes_in_the_window(symbol: str, t0: int, length: int) -> None:
    t1 = t0 + length
    quotes = quotes_between(SHARED, symbol, t0, t1)
    assert SHARED.extremes(symbol, t0, t1) == Extremes(
        bid_low=min(q.bid for q in quotes),
        bid_high=max(q.bid for q in quotes),
        ask_low=min(q.ask for q in quotes),
        ask_high=max(q.ask for q in quotes),
    )


def test_a_window_shorter_than_a_step_yields_the_price_in_effect() -> None:
    quote = SHARED.quote("KO", NOW)
    assert SHARED.extremes("KO", NOW - 200, NOW) == Extremes(quote.bid, quote.bid, quote.ask, quote.ask)


def test_extremes_need_an_ordered_window() -> None:
    with pytest.raises(ValueError):
        SHARED.extremes("KO", NOW, NOW - 1)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["AAPL", "EURUSD", "BTCUSD"]), st.integers(YESTERDAY, NOW - 1), st.integers(0, 60_000),
       st.integers(-3, 3), st.sampled_from(["ask_at_or_below", "bid_at_or_above", "ask_at_or_above",
                                            "bid_at_or_below"]))
def test_first_crossing_is_the_first_quote_meeting_the_condition(
    symbol: str, t0: int, length: int, ticks_away: int, condition: str
) -> None:
    spec = CATALOGUE.get(symbol)
    t1 = t0 + length
    quotes = quotes_between(SHARED, symbol, t0, t1)
    side = "ask" if condition.startswith("ask") else "bid"
    level = spec.round_price(getattr(quotes[len(quotes) // 2], side) + ticks_away * spec.tick_size)
    below = condition.endswith("below")
    hits = [q for q in quotes if (getattr(q, side) <= level if below else getattr(q, side) >= level)]
    expected = max(t0, hits[0].time) if hits else None
    assert first_crossing(SHARED, symbol, t0, t1, **{condition: level}) == expected


def test_first_crossing_with_several_conditions_takes_the_first_of_any() -> None:
    quotes = quotes_between(SHARED, "AAPL", TODAY, TODAY + HOUR)
    low = min(q.ask for q in quotes)
    high = max(q.bid for q in quotes)
    first_low = next(q.time for q in quotes if q.ask <= low)
    first_high = next(q.time for q in quotes if q.bid >= high)
    assert first_crossing(SHARED, "AAPL", TODAY, TODAY + HOUR, ask_at_or_below=low, bid_at_or_above=high) == min(
        first_low, first_high
    )


def test_aapl_never_offers_at_1_5_in_its_whole_history_and_next_year(catalogue: Catalogue) -> None:
    market = Market(catalogue, seed=0, clock=lambda: NOW)
    start = market.first_bar_time("AAPL", "1D")
    assert first_crossing(market, "AAPL", start, NOW + 365 * DAY, ask_at_or_below=1.5) is None
    assert market.extremes("AAPL", start, NOW + 365 * DAY).ask_low > 100.0


def test_a_resting_order_fill_time_can_be_predicted(catalogue: Catalogue) -> None:
    market = Market(catalogue, seed=0, clock=lambda: NOW)
    start = market.quote("GOOGL", NOW)
    limit = CATALOGUE.get("GOOGL").round_price(start.ask - 0.5)
    when = first_crossing(market, "GOOGL", NOW, NOW + 2 * DAY, ask_at_or_below=limit)
    assert when is not None
    assert market.quote("GOOGL", when).ask <= limit
    assert market.quote("GOOGL", when - 1000).ask > limit
    assert market.extremes("GOOGL", NOW, when - 1000).ask_low > limit
