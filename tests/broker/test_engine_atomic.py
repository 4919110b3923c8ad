"""A command applies all its events or none: a failed step, a refused command and an aborted
transaction leave the state exactly as before and publish nothing."""

from __future__ import annotations

import orjson
import pytest

from app.broker.api.wire import OrdersBody
from app.broker.domain.checkpoint import differences, export_state, import_state
from app.broker.domain.commands import CancelOrder, ClosePosition, PlaceOrder, SetLeverage, Step
from app.broker.domain.engine import CommandFailed
from app.broker.domain.enums import OrderStatus, OrderType, Side
from app.broker.domain.errors import BadRequest
from app.broker.domain.events import LeverageSet, OrderAccepted
from app.broker.domain.snapshots import Event, Execution
from tests.broker.helpers import engine, limit, market, req
from tests.broker.scripted import FeedDown


def test_an_exception_on_the_first_fill_of_a_step_changes_nothing_and_the_next_step_fills_both() -> None:
    m = market()
    e = engine(m)
    published: list[tuple[Event, ...]] = []
    e.add_sink(lambda events: published.append(tuple(events)))
    first = e.handle(PlaceOrder(req(qty=1.0))).value
    second = e.handle(PlaceOrder(req(qty=2.0))).value
    published.clear()
    before = export_state(e.state)
    # call 1 is the step's quote, call 2 marks equity right after ORDER-1's execution
    m.fail_on_call = m.quote_calls + 2
    with pytest.raises(CommandFailed) as info:
        e.handle(Step(m.advance(10)))
    assert isinstance(info.value.__cause__, FeedDown)
    assert info.value.order_ids == (first,)
    assert str(info.value) == "Step failed on AAPL (orders: ORDER-1)"
    assert published == []
    assert e.order(first).status == OrderStatus.WORKING  # type: ignore[union-attr]
    assert (e.positions(), e.executions("AAPL")) == ([], [])
    assert differences(e.state, import_state(before)) == []

    out = e.handle(Step(m.advance(10)))
    assert [o.status for o in e.orders()] == [OrderStatus.FILLED, OrderStatus.FILLED]
    assert [(x.order_id, x.qty) for x in out.published if isinstance(x, Execution)] == [
        (first, 1.0), (second, 2.0)]
    assert published == [out.published]
    assert e.positions()[0].qty == 3.0


def test_a_refused_command_raises_its_error_and_changes_nothing() -> None:
    e = engine(market())
    oid = e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0))).value
    e.handle(CancelOrder(oid))
    before = export_state(e.state)
    with pytest.raises(BadRequest):
        e.handle(CancelOrder(oid))
    with pytest.raises(BadRequest):
        e.handle(SetLeverage("AAPL", 0.5))
    assert differences(e.state, import_state(before)) == []


def test_an_aborted_transaction_rolls_back_every_command_and_publishes_nothing() -> None:
    m = market()
    e = engine(m)
    published: list[tuple[Event, ...]] = []
    e.add_sink(lambda events: published.append(tuple(events)))
    e.handle(PlaceOrder(req(qty=1.0)))
    e.handle(Step(m.advance(10)))
    published.clear()
    before = export_state(e.state)
    with e.transaction() as tx:
        e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0), client_order_id="c1"))
        e.handle(SetLeverage("AAPL", 5.0))
        e.handle(ClosePosition("AAPL"))
        e.handle(Step(m.advance(10)))
        assert [type(x) for x in tx.events][:1] == [OrderAccepted]
        assert LeverageSet("AAPL", 5.0) in tx.events
        tx.abort()
    assert published == []
    assert differences(e.state, import_state(before)) == []
    assert e.handle(PlaceOrder(req())).value == "ORDER-2", "the aborted order's id is free again"


def test_an_aborted_transaction_tells_its_listeners_so_caches_built_meanwhile_are_dropped() -> None:
    e = engine(market())
    body = OrdersBody(e)
    e.add_sink(body.sink)
    e.add_abort_listener(body.invalidate)
    with e.transaction() as tx:
        e.handle(PlaceOrder(req()))
        assert len(orjson.loads(body())) == 1, "read while the transaction is open"
        tx.abort()
    assert body() == b"[]"


def test_a_committed_transaction_publishes_its_snapshots_once_in_order() -> None:
    m = market()
    e = engine(m)
    published: list[tuple[Event, ...]] = []
    e.add_sink(lambda events: published.append(tuple(events)))
    with e.transaction():
        a = e.handle(PlaceOrder(req()))
        b = e.handle(Step(m.advance(10)))
        assert published == []
    assert published == [a.published + b.published]


def test_an_exception_inside_a_transaction_block_aborts_it() -> None:
    e = engine(market())
    before = export_state(e.state)
    with pytest.raises(KeyError), e.transaction():
        e.handle(PlaceOrder(req()))
        raise KeyError("store down")
    assert differences(e.state, import_state(before)) == []


def test_only_one_transaction_is_open_at_a_time() -> None:
    e = engine(market())
    with e.transaction(), pytest.raises(RuntimeError):
        e.begin()


def test_a_snapshot_holds_copies_of_the_orders_with_every_field_but_the_revision() -> None:
    from dataclasses import fields

    from app.broker.domain.checkpoint import ORDER_COLUMNS
    from app.broker.domain.orders import Order

    e = engine(market())
    e.handle(PlaceOrder(req(OrderType.LIMIT, limit_price=99.0, take_profit=101.0)))
    live = e.state.orders["ORDER-1"]
    saved = export_state(e.state).orders[0]
    assert ORDER_COLUMNS == tuple(f.name for f in fields(Order) if f.name != "rev")
    assert saved == live and saved is not live and saved.terms is live.terms
    assert saved.rev != live.rev
