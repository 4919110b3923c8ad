"""Each store test runs against every durable back end: a SQLite file and a real PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from app.market import Market, default_catalogue
from tests.broker.conftest import NOW, SteppedClock
from app.store import Store, open_store
from tests.store.apps import Client, start

Launch = Callable[..., Awaitable[Client]]


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state' / 'broker.sqlite3'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
async def store(store_url: str) -> AsyncIterator[Store]:
    opened = open_store(store_url)
    await opened.open()
    yield opened
    await opened.close()


@pytest.fixture
async def launch() -> AsyncIterator[Launch]:
    started: list[Client] = []

    async def launch(url: str, market: Market, **settings: Any) -> Client:
        client = await start(url, market, **settings)
        started.append(client)
        return client

    yield launch
    for client in reversed(started):
        await client.close()


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock(NOW)


@pytest.fixture
def market(clock: SteppedClock) -> Market:
    """The real market on a clock the test moves."""
    return Market(default_catalogue(), seed=0, clock=clock)
