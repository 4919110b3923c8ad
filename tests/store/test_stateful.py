"""Random command sequences on the live engine behind a real store: after every command, the
account rebuilt from what the store holds (snapshot + journal, read by a second connection)
equals the live state, on SQLite and on PostgreSQL. Failed steps leave nothing in the store."""

from __future__ import annotations

import asyncio
import itertools
import tempfile
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from app.broker.api.durable import DurableAccount
from app.broker.api.persistence import rebuild
from app.broker.domain.checkpoint import differences
from app.broker.domain.commands import (
    CancelOrder,
    ClosePosition,
    Command,
    EditPositionBrackets,
    ExecuteWorking,
    ModifyOrder,
    PlaceOrder,
    Reset,
    SetLeverage,
    Step,
)
from app.broker.domain.engine import CommandFailed, Engine
from app.broker.domain.enums import OrderType, Side
from app.broker.domain.requests import OrderRequest
from app.broker.domain.terms import OrderTerms
from app.broker.domain.settings import EngineSettings
from app.store import Store, open_store
from tests.broker.scripted import ScriptedMarket
from tests.pgserver import PgServer

SYMBOLS = ("AAPL", "MSFT")
prices = st.integers(9500, 10500)
qtys = st.sampled_from([0.5, 1.0, 2.0, 3.0])
_accounts = itertools.count(1)


class StoredAccount(RuleBasedStateMachine):
    url: ClassVar[str] = ""

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.m = ScriptedMarket()
        self.mid = {"AAPL": 10000, "MSFT": 10000}
        for s in SYMBOLS:
            self.m.set(s, 99.99, 100.01)
        self.engine = Engine(self.m, EngineSettings(liquidity=MappingProxyType({"MSFT": 2.0}),
                                                    equity_interval_ms=300))
        self.account_id = f"ACCOUNT-{next(_accounts)}"
        self.account = DurableAccount(self.engine, open_store(self.url), self.account_id, snapshot_min_bytes=3000)
        self.reader: Store = open_store(self.url)
        self.run(self.account.start())
        self.run(self.reader.open())
        self.commands = 0

    def run(self, work: Any) -> Any:
        return self.loop.run_until_complete(work)

    def do(self, *commands: Command[object]) -> None:
        """Concurrent commands: they share commits, as concurrent requests do."""
        async def all_of() -> None:
            await asyncio.gather(*(self.account.execute(c) for c in commands), return_exceptions=True)

        self.run(all_of())
        self.commands += len(commands)

    def _ids(self) -> list[str]:
        return list(self.engine.state.orders) + ["ORDER-999"]

    def _move(self, moves: list[tuple[str, int]]) -> int:
        for i, (symbol, delta) in enumerate(moves):
            self.mid[symbol] = min(11000, max(9000, self.mid[symbol] + delta))
            mid = self.mid[symbol]
            self.m.set(symbol, (mid - 1) / 100, (mid + 1) / 100, at=self.m.t + i + 1)
        return len(moves)

    @rule(orders=st.lists(st.tuples(st.sampled_from(SYMBOLS), st.sampled_from(list(OrderType)),
                                    st.sampled_from(list(Side)), qtys, prices, prices, st.none() | prices,
                                    st.none() | prices, st.none() | st.sampled_from(["a", "b"])),
                          min_size=1, max_size=4))
    def place(self, orders: list[tuple[str, OrderType, Side, float, int, int, int | None, int | None,
                                       str | None]]) -> None:
        self.do(*(PlaceOrder(OrderRequest(symbol, type_, side, OrderTerms(
            qty, limit_price=lp / 100, stop_price=sp / 100,
            take_profit=None if tp is None else tp / 100, stop_loss=None if sl is None else sl / 100)), client)
            for symbol, type_, side, qty, lp, sp, tp, sl, client in orders))

    @rule(data=st.data(), qty=qtys, lp=prices, sp=prices)
    def modify(self, data: st.DataObject, qty: float, lp: int, sp: int) -> None:
        order = self.engine.state.orders.get(data.draw(st.sampled_from(self._ids())))
        if order is not None:
            self.do(ModifyOrder(order.id, OrderRequest(order.symbol, order.type, order.side, OrderTerms(
                qty, limit_price=lp / 100, stop_price=sp / 100))))

    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        self.do(CancelOrder(data.draw(st.sampled_from(self._ids()))))

    @rule(moves=st.lists(st.tuples(st.sampled_from(SYMBOLS), st.integers(-150, 150)), max_size=4),
          dt=st.integers(1, 800))
    def step(self, moves: list[tuple[str, int]], dt: int) -> None:
        extra = self._move(moves)
        self.do(Step(self.m.advance(dt + extra)))

    @rule(dt=st.integers(1, 800), k=st.integers(1, 8))
    def step_on_a_market_that_breaks(self, dt: int, k: int) -> None:
        last = self.account.seq
        self.m.fail_on_call = self.m.quote_calls + k
        try:
            self.run(self.account.execute(Step(self.m.advance(dt))))
        except CommandFailed:
            assert self.account.seq == last
        finally:
            self.m.fail_on_call = None

    @rule()
    def execute(self) -> None:
        self.do(ExecuteWorking())

    @rule(symbol=st.sampled_from(SYMBOLS), amount=st.none() | st.sampled_from([0.5, 1.0, 50.0]))
    def close(self, symbol: str, amount: float | None) -> None:
        self.do(ClosePosition(symbol, amount))

    @rule(symbol=st.sampled_from(SYMBOLS), tp=st.none() | prices, sl=st.none() | prices,
          trail=st.none() | st.sampled_from([3.0, 20.0]))
    def edit(self, symbol: str, tp: int | None, sl: int | None, trail: float | None) -> None:
        self.do(EditPositionBrackets(symbol, None if tp is None else tp / 100,
                                     None if sl is None else sl / 100, trailing_stop_pips=trail))

    @rule(symbol=st.sampled_from(SYMBOLS), leverage=st.sampled_from([0.5, 1.0, 25.0]))
    def leverage(self, symbol: str, leverage: float) -> None:
        self.do(SetLeverage(symbol, leverage))

    @precondition(lambda self: self.commands > 20)
    @rule()
    def reset(self) -> None:
        self.do(Reset())

    @invariant()
    def the_account_rebuilt_from_the_store_is_the_live_one(self) -> None:
        stored = self.run(self.reader.load(self.account_id))
        assert stored.last_seq == self.account.seq
        assert differences(rebuild(stored), self.engine.state) == []

    def teardown(self) -> None:
        try:
            self.run(self.account.close())
            self.run(self.reader.close())
        finally:
            self.loop.close()


RUN = settings(max_examples=12, stateful_step_count=25, deadline=None,
               suppress_health_check=[HealthCheck.too_slow])


def test_sqlite_holds_exactly_the_live_account() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        StoredAccount.url = f"sqlite:///{Path(tmp) / 'broker.sqlite3'}"
        run_state_machine_as_test(StoredAccount, settings=RUN)


def test_postgresql_holds_exactly_the_live_account(pg_server: PgServer) -> None:
    StoredAccount.url = pg_server.create_database()
    run_state_machine_as_test(StoredAccount, settings=RUN)


@pytest.fixture(autouse=True)
def _no_leftover_url() -> Any:
    yield
    StoredAccount.url = ""
