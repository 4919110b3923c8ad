from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.market import Bar, Catalogue, Market, default_catalogue

from .conftest import DAY, NOW, TODAY, YESTERDAY, SteppedClock

CATALOGUE = default_catalogue()
SHARED = Market(CATALOGUE, seed=7, clock=lambda: NOW)
SYMBOLS = [s.name for s in CATALOGUE.symbols]
MONDAY = TODAY - DAY
LAST_MONDAY = MONDAY - 7 * DAY
FAR_FUTURE = NOW + 365 * DAY


def aggregate(bars: list[Bar]) -> tuple[float, float, float, float, int]:
    return (bars[0].open, max(b.high for b in bars), min(b.low for b in bars), bars[-1].close,
            sum(b.volume for b in bars))


def ohlcv(bar: Bar) -> tuple[float, float, float, float, int]:
    return (bar.open, bar.high, bar.low, bar.close, bar.volume)


@pytest.mark.parametrize("resolution", ["1", "5", "15", "60"])
def test_intraday_bars_of_a_closed_day_aggregate_exactly_to_its_daily_bar(resolution: str) -> None:
    per_day = 1440 // int(resolution)
    bars = SHARED.bars("GOOGL", resolution, YESTERDAY, TODAY - 1)
    (daily,) = SHARED.bars("GOOGL", "1D", YESTERDAY, YESTERDAY)
    assert len(bars) == per_day
    assert [b.time for b in bars] == [YESTERDAY + i * DAY // per_day for i in range(per_day)]
    assert aggregate(bars) == ohlcv(daily)


@pytest.mark.parametrize(("coarse", "fine"), [("5", "1"), ("15", "5"), ("60", "15"), ("60", "1"), ("1D", "60")])
def test_each_resolution_aggregates_the_finer_one_including_the_current_bar(coarse: str, fine: str) -> None:
    coarse_bars = SHARED.bars("AAPL", coarse, TODAY - 2 * DAY, NOW)
    for bar in coarse_bars[-30:]:
        length = DAY if coarse == "1D" else int(coarse) * 60_000
        parts = SHARED.bars("AAPL", fine, bar.time, bar.time + length - 1)
        assert aggregate(parts) == ohlcv(bar)


def test_the_current_daily_bar_is_the_aggregate_of_todays_five_minute_bars_so_far() -> None:
    fives = SHARED.bars("BTCUSD", "5", TODAY, NOW)
    assert len(fives) == 151  # 00:00 .. 12:30
    assert aggregate(fives) == ohlcv(SHARED.bars("BTCUSD", "1D", TODAY, NOW)[0])


def test_weekly_bars_aggregate_their_days_closed_and_current() -> None:
    (closed_week,) = SHARED.bars("MSFT", "1W", LAST_MONDAY, LAST_MONDAY)
    assert aggregate(SHARED.bars("MSFT", "1D", LAST_MONDAY, MONDAY - 1)) == ohlcv(closed_week)
    (this_week,) = SHARED.bars("MSFT", "1W", MONDAY, NOW)
    assert this_week.time == MONDAY
    assert aggregate(SHARED.bars("MSFT", "1D", MONDAY, NOW)) == ohlcv(this_week)


def test_d_and_w_are_aliases(market: Market) -> None:
    assert market.bars("AAPL", "D", 0, NOW, count_back=5) == market.bars("AAPL", "1D", 0, NOW, count_back=5)
    assert market.bars("AAPL", "W", 0, NOW, count_back=5) == market.bars("AAPL", "1W", 0, NOW, count_back=5)


def test_the_same_seed_gives_the_same_bars_at_any_later_time(catalogue: Catalogue) -> None:
    early = Market(catalogue, seed=11, clock=lambda: NOW)
    late = Market(catalogue, seed=11, clock=lambda: NOW + 3 * DAY)
    for resolution in ("1", "60", "1D"):
        assert early.bars("KO", resolution, 0, TODAY - 1, count_back=300) == late.bars(
            "KO", resolution, 0, TODAY - 1, count_back=300
        )
    other = Market(catalogue, seed=12, clock=lambda: NOW)
    assert other.bars("KO", "1D", 0, NOW, count_back=10) != early.bars("KO", "1D", 0, NOW, count_back=10)


def test_past_bars_are_stable_and_the_current_bar_grows(catalogue: Catalogue) -> None:
    clock = SteppedClock(TODAY + 10 * 60_000 + 5_000)
    market = Market(catalogue, seed=7, clock=clock)
    first = market.bars("TSLA", "5", TODAY, FAR_FUTURE)
    assert [b.time for b in first] == [TODAY, TODAY + 300_000, TODAY + 600_000]
    clock.advance(290_000)
    second = market.bars("TSLA", "5", TODAY, FAR_FUTURE)
    assert second[:2] == first[:2]
    assert second[2].time == first[2].time
    assert second[2].open == first[2].open
    assert second[2].high >= first[2].high and second[2].low <= first[2].low
    assert second[2].volume > first[2].volume
    clock.advance(10_000)
    third = market.bars("TSLA", "5", TODAY, FAR_FUTURE)
    assert third[:2] == first[:2]
    assert [b.time for b in third] == [TODAY, TODAY + 300_000, TODAY + 600_000, TODAY + 900_000]
    assert ohlcv(third[2]) == ohlcv(market.current_bar("TSLA", "5", TODAY + 900_000 - 1))


def test_the_current_bar_high_and_low_are_the_path_so_far(catalogue: Catalogue) -> None:
    clock = SteppedClock(TODAY + 3_600_000)
    market = Market(catalogue, seed=7, clock=clock)
    lasts: list[float] = []
    for _ in range(150):
        lasts.append(market.quote("EURUSD").last)
        bar = market.current_bar("EURUSD", "60")
        assert (bar.time, bar.open, bar.high, bar.low, bar.close) == (
            TODAY + 3_600_000, lasts[0], max(lasts), min(lasts), lasts[-1]
        )
        assert market.bars("EURUSD", "60", 0, FAR_FUTURE)[-1] == bar
        clock.advance(1000)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SYMBOLS), st.sampled_from(["1", "5", "15", "60", "1D", "1W"]),
       st.integers(TODAY - 2 * DAY, NOW))
