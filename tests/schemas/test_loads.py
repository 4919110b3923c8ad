"""Loading requests: the original's lax mode, plus the fixes of DESIGN §4 (#20, #29, #30)."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import Schema, ValidationError

from app.broker.domain.enums import OrderStatus, OrderType, ParentType, Side, StopType
from schemas.broker import (
    Body_editPositionBracketsSchema,
    ClosePositionQuerySchema,
    LeverageInfoQuerySchema,
    LeverageSetParamsSchema,
    PlacedOrderSchema,
    PreOrderSchema,
)
from schemas.datafeed import GetBarsQuerySchema, GetQuotesRequestSchema, SearchSymbolsQuerySchema
from schemas.errors import Location, validation_items
from schemas.ws import BarsSubscriptionRequestSchema, OrderSubscriptionRequestSchema, QuoteDataSubscriptionRequestSchema

PRE_ORDER = PreOrderSchema()
ORDER = {"symbol": "AAPL", "type": 1, "side": 1, "qty": 1}


def items(schema: Schema, data: object, location: Location = "body") -> list[dict[str, object]]:
    with pytest.raises(ValidationError) as caught:
        schema.load(data)  # type: ignore[arg-type]
    return validation_items(caught.value, location, data)


def order(**changes: object) -> dict[str, object]:
    return {**ORDER, **changes}


def test_enum_values_are_those_of_the_contract() -> None:
    assert {m.name: m.value for m in OrderStatus} == {
        "CANCELED": 1, "FILLED": 2, "INACTIVE": 3, "PLACING": 4, "REJECTED": 5, "WORKING": 6
    }
    assert {m.name: m.value for m in OrderType} == {"LIMIT": 1, "MARKET": 2, "STOP": 3, "STOP_LIMIT": 4}
    assert {m.name: m.value for m in Side} == {"BUY": 1, "SELL": -1}
    assert {m.name: m.value for m in StopType} == {"STOP_LOSS": 0, "TRAILING_STOP": 1, "GUARANTEED_STOP": 2}
    assert {m.name: m.value for m in ParentType} == {"ORDER": 1, "POSITION": 2}


def test_numeric_strings_load_as_numbers_and_enums() -> None:
    result = PRE_ORDER.load({"symbol": "AAPL", "type": "2", "side": "-1", "qty": " 1.5 ", "stopType": "1.0"})
    assert (result["type"], result["side"], result["qty"], result["stopType"]) == (
        OrderType.MARKET, Side.SELL, 1.5, StopType.TRAILING_STOP
    )
    assert type(result["side"]) is Side


def test_ints_load_as_floats_where_floats_are_declared() -> None:
    result = PRE_ORDER.load(order(limitPrice=100, currentQuotes={"ask": 101, "bid": "99"}))
    assert repr((result["qty"], result["limitPrice"], result["currentQuotes"])) == repr(
        (1.0, 100.0, {"ask": 101.0, "bid": 99.0})
    )


def test_optional_keys_default_to_null_and_unknown_keys_are_dropped() -> None:
    assert PRE_ORDER.load(order(extra=1, customFields={})) == {
        "symbol": "AAPL", "type": OrderType.LIMIT, "side": Side.BUY, "qty": 1.0, "limitPrice": None,
        "stopPrice": None, "takeProfit": None, "stopLoss": None, "guaranteedStop": None,
        "trailingStopPips": None, "stopType": None, "seenPrice": None, "currentQuotes": None,
        "clientOrderId": None, "duration": None,
    }


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, "NaN", "Infinity", "-inf", "1e400", 10**400])
@pytest.mark.parametrize("field", ["qty", "limitPrice", "seenPrice"])
def test_non_finite_numbers_are_a_422_naming_the_field(field: str, value: object) -> None:
    body = order(**{field: value})
    assert items(PRE_ORDER, body) == [
        {"type": "finite_number", "loc": ["body", field], "msg": "Input should be a finite number", "input": value}
    ]


def test_non_finite_nested_number_names_the_nested_field() -> None:
    body = order(currentQuotes={"ask": 1.0, "bid": "inf"})
    assert items(PRE_ORDER, body) == [
        {
            "type": "finite_number",
            "loc": ["body", "currentQuotes", "bid"],
            "msg": "Input should be a finite number",
            "input": "inf",
        }
    ]


@pytest.mark.parametrize(
    ("value", "type_", "msg"),
    [
        ("abc", "float_parsing", "Input should be a valid number, unable to parse string as a number"),
        ("", "float_parsing", "Input should be a valid number, unable to parse string as a number"),
        ("1_000", "float_parsing", "Input should be a valid number, unable to parse string as a number"),
        ("\u0661", "float_parsing", "Input should be a valid number, unable to parse string as a number"),
        (True, "float_type", "Input should be a valid number"),
        ([1], "float_type", "Input should be a valid number"),
        ({}, "float_type", "Input should be a valid number"),
    ],
)
def test_what_is_not_a_number(value: object, type_: str, msg: str) -> None:
    assert items(PRE_ORDER, order(stopPrice=value)) == [
        {"type": type_, "loc": ["body", "stopPrice"], "msg": msg, "input": value}
    ]


@pytest.mark.parametrize("qty", [0, -1, "0", -0.0, 1e-400])
def test_qty_must_be_positive(qty: object) -> None:
    assert items(PRE_ORDER, order(qty=qty)) == [
        {"type": "greater_than", "loc": ["body", "qty"], "msg": "Input should be greater than 0", "input": qty,
         "ctx": {"gt": 0}}
    ]


@given(st.integers().filter(lambda n: n not in (1, -1)))
def test_a_side_outside_the_enum(side: int) -> None:
    assert items(PRE_ORDER, order(side=side)) == [
        {"type": "enum", "loc": ["body", "side"], "msg": "Input should be 1 or -1", "input": side,
         "ctx": {"expected": "1 or -1"}}
    ]


@pytest.mark.parametrize("value", [None, True, "x", 1.5, "1.5", [1], 0])
def test_an_order_type_outside_the_enum(value: object) -> None:
    assert items(PRE_ORDER, order(type=value)) == [
        {"type": "enum", "loc": ["body", "type"], "msg": "Input should be 1, 2, 3 or 4", "input": value,
         "ctx": {"expected": "1, 2, 3 or 4"}}
    ]


def test_stop_type_is_nullable_but_checked() -> None:
    assert PRE_ORDER.load(order(stopType=None))["stopType"] is None
    assert items(PRE_ORDER, order(stopType=3))[0]["ctx"] == {"expected": "0, 1 or 2"}


def test_missing_fields_report_the_enclosing_object() -> None:
    body: dict[str, object] = {"symbol": "AAPL"}
    assert items(PRE_ORDER, body) == [
        {"type": "missing", "loc": ["body", field], "msg": "Field required", "input": body}
        for field in ("type", "side", "qty")
    ]


@pytest.mark.parametrize(
    ("field", "type_", "msg"),
    [
        ("symbol", "string_type", "Input should be a valid string"),
        ("qty", "float_type", "Input should be a valid number"),
    ],
)
def test_null_in_a_required_field_is_a_type_error(field: str, type_: str, msg: str) -> None:
    assert items(PRE_ORDER, order(**{field: None})) == [
        {"type": type_, "loc": ["body", field], "msg": msg, "input": None}
    ]


def test_a_symbol_is_never_a_number() -> None:
    assert items(PRE_ORDER, order(symbol=1))[0]["type"] == "string_type"


def test_current_quotes_must_be_an_object() -> None:
    assert items(PRE_ORDER, order(currentQuotes=[1, 2])) == [
        {
            "type": "model_attributes_type",
            "loc": ["body", "currentQuotes"],
            "msg": "Input should be a valid dictionary or object to extract fields from",
            "input": [1, 2],
        }
    ]


def test_brackets_body_needs_its_brackets_object() -> None:
    body = {"stopLoss": 1}
    assert items(Body_editPositionBracketsSchema(), body) == [
        {"type": "missing", "loc": ["body", "brackets"], "msg": "Field required", "input": body}
    ]
    assert Body_editPositionBracketsSchema().load({"brackets": {"stopLoss": "1"}, "customFields": None}) == {
        "brackets": {"stopLoss": 1.0, "guaranteedStop": None, "takeProfit": None, "trailingStopPips": None},
        "customFields": None,
    }


def test_custom_fields_must_be_an_object_or_null() -> None:
    body = {"symbol": "AAPL", "orderType": 1, "side": 1, "leverage": 5, "customFields": "x"}
    assert items(LeverageSetParamsSchema(), body) == [
        {"type": "dict_type", "loc": ["body", "customFields"], "msg": "Input should be a valid dictionary",
         "input": "x"}
    ]


def test_leverage_range_is_not_a_schema_rule() -> None:
    loaded = LeverageSetParamsSchema().load({"symbol": "AAPL", "orderType": 1, "side": 1, "leverage": 500})
    assert loaded == {"symbol": "AAPL", "orderType": OrderType.LIMIT, "side": Side.BUY, "customFields": None,
                      "leverage": 500.0}


def test_quotes_request_is_bounded_to_1000_symbols() -> None:
    schema = GetQuotesRequestSchema()
    assert len(schema.load({"symbols": ["AAPL"] * 1000})["symbols"]) == 1000
    body = {"symbols": ["AAPL"] * 1001}
    assert items(schema, body) == [
        {
            "type": "too_long",
            "loc": ["body", "symbols"],
            "msg": "List should have at most 1000 items after validation, not 1001",
            "input": body["symbols"],
            "ctx": {"field_type": "List", "max_length": 1000, "actual_length": 1001},
        }
    ]


def test_list_items_are_located_by_index() -> None:
    assert items(GetQuotesRequestSchema(), {"symbols": ["A", "B", "C", 4]}) == [
        {"type": "string_type", "loc": ["body", "symbols", 3], "msg": "Input should be a valid string", "input": 4}
    ]
    assert items(GetQuotesRequestSchema(), {"symbols": "AAPL"}) == [
        {"type": "list_type", "loc": ["body", "symbols"], "msg": "Input should be a valid list", "input": "AAPL"}
    ]


def test_search_query_defaults_and_empty_input() -> None:
    assert SearchSymbolsQuerySchema().load({"user_input": ""}) == {
        "user_input": "", "exchange": "", "symbol_type": "", "max_results": 50
    }


def test_search_query_errors() -> None:
    query: dict[str, Any] = {"max_results": "-1"}
    assert items(SearchSymbolsQuerySchema(), query, "query") == [
        {"type": "missing", "loc": ["query", "user_input"], "msg": "Field required", "input": None},
        {"type": "greater_than_equal", "loc": ["query", "max_results"],
         "msg": "Input should be greater than or equal to 0", "input": "-1", "ctx": {"ge": 0}},
    ]


def test_bars_query() -> None:
    schema = GetBarsQuerySchema()
    query = {"symbol": "AAPL", "resolution": "1D", "from_time": "1760918400000", "to_time": "1795478400000"}
    assert schema.load(query) == {
        "symbol": "AAPL", "resolution": "1D", "from_time": 1760918400000, "to_time": 1795478400000,
        "count_back": None,
    }
    assert schema.load({**query, "count_back": "0"})["count_back"] == 0
    assert items(schema, {**query, "from_time": "1.5", "count_back": "-2"}, "query") == [
        {"type": "int_parsing", "loc": ["query", "from_time"],
         "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "1.5"},
        {"type": "greater_than_equal", "loc": ["query", "count_back"],
         "msg": "Input should be greater than or equal to 0", "input": "-2", "ctx": {"ge": 0}},
    ]


def test_close_position_amount() -> None:
    assert ClosePositionQuerySchema().load({}) == {"amount": None}
    assert ClosePositionQuerySchema().load({"amount": "50"}) == {"amount": 50.0}
    assert items(ClosePositionQuerySchema(), {"amount": "abc"}, "query") == [
        {"type": "float_parsing", "loc": ["query", "amount"],
         "msg": "Input should be a valid number, unable to parse string as a number", "input": "abc"}
    ]


def test_leverage_info_query() -> None:
    assert LeverageInfoQuerySchema().load({"symbol": "AAPL", "orderType": "2", "side": "-1"}) == {
        "symbol": "AAPL", "orderType": OrderType.MARKET, "side": Side.SELL
    }
    assert items(LeverageInfoQuerySchema(), {"symbol": "AAPL", "orderType": "9", "side": "1"}, "query") == [
        {"type": "enum", "loc": ["query", "orderType"], "msg": "Input should be 1, 2, 3 or 4", "input": "9",
         "ctx": {"expected": "1, 2, 3 or 4"}}
    ]


def test_ws_requests_drop_unknown_keys_and_need_strings() -> None:
    assert OrderSubscriptionRequestSchema().load({"accountId": "X", "symbol": "AAPL"}) == {"accountId": "X"}
    assert items(OrderSubscriptionRequestSchema(), {"accountId": 1})[0]["loc"] == ["body", "accountId"]
    assert BarsSubscriptionRequestSchema().load({"resolution": "1D", "symbol": "AAPL"}) == {
        "symbol": "AAPL", "resolution": "1D"
    }
    assert [i["loc"] for i in items(QuoteDataSubscriptionRequestSchema(), {"symbols": []})] == [
        ["body", "fast_symbols"]
    ]


def test_placed_order_revalidation_fills_our_nullable_tail() -> None:
    loaded = PlacedOrderSchema().load({"id": "ORDER-1", "symbol": "A", "type": 1, "side": 1, "qty": 1.0, "status": 6})
    assert (loaded["status"], loaded["parentId"], loaded["parentType"], loaded["clientOrderId"]) == (
        OrderStatus.WORKING, None, None, None
    )
