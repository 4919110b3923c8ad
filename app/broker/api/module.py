"""Broker module wiring: engine, its store, REST views, the WebSocket hub and the matching task.

Start-up opens the store and loads the account before anything is served (a store that cannot
be opened stops the start with its one-line error); shutdown stops matching first, then lets
the last batch commit, saves a snapshot and closes the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

from app.broker.api import views
from app.broker.api.durable import DurableAccount
from app.broker.api.errors import translate
from app.broker.api.matching import MatchingLoop
from app.broker.api.observed import commit_observer, order_counter, timed_steps
from app.broker.api.readiness import StoreProbe, matching_check
from app.broker.api.streams import broker_routes, publish_events
from app.broker.api.wire import OrdersBody
from app.broker.domain.commands import Step
from app.broker.domain.engine import Engine
from app.broker.domain.settings import EngineSettings
from app.http.websocket import mount_hub
from app.keys import BROKER_ACCOUNT, ENGINE, ERROR_TRANSLATOR, HEALTH_CHECKS, MATCHING, METRICS, ORDERS_BODY
from app.modules import ModuleContext
from app.store import open_store
from app.store.sqlite import SqliteStore

LOG = logging.getLogger(__name__)


def boot_epoch_order_seq() -> int:
    """Order numbers of this run start at the boot time in microseconds (``ORDER-{n}`` keeps its
    shape): without a durable store, ids of one run never alias those of an earlier run unless
    it placed over a million orders per second of its uptime."""
    return time.time_ns() // 1000


def setup(app: web.Application, ctx: ModuleContext) -> None:
    settings = ctx.settings
    first = settings.first_order_seq if settings.first_order_seq is not None else boot_epoch_order_seq()
    engine = Engine(ctx.market, EngineSettings(liquidity=dict(settings.liquidity), first_order_seq=first,
                                               max_order_qty=settings.max_order_qty))
    app[ENGINE] = engine
    app[ERROR_TRANSLATOR] = translate
    orders_body = app[ORDERS_BODY] = OrdersBody(engine)
    engine.add_sink(orders_body.sink)
    engine.add_abort_listener(orders_body.invalidate)
    account = DurableAccount(engine, open_store(settings.store_url, settings.store_sync),
                             on_load=orders_body.invalidate)
    app[BROKER_ACCOUNT] = account
    app.cleanup_ctx.append(_stored(account))
    metrics = app.get(METRICS)
    steps: Callable[[Step], Awaitable[None]] = account.execute
    if metrics is not None:
        engine.add_sink(order_counter(metrics.orders))
        account.group.observer = commit_observer(metrics)
        steps = timed_steps(metrics, account.execute)
    app.router.add_routes(views.routes)
    if settings.debug_endpoints:
        app.router.add_routes(views.debug_routes)
    loop = app[MATCHING] = MatchingLoop(
        steps, ctx.market.now, lambda status: hub.publish_route("broker-connection", status))
    probe = StoreProbe(account)
    app[HEALTH_CHECKS] += [probe.check, matching_check(loop)]
    hub = mount_hub(app, settings, broker_routes(engine, loop.status))
    engine.add_sink(publish_events(hub))
    if settings.background_tasks:
        app.cleanup_ctx.append(_matching(loop, settings.engine_step_ms / 1000))
        if account.store.durable:
            app.cleanup_ctx.append(probe.context())


def _stored(account: DurableAccount) -> Callable[[web.Application], AsyncIterator[None]]:
    async def context(_: web.Application) -> AsyncIterator[None]:
        await account.start()
        store = account.store
        if isinstance(store, SqliteStore) and store.created:
            LOG.warning("created the broker store %s", store.name)
        LOG.info("broker store %s: account %s at event %d (epoch %d)", store.name, account.account_id,
                 account.seq, account.epoch)
        yield
        await account.close()

    return context


def _matching(loop: MatchingLoop, interval: float) -> Callable[[web.Application], AsyncIterator[None]]:
    async def context(_: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(loop.run(interval), name="broker-matching")
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return context
