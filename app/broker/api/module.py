"""Broker module wiring: engine, REST views, the WebSocket hub and the matching task."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from aiohttp import web

from app.broker.api import views
from app.broker.api.errors import translate
from app.broker.api.streams import broker_routes, publish_events
from app.broker.api.wire import OrdersBody
from app.broker.domain.engine import Engine
from app.broker.domain.settings import EngineSettings
from app.http.websocket import mount_hub
from app.keys import ENGINE, ERROR_TRANSLATOR, ORDERS_BODY
from app.modules import ModuleContext

LOG = logging.getLogger(__name__)


def setup(app: web.Application, ctx: ModuleContext) -> None:
    settings = ctx.settings
    engine = Engine(ctx.market, EngineSettings(liquidity=dict(settings.liquidity)))
    app[ENGINE] = engine
    app[ERROR_TRANSLATOR] = translate
    orders_body = app[ORDERS_BODY] = OrdersBody(engine)
    engine.add_sink(orders_body.sink)
    app.router.add_routes(views.routes)
    if settings.debug_endpoints:
        app.router.add_routes(views.debug_routes)
    hub = mount_hub(app, settings, broker_routes(engine, ctx.market.now))
    engine.add_sink(publish_events(hub))
    if settings.background_tasks:
        app.cleanup_ctx.append(_matching(engine, settings.engine_step_ms / 1000))


def _matching(engine: Engine, interval: float) -> Callable[[web.Application], AsyncIterator[None]]:
    async def run() -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                engine.step()
            except Exception:  # a bad step must not stop matching for good
                LOG.exception("engine step failed")

    async def context(_: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(run(), name="broker-matching")
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return context
