"""Random command sequences checked against a naive replay of the executions.

The replay below is written independently of app.broker.domain.netting: signed quantity plus total
cost, realizing against the running average when a fill reduces the position.
"""

from __future__ import annotations

import math
from types import MappingProxyType

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from app.broker.domain.commands import (
    CancelOrder,
    ClosePosition,
    EditPositionBrackets,
    ExecuteWorking,
    ModifyOrder,
    PlaceOrder,
    Reset,
    Step,
)
from app.broker.domain.engine import Engine
from app.broker.domain.enums import OrderStatus, OrderType, Side
from app.broker.domain.errors import BadRequest, InvalidOrder, NotFound
from app.broker.domain.requests import OrderRequest
from app.broker.domain.terms import OrderTerms
from app.broker.domain.settings import EngineSettings
from app.broker.domain.snapshots import EquityData, Execution, PlacedOrder, PositionData
from tests.broker.scripted import ScriptedMarket
from tests.broker.helpers import http_status

SYMBOLS = ("AAPL", "MSFT")
FINAL = {OrderStatus.FILLED, OrderStatus.CANCELED, OrderStatus.REJECTED}


def replay(executions: list[Execution]) -> tuple[dict[str, tuple[float, float]], float]:
    """symbol → (signed qty, average price) of open positions, and the realized P&L."""
    book: dict[str, tuple[float, float]] = {}
    realized = 0.0
    for x in executions:
        signed, cost = book.get(x.symbol, (0.0, 0.0))
        q = x.qty * x.side
        if signed == 0.0 or (signed > 0) == (q > 0):
            signed, cost = signed + q, cost + q * x.price
        else:
            avg = cost / signed
            closing = min(abs(q), abs(signed))
            direction = 1.0 if signed > 0 else -1.0
            realized += (x.price - avg) * closing * direction
            signed -= closing * direction
            cost = avg * signed
            rest = abs(q) - closing
            if rest > 1e-9:
                signed = math.copysign(rest, q)
                cost = signed * x.price
        if abs(signed) < 1e-9:
            book.pop(x.symbol, None)
        else:
            book[x.symbol] = (signed, cost)
    return {s: (q, c / q) for s, (q, c) in book.items()}, realized


prices = st.integers(9500, 10500)
qtys = st.sampled_from([0.5, 1.0, 2.0, 3.0, 5.0])


class EngineMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.m = ScriptedMarket()
        self.mid = {"AAPL": 10000, "MSFT": 10000}
        for s in SYMBOLS:
            self.m.set(s, 99.99, 100.01)
        self.e = Engine(self.m, EngineSettings(liquidity=MappingProxyType({"MSFT": 2.0})))
        self.finals: dict[str, PlacedOrder] = {}
        self.pairs: list[tuple[str, str]] = []
        self.all_events: list[object] = []
        self.from_modify: set[int] = set()
        self.modifying = False
        self.e.add_sink(self._record)

    def _record(self, events: object) -> None:
        assert isinstance(events, tuple)
        if self.modifying:
            self.from_modify.update(range(len(self.all_events), len(self.all_events) + len(events)))
        self.all_events.extend(events)

    def _ids(self) -> list[str]:
        return [o.id for o in self.e.orders()]

    @rule(symbol=st.sampled_from(SYMBOLS), type_=st.sampled_from(list(OrderType)),
          side=st.sampled_from(list(Side)), qty=qtys, lp=prices, sp=prices,
          tp=st.none() | prices, sl=st.none() | prices, trail=st.none() | st.sampled_from([5.0, 50.0]))
    def place(self, symbol: str, type_: OrderType, side: Side, qty: float, lp: int, sp: int,
              tp: int | None, sl: int | None, trail: float | None) -> None:
        out = self.e.handle(PlaceOrder(OrderRequest(symbol, type_, side, OrderTerms(
            qty, limit_price=lp / 100, stop_price=sp / 100,
            take_profit=None if tp is None else tp / 100, stop_loss=None if sl is None else sl / 100,
            trailing_stop_pips=trail))))
        legs = [o.id for o in out.published if isinstance(o, PlacedOrder) and o.parent_id == out.value]
        if len(legs) == 2:
            self.pairs.append((legs[0], legs[1]))

    @rule(data=st.data(), qty=qtys, lp=prices, sp=prices)
    def modify(self, data: st.DataObject, qty: float, lp: int, sp: int) -> None:
        ids = self._ids()
        if not ids:
            return
        o = self.e.order(data.draw(st.sampled_from(ids)))
        assert o is not None
        self.modifying = True
        try:
            self.e.handle(ModifyOrder(o.id, OrderRequest(o.symbol, OrderType(o.type), Side(o.side), OrderTerms(
                qty, limit_price=lp / 100, stop_price=sp / 100))))
        except BadRequest as error:
            assert http_status(error) == 400
        finally:
            self.modifying = False

    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        ids = self._ids() + ["ORDER-999999"]
        try:
            self.e.handle(CancelOrder(data.draw(st.sampled_from(ids))))
        except BadRequest as error:
            assert http_status(error) == 400

    @rule(moves=st.lists(st.tuples(st.sampled_from(SYMBOLS), st.integers(-150, 150)), max_size=4),
          dt=st.integers(1, 1500))
    def step(self, moves: list[tuple[str, int]], dt: int) -> None:
        for i, (symbol, delta) in enumerate(moves):
            self.mid[symbol] = min(12000, max(8000, self.mid[symbol] + delta))
            mid = self.mid[symbol]
            self.m.set(symbol, (mid - 1) / 100, (mid + 1) / 100, at=self.m.t + i + 1)
        self.e.handle(Step(self.m.advance(dt + len(moves))))

    @precondition(lambda self: len(self.all_events) > 40)
    @rule()
    def reset(self) -> None:
        self.all_events.clear()
        out = self.e.handle(Reset())
        assert self.all_events == list(out.published)
        assert out.published[-1] == EquityData(100000.0, 100000.0, 0.0, 0.0)
        for event in out.published[:-1]:  # live orders announced CANCELED, open positions flat
            assert (isinstance(event, PlacedOrder) and event.status == OrderStatus.CANCELED) or (
                isinstance(event, PositionData) and event.qty == 0.0), event
        self.all_events.clear()
        self.from_modify.clear()
        self.finals.clear()
        self.pairs.clear()
        assert (self.e.orders(), self.e.positions()) == ([], [])

    @rule()
    def execute(self) -> None:
        self.e.handle(ExecuteWorking())

    @rule(symbol=st.sampled_from(SYMBOLS), amount=st.none() | st.sampled_from([-1.0, 0.0, 0.5, 1.0, 50.0]))
    def close(self, symbol: str, amount: float | None) -> None:
        try:
            self.e.handle(ClosePosition(symbol, amount))
        except NotFound as error:
            assert http_status(error) == 404
        except BadRequest as error:
            assert http_status(error) == 400

    @rule(symbol=st.sampled_from(SYMBOLS), tp=st.none() | prices, sl=st.none() | prices,
          bad=st.booleans())
    def edit(self, symbol: str, tp: int | None, sl: int | None, bad: bool) -> None:
        try:
            self.e.handle(EditPositionBrackets(symbol, None if tp is None else tp / 100 + (0.001 if bad else 0),
                                               None if sl is None else sl / 100))
        except NotFound as error:
            assert http_status(error) == 404
        except InvalidOrder as error:
            assert bad and error.field == "takeProfit"

    @invariant()
    def positions_and_money_match_the_naive_replay(self) -> None:
        executions = sorted((x for s in SYMBOLS for x in self.e.executions(s)), key=lambda x: x.seq)
        expected, realized = replay(executions)
        got = {p.symbol: (p.qty * p.side, p.avg_price) for p in self.e.positions()}
        assert got.keys() == expected.keys()
        for symbol, (q, avg) in expected.items():
            assert math.isclose(got[symbol][0], q, abs_tol=1e-6)
            assert math.isclose(got[symbol][1], avg, rel_tol=1e-9, abs_tol=1e-6)
        equity = self.e.equity()
        assert math.isclose(equity.realized_pl, realized, abs_tol=1e-6)
        assert math.isclose(equity.balance, 100000.0 + realized, abs_tol=1e-6)
        assert math.isclose(equity.equity, equity.balance + equity.unrealized_pl, abs_tol=1e-6)

    @invariant()
    def final_orders_never_change_and_siblings_never_both_fill(self) -> None:
        for o in self.e.orders():
            if o.status in FINAL:
                assert self.finals.setdefault(o.id, o) == o
            assert 0.0 <= o.filled_qty <= o.terms.qty
        filled = {x.order_id for s in SYMBOLS for x in self.e.executions(s)}
        for a, b in self.pairs:
            assert not (a in filled and b in filled)

    @invariant()
    def each_fill_is_execution_order_equity_position_and_never_worse_than_the_limit(self) -> None:
        events = self.all_events
        for i, event in enumerate(events):
            if not isinstance(event, Execution):
                continue
            order, equity, position = events[i + 1:i + 4]
            assert isinstance(order, PlacedOrder) and order.id == event.order_id
            assert (type(equity).__name__, type(position).__name__) == ("EquityData", "PositionData")
            if order.type in (OrderType.LIMIT, OrderType.STOP_LIMIT) and order.terms.limit_price is not None:
                assert (event.price - order.terms.limit_price) * event.side <= 1e-9

    @invariant()
    def every_published_order_event_is_a_snapshot_of_a_real_change(self) -> None:
        """A modify is acknowledged with an order event even when it changes nothing."""
        last: dict[str, PlacedOrder] = {}
        for i, event in enumerate(self.all_events):
            if isinstance(event, PlacedOrder):
                assert i in self.from_modify or last.get(event.id) != event
                last[event.id] = event
        for o in self.e.orders():
            assert last[o.id] == o


EngineMachine.TestCase.settings = settings(max_examples=100, stateful_step_count=40, deadline=None)
test_engine_state_machine = EngineMachine.TestCase
