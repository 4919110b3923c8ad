"""Shared fixtures: the real application, built by the real factory, on an in-process server."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from aiohttp import web

from app.factory import build_market, create_app
from app.market.model import Market
from app.settings import Settings

ClientFactory = Callable[..., Awaitable[TestClient[web.Request, web.Application]]]


@pytest.fixture(scope="session")
def market() -> Market:
    """One warmed market for the whole run: it is a pure function of time, so sharing is safe."""
    m = build_market(Settings())
    m.warm()
    return m


@pytest.fixture
def make_client(aiohttp_client: Any, market: Market) -> ClientFactory:
    async def factory(**overrides: Any) -> TestClient[web.Request, web.Application]:
        settings = Settings().with_overrides(**overrides)
        client: TestClient[web.Request, web.Application] = await aiohttp_client(
            create_app(settings, market=market)
        )
        return client

    return factory


@pytest.fixture
async def client(make_client: ClientFactory) -> TestClient[web.Request, web.Application]:
    return await make_client()
