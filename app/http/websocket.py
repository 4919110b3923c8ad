"""Mounts a module's WebSocket hub on its sub-application, configured from Settings."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence

from aiohttp import web
from aiohttp.typedefs import Handler

from app.keys import HUB
from app.settings import Settings
from ws.hub import Hub
from ws.route import Route


class HeldSockets:
    """The transports of the WebSockets open under each name (an API key, an account), so that
    they can be closed together: a key revoked (1008), an account moving to another instance
    (1012). A socket's handler returns when the socket closes, so holding it for that call is
    holding it for the socket's life."""

    def __init__(self) -> None:
        self.by_name: dict[str, set[asyncio.BaseTransport]] = {}

    async def hold(self, name: str, request: web.Request, handler: Handler) -> web.StreamResponse:
        transport = request.transport
        if transport is None:
            return await handler(request)
        held = self.by_name.setdefault(name, set())
        held.add(transport)
        try:
            return await handler(request)
        finally:
            held.discard(transport)
            if not held:
                del self.by_name[name]

    def of(self, names: Iterable[str]) -> set[asyncio.BaseTransport]:
        return set().union(*(self.by_name.get(name, ()) for name in names))


def close_held(hubs: Iterable[Hub], transports: set[asyncio.BaseTransport], code: int, message: bytes) -> None:
    """Close with ``code`` every hub connection on one of ``transports``."""
    if not transports:
        return
    for hub in hubs:
        for conn in hub.connections:
            if conn.transport in transports and not conn.ws.closed:
                asyncio.ensure_future(conn.ws.close(code=code, message=message))


def mount_hub(app: web.Application, settings: Settings, routes: Sequence[Route]) -> Hub:
    hub = Hub(
        routes,
        soft_limit=settings.ws_soft_limit_bytes,
        hard_limit=settings.ws_hard_limit_bytes,
        heartbeat=settings.ws_heartbeat_s,
        max_msg_size=settings.ws_max_msg_bytes,
        close_timeout=settings.ws_close_timeout_s,
        max_topics=settings.ws_max_topics,
        max_symbols=settings.ws_max_symbols,
        max_topic_bytes=settings.ws_max_topic_bytes,
        rate_per_s=settings.ws_rate_per_s,
        rate_burst=settings.ws_rate_burst,
    )
    app[HUB] = hub
    app.router.add_get("/ws", hub.handle, allow_head=False)

    async def close_sockets(_: web.Application) -> None:
        await hub.close_all(1001)

    app.on_shutdown.append(close_sockets)
    return hub
