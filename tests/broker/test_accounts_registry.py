"""The broker's accounts (app/broker/api/accounts.py): a matching step goes only to the accounts
with something to match, so accounts with nothing working cost nothing per step; each account
keeps its own state, balance and ids."""

from __future__ import annotations

from app.broker.api.accounts import AccountInfo, Accounts, BrokerAccount
from app.broker.api.durable import DurableAccount
from app.broker.api.wire import OrdersBody
from app.broker.domain.commands import ClosePosition, PlaceOrder, Step
from app.broker.domain.engine import Engine
from app.broker.domain.enums import OrderType, Side
from app.broker.domain.requests import OrderRequest
from app.broker.domain.terms import OrderTerms
from app.broker.domain.settings import EngineSettings
from app.market import Market
from app.store.interface import Store
from app.store.memory import MemoryStore
from tests.clock import SteppedClock

BUY = OrderRequest("AAPL", OrderType.MARKET, Side.BUY, OrderTerms(2.0))


def registry(market: Market, *, skip_idle: bool = True) -> Accounts:
    def make(info: AccountInfo, store: Store) -> BrokerAccount:
        engine = Engine(market, EngineSettings(first_order_seq=1, initial_balance=info.balance or 100_000.0))
        return BrokerAccount(info, engine, DurableAccount(engine, store, info.id), OrdersBody(engine))

    return Accounts(MemoryStore(), make, skip_idle=skip_idle)


async def test_a_step_goes_only_to_accounts_with_something_working(
        stepped_market: Market, clock: SteppedClock) -> None:
    accounts = registry(stepped_market)
    for n in range(200):
        accounts.build(AccountInfo(f"ACC-{n}", f"trader {n}", balance=1_000.0 + n))
    await accounts.start()
    first = {a.id: a.engine.state.last_step for a in accounts.all()}
    clock.advance(1000)
    await accounts.step(Step())
    assert accounts.active == 0
    assert {a.id: a.engine.state.last_step for a in accounts.all()} == first  # no idle account was stepped

    busy = accounts.get("ACC-7")
    assert busy is not None
    assert await busy.durable.execute(PlaceOrder(BUY)) == "ORDER-1"
    assert accounts.active == 1
    clock.advance(1000)
    await accounts.step(Step())
    assert [(p.symbol, p.qty) for p in busy.engine.positions()] == [("AAPL", 2.0)]
    assert accounts.active == 1  # a position is marked to market every step
    await busy.durable.execute(ClosePosition("AAPL"))
    clock.advance(1000)
    await accounts.step(Step())
    assert busy.idle()
    assert accounts.active == 0
    others = [a for a in accounts.all() if a.id != "ACC-7"]
    assert all(a.engine.orders() == [] and a.engine.state.last_step == first[a.id] for a in others)
    assert [a.engine.state.ledger.balance for a in others[:2]] == [1_000.0, 1_001.0]


async def test_auth_off_steps_its_one_account_always(stepped_market: Market, clock: SteppedClock) -> None:
    accounts = registry(stepped_market, skip_idle=False)
    demo = accounts.build(AccountInfo("DEMO-ACCOUNT", "Demo Trading Account"))
    await accounts.start()
    assert accounts.active == 1  # idle or not, the one account is in every step
    before = demo.engine.state.last_step
    clock.advance(1000)
    await accounts.step(Step())
    assert demo.engine.state.last_step == before  # an idle step changes (and writes) nothing
    assert accounts.active == 1
    assert await demo.durable.execute(PlaceOrder(BUY)) == "ORDER-1"
    clock.advance(1000)
    await accounts.step(Step())
    assert demo.engine.state.last_step == before + 2000
