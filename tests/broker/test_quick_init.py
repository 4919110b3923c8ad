"""quick_init: the faster constructor keeps everything a frozen dataclass promises."""

from __future__ import annotations

import dataclasses

import pytest

from app.broker.domain.quick import quick_init
from app.broker.domain.snapshots import PlacedOrder
from app.broker.domain.terms import OrderTerms


def test_instances_stay_frozen_equal_and_hashable() -> None:
    terms = OrderTerms(2.0, limit_price=1.5)
    assert (terms.qty, terms.limit_price, terms.stop_price) == (2.0, 1.5, None)
    assert terms == OrderTerms(2.0, 1.5) and hash(terms) == hash(OrderTerms(2.0, 1.5))
    with pytest.raises(dataclasses.FrozenInstanceError):
        terms.qty = 3.0  # type: ignore[misc]
    assert dataclasses.replace(terms, qty=3.0) == OrderTerms(3.0, 1.5)


def test_parameters_are_those_of_the_dataclass() -> None:
    with pytest.raises(TypeError):
        OrderTerms()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        OrderTerms(1.0, nonsense=2)  # type: ignore[call-arg]
    assert PlacedOrder.__init__.__qualname__ == "PlacedOrder.__init__"


def test_only_frozen_slotted_dataclasses() -> None:
    @dataclasses.dataclass
    class Plain:
        x: int

    with pytest.raises(TypeError, match="frozen slotted"):
        quick_init(Plain)
