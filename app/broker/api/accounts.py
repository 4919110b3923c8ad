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

One writer per account (issue 17): a process serves an account only while it holds the
account's lock in the store (``Locks``: PostgreSQL's session advisory locks; a lone process
on SQLite or ``memory:`` holds every lock). ``owns`` says which accounts are this instance's
on the gateway's hash ring: those are taken at start and, every ``ADOPT_S``, whenever they are
free (their holder released them or died). A request for another account takes it when it is
free (the gateway sent it here because its instance is down). When another live instance holds
it, ``serve`` raises ``Elsewhere`` (503, ``Retry-After``); only the account's own instance on the
ring also asks that holder to release it, and keeps trying to take it for ``TAKEOVER_S``. So the
ring's instance wins: while nginx still counts it as failed (``fail_timeout``, 2 s) after a
restart, the requests it passes to another instance are answered 503 there instead of pulling
the account back and forth on every misrouted request. The holder, asked, stops serving the account
at once, lets its last batch commit, tells ``release_listeners`` (its sockets close with
1012) and unlocks. A lost store connection loses every lock: those accounts stop being served
here until they are taken again, on the new session, after a reload from the store.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Protocol

from app.broker.api.durable import DurableAccount
from app.broker.api.wire import OrdersBody
from app.broker.domain.commands import Step
from app.broker.domain.engine import Engine
from app.store.interface import Store, StoreError
from app.store.postgresql import PostgresStore

LOG = logging.getLogger(__name__)

DEMO_NAME = "Demo Trading Account"
ADOPT_S = 1.0
"""How often an instance looks for its own accounts (on the hash ring) that nobody holds."""
TAKEOVER_S = 5.0
"""How long an instance that asked for an account keeps trying to take it."""
TAKEOVER_POLL_S = 0.05
COOLDOWN_S = 10.0
"""An account released on request is not adopted back sooner (the asker takes it meanwhile)."""
RETRY_AFTER_S = 1
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


class Elsewhere(Exception):
    """Another live instance holds the account's lock (asked to release it when the account is
    this instance's on the ring)."""


class Locks(Protocol):
    @property
    def held(self) -> frozenset[str]: ...

    async def hold(self, account_id: str) -> bool: ...

    async def release(self, account_id: str) -> None: ...

    async def ask_release(self, account_id: str) -> None: ...


class SoleLocks:
    """One process on a store nobody else writes (SQLite, ``memory:``): every lock is its own."""

    def __init__(self) -> None:
        self._held: set[str] = set()

    @property
    def held(self) -> frozenset[str]:
        return frozenset(self._held)

    async def hold(self, account_id: str) -> bool:
        self._held.add(account_id)
        return True

    async def release(self, account_id: str) -> None:
        self._held.discard(account_id)

    async def ask_release(self, account_id: str) -> None:
        pass


def locks_of(store: Store) -> Locks:
    return store if isinstance(store, PostgresStore) else SoleLocks()


