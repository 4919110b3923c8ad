"""The real broker app over a real store, on a market whose clock the test moves."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from app.broker.api.durable import DurableAccount
from app.broker.api.matching import MatchingLoop
from app.factory import create_app
from app.keys import BROKER_ACCOUNT, MATCHING, MODULE_APPS
from app.market import Market
from app.settings import Settings

BROKER = "/api/v1/broker"
Client = TestClient[web.Request, web.Application]


async def start(url: str, market: Market, **settings: Any) -> Client:
    """A started server (the store opened and the account loaded); ``await client.close()`` stops
    it the way a shutdown does. Tests start them through the ``launch`` fixture, which closes
    whatever is still running at the end."""
    options: dict[str, Any] = {"modules": ("broker",), "background_tasks": False, "first_order_seq": 1,
                               "store_url": url, **settings}
    client: Client = TestClient(TestServer(create_app(Settings(**options), market=market)))
    await client.start_server()
    return client


def broker_app(client: Client) -> web.Application:
    return client.app[MODULE_APPS]["broker"]


def account(client: Client) -> DurableAccount:
    return broker_app(client)[BROKER_ACCOUNT]


def matching(client: Client) -> MatchingLoop:
    return broker_app(client)[MATCHING]


async def post(client: Client, path: str, body: object = None, status: int = 200) -> Any:
    response = await client.post(BROKER + path, json=body)
    assert response.status == status, await response.text()
    return await response.json()


async def put(client: Client, path: str, body: object, status: int = 200) -> Any:
    response = await client.put(BROKER + path, json=body)
    assert response.status == status, await response.text()
    return await response.json()


async def get_bytes(client: Client, path: str) -> bytes:
    response = await client.get(BROKER + path)
    assert response.status == 200, await response.text()
    return await response.read()


def limit(side: int, price: float, qty: float = 1.0, symbol: str = "AAPL", **extra: Any) -> dict[str, Any]:
    return {"symbol": symbol, "type": 1, "side": side, "qty": qty, "limitPrice": price, **extra}


def market_order(side: int, qty: float = 1.0, symbol: str = "AAPL", **extra: Any) -> dict[str, Any]:
    return {"symbol": symbol, "type": 2, "side": side, "qty": qty, **extra}
