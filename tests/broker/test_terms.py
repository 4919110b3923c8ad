"""The order's field groups (app/broker/domain/terms.py) are declared once: every order shape
composes them, the wire and the store see their fields flat, and a field added to a group
alone fails at import instead of shipping half-wired."""

from __future__ import annotations

import dataclasses
import enum
import typing

import pytest

from app.broker.api.persistence import CODEC, snapshot_from, to_records
from app.broker.domain.checkpoint import differences, export_state, import_state
from app.broker.domain.commands import PlaceOrder
from app.broker.domain.engine import Engine
from app.broker.domain.enums import OrderType, Side, StopType
from app.broker.domain.events import OrderAccepted, OrderModified
from app.broker.domain.orders import Order
from app.broker.domain.requests import OrderRequest, ValidOrder, validate
from app.broker.domain.snapshots import PlacedOrder
from app.broker.domain.terms import FLAT, TERM_FIELDS, Duration, OrderTerms
from schemas.broker import DurationSchema, PlacedOrderSchema, PreOrderSchema
from schemas.serializers import attribute_name, dict_serializer, flat_paths, kwargs_binder, wire_fields
from tests.broker.helpers import engine, limit, market

SHAPES = (OrderRequest, ValidOrder, OrderAccepted, OrderModified, Order, PlacedOrder)


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.__name__)
def test_every_order_shape_composes_the_one_terms_group_and_repeats_none_of_its_fields(shape: type) -> None:
    hints = typing.get_type_hints(shape)
    names = [f.name for f in dataclasses.fields(shape)]
    assert hints["terms"] is OrderTerms
    assert not set(names) & set(TERM_FIELDS)
    if "duration" in names:
        assert hints["duration"] == Duration | None


def test_the_wire_carries_each_term_flat_under_its_camel_case_key() -> None:
    terms = {name: f"terms.{name}" for name in TERM_FIELDS}
    assert {k: v for k, v in flat_paths(PlacedOrder).items() if v.startswith("terms.")} == terms
    assert {k: v for k, v in flat_paths(OrderRequest).items() if v.startswith("terms.")} == terms
    for schema in (PlacedOrderSchema, PreOrderSchema):
        assert set(TERM_FIELDS) <= {attribute_name(wire) for wire in wire_fields(schema)}


def _with_a_new_term(shape: type) -> type:
    """``shape`` as it would be with a ``note`` added to OrderTerms only."""
    group = dataclasses.make_dataclass(
        "OrderTerms", [*((f.name, f.type, f) for f in dataclasses.fields(OrderTerms)),
                       ("note", "str | None", dataclasses.field(default=None))],
        namespace={"__module__": OrderTerms.__module__})
    fields = [(f.name, group, dataclasses.field(metadata=f.metadata)) if f.name == "terms" else (f.name, f.type, f)
              for f in dataclasses.fields(shape)]
    return dataclasses.make_dataclass(shape.__name__, fields, namespace={"__module__": shape.__module__})


def test_a_term_the_schemas_do_not_name_fails_the_compiled_serializer_and_binder() -> None:
    with pytest.raises(TypeError, match=r"attributes the schema lacks \['note'\]"):
        dict_serializer(PlacedOrderSchema, _with_a_new_term(PlacedOrder), nested={DurationSchema: Duration})
    with pytest.raises(TypeError, match=r"attributes the schema lacks \['note'\]"):
        kwargs_binder(PreOrderSchema, _with_a_new_term(OrderRequest), skip=("clientOrderId",))


def test_a_flat_group_is_marked_by_its_metadata() -> None:
    for shape in (OrderRequest, Order, PlacedOrder):
        (terms,) = [f for f in dataclasses.fields(shape) if f.name == "terms"]
        assert terms.metadata == FLAT
    (nested,) = [f for f in dataclasses.fields(OrderAccepted) if f.name == "terms"]
    assert not nested.metadata  # events store their terms as an object of their own, as always


STORED_ACCEPTED = (
    b'{"order_id":"ORDER-1","seq":1,"symbol":"AAPL","type":1,"side":1,"status":6,"terms":{"qty":2.0,"limit'
    b'_price":99.0,"stop_price":null,"take_profit":null,"stop_loss":null,"guaranteed_stop":null,"trailing_'
    b'stop_pips":null,"stop_type":null},"parent_id":null,"parent_type":null,"client_order_id":"c-1","time"'
    b':1000000,"spot":2,"duration":{"type":"DAY","datetime":null}}')
