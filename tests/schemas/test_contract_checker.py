"""tests.contract.assert_wire accepts the CONTRACT's observed bodies and names each violation."""

from __future__ import annotations

import orjson
import pytest

from schemas.broker import PlacedOrderSchema, PositionSchema
from schemas.common import HealthResponseSchema, HTTPValidationErrorSchema, SuccessResponseSchema, VersionInfoSchema
from schemas.datafeed import DatafeedConfigurationSchema, GetBarsResponseSchema, QuoteDataSchema, SymbolInfoSchema
from schemas.ws import (
    SubscriptionResponseSchema,
    SubscriptionUpdate_Bar_Schema,
    SubscriptionUpdate_BrokerConnectionStatus_Schema,
    SubscriptionUpdate_QuoteData_Schema,
)
from tests.contract import assert_wire

AAPL = (
    b'{"name":"AAPL","description":"Apple Inc.","type":"stock","session":"0930-1600",'
    b'"timezone":"America/New_York","ticker":"AAPL","exchange":"NASDAQ","listed_exchange":"NASDAQ",'
    b'"format":"price","pricescale":100,"minmov":1,"has_intraday":true,"has_daily":true,'
    b'"supported_resolutions":["1D"],"volume_precision":0,"data_status":"streaming"}'
)
HEALTH = (
    '{"status":"ok","message":"Service is healthy","timestamp":"2026-11-24T02:05:07.720605Z",'
    '"module_name":"broker","api_version":"v1"}'
)
VERSION = (
    '{"version":"v1","release_date":"TBD","status":"stable","breaking_changes":[],'
    '"deprecation_notice":null,"sunset_date":null}'
)
CONFIG = (
    '{"supported_resolutions":["5","1D","1W"],"supports_marks":false,"supports_timescale_marks":false,'
    '"supports_time":false,"exchanges":[{"value":"","name":"All Exchanges","desc":""},'
    '{"value":"NASDAQ","name":"NASDAQ","desc":"NASDAQ"},{"value":"NYSE","name":"NYSE","desc":"NYSE"}],'
    '"symbols_types":[{"name":"All types","value":""},{"name":"Stock","value":"stock"},'
    '{"name":"Crypto","value":"crypto"},{"name":"Forex","value":"forex"}]}'
)
SUBSCRIBED = '{"status":"ok","message":"Subscribed","topic":"bars:{\\"resolution\\":\\"1D\\",\\"symbol\\":\\"AAPL\\"}"}'
BAR_UPDATE = (
    '{"topic":"bars:{\\"resolution\\":\\"1D\\",\\"symbol\\":\\"AAPL\\"}","payload":{"time":1795478400000,'
    '"open":118.88,"high":120.78,"low":116.61,"close":120.05,"volume":1042924}}'
)
QUOTE_ERROR_UPDATE = (
    '{"topic":"quotes:{\\"fast_symbols\\":[\\"MSFT\\"],\\"symbols\\":[\\"AAPL\\",\\"ZZZ\\"]}",'
    '"payload":{"s":"error","n":"ZZZ","v":{"error":"Symbol not found"}}}'
)
CONNECTION_UPDATE = (
    '{"topic":"broker-connection:{\\"accountId\\":\\"ACCOUNT-01\\"}","payload":{"status":1,'
    '"message":"Connected to demo broker","disconnectType":null,"timestamp":1795485982523}}'
)
ENUM_422 = (
    '{"detail":[{"type":"enum","loc":["body","side"],"msg":"Input should be 1 or -1","input":0,'
    '"ctx":{"expected":"1 or -1"}}]}'
)


def placed_order(**changes: object) -> dict[str, object]:
    order: dict[str, object] = {
        "id": "ORDER-1", "symbol": "AAPL", "type": 1, "side": 1, "qty": 10.0, "status": 6,
        "limitPrice": 100.0, "stopPrice": None, "takeProfit": None, "stopLoss": None,
        "guaranteedStop": None, "trailingStopPips": None, "stopType": None, "filledQty": 0.0,
        "avgPrice": None, "updateTime": 1795485982523, "parentId": None, "parentType": None,
        "clientOrderId": None, "duration": None,
    }
    order.update(changes)
    return order


def quote_ok() -> dict[str, object]:
    values = {
        "lp": 118.4, "ask": 118.46, "bid": 118.34, "spread": 0.12, "open_price": 118.88,
        "high_price": 120.78, "low_price": 116.61, "prev_close_price": 117.76, "volume": 1033158,
        "ch": -0.48, "chp": -0.4, "short_name": "AAPL", "exchange": "DEMO",
        "description": "Demo quotes for AAPL", "original_name": "AAPL",
    }
    return {"s": "ok", "n": "AAPL", "v": values}