def test_every_bar_satisfies_the_ohlc_invariants_on_tick(symbol: str, resolution: str, t: int) -> None:
    spec = CATALOGUE.get(symbol)
    for bar in (SHARED.current_bar(symbol, resolution, t), *SHARED.bars(symbol, resolution, 0, t, count_back=3)):
        assert bar.low <= min(bar.open, bar.close) <= max(bar.open, bar.close) <= bar.high
        assert bar.low > 0
        assert bar.volume >= 0
        for price in (bar.open, bar.high, bar.low, bar.close):
            assert price == spec.round_price(price)


def test_to_time_in_the_future_stops_at_now(market: Market) -> None:
    bars = market.bars("AAPL", "1", TODAY, FAR_FUTURE)
    assert bars[-1].time == NOW - NOW % 60_000
    assert bars[-1] == market.current_bar("AAPL", "1")


def test_from_and_to_are_inclusive_bar_open_times(market: Market) -> None:
    bars = market.bars("AAPL", "60", TODAY + 3_600_000, TODAY + 3 * 3_600_000)
    assert [b.time for b in bars] == [TODAY + 3_600_000, TODAY + 7_200_000, TODAY + 10_800_000]
    assert [b.time for b in market.bars("AAPL", "60", TODAY + 1, TODAY + 3_600_000)] == [TODAY + 3_600_000]


