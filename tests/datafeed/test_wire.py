"""The datafeed's wire dicts compiled from the schemas: the original's SymbolInfo, and the bar
serializers (one bar, columns of bars) that replaced the hand-written dict displays byte for byte."""

from __future__ import annotations

from typing import Any

import orjson
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import Schema

from app.datafeed.api import wire
from app.datafeed.domain.service import Datafeed
from app.market import Market, default_catalogue
from app.market.model import Bar
from schemas.datafeed import (
    BarSchema,
    DatafeedConfigurationSchema,
    QuoteDataSchema,
    QuoteValuesOrError,
    SearchSymbolResultItemSchema,
    SymbolInfoSchema,
)
from schemas.fields import WireList, WireNested
from schemas.serializers import wire_fields


def test_aapl_symbol_info_is_the_original_with_24x7_utc_and_served_resolutions() -> None:
    info = wire.symbol_info(default_catalogue().get("AAPL"))
    assert list(info) == list(SymbolInfoSchema().fields)
    assert orjson.dumps(info) == (
        b'{"name":"AAPL","description":"Apple Inc.","type":"stock","session":"24x7",'
        b'"timezone":"Etc/UTC","ticker":"AAPL","exchange":"NASDAQ","listed_exchange":"NASDAQ",'
        b'"format":"price","pricescale":100,"minmov":1,"has_intraday":true,"has_daily":true,'
        b'"supported_resolutions":["1","5","15","60","1D","1W"],"volume_precision":0,'
        b'"data_status":"streaming"}'
    )


prices = st.floats(min_value=0.01, max_value=1e6, allow_nan=False)


@given(st.builds(Bar, st.integers(0, 2**50), prices, prices, prices, prices, st.integers(0, 10**12)))
def test_the_compiled_bar_is_the_hand_written_one(bar: Bar) -> None:
    hand_written = {"time": bar.time, "open": bar.open, "high": bar.high, "low": bar.low, "close": bar.close,
                    "volume": bar.volume}  # what app/datafeed/api/encoding.py built before (CONTRACT §3.2)
    assert orjson.dumps(wire.bar(bar)) == orjson.dumps(hand_written)
    assert list(wire.bar(bar)) == list(BarSchema().fields)


@given(st.lists(st.builds(Bar, st.integers(0, 2**50), prices, prices, prices, prices, st.integers(0, 10**12)),
                max_size=20))
def test_columns_of_bars_are_the_bars_one_by_one(bars: list[Bar]) -> None:
    columns = [list(column) for column in zip(*((b.time, b.open, b.high, b.low, b.close, b.volume) for b in bars))]
    rows = wire.bar_rows(*columns) if bars else []
    assert orjson.dumps(rows) == orjson.dumps([wire.bar(b) for b in bars])


def test_columns_must_be_the_rows_dataclass_fields_in_order() -> None:
    import dataclasses

    import pytest

    from schemas.serializers import columns_serializer

    shuffled = dataclasses.make_dataclass("Bar", ["open", "time", "high", "low", "close", "volume"])
    with pytest.raises(TypeError, match="are not Bar's"):
        columns_serializer(BarSchema, shuffled)


def _follows(schema: Schema, data: dict[str, Any]) -> None:
    """``data`` has exactly the schema's keys in its order, nested objects and lists of them too."""
    table = wire_fields(schema)
    assert list(data) == list(table), type(schema).__name__
    for key, field in table.items():
        value = data[key]
        if isinstance(field, QuoteValuesOrError):
            _follows(field.wire_schema(data), value)
        elif isinstance(field, WireNested) and value is not None:
            _follows(field.schema, value)
        elif isinstance(field, WireList) and isinstance(field.inner, WireNested):
            for item in value:
                _follows(field.inner.schema, item)


def test_the_hand_built_quotes_configuration_and_search_results_have_their_schemas_keys() -> None:
    """Built as dict displays in app/datafeed/domain/service.py (cheaper than a dataclass and a
    compiled serializer on the quote stream): a key added to the schema or to the dict alone fails here."""
    feed = Datafeed(Market(default_catalogue(), seed=0, clock=lambda: 1_795_523_696_789))
    for quote in feed.quotes(["AAPL", "aapl", "NOPE"]):
        _follows(QuoteDataSchema(), quote)
    assert [q["s"] for q in feed.quotes(["AAPL", "NOPE"])] == ["ok", "error"]
    _follows(DatafeedConfigurationSchema(), feed.configuration())
    results = feed.search("A", "", "", 5)
    assert results
    for item in results:
        _follows(SearchSymbolResultItemSchema(), item)
