"""The edge (app/http/edge.py) runs around the application's handler, or, with TRUSTED_PROXIES,
as a middleware after the forwarded headers' one: the same requests get the same answers and
the same HTTP series either way."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from app.keys import EXACT_ROUTES, METRICS
from tests.conftest import ClientFactory

Client = TestClient[web.Request, web.Application]
ORIGINS = ("http://localhost:5173",)

PROBES: list[tuple[str, str, dict[str, str], bytes | None]] = [
    ("POST", "/api/v1/broker/orders", {"X-Request-ID": "probe-1"},
     b'{"symbol":"AAPL","type":1,"side":1,"qty":1,"limitPrice":1.5}'),
    ("POST", "/api/v1/broker/orders", {}, b'{"symbol":"AAPL","type":1,"side":1,"qty":-1}'),
    ("GET", "/api/v1/broker/nowhere", {}, None),
    ("GET", "/api/v1/broker/orders/", {}, None),
    ("DELETE", "/api/v1/broker/health", {}, None),
    ("OPTIONS", "/api/v1/broker/orders",
     {"Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST"}, None),
    ("GET", "/api/v1/broker/ws",
     {"Origin": "http://evil.example", "Upgrade": "websocket", "Connection": "Upgrade",
      "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}, None),
]


async def answers(client: Client) -> list[tuple[int, str, dict[str, str]]]:
    seen = []
    for method, path, headers, body in PROBES:
        response = await client.request(method, path, headers=headers, data=body, allow_redirects=False)
        text = await response.text()
        names = ("Content-Type", "Location", "Allow", "Access-Control-Allow-Origin")
        kept = {k: response.headers[k] for k in names if k in response.headers}
        if "Location" in kept:
            kept["Location"] = kept["Location"].replace(f"{client.host}:{client.port}", "HOST")
        assert response.headers.get("X-Request-ID"), (method, path)
        if headers.get("X-Request-ID"):
            kept["X-Request-ID"] = response.headers["X-Request-ID"]
        seen.append((response.status, text.replace("ORDER-", "ORDER-#"), kept))
    return seen


def series(client: Client) -> dict[tuple[str, ...], int]:
    http: Any = client.app[METRICS].http
    return {cell.labels: cell.requests for cell in http._by_labels.values()}


@pytest.mark.parametrize("proxies", [None, "10.9.9.9"], ids=["around-the-handler", "middleware"])
async def test_both_placements_answer_alike(make_client: ClientFactory, proxies: str | None) -> None:
    overrides: dict[str, Any] = {"first_order_seq": 1, "cors_origins": ORIGINS}
    if proxies is not None:
        overrides["trusted_proxies"] = proxies
    client = await make_client(**overrides)
    assert (not client.app.middlewares) is (proxies is None)  # around aiohttp's own handler
    assert (EXACT_ROUTES in client.app) is (proxies is None)
    seen = await answers(client)
    assert [s[0] for s in seen] == [200, 422, 404, 307, 405, 200, 403]
    assert seen[0][1] == '{"orderId":"ORDER-#1"}' and seen[0][2]["X-Request-ID"] == "probe-1"
    assert seen[2][1] == '{"detail":"Not Found"}' and seen[3][2]["Location"] == "http://HOST/api/v1/broker/orders"
    assert seen[4][2]["Allow"] == "GET" and seen[5][2]["Access-Control-Allow-Origin"] == ORIGINS[0]
    counts = series(client)
    assert counts[("broker", "/api/v1/broker/orders", "POST", "200")] == 1
    assert counts[("broker", "/api/v1/broker/orders", "POST", "422")] == 1
    assert counts[("broker", "/api/v1/broker/ws", "GET", "403")] == 1


async def test_the_two_placements_give_identical_answers_and_series(make_client: ClientFactory) -> None:
    around = await make_client(first_order_seq=1, cors_origins=ORIGINS)
    middleware = await make_client(first_order_seq=1, cors_origins=ORIGINS, trusted_proxies="10.9.9.9")
    assert await answers(around) == await answers(middleware)
    assert series(around) == series(middleware)
