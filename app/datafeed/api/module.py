"""Datafeed module wiring: REST, UDF and the WebSocket hub on the module's sub-application."""

from __future__ import annotations

from aiohttp import web

from app.datafeed.api import udf, views
from app.datafeed.api.encoding import BarCache
from app.datafeed.api.streams import datafeed_routes
from app.datafeed.domain.service import Datafeed
from app.http.websocket import mount_hub
from app.keys import BAR_CACHE, DATAFEED
from app.modules import ModuleContext


def setup(app: web.Application, ctx: ModuleContext) -> None:
    feed = Datafeed(ctx.market)
    app[DATAFEED] = feed
    app[BAR_CACHE] = BarCache()
    app.router.add_routes(views.routes)
    app.router.add_routes(udf.routes)
    mount_hub(app, ctx.settings, datafeed_routes(feed))
