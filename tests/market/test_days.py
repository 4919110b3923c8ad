"""The day caches: sized for the whole intraday window, and fed by work built anywhere."""

from __future__ import annotations

import numpy as np

from app.market import Catalogue, Market
from app.market.daypath import minute_bars
from app.market.steps import finish
from app.market.timegrid import day_of

from .conftest import NOW


def test_the_minute_cache_holds_the_intraday_window_of_every_symbol(catalogue: Catalogue) -> None:
    market = Market(catalogue, seed=2, clock=lambda: NOW, intraday_days=3)
    for name in market.symbols:
        market.bars(name, "1", 0, NOW, limit=10_000)
    today = day_of(NOW)
    assert all(market.has_minutes(name, day) for name in market.symbols for day in range(today - 3, today + 1))


def test_offered_work_gives_what_the_market_would_build_itself(catalogue: Catalogue) -> None:
    built = Market(catalogue, seed=2, clock=lambda: NOW)
    offered = Market(catalogue, seed=2, clock=lambda: NOW)
    day = day_of(NOW) - 5
    # 12:34 UTC: today has 51 fifteen-minute bars, so the last 96 reach into yesterday
    assert offered.intraday_days_needed("MSFT", "15", 0, NOW, limit=96) == [day + 5, day + 4]
    path = finish(offered.day_path_work("MSFT", day))
    offered.install_day_path("MSFT", day, path)
    assert offered.has_day_path("MSFT", day)
    assert np.array_equal(path.last, built.day_path("MSFT", day).last)
    minutes = finish(offered.minutes_work("MSFT", day))
    assert np.array_equal(minutes.close, minute_bars(path).close)
    offered.install_minutes("MSFT", day, minutes)
    assert offered.has_minutes("MSFT", day)
    assert offered.bars("MSFT", "15", day * 86_400_000, NOW) == built.bars("MSFT", "15", day * 86_400_000, NOW)