@pytest.mark.parametrize(
    ("schema", "body"),
    [
        (SymbolInfoSchema(), AAPL),
        (HealthResponseSchema(), HEALTH),
        (VersionInfoSchema(), VERSION),
        (DatafeedConfigurationSchema(), CONFIG),
        (SubscriptionResponseSchema(), SUBSCRIBED),
        (SubscriptionUpdate_Bar_Schema(), BAR_UPDATE),
        (SubscriptionUpdate_QuoteData_Schema(), QUOTE_ERROR_UPDATE),
        (SubscriptionUpdate_BrokerConnectionStatus_Schema(), CONNECTION_UPDATE),
        (HTTPValidationErrorSchema(), ENUM_422),
        (SuccessResponseSchema(), '{"success":true,"message":"Operation completed successfully"}'),
    ],
)
def test_accepts_the_contract_examples(schema: object, body: str | bytes) -> None:
    assert_wire(schema, body)  # type: ignore[arg-type]


def test_accepts_parsed_payloads_and_lists() -> None:
    assert_wire(PlacedOrderSchema(), placed_order())
    assert_wire(PlacedOrderSchema(), [placed_order(), placed_order(id="ORDER-2", side=-1)], many=True)
    assert_wire(QuoteDataSchema(), quote_ok())


def test_an_int_where_a_float_is_declared() -> None:
    with pytest.raises(AssertionError, match=r"^\$\.qty: expected a float \(with a decimal point\), got int 10$"):
        assert_wire(PlacedOrderSchema(), orjson.dumps(placed_order(qty=10)))


def test_an_int_where_a_float_is_declared_in_a_parsed_nested_list() -> None:
    body = {"bars": [{"time": 1, "open": 1.0, "high": 2, "low": 1.0, "close": 1.0, "volume": 3}], "no_data": False}
    with pytest.raises(AssertionError, match=r"^\$\.bars\[0\]\.high: expected a float"):
        assert_wire(GetBarsResponseSchema(), body)


def test_a_missing_nullable_key() -> None:
    order = placed_order()
    del order["avgPrice"]
    with pytest.raises(AssertionError, match=r"^\$: missing key\(s\) \['avgPrice'\] \(nullable keys must"):
        assert_wire(PlacedOrderSchema(), order)


def test_an_undeclared_key() -> None:
    with pytest.raises(AssertionError, match=r"^\$: undeclared key\(s\) \['pnl'\]$"):
        assert_wire(PositionSchema(), {"id": "A", "symbol": "A", "qty": 1.0, "side": 1, "avgPrice": 1.0, "pnl": 0.0})


def test_the_wrong_key_order() -> None:
    with pytest.raises(AssertionError, match=r"^\$: key order \['symbol', 'id',"):
        assert_wire(PositionSchema(), {"symbol": "A", "id": "A", "qty": 1.0, "side": 1, "avgPrice": 1.0})


def test_the_wrong_key_order_inside_a_nested_payload() -> None:
    body = '{"topic":"t","payload":{"status":1,"disconnectType":null,"message":null,"timestamp":1}}'
    with pytest.raises(AssertionError, match=r"^\$\.payload: key order"):
        assert_wire(SubscriptionUpdate_BrokerConnectionStatus_Schema(), body)


@pytest.mark.parametrize(("value", "problem"), [(0, "0 is not one of Side"), (True, "got bool True"), ("1", "got str")])
def test_a_wrong_enum(value: object, problem: str) -> None:
    with pytest.raises(AssertionError, match=rf"^\$\.side: .*{problem}"):
        assert_wire(PlacedOrderSchema(), placed_order(side=value))


def test_null_in_a_non_nullable_field() -> None:
    with pytest.raises(AssertionError, match=r"^\$\.symbol: null for a non-nullable field$"):
        assert_wire(PlacedOrderSchema(), placed_order(symbol=None))


def test_a_bool_is_not_a_number() -> None:
    with pytest.raises(AssertionError, match=r"^\$\.updateTime: expected an integer, got bool True$"):
        assert_wire(PlacedOrderSchema(), placed_order(updateTime=True))


def test_the_schema_constraints_still_apply() -> None:
    with pytest.raises(AssertionError, match=r"^\$: violates the schema's constraints: \{'qty'"):
        assert_wire(PlacedOrderSchema(), placed_order(qty=0.0))


def test_quote_values_are_checked_when_the_quote_is_ok() -> None:
    quote = quote_ok()
    quote["v"]["volume"] = 1.0  # type: ignore[index]
    with pytest.raises(AssertionError, match=r"^\$\.v\.volume: expected an integer, got float 1.0$"):
        assert_wire(QuoteDataSchema(), quote)


def test_an_error_quote_carries_only_its_reason() -> None:
    with pytest.raises(AssertionError, match=r"^\$\.v: undeclared key\(s\) \['lp'\]$"):
        assert_wire(QuoteDataSchema(), {"s": "error", "n": "ZZZ", "v": {"error": "Symbol not found", "lp": 1.0}})


def test_many_requires_an_array_and_names_the_element() -> None:
    with pytest.raises(AssertionError, match=r"^\$: expected a JSON array"):
        assert_wire(PositionSchema(), {}, many=True)
    with pytest.raises(AssertionError, match=r"^\$\[1\]: expected an object, got int 3$"):
        position = {"id": "A", "symbol": "A", "qty": 1.0, "side": 1, "avgPrice": 1.0}
        assert_wire(PositionSchema(), [position, 3], many=True)


def test_raw_text_that_is_not_json() -> None:
    with pytest.raises(AssertionError, match=r"^\$: not JSON"):
        assert_wire(PositionSchema(), b'{"id":')
