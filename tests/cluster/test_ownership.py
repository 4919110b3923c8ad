"""One writer per account, from the broker's side (issue 17 item 3): two broker instances'
account registries (app/broker/api/accounts.py), each on its own session of one real
PostgreSQL database, in one process. An instance serves an account only while it holds the
account's lock; asked for an account the other holds, it refuses (``Elsewhere``), and when the
account is its own on the ring it also asks the holder, which lets it go (another instance never
pulls an account away from its ring instance); a dead session's accounts are taken by the next
request, after a load from the store, and the old holder never writes them again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import asyncpg
import pytest

from app.broker.api.accounts import AccountInfo, Accounts, BrokerAccount, Elsewhere
from app.broker.api.durable import DurableAccount, NotServed
from app.broker.api.wire import OrdersBody
from app.broker.domain.commands import PlaceOrder
from app.broker.domain.engine import Engine
from app.broker.domain.enums import OrderType, Side
from app.broker.domain.requests import OrderRequest
from app.broker.domain.terms import OrderTerms
from app.broker.domain.settings import EngineSettings
from app.market import Market
from app.store.interface import Store, StoreUnavailable
from app.store.postgresql import PostgresStore, account_lock_key
from tests.waiting import wait_until

RESTING = OrderRequest("AAPL", OrderType.LIMIT, Side.BUY, OrderTerms(1.0, 1.0))
IDS = ("ACC-1", "ACC-2")


def instance(url: str, market: Market, owns: Callable[[str], bool]) -> Accounts:
    def make(info: AccountInfo, store: Store) -> BrokerAccount:
        engine = Engine(market, EngineSettings(first_order_seq=1))
        return BrokerAccount(info, engine, DurableAccount(engine, store, info.id), OrdersBody(engine))

    accounts = Accounts(PostgresStore(url), make, skip_idle=True, owns=owns)
    for account_id in IDS:
        accounts.build(AccountInfo(account_id, account_id))
    return accounts


@pytest.fixture
async def pair(pg_url: str, market: Market) -> AsyncIterator[tuple[Accounts, Accounts]]:
    """Instance A's ring gives it ACC-1, instance B's gives it ACC-2."""
    a = instance(pg_url, market, lambda account_id: account_id == "ACC-1")
    b = instance(pg_url, market, lambda account_id: account_id == "ACC-2")
    await a.start()
    await b.start()
    yield a, b
    await a.close()
    await b.close()


def served(accounts: Accounts) -> set[str]:
    return {account.id for account in accounts.served()}


async def test_each_instance_takes_its_own_accounts_at_start(pair: tuple[Accounts, Accounts]) -> None:
    a, b = pair
    assert (served(a), served(b)) == ({"ACC-1"}, {"ACC-2"})
    assert (a.locks.held, b.locks.held) == ({"ACC-1"}, {"ACC-2"})


async def test_an_account_held_by_its_ring_instance_is_refused_elsewhere_and_stays(
        pair: tuple[Accounts, Accounts]) -> None:
    a, b = pair
    for _ in range(3):  # as nginx passes requests on while it counts A as failed
        with pytest.raises(Elsewhere):
            await b.serve("ACC-1")
    await asyncio.sleep(1.0)  # a hand-over on request takes about 0.1 s here
    await a.adopt()
    await b.adopt()
    assert served(a) == {"ACC-1"} and served(b) == {"ACC-2"}, "nobody was asked to let ACC-1 go"
    assert b.locks.held == {"ACC-2"}


async def held_by_b(a: Accounts, b: Accounts) -> BrokerAccount:
    """ACC-1 on B, as after A's death: A lets it go, and B's next request takes it (free)."""
    await a.release("ACC-1")
    taken = await b.serve("ACC-1")
    assert taken is not None and b.is_served("ACC-1") and not a.is_served("ACC-1")
    return taken


async def test_the_ring_instance_takes_its_account_back_on_request(pair: tuple[Accounts, Accounts]) -> None:
    a, b = pair
    visiting = await held_by_b(a, b)
    moved: list[str] = []
    b.release_listeners.append(moved.append)
    placed = await visiting.durable.execute(PlaceOrder(RESTING))
    old_epoch = visiting.durable.epoch
    with pytest.raises(Elsewhere):
        await a.serve("ACC-1")
    await wait_until(lambda: a.is_served("ACC-1"), timeout=5, interval=0.02, what="A to take ACC-1 back")
    assert not b.is_served("ACC-1") and moved == ["ACC-1"], "B stopped serving it and closed its sockets"
    home = a.get("ACC-1")
    assert home is not None
    assert [o.id for o in home.engine.orders()] == [placed], "loaded from the store"
    assert home.durable.epoch > old_epoch
    with pytest.raises(NotServed):
        await visiting.durable.execute(PlaceOrder(RESTING))  # a command still on its way to B: refused
    assert await home.durable.execute(PlaceOrder(RESTING)) == f"ORDER-{int(placed.split('-')[1]) + 1}"


async def test_adoption_leaves_an_account_released_on_request_where_it_went(
        pair: tuple[Accounts, Accounts]) -> None:
    """A released ACC-1 on request (B took it): A's adoption does not pull it straight back."""
    a, b = pair
    await held_by_b(a, b)
    await a.adopt()
    assert served(a) == set() and served(b) == {"ACC-1", "ACC-2"}


async def test_a_dead_session_s_accounts_go_to_the_next_request_and_the_old_holder_never_writes_them(
        pg_url: str, pair: tuple[Accounts, Accounts]) -> None:
    a, b = pair
    first = a.get("ACC-1")
    assert first is not None
    placed = await first.durable.execute(PlaceOrder(RESTING))
    admin = await asyncpg.connect(pg_url)
    try:  # A's session ends as a killed process's does
        await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                            "AND objid = ($1::bigint & 4294967295)::oid", account_lock_key("ACC-1"))
    finally:
        await admin.close()
    taken = await b.serve("ACC-1")
    assert taken is not None and [o.id for o in taken.engine.orders()] == [placed]
    with pytest.raises(StoreUnavailable):  # A's write finds its session gone: refused, nothing written
        await first.durable.execute(PlaceOrder(RESTING))
    with pytest.raises(NotServed):  # the next one finds the lock taken: A stops serving ACC-1
        await first.durable.execute(PlaceOrder(RESTING))
    assert not a.is_served("ACC-1")
    stored = await b.store.load("ACC-1")
    assert stored.last_seq == taken.durable.seq


async def test_a_lost_session_takes_its_locks_again_and_reloads_before_the_next_command(
        pg_url: str, pair: tuple[Accounts, Accounts]) -> None:
    a, _ = pair
    first = a.get("ACC-1")
    assert first is not None
    await first.durable.execute(PlaceOrder(RESTING))
    epoch = first.durable.epoch
    admin = await asyncpg.connect(pg_url)
    try:
        await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                            "AND objid = ($1::bigint & 4294967295)::oid", account_lock_key("ACC-1"))
    finally:
        await admin.close()
    await a.store.ping()  # notices the lost session (the readiness probe does this every second)
    assert first.durable.lock_lost and a.is_served("ACC-1")
    await first.durable.execute(PlaceOrder(RESTING))
    assert not first.durable.lock_lost and first.durable.epoch > epoch and "ACC-1" in a.locks.held
    assert len(first.engine.orders()) == 2