STORED_BOUND = (
    b'{"client_order_id":"c-1","order_id":"ORDER-1","request":{"symbol":"AAPL","type":1,"side":1,"qty":2.0'
    b',"limit_price":99.0,"stop_price":null,"take_profit":null,"stop_loss":null,"guaranteed_stop":null,"tr'
    b'ailing_stop_pips":null,"stop_type":null,"seen_price":null,"current_quotes":null,"duration":{"type":"'
    b'DAY","datetime":null}}}')
STORED_SNAPSHOT = (
    b'{"orders":[{"id":"ORDER-1","seq":1,"symbol":"AAPL","type":1,"side":1,"qty":2.0,"status":6,"limit_pri'
    b'ce":99.0,"stop_price":null,"take_profit":null,"stop_loss":null,"guaranteed_stop":null,"trailing_stop'
    b'_pips":null,"stop_type":null,"filled_qty":0.0,"avg_price":null,"update_time":1000000,"parent_id":nul'
    b'l,"parent_type":null,"client_order_id":"c-1","since":1000000,"spot":2,"book_seq":1,"triggered":false'
    b',"crossed":false,"tp_leg":null,"sl_leg":null,"sibling":null,"filled_value":0.0,"duration":{"type":"D'
    b'AY","datetime":null},"expires_at":86400000}],"positions":[],"balance":100000.0,"realized":0.0,"last_'
    b'execution_seq":0,"executions":[],"leverage":[],"client_ids":[{"client_order_id":"c-1","order_id":"OR'
    b'DER-1","request":{"symbol":"AAPL","type":1,"side":1,"qty":2.0,"limit_price":99.0,"stop_price":null,"'
    b'take_profit":null,"stop_loss":null,"guaranteed_stop":null,"trailing_stop_pips":null,"stop_type":null'
    b',"seen_price":null,"current_quotes":null,"duration":{"type":"DAY","datetime":null}}}],"next_order_se'
    b'q":2,"book_seq":1,"book_symbols":["AAPL"],"last_step":1000000,"last_equity":{"equity":100000.0,"bala'
    b'nce":100000.0,"unrealized_pl":0.0,"realized_pl":0.0},"last_equity_time":1000000}')
"""Written by the code before the terms were a group of their own (commit db1fbd0)."""


def _placed() -> tuple[Engine, list[bytes]]:
    e = engine(market())
    handled = e.handle(PlaceOrder(limit(Side.BUY, 2.0, 99.0, duration=Duration("DAY")), "c-1"))
    return e, [record.payload for record in to_records(handled.events, 1)]


def test_the_journal_of_a_placed_order_is_byte_for_byte_what_it_was() -> None:
    _, payloads = _placed()
    assert payloads == [STORED_ACCEPTED, STORED_BOUND]
    assert CODEC.dumps(CODEC.loads("ClientOrderIdBound", STORED_BOUND)) == STORED_BOUND


def test_a_snapshot_written_before_reads_back_as_the_same_state() -> None:
    e, _ = _placed()
    live = e.state
    old = snapshot_from(STORED_SNAPSHOT)
    assert old == export_state(live)
    assert differences(import_state(old), live) == []
    assert snapshot_from(CODEC.dumps(old)) == old  # the order's keys move (status after the terms), not its data


def _every_term_given() -> OrderTerms:
    """Each term set to a value validation keeps as it is: prices on the tick, an enum member."""
    hints = typing.get_type_hints(OrderTerms)
    values: dict[str, object] = {}
    for i, f in enumerate(dataclasses.fields(OrderTerms)):
        kind = next(t for t in (*typing.get_args(hints[f.name]), hints[f.name]) if t is not type(None))
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            values[f.name] = list(kind)[-1]
        elif kind in (int, float):
            values[f.name] = kind(101 + i)
        else:
            values[f.name] = kind(f"term {i}")
    return OrderTerms(**values)  # type: ignore[arg-type]


def test_validation_carries_every_term_of_the_request() -> None:
    """Validation rebuilds the terms (prices snapped to the tick): a term added to the group
    and not to ``validate`` would be dropped silently, so this fails instead."""
    terms = _every_term_given()
    request = OrderRequest("AAPL", OrderType.LIMIT, Side.SELL, terms)
    assert validate(request, market().catalogue).terms == terms


def test_a_plain_limit_snapped_to_the_tick_keeps_its_other_terms() -> None:
    """The plain-order path rebuilds the terms only when the tick changes the limit's float."""
    terms = OrderTerms(1.0, 0.1 + 0.2, stop_type=list(StopType)[-1])
    assert terms.limit_price != 0.3
    valid = validate(OrderRequest("AAPL", OrderType.LIMIT, Side.SELL, terms), market().catalogue)
    assert valid.terms == dataclasses.replace(terms, limit_price=0.3)