class Accounts:
    """``make`` builds an account's engine and durable account (sinks attached) on ``store``;
    ``owns``: whether an account is this instance's on the gateway's ring (alone: every one)."""

    def __init__(self, store: Store, make: Factory, *, skip_idle: bool,
                 owns: Callable[[str], bool] = lambda _: True) -> None:
        self.store = store
        self.locks = locks_of(store)
        self._make = make
        self._skip_idle = skip_idle
        self._owns = owns
        self._by_id: dict[str, BrokerAccount] = {}
        self._served: dict[str, BrokerAccount] = {}
        self._adding: dict[str, asyncio.Future[BrokerAccount]] = {}
        self._taking: dict[str, asyncio.Future[bool]] = {}
        self._releasing: set[str] = set()
        self._released_at: dict[str, float] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._started = False
        self._active: dict[str, BrokerAccount] = {}
        self.release_listeners: list[Callable[[str], None]] = []
        """Told the id of an account this instance stops serving (its sockets are closed)."""
        if isinstance(store, PostgresStore):
            store.on_release_request = self._asked
            store.on_locks_lost = self._lost

    def __len__(self) -> int:
        return len(self._by_id)

    def all(self) -> tuple[BrokerAccount, ...]:
        return tuple(self._by_id.values())

    def served(self) -> tuple[BrokerAccount, ...]:
        """The accounts this instance holds and serves now."""
        return tuple(self._served.values())

    def get(self, account_id: str) -> BrokerAccount | None:
        """The account, served here or not (``serve`` makes sure it is)."""
        return self._by_id.get(account_id)

    def is_served(self, account_id: str) -> bool:
        return account_id in self._served

    def served_account(self, account_id: str) -> BrokerAccount | None:
        """The account when this instance serves it now."""
        return self._served.get(account_id)

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

        if self._skip_idle:  # otherwise every served account is stepped: no active set to keep
            account.engine.add_sink(sink)
            account.durable.load_listeners.append(loaded)
        account.durable.regain = self._regainer(account)

    async def start(self) -> None:
        await self.store.open()
        for account in self.all():
            if self._owns(account.id):
                await self._take(account)
        self._started = True

    async def add(self, info: AccountInfo) -> BrokerAccount:
        """Know ``info``'s account while serving, and take it when it is this instance's
        (idempotent; concurrent calls share one load)."""
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
            self._by_id[info.id] = account
            if self._owns(info.id):
                await self._take(account)
        except BaseException as exc:
            self._by_id.pop(info.id, None)
            future.set_exception(exc)
            future.exception()
            raise
        finally:
            del self._adding[info.id]
        future.set_result(account)
        return account

    # ------------------------------------------------------------------ ownership
    async def serve(self, account_id: str) -> BrokerAccount | None:
        """The account, served here (taken now if it was free); None when unknown;
        ``Elsewhere`` when another instance holds it (asked to let it go when it is this
        instance's on the ring); ``StoreError``."""
        account = self._by_id.get(account_id)
        if account is None or account_id in self._served:
            return account
        if account_id not in self._releasing and await self._take(account):
            return account
        if self._owns(account_id):
            await self.locks.ask_release(account_id)
            self._keep_trying(account)
        raise Elsewhere(account_id)

    async def _take(self, account: BrokerAccount) -> bool:
        """Hold the account's lock and load it (concurrent calls share one attempt)."""
        if account.id in self._served:
            return True
        pending = self._taking.get(account.id)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._taking[account.id] = future
        try:
            got = await self.locks.hold(account.id)
            if got:
                try:
                    await account.durable.attach()
                except BaseException:
                    await self._unlock(account.id)
                    raise
                self._served[account.id] = account
                self._loaded(account)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()
            raise
        finally:
            del self._taking[account.id]
        future.set_result(got)
        return got

    def _keep_trying(self, account: BrokerAccount) -> None:
        if account.id not in self._tasks:
            self._spawn(account.id, self._take_over(account))

    async def _take_over(self, account: BrokerAccount) -> None:
        deadline = time.monotonic() + TAKEOVER_S
        asked = time.monotonic()
        while time.monotonic() < deadline and account.id not in self._served:
            await asyncio.sleep(TAKEOVER_POLL_S)
            try:
                if account.id not in self._releasing and await self._take(account):
                    return
                if time.monotonic() - asked > RETRY_AFTER_S:  # the holder may have been loading it
                    asked = time.monotonic()
                    await self.locks.ask_release(account.id)
            except StoreError as exc:
                LOG.warning("taking account %s over: %s", account.id, exc)

    async def adopt(self) -> None:
        """Take this instance's own accounts that nobody holds (after a restart, a rescale)."""
        now = time.monotonic()
        for account in self.served():
            if account.durable.lock_lost and account.durable.regain is not None:
                await account.durable.regain()  # stops serving it when another instance has it
        for account in self.all():
            if account.id in self._served or account.id in self._releasing or not self._owns(account.id):
                continue
            if now - self._released_at.get(account.id, -COOLDOWN_S) < COOLDOWN_S:
                continue
            await self._take(account)

    def _asked(self, account_id: str) -> None:
        if account_id in self._served and account_id not in self._tasks:
            self._spawn(account_id, self.release(account_id))

    async def release(self, account_id: str) -> None:
        """Stop serving the account, let its last batch commit, close its sockets, unlock."""
        account = self._served.get(account_id)
        if account is None:
            return
        self._stop(account)
        self._releasing.add(account_id)
        try:
            await account.durable.quiesce()
            await self._unlock(account_id)
        finally:
            self._releasing.discard(account_id)
            self._released_at[account_id] = time.monotonic()
        LOG.info("account %s released to another broker instance", account_id)

    def _lost(self, lost: frozenset[str]) -> None:
        """The session went with these locks: the next batch of each account takes its lock
        again and reloads it first (reads are answered from the last committed state meanwhile;
        ``adopt`` stops serving the accounts another instance took in between)."""
        for account_id in lost:
            account = self._served.get(account_id)
            if account is not None:
                LOG.warning("account %s: the store session holding its lock was lost", account_id)
                account.durable.lock_lost = True

    def _regainer(self, account: BrokerAccount) -> Callable[[], Awaitable[bool]]:
        async def regain() -> bool:
            got = await self.locks.hold(account.id)
            if not got and self._served.get(account.id) is account:
                LOG.warning("account %s: another broker instance took it while our lock was lost", account.id)
                self._stop(account)
            return got

        return regain

    def _stop(self, account: BrokerAccount) -> None:
        del self._served[account.id]
        self._active.pop(account.id, None)
        account.durable.stop_serving()
        for listener in self.release_listeners:
            listener(account.id)

    async def _unlock(self, account_id: str) -> None:
        try:
            await self.locks.release(account_id)
        except StoreError as exc:  # the session is gone, and its locks with it
            LOG.warning("releasing account %s: %s", account_id, exc)

    def _spawn(self, account_id: str, work: Coroutine[Any, Any, None]) -> None:
        async def run() -> None:
            try:
                await work
            except Exception:
                LOG.exception("account %s: moving it failed", account_id)
            finally:
                self._tasks.pop(account_id, None)

        self._tasks[account_id] = asyncio.ensure_future(run())

    def _loaded(self, account: BrokerAccount) -> None:
        if not account.idle():
            self._active[account.id] = account
        durable = account.durable
        LOG.info("broker store %s: account %s at event %d (epoch %d)", self.store.name, account.id,
                 durable.seq, durable.epoch)

    async def close(self) -> None:
        self._started = False
        for task in list(self._tasks.values()):
            task.cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        for account in self.served():
            await account.durable.detach()
        await self.store.close()

    async def step(self, step: Step) -> None:
        """One matching step for every served account with something to match; the first
        failure is raised once every account has had its step (each rolls back alone)."""
        if not self._skip_idle:
            accounts = self.served()
        else:
            served = self._served
            accounts = tuple(a for a in self._active.values() if a.id in served)
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
        return len(self._served) if not self._skip_idle else len(self._active)
