"""The datafeed's wire dicts compiled from the schemas: the original's SymbolInfo, and a bar
serializer that is a drop-in for the hand-written one."""

from __future__ import annotations

import orjson
from hypothesis import given
from hypothesis import strategies as st

from app.datafeed.api import wire
from app.datafeed.api.encoding import bar_wire
from app.market import default_catalogue
from app.market.model import Bar
from schemas.datafeed import BarSchema, SymbolInfoSchema


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
    assert orjson.dumps(wire.bar(bar)) == orjson.dumps(bar_wire(bar))
    assert list(wire.bar(bar)) == list(BarSchema().fields)
