"""Routes of exact paths are asked of aiohttp's router once and kept (app/http/exact.py): every
request gets the route, the applications and the answer that resolving it afresh would give."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, make_mocked_request
from aiohttp.web_urldispatcher import PlainResource

from app.broker.api import views
from app.http.budget import BodyBudget
from app.http.cors import CorsPolicy
from app.http.edge import install_edge
from app.http.exact import SharedMatchInfo
from app.keys import EXACT_ROUTES, MODULE_APPS
from tests.conftest import ClientFactory

Client = TestClient[web.Request, web.Application]
LABEL = web.AppKey("label", str)
BODY = b'{"symbol":"AAPL","type":1,"side":1,"qty":1,"limitPrice":1.5}'


def says(who: str) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(text=f"{who} in {request.app[LABEL]}")
    return handler


def application(label: str, *, edge: bool = False) -> web.Application:
    app = web.Application()
    app[LABEL] = label
    if edge:
        install_edge(app, None, False, CorsPolicy(()), BodyBudget(5.0))
    return app


def shadowing_tree() -> web.Application:
    """``/m/x`` of the root shadows the sub-application's; ``/n/{name}`` comes before the
    sub-application at ``/n``, so its ``/z`` is never reached."""
    root = application("root", edge=True)
    root.router.add_get("/m/x", says("root /m/x"))
    m = application("m")
    m.router.add_get("/x", says("m /x"))
    m.router.add_get("/y", says("m /y"))
    m.router.add_post("/y", says("m POST /y"))
    root.add_subapp("/m", m)
    root.router.add_get("/n/{name}", says("root /n/{name}"))
    n = application("n")
    n.router.add_get("/z", says("n /z"))
    root.add_subapp("/n", n)
    return root


async def answers(client: Client) -> list[tuple[int, str]]:
    seen = []
    for method, path in [("GET", "/m/x"), ("GET", "/m/y"), ("POST", "/m/y"), ("GET", "/n/z"),
                         ("GET", "/m/nowhere"), ("DELETE", "/m/y"), ("GET", "/m/y"), ("GET", "/m/x")]:
        response = await client.request(method, path)
        seen.append((response.status, await response.text()))
    return seen


async def test_a_tree_answers_as_aiohttp_resolving_every_request(aiohttp_client: Any) -> None:
    kept = await aiohttp_client(shadowing_tree())
    plain = await aiohttp_client(shadowing_tree())
    plain.app[EXACT_ROUTES].table = {}  # never built: every request resolved by aiohttp
    seen = await answers(kept)
    assert seen == await answers(plain)
    assert kept.app[EXACT_ROUTES].table
    assert seen[:4] == [(200, "root /m/x in root"), (200, "m /y in m"), (200, "m POST /y in m"),
                        (200, "root /n/{name} in root")]
    assert [status for status, _ in seen[4:6]] == [404, 405]


async def test_the_table_holds_what_the_router_answered(aiohttp_client: Any) -> None:
    client = await aiohttp_client(shadowing_tree())
    await client.get("/m/x")
    table = client.app[EXACT_ROUTES].table
    assert table is not None
    assert sorted(table) == [("GET", "/m/x"), ("GET", "/m/y"), ("HEAD", "/m/x"), ("HEAD", "/m/y"),
                             ("POST", "/m/y")]
    root_x, _ = table["GET", "/m/x"]
    assert root_x.current_app is client.app and root_x.apps == (client.app,)
    m_y, handler = table["GET", "/m/y"]
    m = m_y.current_app
    assert m[LABEL] == "m" and m_y.apps == (client.app, m) and handler is m_y.route.handler


async def test_every_kept_route_of_the_real_app_is_the_one_aiohttp_resolves(client: Client) -> None:
    await client.get("/api/v1/broker/orders")
    table = client.app[EXACT_ROUTES].table
    assert table is not None and ("POST", "/api/v1/broker/orders") in table
    for (method, path), (shared, handler) in table.items():
        resolved = await client.app.router.resolve(make_mocked_request(method, path, app=client.app))
        resolved.add_app(client.app)
        assert (shared.route, shared.apps, shared.current_app) == (resolved.route, resolved.apps,
                                                                   resolved.current_app), (method, path)
        assert type(shared.route.resource) is PlainResource and handler is shared.route.handler
    shared, handler = table["POST", "/api/v1/broker/orders"]
    assert handler is views.place_order and shared.current_app is client.app[MODULE_APPS]["broker"]


async def test_requests_of_a_kept_route_are_served_and_counted_by_it(make_client: ClientFactory) -> None:
    client = await make_client(first_order_seq=1)
    for n in (1, 2):
        response = await client.post("/api/v1/broker/orders", data=BODY, headers={"X-Request-ID": f"r-{n}"})
        assert await response.text() == f'{{"orderId":"ORDER-{n}"}}'
        assert response.headers["X-Request-ID"] == f"r-{n}"
    table = client.app[EXACT_ROUTES].table
    assert table is not None and ("POST", "/api/v1/broker/orders") in table
    metrics = await (await client.get("/metrics")).text()
    cell = 'http_requests_total{method="POST",module="broker",route="/api/v1/broker/orders",status="200"}'
    assert f"{cell} 2.0" in metrics


async def test_middlewares_in_the_tree_leave_routing_to_aiohttp(aiohttp_client: Any) -> None:
    @web.middleware
    async def marks(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                    ) -> web.StreamResponse:
        response = await handler(request)
        response.headers["X-Marked"] = request.app[LABEL]
        return response

    root = application("root", edge=True)
    sub = application("sub")
    sub.middlewares.append(marks)
    sub.router.add_get("/x", says("sub /x"))
    root.add_subapp("/s", sub)
    client = await aiohttp_client(root)
    for _ in range(2):
        response = await client.get("/s/x")
        assert (await response.text(), response.headers["X-Marked"]) == ("sub /x in sub", "sub")
    assert client.app[EXACT_ROUTES].table == {}


async def test_a_resource_of_another_kind_leaves_routing_to_aiohttp(aiohttp_client: Any) -> None:
    class Everything(PlainResource):
        """Answers every path: its resolve reads more than the index key aiohttp files it under."""

        async def resolve(self, request: web.Request) -> Any:
            return await super().resolve(make_mocked_request(request.method, "/any"))

    root = application("root", edge=True)
    root.router.add_get("/x", says("root /x"))
    everything = Everything("/any")
    everything.add_route("GET", says("everything"))
    root.router.register_resource(everything)
    client = await aiohttp_client(root)
    assert await (await client.get("/x")).text() == "root /x in root"
    assert client.app[EXACT_ROUTES].table == {}


async def test_the_shared_match_info_is_read_only(client: Client) -> None:
    await client.get("/api/v1/broker/orders")
    table = client.app[EXACT_ROUTES].table
    assert table is not None
    shared, _ = table["GET", "/api/v1/broker/orders"]
    assert isinstance(shared, SharedMatchInfo)
    changes: list[Callable[[], object]] = [
        lambda: shared.__setitem__("order_id", "ORDER-1"), lambda: shared.update(order_id="ORDER-1"),
        lambda: shared.setdefault("order_id", "ORDER-1"), lambda: shared.pop("order_id"), shared.popitem,
        shared.clear, lambda: shared.__delitem__("order_id"), lambda: shared.__ior__({"a": "b"}),
    ]
    for change in changes:
        with pytest.raises(TypeError, match="read-only"):
            change()
    assert dict(shared) == {} and shared.route.resource is not None
    with pytest.raises(RuntimeError):
        shared.add_app(client.app)


async def test_an_expect_header_is_answered_before_the_body_is_sent(client: Client) -> None:
    await client.get("/api/v1/broker/orders")  # the table is built
    reader, writer = await asyncio.open_connection(client.host, client.port)
    try:
        writer.write(b"POST /api/v1/broker/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n" % len(BODY))
        interim = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        assert interim.startswith(b"HTTP/1.1 100 Continue")
        writer.write(BODY)
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        assert head.startswith(b"HTTP/1.1 200")
        length = int(next(line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
                     .split(b":")[1])
        assert (await reader.readexactly(length)).startswith(b'{"orderId":"ORDER-')
    finally:
        writer.close()


async def test_the_edge_as_a_middleware_keeps_no_table(make_client: ClientFactory) -> None:
    client = await make_client(trusted_proxies="10.9.9.9")
    assert (await client.post("/api/v1/broker/orders", data=BODY)).status == 200
    assert EXACT_ROUTES not in client.app
