from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.market import Catalogue, Market, Quote, default_catalogue

from .conftest import DAY, NOW, TODAY, YESTERDAY, SteppedClock

CATALOGUE = default_catalogue()
SHARED = Market(CATALOGUE, seed=7, clock=lambda: NOW)
SYMBOLS = [s.name for s in CATALOGUE.symbols]


def test_quote_defaults_to_now_floored_to_the_base_step(market: Market) -> None:
    quote = market.quote("AAPL")
    assert quote.time == NOW - NOW % 1000
    assert market.quote("AAPL", NOW - NOW % 1000) == quote


def test_the_same_seed_gives_the_same_quote_and_another_seed_another(catalogue: Catalogue) -> None:
    one = Market(catalogue, seed=7, clock=lambda: NOW).quote("MSFT")
    two = Market(catalogue, seed=7, clock=lambda: NOW + 10**9).quote("MSFT", NOW)
    other = Market(catalogue, seed=8, clock=lambda: NOW).quote("MSFT")
    assert one == two
    assert one.last != other.last


def test_symbols_have_their_own_paths(market: Market) -> None:
    relative = {
        name: market.quote(name).last / market.quote(name, YESTERDAY).last for name in ("AAPL", "GOOGL", "MSFT")
    }
    assert len(set(relative.values())) == 3


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SYMBOLS), st.integers(YESTERDAY, NOW))
def test_a_quote_is_on_tick_with_bid_below_ask_and_last_between(symbol: str, t: int) -> None:
    quote = SHARED.quote(symbol, t)
    spec = CATALOGUE.get(symbol)
    assert quote.bid < quote.ask
    assert quote.bid <= quote.last <= quote.ask
    assert quote.bid > 0
    assert spec.round_price(quote.ask - quote.bid) == spec.round_price(spec.spread_ticks * spec.tick_size)
    for price in (quote.bid, quote.ask, quote.last, quote.open, quote.high, quote.low, quote.prev_close):
        assert spec.is_on_tick(price)
        assert price == spec.round_price(price)
    assert quote.low <= quote.last <= quote.high
    assert quote.low <= quote.open <= quote.high


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SYMBOLS), st.integers(YESTERDAY, NOW))
def test_a_quote_lies_inside_the_one_minute_bar_containing_it(symbol: str, t: int) -> None:
    bar = SHARED.current_bar(symbol, "1", t)
    quote = SHARED.quote(symbol, t)
    assert bar.time <= quote.time < bar.time + 60_000
    assert bar.low <= quote.last <= bar.high
    assert bar.close == quote.last


def test_quote_day_statistics_are_the_current_daily_bar(market: Market) -> None:
    quote = market.quote("NVDA")
    day = market.current_bar("NVDA", "1D")
    assert (quote.open, quote.high, quote.low, quote.last, quote.volume) == (
        day.open, day.high, day.low, day.close, day.volume
    )
    assert quote.prev_close == market.bars("NVDA", "1D", YESTERDAY, YESTERDAY)[0].close


def test_change_is_against_the_previous_close() -> None:
    quote = Quote("X", 0, 9.99, 10.01, 10.0, 9.0, 10.5, 8.5, 8.0, 5)
    assert quote.change == 2.0
    assert quote.change_percent == 25.0
    assert quote.spread == pytest.approx(0.02)


def test_the_day_high_so_far_grows_with_the_path_on_a_stepped_clock(catalogue: Catalogue) -> None:
    clock = SteppedClock(TODAY)
    market = Market(catalogue, seed=7, clock=clock)
    seen: list[float] = []
    for _ in range(300):
        quote = market.quote("EURUSD")
        seen.append(quote.last)
        assert quote.high == max(seen)
        assert quote.low == min(seen)
        assert quote.open == seen[0]
        clock.advance(1000)


def test_quote_of_an_unknown_symbol_raises_key_error(market: Market) -> None:
    with pytest.raises(KeyError):
        market.quote("ZZZ")


def test_quote_before_the_markets_history_raises_value_error(market: Market) -> None:
    with pytest.raises(ValueError, match="before the market's history"):
        market.quote("AAPL", 0)


def test_warm_changes_no_answer(catalogue: Catalogue) -> None:
    warmed = Market(catalogue, seed=7, clock=lambda: NOW)
    warmed.warm()
    cold = Market(catalogue, seed=7, clock=lambda: NOW)
    assert [warmed.quote(n) for n in SYMBOLS] == [cold.quote(n) for n in SYMBOLS]


def test_a_quote_across_midnight_opens_the_new_day_at_the_previous_close(market: Market) -> None:
    before = market.quote("KO", TODAY - 1)
    after = market.quote("KO", TODAY)
    assert after.prev_close == before.last
    assert after.open == before.last
    assert after.volume < before.volume
    assert market.quote("KO", TODAY - DAY).open == market.quote("KO", TODAY - 1).open


def test_warming_tomorrow_changes_no_answer_either(catalogue: Catalogue) -> None:
    warmed = Market(catalogue, seed=7, clock=lambda: NOW)
    warmed.warm(NOW + DAY)
    assert warmed.quote("BTCUSD", NOW + DAY) == SHARED.quote("BTCUSD", NOW + DAY)
