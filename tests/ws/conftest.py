"""Small routes of our own that exercise the hub as the broker and datafeed routes do."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import marshmallow
import pytest
import uvloop
from aiohttp import web
from marshmallow import fields

from ws import Hub, Kind, Publisher, Route


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, Callable[[], asyncio.AbstractEventLoop]]:
    """Every socket test runs on both loops: transports differ (uvloop's are not
    ``asyncio.Transport`` subclasses and buffer differently), and production uses uvloop."""
    return {"asyncio": asyncio.new_event_loop, "uvloop": uvloop.new_event_loop}


class TicksRequest(marshmallow.Schema):
    symbol = fields.String(required=True)
    resolution = fields.String(required=True)


class QuotesRequest(marshmallow.Schema):
    symbols = fields.List(fields.String(), required=True)
    fast_symbols = fields.List(fields.String(), required=True)


class AccountRequest(marshmallow.Schema):
    accountId = fields.String(required=True)


@dataclass
class Ticker:
    """A counting producer: ``{"symbol", "n"}`` with n = 1, 2, ... every ``interval``."""

    interval: float = 0.01
    started: list[dict[str, Any]] = field(default_factory=list)
    stopped: list[dict[str, Any]] = field(default_factory=list)

    async def __call__(self, params: Mapping[str, Any], publish: Publisher) -> None:
        self.started.append(dict(params))
        try:
            n = 0
            while True:
                n += 1
                publish({"symbol": params["symbol"], "n": n})
                await asyncio.sleep(self.interval)
        finally:
            self.stopped.append(dict(params))

    @property
    def running(self) -> int:
        return len(self.started) - len(self.stopped)


@dataclass
class Book:
    """Broker-like state whose snapshot is one update per item."""

    items: list[dict[str, Any]] = field(default_factory=list)

    def snapshot(self, params: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
        return list(self.items)


def make_routes(ticker: Ticker, book: Book) -> list[Route]:
    return [
        Route("ticks", TicksRequest(), Kind.LATEST, producer=ticker,
              conflation_key=lambda payload: payload["symbol"]),
        Route("quotes", QuotesRequest(), Kind.LATEST, conflation_key=lambda payload: payload["symbol"]),
        Route("bars", TicksRequest(), Kind.LATEST, conflation_key=lambda payload: payload["time"]),
        Route("events", AccountRequest(), Kind.RELIABLE, snapshot=book.snapshot),
        Route("orders", AccountRequest(), Kind.RELIABLE),
    ]


def make_app(hub: Hub) -> web.Application:
    async def close_all(app: web.Application) -> None:
        await hub.close_all()

    app = web.Application()
    app.router.add_get("/ws", hub.handle)
    app.on_shutdown.append(close_all)
    return app


@pytest.fixture
def ticker() -> Ticker:
    return Ticker()


@pytest.fixture
def book() -> Book:
    return Book()


@pytest.fixture
def hub(ticker: Ticker, book: Book) -> Hub:
    return Hub(make_routes(ticker, book))
