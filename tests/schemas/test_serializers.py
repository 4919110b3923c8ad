"""Serializers and loaders compiled from a schema: the schema is the one field table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.broker.domain.enums import OrderType, Side
from schemas.base import WireSchema
from schemas.broker import PreOrderSchema
from schemas.enums import WireEnum
from schemas.fast import compile_loader
from schemas.fields import GreaterThan, WireFloat, WireInt, WireList, WireNested, WireStr
from schemas.serializers import attribute_name, dict_serializer, kwargs_binder
from tests.schemas.test_fast import by_fast, by_schema


class _LegSchema(WireSchema):
    price = WireFloat(required=True)


class _ShapeSchema(WireSchema):
    id = WireStr(required=True)
    side = WireEnum(Side, required=True)
    limitPrice = WireFloat(allow_none=True, load_default=None)
    updateTime = WireInt(required=True)
    unrealizedPL = WireFloat(required=True)
    notes = WireList(WireStr(), allow_none=True, load_default=None)
    legs = WireList(WireNested(_LegSchema), required=True)
    main = WireNested(_LegSchema, allow_none=True, load_default=None)


@dataclass(frozen=True, slots=True)
class _Leg:
    price: float


@dataclass(frozen=True, slots=True)
class _Shape:
    id: str
    side: int
    limit_price: float | None
    update_time: int
    unrealized_pl: float
    notes: tuple[str, ...] | None
    legs: tuple[_Leg, ...]
    main: _Leg | None
    internal_seq: int = 0


SHAPE = dict_serializer(_ShapeSchema, _Shape, internal=("internal_seq",), nested={_LegSchema: _Leg})


@pytest.mark.parametrize(("wire", "attribute"), [
    ("limitPrice", "limit_price"), ("unrealizedPL", "unrealized_pl"), ("trailingStopPips", "trailing_stop_pips"),
    ("id", "id"), ("open_price", "open_price"), ("confirmId", "confirm_id"),
])
def test_attribute_names_are_the_snake_case_of_the_wire_names(wire: str, attribute: str) -> None:
    assert attribute_name(wire) == attribute


def test_keys_in_schema_order_floats_as_floats_nullables_present() -> None:
    shape = _Shape("S-1", Side.SELL, None, 7, 0, None, (_Leg(1),), None, 3)  # type: ignore[arg-type]
    assert orjson.dumps(SHAPE(shape)) == (
        b'{"id":"S-1","side":-1,"limitPrice":null,"updateTime":7,"unrealizedPL":0.0,"notes":null,'
        b'"legs":[{"price":1.0}],"main":null}')
    full = _Shape("S-2", 1, 2, 8, 1.5, ("a", "b"), (), _Leg(3.0))  # type: ignore[arg-type]
    assert orjson.dumps(SHAPE(full)) == (
        b'{"id":"S-2","side":1,"limitPrice":2.0,"updateTime":8,"unrealizedPL":1.5,"notes":["a","b"],'
        b'"legs":[],"main":{"price":3.0}}')


@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**6), 10**6), st.integers(0, 2**53))
def test_every_number_comes_out_in_its_wire_type(price: float, time: int) -> None:
    out = SHAPE(_Shape("x", 1, price, time, price, None, (_Leg(price),), _Leg(price)))
    assert [type(out[k]) for k in ("limitPrice", "updateTime", "unrealizedPL")] == [float, int, float]
    assert type(out["legs"][0]["price"]) is float and out["limitPrice"] == price


def test_a_schema_field_without_an_attribute_fails_at_compile_time() -> None:
    class _Extra(_ShapeSchema):
        note = WireStr(allow_none=True, load_default=None)

    with pytest.raises(TypeError, match=r"schema fields without an attribute \['note'\]"):
        dict_serializer(_Extra, _Shape, internal=("internal_seq",))


def test_an_attribute_the_schema_lacks_fails_at_compile_time() -> None:
    with pytest.raises(TypeError, match=r"attributes the schema lacks \['internal_seq'\]"):
        dict_serializer(_ShapeSchema, _Shape)
    with pytest.raises(TypeError, match=r"_LegSchema and _Shape disagree"):
        dict_serializer(_ShapeSchema, _Shape, internal=("internal_seq",), nested={_LegSchema: _Shape})


def test_attrs_rename_what_is_read() -> None:
    class _Priced(WireSchema):
        lp = WireFloat(required=True)

    @dataclass
    class _Quote:
        last: float

    assert dict_serializer(_Priced, _Quote, attrs={"lp": "last"})(_Quote(2)) == {"lp": 2.0}
    with pytest.raises(TypeError, match="no fields"):
        dict_serializer(_Priced, _Quote, attrs={"nope": "last"})


def test_a_binder_passes_each_loaded_field_to_its_keyword() -> None:
    @dataclass
    class _Req:
        id: str
        limit_price: float | None
        legs: int

    bind = kwargs_binder(_LegSchema, _Leg)
    assert bind({"price": 2.0}) == _Leg(2.0)

    class _Body(WireSchema):
        id = WireStr(required=True)
        limitPrice = WireFloat(allow_none=True, load_default=None)
        legs = WireList(WireStr(), required=True)
        clientOrderId = WireStr(allow_none=True, load_default=None)

    bind_req = kwargs_binder(_Body, _Req, convert={"legs": len}, skip=("clientOrderId",))
    assert bind_req({"id": "a", "limitPrice": None, "legs": ["x", "y"], "clientOrderId": "k"}) == _Req("a", None, 2)
    with pytest.raises(TypeError, match="disagree"):
        kwargs_binder(_Body, _Req, convert={"legs": len})


# --- the fast loader ----------------------------------------------------------------------------


class _WiderPreOrderSchema(PreOrderSchema):
    """PreOrder plus fields of every kind the loader compiles: it needs no edit to load them."""

    note = WireStr(allow_none=True, load_default=None)
    size = WireInt(required=True, validate=GreaterThan(2))
    kind = WireEnum(OrderType, load_default=OrderType.MARKET)
    leg = WireNested(_LegSchema, allow_none=True, load_default=None)


WIDER = _WiderPreOrderSchema()
LOAD_WIDER = compile_loader(WIDER)
values = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=True), st.text(max_size=3),
    st.sampled_from(["1", "2.0", "x", " 3 "]), st.lists(st.integers(), max_size=1),
    st.fixed_dictionaries({}, optional={"price": st.one_of(st.none(), st.integers(), st.text(max_size=2))}),
)
bodies = st.one_of(
    st.dictionaries(st.sampled_from(list(WIDER.fields) + ["extra"]), values),
    st.fixed_dictionaries({"symbol": st.just("AAPL"), "type": st.just(1), "side": st.just(-1), "qty": st.just(2),
                           "size": st.integers(0, 5)},
                          optional={k: values for k in ("note", "kind", "leg", "limitPrice")}),
    values,
)


@given(bodies)
def test_a_compiled_loader_answers_as_its_schema_for_fields_it_was_never_told_about(body: Any) -> None:
    expected, actual = by_schema(body, WIDER), by_fast(body, LOAD_WIDER)
    assert repr(actual) == repr(expected)


def test_a_field_kind_the_loader_cannot_compile_fails_at_import() -> None:
    class _Listy(WireSchema):
        names = WireList(WireStr())

    with pytest.raises(TypeError, match="no conversion for WireList"):
        compile_loader(_Listy())
