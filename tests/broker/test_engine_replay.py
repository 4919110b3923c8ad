"""Events are the whole truth: after any command sequence, the state rebuilt by applying every
emitted event to a fresh state equals the live one, and so does a snapshot's round trip.
Failed steps (the market breaking after k quotes) and aborted transactions change nothing."""

from __future__ import annotations

import dataclasses
import enum
from types import MappingProxyType

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from app.broker.domain.checkpoint import AccountSnapshot, differences, export_state, import_state
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
from app.broker.domain.errors import BrokerError
from app.broker.domain.events import EVENT_TYPES, DomainEvent
from app.broker.domain.requests import Duration, OrderRequest
from app.broker.domain.terms import OrderTerms
from app.broker.domain.settings import EngineSettings
from app.broker.domain.state import AccountState
from app.store.codec import Codec
from tests.broker.scripted import ScriptedMarket

SYMBOLS = ("AAPL", "MSFT")
PLAIN = (str, int, float, bool, type(None))
CODEC = Codec((*EVENT_TYPES, AccountSnapshot))
"""The store's generic codec: every event and the snapshot survive it unchanged."""
prices = st.integers(9500, 10500)
qtys = st.sampled_from([0.5, 1.0, 2.0, 3.0])


def assert_plain(value: object) -> None:
    """What a store can encode generically: plain values, enums, tuples, frozen dataclasses."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        assert type(value).__dataclass_params__.frozen, type(value)  # type: ignore[attr-defined]
        for f in dataclasses.fields(value):
            assert_plain(getattr(value, f.name))
    elif isinstance(value, tuple):
        for item in value:
            assert_plain(item)
    else:
        assert isinstance(value, PLAIN + (enum.Enum,)), repr(value)


class ReplayMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.m = ScriptedMarket()
        self.mid = {"AAPL": 10000, "MSFT": 10000}
        for s in SYMBOLS:
            self.m.set(s, 99.99, 100.01)
        self.e = Engine(self.m, EngineSettings(liquidity=MappingProxyType({"MSFT": 2.0}),
                                               equity_interval_ms=300))
        self.events: list[DomainEvent] = []
        self.failed_steps = 0

    def _do(self, command: Command[object]) -> None:
        try:
            events = self.e.handle(command).events
        except BrokerError:
            return
        for event in events:
            assert type(event) in EVENT_TYPES
            assert_plain(event)
            assert CODEC.loads(CODEC.kind(event), CODEC.dumps(event)) == event
        self.events.extend(events)

    def _ids(self) -> list[str]:
        return list(self.e.state.orders) + ["ORDER-999"]

    def _move(self, moves: list[tuple[str, int]]) -> int:
        for i, (symbol, delta) in enumerate(moves):
            self.mid[symbol] = min(11000, max(9000, self.mid[symbol] + delta))
            mid = self.mid[symbol]
            self.m.set(symbol, (mid - 1) / 100, (mid + 1) / 100, at=self.m.t + i + 1)
        return len(moves)

    @rule(symbol=st.sampled_from(SYMBOLS), type_=st.sampled_from(list(OrderType)),
          side=st.sampled_from(list(Side)), qty=qtys, lp=prices, sp=prices,
          tp=st.none() | prices, sl=st.none() | prices, trail=st.none() | st.sampled_from([5.0, 50.0]),
          client=st.none() | st.sampled_from(["a", "b"]),
          duration=st.sampled_from([None, "DAY", "GTC", "IOC", "FOK", "GTD"]), lasts=st.integers(1, 3000))
    def place(self, symbol: str, type_: OrderType, side: Side, qty: float, lp: int, sp: int,
              tp: int | None, sl: int | None, trail: float | None, client: str | None,
              duration: str | None, lasts: int) -> None:
        self._do(PlaceOrder(OrderRequest(
            symbol, type_, side, OrderTerms(
                qty, limit_price=lp / 100, stop_price=sp / 100,
                take_profit=None if tp is None else tp / 100, stop_loss=None if sl is None else sl / 100,
                trailing_stop_pips=trail),
            duration=None if duration is None else Duration(
                duration, self.m.t + lasts if duration == "GTD" else None)), client))

    @rule(data=st.data(), qty=qtys, lp=prices, sp=prices, tp=st.none() | prices)
    def modify(self, data: st.DataObject, qty: float, lp: int, sp: int, tp: int | None) -> None:
        order = self.e.state.orders.get(data.draw(st.sampled_from(self._ids())))
        if order is not None:
            self._do(ModifyOrder(order.id, OrderRequest(order.symbol, order.type, order.side, OrderTerms(
                qty, limit_price=lp / 100, stop_price=sp / 100, take_profit=None if tp is None else tp / 100))))

    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        self._do(CancelOrder(data.draw(st.sampled_from(self._ids()))))

    @rule(moves=st.lists(st.tuples(st.sampled_from(SYMBOLS), st.integers(-150, 150)), max_size=4),
          dt=st.integers(1, 800))
    def step(self, moves: list[tuple[str, int]], dt: int) -> None:
        extra = self._move(moves)
        self._do(Step(self.m.advance(dt + extra)))

    @rule(moves=st.lists(st.tuples(st.sampled_from(SYMBOLS), st.integers(-150, 150)), max_size=4),
          dt=st.integers(1, 800), k=st.integers(1, 8))
    def step_on_a_market_that_breaks_after_k_quotes(self, moves: list[tuple[str, int]], dt: int,
                                                    k: int) -> None:
        extra = self._move(moves)
        before = export_state(self.e.state)
        self.m.fail_on_call = self.m.quote_calls + k
        try:
            self.events.extend(self.e.handle(Step(self.m.advance(dt + extra))).events)
        except CommandFailed:
            self.failed_steps += 1
            assert differences(self.e.state, import_state(before)) == []
        finally:
            self.m.fail_on_call = None

    @rule(commands=st.lists(st.sampled_from(["place", "close", "step", "leverage"]), min_size=1, max_size=3))
    def aborted_transaction(self, commands: list[str]) -> None:
        before = export_state(self.e.state)
        chosen: dict[str, Command[object]] = {
            "place": PlaceOrder(OrderRequest("AAPL", OrderType.MARKET, Side.BUY, OrderTerms(1.0)), "a"),
            "close": ClosePosition("AAPL"),
            "step": Step(self.m.t),
            "leverage": SetLeverage("MSFT", 3.0),
        }
        with self.e.transaction() as tx:
            for name in commands:
                try:
                    self.e.handle(chosen[name])
                except BrokerError:
                    pass
            tx.abort()
        assert differences(self.e.state, import_state(before)) == []

    @rule()
    def execute(self) -> None:
        self._do(ExecuteWorking())

    @rule(symbol=st.sampled_from(SYMBOLS), amount=st.none() | st.sampled_from([0.5, 1.0, 0.1 + 0.2, 50.0]))
    def close(self, symbol: str, amount: float | None) -> None:
        self._do(ClosePosition(symbol, amount))

    @rule(symbol=st.sampled_from(SYMBOLS), tp=st.none() | prices, sl=st.none() | prices,
          trail=st.none() | st.sampled_from([3.0, 20.0]))
    def edit(self, symbol: str, tp: int | None, sl: int | None, trail: float | None) -> None:
        self._do(EditPositionBrackets(symbol, None if tp is None else tp / 100,
                                      None if sl is None else sl / 100, trailing_stop_pips=trail))

    @rule(symbol=st.sampled_from(SYMBOLS), leverage=st.sampled_from([0.5, 1.0, 25.0, 101.0]))
    def leverage(self, symbol: str, leverage: float) -> None:
        self._do(SetLeverage(symbol, leverage))

    @precondition(lambda self: len(self.events) > 30)
    @rule()
    def reset(self) -> None:
        self._do(Reset())

    @invariant()
    def replaying_every_event_rebuilds_the_live_state(self) -> None:
        rebuilt = AccountState.fresh(self.e.genesis)
        for event in self.events:
            rebuilt.apply(event)
        assert differences(rebuilt, self.e.state) == []

    @invariant()
    def a_snapshot_round_trip_rebuilds_the_live_state(self) -> None:
        snapshot = export_state(self.e.state)
        assert differences(import_state(snapshot), self.e.state) == []
        assert export_state(import_state(snapshot)) == snapshot
        assert CODEC.loads("AccountSnapshot", CODEC.dumps(snapshot)) == snapshot

    def teardown(self) -> None:
        rebuilt = import_state(export_state(self.e.state))
        replica = Engine(self.m, EngineSettings(liquidity=MappingProxyType({"MSFT": 2.0}),
                                                equity_interval_ms=300))
        replica.state = rebuilt
        step = Step(self.m.advance(5000))
        assert replica.handle(step).published == self.e.handle(step).published, (
            "a state loaded from a snapshot behaves like the live one")


ReplayMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
test_replay_rebuilds_the_live_state = ReplayMachine.TestCase
