"""Every typed application key, in one place (each is set only by the factory or a module's setup).

The module-specific types are imported for the type checker only, so importing this file
never imports a module that is disabled (CONTRACT §1.5).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from aiohttp import web

from app.http.exact import ExactRoutes
from app.market.model import Market
from app.observability.metrics import Metrics
from app.runtime.lag import LagTicker
from app.runtime.offload import Offload
from app.settings import Settings
from ws.hub import Hub

if TYPE_CHECKING:
    from app.broker.api.accounts import Accounts, BrokerAccount
    from app.broker.api.durable import DurableAccount
    from app.broker.api.wire import OrdersBody
    from app.broker.api.matching import MatchingLoop
    from app.broker.domain.engine import Engine
    from app.datafeed.api.encoding import BarCache
    from app.datafeed.domain.service import Datafeed

SETTINGS = web.AppKey("settings", Settings)
MODULE_APPS: web.AppKey[dict[str, web.Application]] = web.AppKey("module_apps")
MARKET = web.AppKey("market", Market)
EXACT_ROUTES = web.AppKey("exact_routes", ExactRoutes)
"""The routes of exact paths (app.http.exact) on the root application, when the edge is around its handler."""
LAG = web.AppKey("loop_lag", LagTicker)
"""The event-loop lag ticker (app.runtime.lag), on the root application."""
OFFLOAD = web.AppKey("offload", Offload)
"""The worker thread for heavy market work (app.runtime.offload), on the root application."""
ERROR_TRANSLATOR: web.AppKey[Callable[[Exception], Exception | None]] = web.AppKey("error_translator")
"""A module's domain errors in HTTP terms, on that module's sub-application (app.http.errors)."""
HUB = web.AppKey("hub", Hub)
"""A module's WebSocket hub, on that module's sub-application."""
ENGINE: web.AppKey[Engine] = web.AppKey("engine")
ORDERS_BODY: web.AppKey[OrdersBody] = web.AppKey("orders_body")
"""The cached ``GET /orders`` bytes, on the broker's sub-application."""
MATCHING: web.AppKey[MatchingLoop] = web.AppKey("matching")
"""The broker's matching loop: its failure streak is what readiness and metrics report."""
BROKER_ACCOUNT: web.AppKey[DurableAccount] = web.AppKey("broker_account")
"""The broker account behind its store: commands go through it (group commit), reads wait on it."""
BROKER_ACCOUNTS: web.AppKey[Accounts] = web.AppKey("broker_accounts")
"""Every account the broker serves (``AUTH=off``: ``DEMO-ACCOUNT`` alone), on its sub-application."""
DATAFEED: web.AppKey[Datafeed] = web.AppKey("datafeed")
BAR_CACHE: web.AppKey[BarCache] = web.AppKey("bar_cache")
"""The datafeed's encoded daily/weekly bars, on its sub-application."""
METRICS = web.AppKey("metrics", Metrics)
"""The process's series (absent with ``METRICS=off``), on the root and every module's application."""
HEALTH_CHECKS: web.AppKey[list[Callable[[], str | None]]] = web.AppKey("health_checks")
"""A module's readiness checks, on its sub-application: each returns None when its part works,
else a message naming what fails (``/health`` answers 503 with it)."""
ACCOUNT_ID = web.RequestKey("account_id", str)
"""The account an authenticated request acts on (set by app.accounts.gate with AUTH=required)."""
SOLE_ACCOUNT: web.AppKey[BrokerAccount | None] = web.AppKey("sole_account")
"""``AUTH=off`` on a store no other process writes (SQLite, ``memory:``): the one account, which
this process serves from start to end, so no request needs the ownership middleware; else None."""
SERVED_ACCOUNT: web.RequestKey[BrokerAccount] = web.RequestKey("served_account")
"""The broker account a request acts on, once the broker's ownership middleware has made sure
this instance serves it (read back by the views: one lookup per request, not three)."""
