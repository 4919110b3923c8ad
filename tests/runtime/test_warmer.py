"""Before midnight the next UTC day's paths are prepared on the worker, not by the first quote."""

from __future__ import annotations

from typing import Any

import numpy as np

from app.factory import create_app
from app.keys import MARKET
from app.market import Market, default_catalogue
from app.market.timegrid import DAY_MS
from app.settings import Settings
from tests.waiting import wait_until

MIDNIGHT = 1_795_564_800_000  # Wednesday 2026-11-25 00:00 UTC
TOMORROW = MIDNIGHT // DAY_MS


async def test_three_minutes_before_midnight_every_symbols_next_day_is_built(aiohttp_client: Any) -> None:
    market = Market(default_catalogue(), seed=4, clock=lambda: MIDNIGHT - 180_000)
    assert not any(market.has_day_path(name, TOMORROW) for name in market.symbols)
    client = await aiohttp_client(create_app(Settings(modules=("datafeed",)), market=market))
    assert client.app[MARKET] is market
    await wait_until(lambda: all(market.has_day_path(name, TOMORROW) for name in market.symbols), timeout=30,
                     what="tomorrow's paths")
    fresh = Market(default_catalogue(), seed=4, clock=lambda: MIDNIGHT)
    assert np.array_equal(market.day_path("AAPL", TOMORROW).last, fresh.day_path("AAPL", TOMORROW).last)
    assert market.quote("AAPL", MIDNIGHT) == fresh.quote("AAPL", MIDNIGHT)


async def test_well_before_midnight_nothing_is_built_ahead(aiohttp_client: Any) -> None:
    market = Market(default_catalogue(), seed=4, clock=lambda: MIDNIGHT - 3_600_000)
    await aiohttp_client(create_app(Settings(modules=("datafeed",)), market=market))
    await wait_until(lambda: True)
    assert not any(market.has_day_path(name, TOMORROW) for name in market.symbols)
