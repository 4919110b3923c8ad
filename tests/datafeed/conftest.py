"""The real app on a market whose clock the test controls."""

from __future__ import annotations

from typing import Any

import pytest

from app.factory import create_app
from app.market import Market, default_catalogue
from app.settings import Settings

# Tuesday 2026-11-24 12:34:56.789 UTC
NOW = 1_795_523_696_789
DAY = 86_400_000
TODAY = NOW - NOW % DAY


class SteppedClock:
    def __init__(self, start: int) -> None:
        self.t = start

    def __call__(self) -> int:
        return self.t


@pytest.fixture(scope="session")
def fixed_market() -> Market:
    market = Market(default_catalogue(), seed=0, clock=lambda: NOW)
    market.warm()
    return market


@pytest.fixture
async def feed_client(aiohttp_client: Any, fixed_market: Market) -> Any:
    return await aiohttp_client(create_app(Settings(modules=("datafeed",)), market=fixed_market))
