"""CORS (CONTRACT §1.4 as hardened by issue 15) and the Origin rule for WebSocket handshakes."""

from __future__ import annotations

import aiohttp
import pytest

from tests.conftest import ClientFactory

BROKER_WS = "/api/v1/broker/ws"


async def test_preflight_with_any_origin_allows_every_origin_without_credentials(
        make_client: ClientFactory) -> None:
    client = await make_client()
    response = await client.options(
        "/api/v1/broker/orders",
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,authorization",
        },
    )
    assert response.status == 200
    assert await response.text() == "OK"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"] == "content-type,authorization"
    assert response.headers["Access-Control-Max-Age"] == "600"
    assert "Access-Control-Allow-Credentials" not in response.headers


async def test_simple_request_with_any_origin_answers_star_without_credentials(make_client: ClientFactory) -> None:
    client = await make_client()
    response = await client.get("/api/v1/broker/health", headers={"Origin": "http://example.test"})
    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers


async def test_errors_carry_cors_headers_too(make_client: ClientFactory) -> None:
    client = await make_client()
    response = await client.get("/nope", headers={"Origin": "http://example.test"})
    assert response.status == 404
    assert response.headers["Access-Control-Allow-Origin"] == "*"


async def test_request_without_origin_gets_no_cors_headers(make_client: ClientFactory) -> None:
    client = await make_client()
    response = await client.get("/api/v1/broker/health")
    assert "Access-Control-Allow-Origin" not in response.headers


async def test_configured_origins_are_echoed_only_for_themselves(make_client: ClientFactory) -> None:
    client = await make_client(cors_origins=("http://good.test",))
    good = await client.get("/api/v1/broker/health", headers={"Origin": "http://good.test"})
    assert good.headers["Access-Control-Allow-Origin"] == "http://good.test"
    assert good.headers["Vary"] == "Origin"
    assert "Access-Control-Allow-Credentials" not in good.headers
    bad = await client.get("/api/v1/broker/health", headers={"Origin": "http://evil.test"})
    assert "Access-Control-Allow-Origin" not in bad.headers
    preflight = await client.options(
        "/api/v1/broker/health", headers={"Origin": "http://evil.test", "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status == 400


async def _handshake(client: object, origin: str | None) -> int:
    """The handshake's status: 101 when upgraded (the socket is closed again at once)."""
    headers = {} if origin is None else {"Origin": origin}
    try:
        ws = await client.ws_connect(BROKER_WS, headers=headers)  # type: ignore[attr-defined]
    except aiohttp.WSServerHandshakeError as exc:
        return exc.status
    await ws.close()
    return 101


def _own(client: object) -> str:
    return f"http://{client.host}:{client.port}"  # type: ignore[attr-defined]


async def test_handshakes_without_origin_are_unaffected(make_client: ClientFactory) -> None:
    client = await make_client(cors_origins=("http://good.test",))
    assert await _handshake(client, None) == 101


async def test_listed_origins_and_the_own_origin_may_open_sockets(make_client: ClientFactory) -> None:
    client = await make_client(cors_origins=("http://good.test",))
    assert await _handshake(client, "http://good.test") == 101
    assert await _handshake(client, _own(client)) == 101
    assert await _handshake(client, "http://evil.test") == 403


async def test_a_refused_handshake_says_why_in_json(make_client: ClientFactory) -> None:
    client = await make_client(cors_origins=("http://good.test",))
    response = await client.get(BROKER_WS, headers={
        "Origin": "http://evil.test", "Upgrade": "websocket", "Connection": "Upgrade",
        "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})
    assert response.status == 403
    assert (await response.json())["detail"].startswith("Forbidden: WebSocket handshakes from this origin")


@pytest.mark.parametrize("origin", ["http://evil.test", "null"])
async def test_any_origin_in_off_mode_admits_every_site(make_client: ClientFactory, origin: str) -> None:
    client = await make_client()
    assert await _handshake(client, origin) == 101
