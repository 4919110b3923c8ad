"""Broker module wiring: the accounts (an engine and its store each), REST views, the WebSocket
hub and the matching task.

Start-up opens the store and loads every account before anything is served (a store that
cannot be opened stops the start with its one-line error); shutdown stops matching first, then
lets each account's last batch commit, saves its snapshot and closes the store. ``AUTH=off``
serves the one ``DEMO-ACCOUNT`` (also under ``ENGINE``/``BROKER_ACCOUNT``/``ORDERS_BODY``);
``AUTH=required`` one account per account of the directory, added by the key watch
(app.accounts.gate) at start and when the command line creates one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

from app.broker.api import history, views
from app.broker.api.accounts import DEMO_NAME, AccountInfo, Accounts, BrokerAccount, SoleLocks
from app.broker.api.durable import ACCOUNT_ID as DEMO_ID
from app.broker.api.durable import DurableAccount
from app.broker.api.errors import translate
from app.broker.api.matching import MatchingLoop
from app.broker.api.ownership import AccountSockets, adoption, ownership_middleware
from app.broker.api.observed import commit_observer, order_counter, timed_steps
from app.broker.api.readiness import StoreProbe, matching_check
from app.broker.api.streams import (
    broker_routes,
    publish_account_events,
    publish_events,
    subscription_guard,
)
from app.broker.api.wire import OrdersBody
from app.cluster.ring import Ring
from app.broker.domain.commands import Step
from app.broker.domain.engine import Engine
from app.broker.domain.requests import QtyCap
from app.broker.domain.settings import INITIAL_BALANCE, EngineSettings
from app.http.websocket import mount_hub
from app.keys import (
    ACCOUNT_ID,
    BROKER_ACCOUNT,
    BROKER_ACCOUNTS,
    ENGINE,
    ERROR_TRANSLATOR,
    HEALTH_CHECKS,
    MATCHING,
    METRICS,
    ORDERS_BODY,
    SOLE_ACCOUNT,
)
from app.modules import ModuleContext
from app.store import open_store
from app.store.interface import Store
from app.store.sqlite import SqliteStore
from ws.route import Payload

LOG = logging.getLogger(__name__)


def boot_epoch_order_seq() -> int:
    """Order numbers of this run start at the boot time in microseconds (``ORDER-{n}`` keeps its
    shape): without a durable store, ids of one run never alias those of an earlier run unless
    it placed over a million orders per second of its uptime."""
    return time.time_ns() // 1000


def setup(app: web.Application, ctx: ModuleContext) -> None:
    settings = ctx.settings
    per_key = settings.auth == "required"
    first = settings.first_order_seq if settings.first_order_seq is not None else boot_epoch_order_seq()
    qty_cap = QtyCap(settings.max_order_qty, settings.max_order_qty_by_symbol)
    metrics = app.get(METRICS)
    app[ERROR_TRANSLATOR] = translate

    def make(info: AccountInfo, store: Store) -> BrokerAccount:
        balance = INITIAL_BALANCE if info.balance is None else info.balance
        engine = Engine(ctx.market, EngineSettings(liquidity=dict(settings.liquidity), first_order_seq=first,
                                                   initial_balance=balance, qty_cap=qty_cap,
                                                   commission=settings.commission,
                                                   margin_check=settings.margin_check))
        orders_body = OrdersBody(engine)
        engine.add_sink(orders_body.sink)
        engine.add_abort_listener(orders_body.invalidate)
        durable = DurableAccount(engine, store, info.id, on_load=orders_body.invalidate)
        if metrics is not None:
            engine.add_sink(order_counter(metrics.orders))
            durable.group.observer = commit_observer(metrics)
        engine.add_sink(publish_account_events(hub, info.id) if per_key else publish_events(hub))
        return BrokerAccount(info, engine, durable, orders_body)

    owns = _owner(settings.broker_peers, settings.broker_self)
    accounts = app[BROKER_ACCOUNTS] = Accounts(open_store(settings.store_url, settings.store_sync), make,
                                               skip_idle=per_key, owns=owns)
    app.cleanup_ctx.append(_stored(accounts))
    sockets = AccountSockets()
    accounts.release_listeners.append(sockets.close)
    sole = not per_key and isinstance(accounts.locks, SoleLocks)
    if not sole:  # accounts may move between instances, or come and go with the directory
        app.middlewares.append(ownership_middleware(accounts, sockets, per_key=per_key))
    steps: Callable[[Step], Awaitable[None]] = accounts.step
    if metrics is not None:
        steps = timed_steps(metrics, accounts.step)
    app.router.add_routes(views.routes)
    app.router.add_routes(history.routes)
    if settings.debug_endpoints:
        app.router.add_routes(views.debug_routes)
    loop = app[MATCHING] = MatchingLoop(
        steps, ctx.market.now, lambda status: hub.publish_route("broker-connection", status))
    probe = StoreProbe(accounts)
    app[HEALTH_CHECKS] += [probe.check, matching_check(loop)]

    def account_of(params: Payload) -> BrokerAccount | None:
        return accounts.get(str(params.get("accountId"))) if per_key else demo

    hub = sockets.hub = mount_hub(app, settings, broker_routes(account_of, loop.status))
    app[SOLE_ACCOUNT] = None
    if per_key:
        hub.guard = lambda request: subscription_guard(request.get(ACCOUNT_ID))
    else:
        demo = accounts.build(AccountInfo(DEMO_ID, DEMO_NAME))
        app[ENGINE] = demo.engine
        app[ORDERS_BODY] = demo.orders
        app[BROKER_ACCOUNT] = demo.durable
        if sole:
            app[SOLE_ACCOUNT] = demo
    if settings.background_tasks:
        app.cleanup_ctx.append(_matching(loop, settings.engine_step_ms / 1000))
        if accounts.store.durable:
            app.cleanup_ctx.append(probe.context())
            app.cleanup_ctx.append(adoption(accounts))


def _owner(peers: tuple[str, ...], me: str) -> Callable[[str], bool]:
    """Whether an account is this instance's on the gateway's hash ring (alone: every one)."""
    if len(peers) <= 1:
        return lambda _: True
    ring = Ring(peers)
    return lambda account_id: ring.pick(account_id) == me


def _stored(accounts: Accounts) -> Callable[[web.Application], AsyncIterator[None]]:
    async def context(_: web.Application) -> AsyncIterator[None]:
        await accounts.start()
        store = accounts.store
        if isinstance(store, SqliteStore) and store.created:
            LOG.warning("created the broker store %s", store.name)
        yield
        await accounts.close()

    return context


def _matching(loop: MatchingLoop, interval: float) -> Callable[[web.Application], AsyncIterator[None]]:
    async def context(_: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(loop.run(interval), name="broker-matching")
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return context
