"""The committed Python client of this checkout (clients/python), against the real app on a real port.

The client package is put first on ``sys.path`` here rather than relying on an installed copy, so
a test always exercises the files this checkout generated (``make install`` also installs it
editable for bots and notebooks).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from app.market import Market, default_catalogue
from tests.clock import NOW, SteppedClock
from tests.conftest import ClientFactory

CLIENT_ROOT = Path(__file__).resolve().parents[2] / "clients" / "python"
if str(CLIENT_ROOT) not in sys.path:
    sys.path.insert(0, str(CLIENT_ROOT))

App = TestClient[web.Request, web.Application]


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock(NOW)


@pytest.fixture
def stepped_market(clock: SteppedClock) -> Market:
    return Market(default_catalogue(), seed=0, clock=clock)


@pytest.fixture
def make_app(make_client: ClientFactory, stepped_market: Market) -> ClientFactory:
    """Both modules on the test's clock, no background matching, order ids from ORDER-1: two apps
    built by it answer the same sequence of requests with the same bytes."""

    async def factory(on: Market | None = None, **overrides: Any) -> App:
        settings = {"background_tasks": False, "first_order_seq": 1, **overrides}
        return await make_client(on=on or stepped_market, **settings)

    return factory


def base_url(app: App) -> str:
    """``http://127.0.0.1:PORT`` of the test server (a real TCP port, so httpx can reach it)."""
    return str(app.make_url("")).rstrip("/")
