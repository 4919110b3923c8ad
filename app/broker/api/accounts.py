"""The broker's accounts: one engine, durable account and cached ``GET /orders`` body each,
all matched against the one market.

With ``AUTH=off`` there is exactly one, ``DEMO-ACCOUNT`` (today's behaviour). With
``AUTH=required`` there is one per account of the directory: every account is loaded at
start, and one the command line creates while the server runs is added by the key watch
(``add``) before its keys are accepted. All of them share one store connection; each has its
own epoch, journal and group commit.

A matching step goes to every account with something to match (a working order or a
position); an account with neither is skipped, so idle accounts cost one check per step and
write nothing (an order placed later is matched from the moment it rests, whatever the
account's last step). The lone ``AUTH=off`` account is stepped always, as before.
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

    def __len__(self) -> int:
        return len(self._by_id)

    def all(self) -> tuple[BrokerAccount, ...]:
        return tuple(self._by_id.values())

    def get(self, account_id: str) -> BrokerAccount | None:
        return self._by_id.get(account_id)

    def build(self, info: AccountInfo) -> BrokerAccount:
        """An account not yet loaded (``start`` loads every account built before it)."""
        account = self._make(info, self.store)
        self._by_id[info.id] = account
        return account

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
        accounts = self.all()
        if self._skip_idle:
            accounts = tuple(a for a in accounts if not a.idle())
        if len(accounts) == 1:
            await accounts[0].durable.execute(step)
            return
        if not accounts:
            return
        results = await asyncio.gather(*(a.durable.execute(step) for a in accounts), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result
