"""Datafeed module wiring: REST, UDF and the WebSocket hub on the module's sub-application."""

from __future__ import annotations

from aiohttp import web

from app.datafeed import udf, views
from app.datafeed.service import Datafeed
from app.datafeed.streams import datafeed_routes
from app.modules import ModuleContext
from app.wsapp import mount_hub


def setup(app: web.Application, ctx: ModuleContext) -> None:
    feed = Datafeed(ctx.market)
    app[views.DATAFEED] = feed
    app.router.add_routes(views.routes)
    app.router.add_routes(udf.routes)
    mount_hub(app, ctx.settings, datafeed_routes(feed))
