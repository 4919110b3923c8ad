"""The broker's accounts: one engine, durable account and cached ``GET /orders`` body each,
all matched against the one market.

With ``AUTH=off`` there is exactly one, ``DEMO-ACCOUNT`` (today's behaviour). With
``AUTH=required`` there is one per account of the directory: every account is loaded at
start, and one the command line creates while the server runs is added by the key watch
(``add``) before its keys are accepted. All of them share one store connection; each has its
own epoch, journal and group commit.

A matching step goes only to the accounts with something to match (a working order or a
position): an account joins the active set when its engine publishes anything (an order placed,
a fill) and leaves it after a step that left it idle, so a step costs nothing for the accounts
with nothing working and writes nothing for them (an order placed later is matched from the
moment it rests, whatever the account's last step). The lone ``AUTH=off`` account is stepped
always, as before.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from app.broker.api.durable import DurableAccount
from app.broker.api.wire import OrdersBody
from app.broker.domain.commands import Step
from app.broker.domain.engine import Engine
from app.store.interface import Store

LOG = logging.getLogger(__name__)

DEMO_NAME = "Demo Trading Account"
DEFAULT_CURRENCY = "USD"


@dataclass(frozen=True, slots=True)
class AccountInfo:
    id: str
    name: str
    currency: str = DEFAULT_CURRENCY
    balance: float | None = None
    """The opening balance (None: the engine's default)."""


@dataclass(frozen=True, slots=True)
class BrokerAccount:
    info: AccountInfo
    engine: Engine
    durable: DurableAccount
    orders: OrdersBody

    @property
    def id(self) -> str:
        return self.info.id

    def idle(self) -> bool:
        """Nothing a step could change: no working order and no position."""
        state = self.engine.state
        return not state.ledger.positions and all(book.idle for book in state.books.values())


Factory = Callable[[AccountInfo, Store], BrokerAccount]


class Accounts:
    """``make`` builds an account's engine and durable account (sinks attached) on ``store``."""

    def __init__(self, store: Store, make: Factory, *, skip_idle: bool) -> None:
        self.store = store
        self._make = make
        self._skip_idle = skip_idle
        self._by_id: dict[str, BrokerAccount] = {}
        self._adding: dict[str, asyncio.Future[BrokerAccount]] = {}
        self._started = False
        self._active: dict[str, BrokerAccount] = {}

    def __len__(self) -> int:
        return len(self._by_id)

    def all(self) -> tuple[BrokerAccount, ...]:
        return tuple(self._by_id.values())

    def get(self, account_id: str) -> BrokerAccount | None:
        return self._by_id.get(account_id)

    def build(self, info: AccountInfo) -> BrokerAccount:
        """An account not yet loaded (``start`` loads every account built before it)."""
        account = self._make(info, self.store)
        self._watch(account)
        self._by_id[info.id] = account
        return account

    def _watch(self, account: BrokerAccount) -> None:
        active = self._active

        def sink(_: object) -> None:
            active[account.id] = account

        def loaded() -> None:  # a reload after a commit of unknown outcome may bring orders back
            if not account.idle():
                active[account.id] = account

        account.engine.add_sink(sink)
        account.durable.load_listeners.append(loaded)

    async def start(self) -> None:
        await self.store.open()
        for account in self.all():
            await account.durable.attach()
            self._loaded(account)
        self._started = True

    async def add(self, info: AccountInfo) -> BrokerAccount:
        """Load ``info``'s account while serving (idempotent; concurrent calls share one load)."""
        known = self._by_id.get(info.id)
        if known is not None:
            return known
        if not self._started:
            return self.build(info)
        pending = self._adding.get(info.id)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[BrokerAccount] = asyncio.get_running_loop().create_future()
        self._adding[info.id] = future
        try:
            account = self._make(info, self.store)
            self._watch(account)
            await account.durable.attach()
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()
            raise
        finally:
            del self._adding[info.id]
        self._by_id[info.id] = account
        self._loaded(account)
        future.set_result(account)
        return account

    def _loaded(self, account: BrokerAccount) -> None:
        if not account.idle():
            self._active[account.id] = account
        durable = account.durable
        LOG.info("broker store %s: account %s at event %d (epoch %d)", self.store.name, account.id,
                 durable.seq, durable.epoch)

    async def close(self) -> None:
        self._started = False
        for account in self.all():
            await account.durable.detach()
        await self.store.close()

    async def step(self, step: Step) -> None:
        """One matching step for every account with something to match; the first failure
        is raised once every account has had its step (each rolls back alone)."""
        if not self._skip_idle:
            accounts = self.all()
        else:
            accounts = tuple(self._active.values())
            if not accounts:
                return
        try:
            if len(accounts) == 1:
                await accounts[0].durable.execute(step)
                return
            results = await asyncio.gather(*(a.durable.execute(step) for a in accounts), return_exceptions=True)
            for result in results:
                if isinstance(result, BaseException):
                    raise result
        finally:
            if self._skip_idle:
                for account in accounts:
                    if account.idle() and self._active.get(account.id) is account:
                        del self._active[account.id]

    @property
    def active(self) -> int:
        """How many accounts the next step goes to."""
        return len(self.all()) if not self._skip_idle else len(self._active)
