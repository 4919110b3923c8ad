"""Time in force on a stepped clock: DAY and GTD expire, IOC and FOK end on their first step,
with and without the LIQUIDITY cap; the refused combinations; replay of the expiry index."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from app.broker.domain.checkpoint import differences, export_state, import_state
from app.broker.domain.commands import ModifyOrder, PlaceOrder, Step
from app.broker.domain.enums import OrderStatus, OrderType, Side
from app.broker.domain.errors import BadRequest, InvalidOrder
from app.broker.domain.requests import DAY_MS, Duration
from app.broker.domain.settings import EngineSettings
from app.broker.domain.snapshots import Execution, PlacedOrder
from app.broker.domain.state import AccountState
from tests.broker.helpers import engine, http_status, limit, market, req, stop

MIDNIGHT = DAY_MS  # the scripted market starts at t = 1,000,000 ms on 1970-01-01
DAY, GTC, IOC, FOK = Duration("DAY"), Duration("GTC"), Duration("IOC"), Duration("FOK")
CAP4 = EngineSettings(liquidity=MappingProxyType({"AAPL": 4.0}))


def orders_in(published: tuple[object, ...]) -> list[PlacedOrder]:
    return [e for e in published if isinstance(e, PlacedOrder)]


def test_a_day_order_works_until_midnight_utc_then_is_cancelled_at_midnight() -> None:
    m = market()
    e = engine(m)
    oid = e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0, duration=DAY))).value
    assert e.state.orders[oid].expires_at == MIDNIGHT
    assert e.handle(Step(MIDNIGHT - 1)).published == ()
    assert e.order(oid).status == OrderStatus.WORKING  # type: ignore[union-attr]
    m.t = MIDNIGHT + 250
    [cancelled] = orders_in(e.handle(Step(m.t)).published)
    assert (cancelled.id, cancelled.status, cancelled.update_time, cancelled.duration) == (
        oid, OrderStatus.CANCELED, MIDNIGHT, DAY)
    assert e.state.expiring == {}
    assert e.handle(Step(m.advance(DAY_MS))).published == ()


def test_an_order_placed_without_a_duration_never_expires() -> None:
    m = market()
    e = engine(m)
    for duration in (None, GTC):
        e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0, duration=duration)))
    m.t = 10 * DAY_MS
    e.handle(Step(m.t))
    assert [o.status for o in e.orders()] == [OrderStatus.WORKING] * 2
    assert [o.duration for o in e.orders()] == [None, GTC]


def test_a_day_order_crossed_before_midnight_fills_even_when_the_step_ends_after_it() -> None:
    """The step is cut at the expiry: the path up to midnight is matched first."""
    m = market()
    e = engine(m)
    oid = e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0, duration=DAY))).value
    m.set("AAPL", 89.0, 89.02, at=MIDNIGHT - 60_000)
    m.set("AAPL", 99.99, 100.01, at=MIDNIGHT - 30_000)
    m.t = MIDNIGHT + 5_000
    e.handle(Step(m.t))
    order = e.order(oid)
    assert order is not None
    assert (order.status, order.avg_price, order.update_time) == (OrderStatus.FILLED, 90.0, MIDNIGHT)


def test_a_gtd_order_expires_at_its_datetime_and_takes_its_inactive_legs_with_it() -> None:
    m = market()
    e = engine(m)
    at = m.t + 3_600_000
    oid = e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0, take_profit=120.0, stop_loss=80.0,
                                    duration=Duration("GTD", at)))).value
    e.handle(Step(at - 1))
    assert [o.status for o in e.orders()] == [OrderStatus.WORKING, OrderStatus.INACTIVE, OrderStatus.INACTIVE]
    m.t = at + 10
    published = orders_in(e.handle(Step(m.t)).published)
    assert [(o.id, o.status, o.update_time) for o in published] == [
        (oid, OrderStatus.CANCELED, at), ("ORDER-2", OrderStatus.CANCELED, at),
        ("ORDER-3", OrderStatus.CANCELED, at)]


def test_a_partly_filled_day_order_expires_and_its_legs_protect_the_filled_part() -> None:
    m = market()
    e = engine(m, CAP4)
    oid = e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 10.0, take_profit=120.0, duration=DAY))).value
    e.handle(Step(m.advance(10)))
    m.t = MIDNIGHT
    e.handle(Step(m.t))  # the step up to midnight fills 4 more, then the order expires
    order = e.order(oid)
    assert order is not None and (order.status, order.filled_qty) == (OrderStatus.CANCELED, 8.0)
    leg = e.order("ORDER-2")
    assert leg is not None and (leg.status, leg.terms.qty, leg.parent_type) == (OrderStatus.WORKING, 8.0, 2)


def test_ioc_fills_what_the_liquidity_cap_allows_and_cancels_the_rest() -> None:
    m = market(99.99, 100.01)
    e = engine(m, CAP4)
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 10.0, duration=IOC)))
    published = e.handle(Step(m.advance(10))).published
    assert [(x.qty, x.price) for x in published if isinstance(x, Execution)] == [(4.0, 100.01)]
    assert [(o.status, o.filled_qty) for o in orders_in(published)] == [
        (OrderStatus.WORKING, 4.0), (OrderStatus.CANCELED, 4.0)]
    e.handle(Step(m.advance(10)))
    assert [x.qty for x in e.executions("AAPL")] == [4.0]


def test_ioc_without_a_cap_fills_whole_and_a_limit_not_marketable_is_cancelled_unfilled() -> None:
    m = market(99.99, 100.01)
    e = engine(m)
    whole = e.handle(PlaceOrder(limit(Side.BUY, 3.0, 100.05, duration=IOC))).value
    away = e.handle(PlaceOrder(limit(Side.BUY, 3.0, 99.0, duration=IOC))).value
    assert e.state.orders[away].spot.name == "QUEUED"  # decided on the next step, never resting
    e.handle(Step(m.advance(10)))
    done, gone = e.order(whole), e.order(away)
    assert done is not None and (done.status, done.filled_qty, done.avg_price) == (OrderStatus.FILLED, 3.0, 100.01)
    assert gone is not None and (gone.status, gone.filled_qty) == (OrderStatus.CANCELED, 0.0)


@pytest.mark.parametrize(("cap", "qty", "status", "filled"), [
    (4.0, 10.0, OrderStatus.CANCELED, []),
    (4.0, 4.0, OrderStatus.FILLED, [4.0]),
    (20.0, 10.0, OrderStatus.FILLED, [10.0]),
    (None, 10.0, OrderStatus.FILLED, [10.0]),
])
def test_fok_fills_whole_on_its_first_step_or_is_cancelled_whole(
        cap: float | None, qty: float, status: OrderStatus, filled: list[float]) -> None:
    m = market(99.99, 100.01)
    liquidity = {} if cap is None else {"AAPL": cap}
    e = engine(m, EngineSettings(liquidity=MappingProxyType(liquidity)))
    oid = e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, qty, duration=FOK))).value
    e.handle(Step(m.advance(10)))
    e.handle(Step(m.advance(10)))
    order = e.order(oid)
    assert order is not None and order.status == status
    assert [x.qty for x in e.executions("AAPL")] == filled


def test_fok_shares_the_cap_with_the_orders_before_it() -> None:
    m = market(99.99, 100.01)
    e = engine(m, CAP4)
    e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 1.0)))
    fok = e.handle(PlaceOrder(limit(Side.BUY, 4.0, 100.05, duration=FOK))).value
    e.handle(Step(m.advance(10)))
    assert e.order(fok).status == OrderStatus.CANCELED  # type: ignore[union-attr]
    assert [(x.order_id, x.qty) for x in e.executions("AAPL")] == [("ORDER-1", 1.0)]


@pytest.mark.parametrize(("request_", "message"), [
    (stop(Side.BUY, 1.0, 110.0, duration=IOC), "Duration IOC applies to MARKET and LIMIT orders only, not STOP"),
    (req(OrderType.STOP_LIMIT, Side.BUY, 1.0, stop_price=110.0, limit_price=111.0, duration=FOK),
     "Duration FOK applies to MARKET and LIMIT orders only, not STOP_LIMIT"),
    (limit(Side.BUY, 1.0, 90.0, duration=Duration("GTD")), "Duration GTD needs a datetime (unix ms)"),
    (limit(Side.BUY, 1.0, 90.0, duration=Duration("GTD", 1_000_000)),
     "Duration GTD datetime 1000000 is not after the server's time 1000000"),
    (limit(Side.BUY, 1.0, 90.0, duration=Duration("DAY", 5_000_000)), "datetime is only for duration GTD, not DAY"),
])
def test_refused_durations_are_422s_naming_the_field(request_: object, message: str) -> None:
    m = market()
    e = engine(m)
    with pytest.raises(InvalidOrder) as info:
        e.handle(PlaceOrder(request_))  # type: ignore[arg-type]
    assert (info.value.field, info.value.message, http_status(info.value)) == ("duration", message, 422)
    assert e.orders() == []


def test_stop_orders_take_day_gtc_and_gtd() -> None:
    m = market()
    e = engine(m)
    for duration in (DAY, GTC, Duration("GTD", m.t + 1)):
        e.handle(PlaceOrder(stop(Side.BUY, 1.0, 110.0, duration=duration)))
    assert len(e.orders()) == 3


def test_a_modify_keeps_the_duration_and_may_not_change_it() -> None:
    m = market()
    e = engine(m)
    oid = e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0, duration=DAY))).value
    e.handle(ModifyOrder(oid, limit(Side.BUY, 2.0, 91.0)))
    e.handle(ModifyOrder(oid, limit(Side.BUY, 2.0, 92.0, duration=DAY)))
    order = e.state.orders[oid]
    assert (order.terms.qty, order.terms.limit_price, order.duration, order.expires_at) == (2.0, 92.0, DAY, MIDNIGHT)
    with pytest.raises(BadRequest) as info:
        e.handle(ModifyOrder(oid, limit(Side.BUY, 2.0, 92.0, duration=GTC)))
    assert info.value.detail == f"Cannot change duration of order {oid}"
    plain = e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0))).value
    e.handle(ModifyOrder(plain, limit(Side.BUY, 1.0, 91.0, duration=GTC)))  # GTC is what it has


def test_replay_and_snapshots_rebuild_the_expiry_index() -> None:
    m = market()
    e = engine(m)
    events = [e.genesis]
    for request in (limit(Side.BUY, 1.0, 90.0, duration=DAY), limit(Side.BUY, 1.0, 91.0),
                    limit(Side.BUY, 1.0, 92.0, duration=Duration("GTD", MIDNIGHT + 7))):
        events += e.handle(PlaceOrder(request)).events
    events += e.handle(Step(MIDNIGHT)).events
    rebuilt = AccountState.fresh(e.genesis)
    for event in events[1:]:
        rebuilt.apply(event)
    loaded = import_state(export_state(e.state))
    assert e.state.expiring == rebuilt.expiring == loaded.expiring == {"ORDER-3": MIDNIGHT + 7}
    assert differences(rebuilt, e.state) == [] and differences(loaded, e.state) == []


def test_a_failed_step_restores_the_expiry_index() -> None:
    m = market()
    e = engine(m)
    e.handle(PlaceOrder(limit(Side.BUY, 1.0, 90.0, duration=DAY)))
    with e.transaction() as tx:
        e.handle(Step(MIDNIGHT + 1))
        assert e.state.expiring == {}
        tx.abort()
    assert e.state.expiring == {"ORDER-1": MIDNIGHT}
    assert e.order("ORDER-1").status == OrderStatus.WORKING  # type: ignore[union-attr]
