"""CORS with the original's behaviour (CONTRACT §1.4), allowed origins configurable."""

from __future__ import annotations

from tests.conftest import ClientFactory


async def test_preflight_allows_the_requested_method_and_headers(make_client: ClientFactory) -> None:
    client = await make_client()
    response = await client.options(
        "/api/v1/broker/orders",
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-custom",
        },
    )
    assert response.status == 200
    assert await response.text() == "OK"
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"] == "content-type,x-custom"
    assert response.headers["Access-Control-Max-Age"] == "600"
    assert response.headers["Access-Control-Allow-Credentials"] == "true"


async def test_simple_request_echoes_the_origin_with_credentials(make_client: ClientFactory) -> None:
    client = await make_client()
    response = await client.get("/api/v1/broker/health", headers={"Origin": "http://example.test"})
    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == "http://example.test"
    assert response.headers["Access-Control-Allow-Credentials"] == "true"


async def test_errors_carry_cors_headers_too(make_client: ClientFactory) -> None:
    client = await make_client()
    response = await client.get("/nope", headers={"Origin": "http://example.test"})
    assert response.status == 404
    assert response.headers["Access-Control-Allow-Origin"] == "http://example.test"


async def test_request_without_origin_gets_no_cors_headers(make_client: ClientFactory) -> None:
    client = await make_client()
    response = await client.get("/api/v1/broker/health")
    assert "Access-Control-Allow-Origin" not in response.headers


async def test_configured_origins_refuse_others(make_client: ClientFactory) -> None:
    client = await make_client(cors_origins=("http://good.test",))
    good = await client.get("/api/v1/broker/health", headers={"Origin": "http://good.test"})
    assert good.headers["Access-Control-Allow-Origin"] == "http://good.test"
    bad = await client.get("/api/v1/broker/health", headers={"Origin": "http://evil.test"})
    assert "Access-Control-Allow-Origin" not in bad.headers
    preflight = await client.options(
        "/api/v1/broker/health", headers={"Origin": "http://evil.test", "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status == 400
