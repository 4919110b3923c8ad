"""Broker module wiring: engine, REST views, the WebSocket hub and the matching task."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable

from aiohttp import web

from app.broker.api import views
from app.broker.api.errors import translate
from app.broker.api.matching import MatchingLoop
from app.broker.api.streams import broker_routes, publish_events
from app.broker.api.wire import OrdersBody
from app.broker.domain.engine import Engine
from app.broker.domain.settings import EngineSettings
from app.http.websocket import mount_hub
from app.keys import ENGINE, ERROR_TRANSLATOR, MATCHING, ORDERS_BODY
from app.modules import ModuleContext


def boot_epoch_order_seq() -> int:
    """Order numbers of this run start at the boot time in microseconds (``ORDER-{n}`` keeps its
    shape): without a durable store, ids of one run never alias those of an earlier run unless
    it placed over a million orders per second of its uptime."""
    return time.time_ns() // 1000


def setup(app: web.Application, ctx: ModuleContext) -> None:
    settings = ctx.settings
    first = settings.first_order_seq if settings.first_order_seq is not None else boot_epoch_order_seq()
    engine = Engine(ctx.market, EngineSettings(liquidity=dict(settings.liquidity), first_order_seq=first))
    app[ENGINE] = engine
    app[ERROR_TRANSLATOR] = translate
    orders_body = app[ORDERS_BODY] = OrdersBody(engine)
    engine.add_sink(orders_body.sink)
    engine.add_abort_listener(orders_body.invalidate)
    app.router.add_routes(views.routes)
    if settings.debug_endpoints:
        app.router.add_routes(views.debug_routes)
    loop = app[MATCHING] = MatchingLoop(
        engine, ctx.market.now, lambda status: hub.publish_route("broker-connection", status))
    hub = mount_hub(app, settings, broker_routes(engine, loop.status))
    engine.add_sink(publish_events(hub))
    if settings.background_tasks:
        app.cleanup_ctx.append(_matching(loop, settings.engine_step_ms / 1000))


def _matching(loop: MatchingLoop, interval: float) -> Callable[[web.Application], AsyncIterator[None]]:
    async def context(_: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(loop.run(interval), name="broker-matching")
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return context
