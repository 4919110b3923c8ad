"""The application factory: middlewares, the root endpoints and one sub-application per module."""

from __future__ import annotations

from aiohttp import web

from app import heap
from app.http.budget import BodyBudget
from app.http.cors import CorsPolicy
from app.http.edge import install_edge
from app.http.forwarded import forwarded_middleware, parse_networks
from app.keys import HUB, LAG, MARKET, METRICS, MODULE_APPS, OFFLOAD, SETTINGS
from app.market.catalogue import default_catalogue, load_catalogue
from app.market.model import Market
from app.modules import REGISTRY, ModuleContext, module_prefix
from app.observability.endpoint import add_metrics_route
from app.observability.live import LiveCollector
from app.observability.metrics import Metrics
from app.runtime.context import runtime_ctx
from app.runtime.lag import LagTicker
from app.runtime.offload import Offload
from app.settings import Settings
from app.site.assets import find_assets
from app.site.docs import add_docs_routes
from app.site.meta import add_meta_routes, root
from app.site.terminal import add_terminal_routes


async def _forbidden(_: web.Request) -> web.Response:
    """A disabled module's WebSocket path rejects the handshake (CONTRACT §1.5)."""
    return web.Response(status=403, text="Forbidden")


def build_market(settings: Settings) -> Market:
    catalogue = load_catalogue(settings.symbols_file) if settings.symbols_file else default_catalogue()
    return Market(catalogue, seed=settings.market_seed)


def _watch(metrics: Metrics, module_apps: dict[str, web.Application], lag: LagTicker) -> None:
    live = LiveCollector()
    live.watch_lag(lag.recent_max)
    for name, subapp in module_apps.items():
        hub = subapp.get(HUB)
        if hub is not None:
            live.watch_hub(name, hub)
    metrics.registry.register(live)


def create_app(
    settings: Settings | None = None, *, market: Market | None = None, offload: bool = True
) -> web.Application:
    """``offload=False`` runs heavy market work inline on the event loop (the loop-lag test's control)."""
    settings = settings or Settings()
    metrics = Metrics() if settings.metrics else None
    forwarded = [forwarded_middleware(parse_networks(settings.trusted_proxies))] if settings.trusted_proxies else []
    budget = BodyBudget(settings.http_body_timeout_s)
    cors = CorsPolicy(settings.cors_origins, sockets_any_origin=settings.auth == "off")
    app = web.Application(middlewares=forwarded, client_max_size=settings.max_body_bytes)
    install_edge(app, metrics.http if metrics else None, settings.access_log, cors, budget)
    app[SETTINGS] = settings
    budget.install(app)
    if settings.auth == "required":
        from app.accounts.gate import install

        install(app, settings)
    if market is None:
        market = build_market(settings)
        market.warm()
    app[MARKET] = market
    app[OFFLOAD] = Offload(enabled=offload)
    app[LAG] = LagTicker()
    app.cleanup_ctx.append(runtime_ctx)
    app.router.add_get("/", root, allow_head=False)
    ctx = ModuleContext(settings=settings, market=market)
    module_apps: dict[str, web.Application] = {}
    for info in REGISTRY:
        if info.name in settings.modules:
            subapp = web.Application(client_max_size=settings.max_body_bytes)
            if metrics is not None:
                subapp[METRICS] = metrics
            add_meta_routes(subapp, info.name)
            info.load()(subapp, ctx)
            app.add_subapp(module_prefix(info.name), subapp)
            module_apps[info.name] = subapp
        else:
            app.router.add_get(f"{module_prefix(info.name)}/ws", _forbidden, allow_head=False)
    app[MODULE_APPS] = module_apps
    if metrics is not None:
        app[METRICS] = metrics
        _watch(metrics, module_apps, app[LAG])
        add_metrics_route(app, metrics.registry, settings.metrics_token)
    assets = find_assets(settings)
    add_docs_routes(app, settings, assets)
    add_terminal_routes(app, assets.terminal)
    heap.install(app, freeze=settings.gc_freeze, thresholds=settings.gc_thresholds)
    return app
