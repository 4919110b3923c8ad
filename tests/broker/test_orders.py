"""The order status table: every (status, trigger) pair, legal and illegal."""

from __future__ import annotations

import itertools

import pytest

from app.broker.domain.enums import OrderStatus, OrderType, ParentType, Side, Trigger
from app.broker.domain.errors import IllegalTransition
from app.broker.domain.orders import TRANSITIONS, Order
from app.broker.domain.terms import OrderTerms

S, T = OrderStatus, Trigger
LEGAL: dict[tuple[OrderStatus, Trigger], OrderStatus] = {
    (S.INACTIVE, T.ACTIVATE): S.WORKING,
    (S.INACTIVE, T.MODIFY): S.INACTIVE,
    (S.INACTIVE, T.CANCEL): S.CANCELED,
    (S.WORKING, T.MODIFY): S.WORKING,
    (S.WORKING, T.CONVERT): S.WORKING,
    (S.WORKING, T.PARTIAL_FILL): S.WORKING,
    (S.WORKING, T.FILL): S.FILLED,
    (S.WORKING, T.CANCEL): S.CANCELED,
}


def _order(status: OrderStatus) -> Order:
    return Order(id="ORDER-7", seq=7, symbol="AAPL", type=OrderType.LIMIT, side=Side.BUY,
                 terms=OrderTerms(1.0, 100.0), status=status, update_time=5)


def _order_key(pair: tuple[OrderStatus, Trigger]) -> tuple[int, str]:
    return int(pair[0]), pair[1].value


LEGAL_PAIRS: list[tuple[OrderStatus, Trigger]] = sorted(LEGAL.keys(), key=_order_key)


def test_the_table_is_exactly_the_documented_one() -> None:
    assert dict(TRANSITIONS) == LEGAL


@pytest.mark.parametrize(("status", "trigger"), LEGAL_PAIRS)
def test_legal_transition_moves_to_the_next_status_and_stamps_the_time(
        status: OrderStatus, trigger: Trigger) -> None:
    order = _order(status)
    order.apply(trigger, 42)
    assert (order.status, order.update_time) == (LEGAL[(status, trigger)], 42)
    assert order.snapshot().status == LEGAL[(status, trigger)]


ILLEGAL = [(s, t) for s, t in itertools.product(OrderStatus, Trigger) if (s, t) not in LEGAL]


@pytest.mark.parametrize(("status", "trigger"), ILLEGAL)
def test_illegal_transition_raises_and_changes_nothing(status: OrderStatus, trigger: Trigger) -> None:
    order = _order(status)
    before, rev = order.snapshot(), order.rev
    with pytest.raises(IllegalTransition) as info:
        order.apply(trigger, 42)
    assert info.value.detail == f"Cannot {trigger.value} order ORDER-7 with status {int(status)}"
    assert (order.status, order.update_time) == (status, 5)
    assert order.snapshot() == before and order.rev == rev


@pytest.mark.parametrize("status", [S.FILLED, S.CANCELED, S.REJECTED])
def test_a_final_status_never_changes(status: OrderStatus) -> None:
    order = _order(status)
    assert status.is_final
    for trigger in Trigger:
        with pytest.raises(IllegalTransition):
            order.apply(trigger, 1)
    assert order.status == status


def test_the_revision_moves_with_every_change_and_is_never_reused() -> None:
    order, other = _order(S.WORKING), _order(S.WORKING)
    first = order.rev
    assert order.snapshot() == order.snapshot() and order.rev == first
    order.apply(T.MODIFY, 9)
    assert order.rev > first and order.rev != other.rev
    assert order.snapshot().update_time == 9


def test_a_resting_order_keeps_no_snapshot_for_the_collector_to_scan() -> None:
    import gc
    from enum import Enum

    order = _order(S.WORKING)
    order.snapshot()
    owned = [o for o in gc.get_referents(order)
             if gc.is_tracked(o) and not isinstance(o, (Enum, type))]  # its class and enums are shared
    assert [type(o).__name__ for o in owned] == ["OrderTerms"]


@pytest.mark.parametrize("parent", [None, *ParentType])
@pytest.mark.parametrize("side", list(Side))
@pytest.mark.parametrize("type_", list(OrderType))
def test_a_snapshot_carries_plain_ints_for_the_wire(type_: OrderType, side: Side, parent: ParentType | None) -> None:
    """The snapshot's type, side, status and parentType are the members' values as plain ints,
    whatever member they come from."""
    for status in OrderStatus:
        order = Order(id="ORDER-7", seq=7, symbol="AAPL", type=type_, side=side, terms=OrderTerms(1.0, 100.0),
                      status=status, parent_type=parent)
        shot = order.snapshot()
        plain = [shot.type, shot.side, shot.status] + ([] if parent is None else [shot.parent_type])
        assert [type(v) for v in plain] == [int] * len(plain)
        assert plain == [type_.value, side.value, status.value] + ([] if parent is None else [parent.value])
