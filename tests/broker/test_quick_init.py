"""quick_init: the faster constructor keeps everything a frozen dataclass promises."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from app.broker.domain.book import SymbolBook
from app.broker.domain.commands import Command, PlaceOrder
from app.broker.domain.enums import OrderStatus, OrderType, Side, StopType
from app.broker.domain.events import OrderAccepted, Spot
from app.broker.domain.orders import Order
from app.broker.domain.quick import quick_init, quick_make
from app.broker.domain.requests import OrderRequest
from app.broker.domain.snapshots import PlacedOrder
from app.broker.domain.terms import Duration, OrderTerms


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


MADE = [
    (OrderTerms, (2.0, 1.5)),
    (OrderTerms, (2.0, 1.5, 1.25, 3.0, 1.0, None, 0.5, StopType.TRAILING_STOP)),
    (PlacedOrder, ("ORDER-7", "AAPL", 1, 1, OrderTerms(1.0, 1.5), 6, 0.0, None, 123, None, None, "c-1",
                   Duration("GTD", 456))),
    (OrderAccepted, ("ORDER-7", 7, "AAPL", OrderType.LIMIT, Side.BUY, OrderStatus.WORKING, OrderTerms(1.0, 1.5),
                     None, None, None, 123, Spot.RESTING)),
    (OrderRequest, ("AAPL", OrderType.LIMIT, Side.SELL, OrderTerms(1.0), 1.5, (1.5, 1.25))),
]


@pytest.mark.parametrize(("cls", "args"), MADE, ids=lambda x: getattr(x, "__name__", ""))
def test_quick_make_builds_what_the_class_builds(cls: type, args: tuple[object, ...]) -> None:
    """Same type, fields, equality, hash, frozenness, replace and pickling as ``cls(*args)``."""
    made, built = quick_make(cls)(*args), cls(*args)
    assert type(made) is cls
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    assert [getattr(made, f.name) for f in dataclasses.fields(cls)] == [getattr(built, f.name)
                                                                        for f in dataclasses.fields(cls)]
    first = dataclasses.fields(cls)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, first, None)
    assert dataclasses.replace(made) == built
    assert pickle.loads(pickle.dumps(made)) == built
    assert quick_make(cls) is quick_make(cls)


def test_quick_make_of_a_mutable_one_sets_every_slot_as_its_init_does() -> None:
    """Defaults, fields outside ``__init__`` and default factories (a new list each time)."""
    args = ("ORDER-1", 1, "AAPL", OrderType.LIMIT, Side.BUY, OrderTerms(1.0, 1.5), OrderStatus.WORKING)
    made, built = quick_make(Order)(*args), Order(*args)
    assert type(made) is Order and made == built
    state = [n for n in Order.__slots__ if n != "rev"]
    assert [getattr(made, n) for n in state] == [getattr(built, n) for n in state]
    assert made.rev != built.rev  # a default factory: each its own revision number
    made.filled_qty = 1.0  # mutable, as the class is
    assert made.filled_qty == 1.0
    book, other = quick_make(SymbolBook)(), quick_make(SymbolBook)()
    assert book == SymbolBook() and book.live is not other.live
    assert type(book.buy_limits) is list and book.buy_limits is not other.buy_limits  # a display, not list()
    assert type(book.trailing) is dict and book.trailing is not other.trailing
    assert quick_make(SymbolBook)(live={"ORDER-1"}).live == {"ORDER-1"}


def test_quick_make_keeps_the_parameters_and_defaults() -> None:
    make = quick_make(OrderTerms)
    assert make(3.0) == OrderTerms(3.0)
    assert make(3.0, stop_type=StopType.STOP_LOSS) == OrderTerms(3.0, stop_type=StopType.STOP_LOSS)
    with pytest.raises(TypeError):
        make()
    with pytest.raises(TypeError):
        make(1.0, nonsense=2)


def test_quick_make_only_for_slotted_dataclasses_of_their_own() -> None:
    @dataclasses.dataclass
    class Unslotted:
        x: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        x: int

        def __post_init__(self) -> None:
            assert self.x > 0

    @dataclasses.dataclass(frozen=True, slots=True)
    class Base:
        x: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Derived(Base):
        y: int

    for cls in (Unslotted, Checked, Derived):
        with pytest.raises(TypeError):
            quick_make(cls)


def test_quick_make_of_a_command_keeps_its_empty_bases() -> None:
    """A command's bases (``Command``, ``Generic``) add no state: it is built like the others."""
    request = OrderRequest("AAPL", OrderType.LIMIT, Side.BUY, OrderTerms(1.0, 1.5))
    made, built = quick_make(PlaceOrder)(request, "c-1"), PlaceOrder(request, "c-1")
    assert type(made) is PlaceOrder and isinstance(made, Command)
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.client_order_id = None  # type: ignore[misc]
    assert quick_make(PlaceOrder)(request) == PlaceOrder(request)
