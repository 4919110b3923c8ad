from __future__ import annotations

import dataclasses

from app.market import Catalogue
from app.market.daily import ANCHOR_DAY, CHUNK_DAYS, DailySeries

THIRTY_YEARS = 30 * 366


def test_the_same_seed_gives_the_same_days_whatever_the_order_of_growth(catalogue: Catalogue) -> None:
    spec = catalogue.get("MSFT")
    grown_at_once = DailySeries(spec, seed=3)
    grown_at_once.ensure(ANCHOR_DAY + 3 * CHUNK_DAYS)
    grown_slowly = DailySeries(spec, seed=3)
    for day in range(ANCHOR_DAY, ANCHOR_DAY + 3 * CHUNK_DAYS + 1, 97):
        grown_slowly.ensure(day)
    grown_slowly.ensure(ANCHOR_DAY + 3 * CHUNK_DAYS)
    assert grown_slowly.close == grown_at_once.close
    assert grown_slowly.volume == grown_at_once.volume


def test_different_seeds_and_symbols_give_different_walks(catalogue: Catalogue) -> None:
    a = DailySeries(catalogue.get("AAPL"), seed=1)
    b = DailySeries(catalogue.get("AAPL"), seed=2)
    c = DailySeries(catalogue.get("GOOGL"), seed=1)
    for series in (a, b, c):
        series.ensure(ANCHOR_DAY + 100)
    assert a.close[:100] != b.close[:100]
    assert [x / a.close[0] for x in a.close[:100]] != [x / c.close[0] for x in c.close[:100]]


def test_days_open_at_the_previous_close_and_respect_ohlc_order(catalogue: Catalogue) -> None:
    series = DailySeries(catalogue.get("BTCUSD"), seed=0)
    series.ensure(ANCHOR_DAY + 2 * CHUNK_DAYS)
    for i in range(1, len(series.close)):
        assert series.open[i] == series.close[i - 1]
        assert series.low[i] <= min(series.open[i], series.close[i])
        assert series.high[i] >= max(series.open[i], series.close[i])
        assert series.volume[i] >= 0


def test_aapl_stays_far_above_1_5_for_thirty_years(catalogue: Catalogue) -> None:
    series = DailySeries(catalogue.get("AAPL"), seed=0)
    series.ensure(ANCHOR_DAY + THIRTY_YEARS)
    assert min(series.low) > 100 * 100  # ticks: 100.00


def test_the_log_clamp_bounds_even_a_wildly_volatile_aapl(catalogue: Catalogue) -> None:
    wild = dataclasses.replace(catalogue.get("AAPL"), volatility=5.0, mean_reversion=0.001)
    for seed in range(3):
        series = DailySeries(wild, seed=seed)
        series.ensure(ANCHOR_DAY + THIRTY_YEARS)
        assert min(series.low) > 1_000  # ticks: 10.00


def test_negative_and_large_seeds_are_accepted_and_distinct(catalogue: Catalogue) -> None:
    closes = []
    for seed in (-1, 2**64 - 1, 2**40, 0):
        series = DailySeries(catalogue.get("KO"), seed=seed)
        series.ensure(ANCHOR_DAY + 50)
        closes.append(tuple(series.close[:50]))
    assert closes[0] == closes[1]  # seeds are taken modulo 2**64
    assert len(set(closes[1:])) == 3