def test_count_back_keeps_the_last_bars_of_the_range(market: Market) -> None:
    all_of_it = market.bars("AAPL", "1D", TODAY - 30 * DAY, TODAY - 10 * DAY)
    assert len(all_of_it) == 21
    assert market.bars("AAPL", "1D", TODAY - 30 * DAY, TODAY - 10 * DAY, count_back=4) == all_of_it[-4:]
    assert market.bars("AAPL", "1D", TODAY - 30 * DAY, TODAY - 10 * DAY, count_back=0) == all_of_it
    assert market.bars("AAPL", "1D", TODAY - 30 * DAY, TODAY - 10 * DAY, count_back=100) == all_of_it


def test_count_back_spanning_days_of_intraday_bars(market: Market) -> None:
    bars = market.bars("AAPL", "15", 0, NOW, count_back=200)
    assert len(bars) == 200
    assert [b.time for b in bars] == [bars[0].time + i * 900_000 for i in range(200)]
    assert bars[-1].time == NOW - NOW % 900_000


def test_at_most_limit_bars_the_most_recent(market: Market) -> None:
    bars = market.bars("AAPL", "1", 0, NOW)
    assert len(bars) == 10_000
    assert bars[-1].time == NOW - NOW % 60_000
    assert market.bars("AAPL", "1D", 0, NOW, limit=3) == market.bars("AAPL", "1D", 0, NOW)[-3:]


def test_two_years_of_contiguous_daily_and_weekly_history(market: Market) -> None:
    daily = market.bars("AAPL", "1D", 0, NOW)
    assert daily[0].time == market.first_bar_time("AAPL", "1D")
    assert len(daily) >= 730
    assert [b.time for b in daily] == [daily[0].time + i * DAY for i in range(len(daily))]
    weekly = market.bars("AAPL", "1W", 0, NOW)
    assert weekly[0].time == daily[0].time
    assert [b.time for b in weekly] == [weekly[0].time + i * 7 * DAY for i in range(len(weekly))]
    assert weekly[-1].time == MONDAY


def test_intraday_history_reaches_back_sixty_days(market: Market) -> None:
    first = market.first_bar_time("AAPL", "60")
    assert first == TODAY - 60 * DAY
    assert market.bars("AAPL", "60", 0, first + 3_600_000)[0].time == first


def test_nothing_before_the_history_start_or_for_an_empty_range(market: Market) -> None:
    start = market.first_bar_time("AAPL", "1D")
    assert market.bars("AAPL", "1D", 0, start - 1) == []
    assert market.bars("AAPL", "1D", NOW, TODAY) == []
    assert market.bars("AAPL", "5", NOW + 1, FAR_FUTURE) == []


def test_no_data_helpers_point_at_the_closest_earlier_bar(market: Market) -> None:
    start = market.first_bar_time("AAPL", "1D")
    assert market.has_bar_at_or_before("AAPL", "1D", start)
    assert not market.has_bar_at_or_before("AAPL", "1D", start - 1)
    assert market.last_bar_time_before("AAPL", "1D", start) is None
    assert market.last_bar_time_before("AAPL", "1D", start + 1) == start
    assert market.last_bar_time_before("AAPL", "1D", FAR_FUTURE) == TODAY
    assert market.last_bar_time_before("AAPL", "60", TODAY) == TODAY - 3_600_000
    assert market.last_bar_time_before("AAPL", "1W", TODAY) == MONDAY


def test_an_unknown_resolution_raises_value_error(market: Market) -> None:
    with pytest.raises(ValueError, match="unsupported resolution '30'"):
        market.bars("AAPL", "30", 0, NOW)


def test_small_caches_give_the_same_answers(catalogue: Catalogue) -> None:
    small = Market(catalogue, seed=7, clock=lambda: NOW, path_cache_days=1, minute_cache_days=1)
    for _ in range(2):
        assert small.bars("JPM", "60", TODAY - 3 * DAY, NOW) == SHARED.bars("JPM", "60", TODAY - 3 * DAY, NOW)
        assert small.quote("JPM", YESTERDAY) == SHARED.quote("JPM", YESTERDAY)
        assert small.quote("JPM") == SHARED.quote("JPM")
