"""schemas.fast.load_pre_order is PreOrderSchema().load, faster: same result, same 422 items."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import field, fields, make_dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import Schema, ValidationError

from app.broker.domain.enums import OrderType, Side
from app.broker.domain.requests import OrderRequest
from app.broker.domain.terms import OrderTerms
from schemas.broker import PreOrderSchema
from schemas.errors import RequestInvalid, validation_items
from app.broker.api.wire import load_order_request, order_request
from schemas.fast import compile_bound_loader, load_pre_order
from schemas.serializers import attribute_name

SCHEMA = PreOrderSchema()

numbers = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.integers(min_value=-(10**6), max_value=10**6).map(lambda n: f" {n} "),
)
bad_numbers: st.SearchStrategy[object] = st.sampled_from(
    [math.nan, math.inf, -math.inf, "nan", "-Infinity", "1e400", 10**400, "abc", "", "1_0", True, [], {}, None, "0x1"]
)
anything = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=2))
floats_in = st.one_of(numbers, bad_numbers)
enums_in = st.one_of(
    st.sampled_from([1, 2, 3, 4, -1, 0, 5, 6, 1.0, 2.5, "1", "-1", " 2 ", "3.0", "x", True, None, [1]]),
    st.integers(),
)
quotes_in = st.one_of(
    st.none(),
    st.sampled_from(["x", [], 1]),
    st.fixed_dictionaries({}, optional={"ask": floats_in, "bid": floats_in, "mid": anything}),
)
bodies = st.fixed_dictionaries(
    {},
    optional={
        "symbol": st.one_of(st.text(max_size=6), anything),
        "type": enums_in,
        "side": enums_in,
        "qty": floats_in,
        "limitPrice": floats_in,
        "stopPrice": floats_in,
        "takeProfit": floats_in,
        "stopLoss": floats_in,
        "guaranteedStop": floats_in,
        "trailingStopPips": floats_in,
        "stopType": enums_in,
        "seenPrice": floats_in,
        "currentQuotes": quotes_in,
        "clientOrderId": st.one_of(st.text(max_size=6), anything),
        "duration": st.one_of(anything, st.fixed_dictionaries({}, optional={
            "type": st.one_of(st.sampled_from(["DAY", "GTC", "IOC", "FOK", "GTD", "day"]), anything),
            "datetime": st.one_of(st.integers(), anything)})),
        "extra": anything,
    },
)
valid_bodies = st.fixed_dictionaries(
    {
        "symbol": st.text(max_size=6),
        "type": st.sampled_from([1, 2, 3, 4, "1", "4"]),
        "side": st.sampled_from([1, -1, "1", "-1", 1.0]),
        "qty": st.one_of(st.floats(min_value=1e-9, max_value=1e12), st.integers(1, 10**9).map(str)),
    },
    optional={
        "limitPrice": st.one_of(st.none(), numbers),
        "stopPrice": st.one_of(st.none(), numbers),
        "stopType": st.sampled_from([None, 0, 1, 2, "2"]),
        "seenPrice": st.one_of(st.none(), numbers),
        "currentQuotes": st.one_of(st.none(), st.fixed_dictionaries({"ask": numbers, "bid": numbers})),
        "clientOrderId": st.one_of(st.none(), st.text(max_size=6)),
        "duration": st.one_of(st.none(), st.fixed_dictionaries(
            {"type": st.sampled_from(["DAY", "GTC", "IOC", "FOK", "GTD"])},
            optional={"datetime": st.one_of(st.none(), st.integers(0, 2**53))})),
        "customFields": anything,
    },
)


def by_schema(body: object, schema: Schema = SCHEMA) -> tuple[str, Any]:
    try:
        return "ok", schema.load(body)  # type: ignore[arg-type]
    except ValidationError as exc:
        return "422", validation_items(exc, "body", body)


def by_fast(body: object, load: Callable[[object], dict[str, Any]] = load_pre_order) -> tuple[str, Any]:
    try:
        return "ok", load(body)
    except RequestInvalid as exc:
        return "422", exc.items


def assert_same(body: object) -> tuple[str, Any]:
    expected = by_schema(body)
    actual = by_fast(body)
    assert repr(actual) == repr(expected)
    assert actual == expected
    return actual


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(bodies)
def test_any_body_gets_the_schemas_answer(body: dict[str, Any]) -> None:
    assert_same(body)


@settings(max_examples=300)
@given(valid_bodies)
def test_valid_bodies_load_identically(body: dict[str, Any]) -> None:
    outcome, result = assert_same(body)
    assert outcome == "ok"
    assert list(result) == [
        "symbol", "type", "side", "qty", "limitPrice", "stopPrice", "takeProfit", "stopLoss",
        "guaranteedStop", "trailingStopPips", "stopType", "seenPrice", "currentQuotes", "clientOrderId",
        "duration",
    ]


@given(st.one_of(anything, st.lists(st.dictionaries(st.text(max_size=3), anything), max_size=2)))
def test_a_body_that_is_not_an_object(body: object) -> None:
    outcome, items = assert_same(body)
    assert outcome == "422"
    assert items == [
        {
            "type": "model_attributes_type",
            "loc": ["body"],
            "msg": "Input should be a valid dictionary or object to extract fields from",
            "input": body,
        }
    ]


def test_a_typical_order_loads_to_members_and_floats() -> None:
    result = load_pre_order({"symbol": "AAPL", "type": "1", "side": -1, "qty": "2", "limitPrice": 150})
    assert result == {
        "symbol": "AAPL", "type": OrderType.LIMIT, "side": Side.SELL, "qty": 2.0, "limitPrice": 150.0,
        "stopPrice": None, "takeProfit": None, "stopLoss": None, "guaranteedStop": None,
        "trailingStopPips": None, "stopType": None, "seenPrice": None, "currentQuotes": None,
        "clientOrderId": None, "duration": None,
    }
    assert type(result["type"]) is OrderType and type(result["qty"]) is float


def test_errors_come_in_field_order_with_nested_locations() -> None:
    body = {"qty": 0, "currentQuotes": {"ask": "x"}, "side": 0}
    outcome, items = assert_same(body)
    assert outcome == "422"
    assert [(i["type"], i["loc"]) for i in items] == [
        ("missing", ["body", "symbol"]),
        ("missing", ["body", "type"]),
        ("enum", ["body", "side"]),
        ("greater_than", ["body", "qty"]),
        ("float_parsing", ["body", "currentQuotes", "ask"]),
        ("missing", ["body", "currentQuotes", "bid"]),
    ]


def by_bound(body: object) -> tuple[str, Any]:
    try:
        return "ok", load_order_request(body)
    except RequestInvalid as exc:
        return "422", exc.items


def by_loader_then_binder(body: object) -> tuple[str, Any]:
    outcome, loaded = by_fast(body)
    return (outcome, (order_request(loaded), loaded["clientOrderId"])) if outcome == "ok" else (outcome, loaded)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(bodies, valid_bodies, anything))
def test_the_bound_loader_is_the_loader_then_the_binder(body: object) -> None:
    """wire.load_order_request (POST /orders' one function) against load_pre_order followed by
    wire.order_request: the same OrderRequest and clientOrderId, or the same 422 items."""
    actual, expected = by_bound(body), by_loader_then_binder(body)
    assert repr(actual) == repr(expected)
    assert actual == expected


@pytest.mark.parametrize("extra", [{}, {"stopPrice": None, "seenPrice": None}, {"customFields": 1}])
def test_the_bound_loader_finds_the_last_field_after_nulls_and_unknown_keys(extra: dict[str, Any]) -> None:
    """The loader stops looking once every key is taken: nulls and unknown keys never make it
    stop early (a body whose only optional key is the schema's last field)."""
    body = {"symbol": "A", "type": 1, "side": 1, "qty": 1, **extra, "duration": {"type": "DAY"}}
    assert by_bound(body) == by_loader_then_binder(body)
    request, _ = load_order_request(body)
    assert request.duration is not None and request.duration.type == "DAY"


def test_the_bound_loader_converts_an_int_as_to_float_does() -> None:
    for qty in (1, -3, 2**53, -(2**53), 2**53 + 1, 10**30, True):
        assert by_bound({"symbol": "A", "type": 1, "side": 1, "qty": qty}) == by_loader_then_binder(
            {"symbol": "A", "type": 1, "side": 1, "qty": qty})
    request, client_order_id = load_order_request({"symbol": "A", "type": 1, "side": 1, "qty": 2, "clientOrderId": "c"})
    assert (type(request.terms.qty), request.terms.qty, client_order_id) == (float, 2.0, "c")


def _stand_in(source: type, name: str, group: type | None = None) -> type:
    """A plain dataclass with ``source``'s fields (a ``flat`` one holding ``group``): the loader
    must build any such target, not only the domain's own classes."""
    return make_dataclass(name, [
        (f.name, group or object, field(metadata=f.metadata)) if f.metadata.get("flat") else (f.name, object)
        for f in fields(source)], frozen=True)


_Terms = _stand_in(OrderTerms, "_Terms")
_GroupedRequest = _stand_in(OrderRequest, "_GroupedRequest", _Terms)
_grouped = compile_bound_loader(PreOrderSchema(), _GroupedRequest, rest=("clientOrderId",))


@settings(max_examples=200)
@given(valid_bodies)
def test_a_flat_group_is_built_from_its_own_keys(body: dict[str, Any]) -> None:
    """A target field with metadata ``flat`` (app.broker.domain.terms' convention) is its group
    dataclass, built from the group's wire keys."""
    loaded = load_pre_order(body)
    by_attribute = {attribute_name(key): value for key, value in loaded.items()}
    grouped, client_order_id = _grouped(body)
    assert client_order_id == loaded["clientOrderId"]
    assert grouped.terms == _Terms(**{f.name: by_attribute[f.name] for f in fields(_Terms)})
    assert {f.name: getattr(grouped, f.name) for f in fields(_GroupedRequest) if f.name != "terms"} == {
        f.name: by_attribute[f.name] for f in fields(_GroupedRequest) if f.name != "terms"}
