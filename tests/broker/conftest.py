"""The real app with the broker on a market whose clock the test controls."""

from __future__ import annotations

from typing import Any

import pytest

from app.factory import create_app
from app.market import Market, default_catalogue
from app.settings import Settings
from tests.clock import NOW, SteppedClock


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock(NOW)


@pytest.fixture
def stepped_market(clock: SteppedClock) -> Market:
    return Market(default_catalogue(), seed=0, clock=clock)


@pytest.fixture
async def broker(aiohttp_client: Any, stepped_market: Market) -> Any:
    """No background matching: fills happen through /debug/execute-orders, deterministically."""
    settings = Settings(modules=("broker",), background_tasks=False)
    return await aiohttp_client(create_app(settings, market=stepped_market))
