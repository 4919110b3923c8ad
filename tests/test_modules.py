"""Module enabling/disabling through the real factory (CONTRACT §1.5)."""

from __future__ import annotations

import pytest
from aiohttp import WSServerHandshakeError

from app.keys import MODULE_APPS
from app.modules import PUBLIC_SUFFIXES, module_prefix
from tests.conftest import ClientFactory


async def test_disabled_module_rest_paths_are_404(make_client: ClientFactory) -> None:
    client = await make_client(modules=("datafeed",))
    response = await client.get("/api/v1/broker/health")
    assert response.status == 404
    assert await response.read() == b'{"detail":"Not Found"}'
    assert (await client.get("/api/v1/datafeed/health")).status == 200


async def test_disabled_module_websocket_handshake_is_403(make_client: ClientFactory) -> None:
    client = await make_client(modules=("datafeed",))
    with pytest.raises(WSServerHandshakeError) as info:
        await client.ws_connect("/api/v1/broker/ws")
    assert info.value.status == 403


async def test_no_modules_still_serves_root_and_docs(make_client: ClientFactory) -> None:
    client = await make_client(modules=())
    assert (await client.get("/")).status == 200
    assert (await client.get("/api/docs")).status == 200
    spec = await (await client.get("/api/openapi.json")).json()
    assert spec["paths"] == {}
    for module in ("broker", "datafeed"):
        assert (await client.get(f"/api/v1/{module}/health")).status == 404


async def test_disabled_module_is_never_imported_into_the_app(make_client: ClientFactory) -> None:
    from app.keys import MODULE_APPS

    client = await make_client(modules=("broker",))
    assert list(client.app[MODULE_APPS]) == ["broker"]


async def test_every_public_suffix_is_a_get_route_of_every_module(make_client: ClientFactory) -> None:
    client = await make_client()
    paths = {route.resource.canonical for route in client.app.router.routes()
             if route.method == "GET" and route.resource is not None}
    for name in client.app[MODULE_APPS]:
        for suffix in PUBLIC_SUFFIXES:
            assert module_prefix(name) + suffix in paths, (name, suffix)
