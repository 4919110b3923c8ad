"""The real app with the broker alone on a market whose clock the test controls."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from app.market import Market, default_catalogue
from tests.clock import NOW, SteppedClock
from tests.conftest import ClientFactory


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock(NOW)


@pytest.fixture
def stepped_market(clock: SteppedClock) -> Market:
    return Market(default_catalogue(), seed=0, clock=clock)


@pytest.fixture
def make_broker(make_client: ClientFactory, stepped_market: Market) -> ClientFactory:
    """No background matching: fills happen through /debug/execute-orders or a ``Step`` command,
    deterministically; order ids start at ORDER-1."""
    async def factory(on: Market | None = None, **overrides: Any) -> TestClient[web.Request, web.Application]:
        settings = {"modules": ("broker",), "background_tasks": False, "first_order_seq": 1, **overrides}
        return await make_client(on=on or stepped_market, **settings)

    return factory


@pytest.fixture
async def broker(make_broker: ClientFactory) -> TestClient[web.Request, web.Application]:
    return await make_broker()
