"""Mounts a module's WebSocket hub on its sub-application, configured from Settings."""

from __future__ import annotations

from collections.abc import Sequence

from aiohttp import web

from app.keys import HUB
from app.settings import Settings
from ws.hub import Hub
from ws.route import Route


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
