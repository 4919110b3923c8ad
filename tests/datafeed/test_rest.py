"""The compatible datafeed REST API (CONTRACT §5, §8; DESIGN §4 #19–#21, §8 bars rules)."""

from __future__ import annotations

from typing import Any

import pytest

from app.market import Market
from schemas.datafeed import (
    DatafeedConfigurationSchema,
    GetBarsResponseSchema,
    QuoteDataSchema,
    SearchSymbolResultItemSchema,
    SymbolInfoSchema,
)
from tests.contract import assert_wire
from tests.datafeed.conftest import DAY, NOW, TODAY

BASE = "/api/v1/datafeed"
FAR_FUTURE = 4_102_444_800_000


async def bars(client: Any, **params: Any) -> Any:
    response = await client.get(f"{BASE}/bars", params={k: str(v) for k, v in params.items()})
    return response.status, await response.read()


async def test_config_advertises_exactly_the_served_resolutions(feed_client: Any) -> None:
    raw = await (await feed_client.get(f"{BASE}/config")).read()
    assert_wire(DatafeedConfigurationSchema(), raw)
    config = await (await feed_client.get(f"{BASE}/config")).json()
    assert config["supported_resolutions"] == ["1", "5", "15", "60", "1D", "1W"]
    assert config["exchanges"][0] == {"value": "", "name": "All Exchanges", "desc": ""}
    assert {"name": "Stock", "value": "stock"} in config["symbols_types"]


@pytest.mark.parametrize("resolution", ["1", "5", "15", "60", "1D", "1W"])
async def test_every_advertised_resolution_is_served(feed_client: Any, resolution: str) -> None:
    status, raw = await bars(feed_client, symbol="AAPL", resolution=resolution, from_time=0,
                             to_time=FAR_FUTURE, count_back=50)
    assert status == 200
    assert_wire(GetBarsResponseSchema(), raw)
    import orjson

    body = orjson.loads(raw)
    assert len(body["bars"]) == 50 and body["no_data"] is False
    times = [b["time"] for b in body["bars"]]
    assert times == sorted(times) and times[-1] <= NOW


async def test_aapl_symbol_info_keeps_the_originals_fields(feed_client: Any) -> None:
    raw = await (await feed_client.get(f"{BASE}/resolve/aapl")).read()
    assert raw == (
        b'{"name":"AAPL","description":"Apple Inc.","type":"stock","session":"24x7","timezone":"Etc/UTC",'
        b'"ticker":"AAPL","exchange":"NASDAQ","listed_exchange":"NASDAQ","format":"price","pricescale":100,'
        b'"minmov":1,"has_intraday":true,"has_daily":true,"supported_resolutions":["1","5","15","60","1D","1W"],'
        b'"volume_precision":0,"data_status":"streaming"}'
    )
    assert_wire(SymbolInfoSchema(), raw)


@pytest.mark.parametrize("text", ["NASDAQ:AAPL", "APPLE", ""])
async def test_unresolvable_symbol_is_404(feed_client: Any, text: str) -> None:
    response = await feed_client.get(f"{BASE}/resolve/{text}")
    assert response.status == 404
    if text:
        assert await response.read() == b'{"detail":"Symbol not found"}'


async def test_search_matches_name_description_or_ticker_in_catalogue_order(feed_client: Any) -> None:
    response = await feed_client.get(f"{BASE}/search", params={"user_input": "inc"})
    found = await response.json()
    assert_wire(SearchSymbolResultItemSchema(), await response.read(), many=True)
    assert [item["symbol"] for item in found] == ["AAPL", "GOOGL", "AMZN", "TSLA"]
    assert found[0] == {"symbol": "AAPL", "description": "Apple Inc.", "exchange": "NASDAQ", "ticker": "AAPL",
                        "type": "stock"}


async def test_search_filters_and_truncates(feed_client: Any) -> None:
    everything = await (await feed_client.get(f"{BASE}/search", params={"user_input": ""})).json()
    assert len(everything) > 3
    two = await (await feed_client.get(f"{BASE}/search", params={"user_input": "", "max_results": "2"})).json()
    assert two == everything[:2]
    none = await (await feed_client.get(f"{BASE}/search", params={"user_input": "", "max_results": "0"})).json()
    assert none == []
    stocks = await (await feed_client.get(f"{BASE}/search", params={"user_input": "", "symbol_type": "STOCK"})).json()
    assert stocks and all(item["type"] == "stock" for item in stocks)
    nyse = await (await feed_client.get(f"{BASE}/search", params={"user_input": "", "exchange": "nyse"})).json()
    assert [item["symbol"] for item in nyse] == ["JPM", "KO"]


@pytest.mark.parametrize(
    ("params", "loc", "type_"),
    [
        ({"max_results": "-1"}, ["query", "max_results"], "greater_than_equal"),
        ({"max_results": "x"}, ["query", "max_results"], "int_parsing"),
        ({}, ["query", "user_input"], "missing"),
    ],
)
async def test_search_422(feed_client: Any, params: dict[str, str], loc: list[str], type_: str) -> None:
    query = {"user_input": "a", **params} if "user_input" not in params and params else params
    response = await feed_client.get(f"{BASE}/search", params=query)
    assert response.status == 422
    detail = (await response.json())["detail"]
    assert detail[0]["loc"] == loc and detail[0]["type"] == type_


@pytest.mark.parametrize(
    ("params", "loc", "type_"),
    [
        ({"count_back": "-1"}, ["query", "count_back"], "greater_than_equal"),
        ({"from_time": "abc"}, ["query", "from_time"], "int_parsing"),
        ({"resolution": "7"}, ["query", "resolution"], "literal_error"),
        ({"to_time": None}, ["query", "to_time"], "missing"),
    ],
)
async def test_bars_422(feed_client: Any, params: dict[str, Any], loc: list[str], type_: str) -> None:
    query = {"symbol": "AAPL", "resolution": "1D", "from_time": "0", "to_time": str(FAR_FUTURE)}
    query.update({k: v for k, v in params.items() if v is not None})
    for key in [k for k, v in params.items() if v is None]:
        del query[key]
    response = await feed_client.get(f"{BASE}/bars", params=query)
    assert response.status == 422
    detail = (await response.json())["detail"]
    assert detail[0]["loc"] == loc and detail[0]["type"] == type_


async def test_unknown_symbol_bars_are_no_data(feed_client: Any) -> None:
    status, raw = await bars(feed_client, symbol="ZZZ", resolution="1D", from_time=0, to_time=FAR_FUTURE)
    assert (status, raw) == (200, b'{"bars":[],"no_data":true}')


async def test_no_data_only_when_nothing_exists_at_or_before_to(feed_client: Any, fixed_market: Market) -> None:
    first = fixed_market.first_bar_time("AAPL", "1D")
    status, raw = await bars(feed_client, symbol="AAPL", resolution="1D", from_time=0, to_time=first - 1)
    assert raw == b'{"bars":[],"no_data":true}'
    # a gap after existing history is empty but not "no data": the chart keeps paging back
    status, raw = await bars(feed_client, symbol="AAPL", resolution="1D", from_time=NOW + DAY, to_time=NOW + 2 * DAY)
    assert raw == b'{"bars":[],"no_data":false}'


async def test_far_future_range_stops_at_now_with_the_growing_current_bar(feed_client: Any) -> None:
    import orjson

    status, raw = await bars(feed_client, symbol="AAPL", resolution="1D", from_time=TODAY - DAY,
                             to_time=FAR_FUTURE)
    body = orjson.loads(raw)
    assert [b["time"] for b in body["bars"]] == [TODAY - DAY, TODAY]


async def test_at_most_ten_thousand_bars_the_most_recent(feed_client: Any) -> None:
    import orjson

    status, raw = await bars(feed_client, symbol="AAPL", resolution="1", from_time=0, to_time=FAR_FUTURE)
    body = orjson.loads(raw)
    assert len(body["bars"]) == 10_000
    assert body["bars"][-1]["time"] == NOW - NOW % 60_000


async def test_count_back_takes_the_last_n_of_the_range(feed_client: Any) -> None:
    import orjson

    _, all_raw = await bars(feed_client, symbol="MSFT", resolution="60", from_time=TODAY - DAY, to_time=TODAY)
    _, last3 = await bars(feed_client, symbol="MSFT", resolution="60", from_time=TODAY - DAY, to_time=TODAY,
                          count_back=3)
    assert orjson.loads(last3)["bars"] == orjson.loads(all_raw)["bars"][-3:]
    _, zero = await bars(feed_client, symbol="MSFT", resolution="60", from_time=TODAY - DAY, to_time=TODAY,
                         count_back=0)
    assert orjson.loads(zero)["bars"] == orjson.loads(all_raw)["bars"]


async def test_quotes_per_symbol_echo_the_request_and_report_unknown_ones(
    feed_client: Any, fixed_market: Market
) -> None:
    response = await feed_client.post(f"{BASE}/quotes", json={"symbols": ["msft", "ZZZ", "AAPL", "AAPL"]})
    raw = await response.read()
    assert_wire(QuoteDataSchema(), raw, many=True)
    quotes = await response.json()
    assert [q["n"] for q in quotes] == ["msft", "ZZZ", "AAPL", "AAPL"]
    assert quotes[1] == {"s": "error", "n": "ZZZ", "v": {"error": "Symbol not found"}}
    msft, aapl = quotes[0]["v"], quotes[2]["v"]
    assert (msft["short_name"], msft["original_name"]) == ("msft", "msft"), "echoed as sent (CONTRACT §8.5)"
    assert msft["lp"] != aapl["lp"]
    expected = fixed_market.quote("AAPL")
    assert (aapl["bid"], aapl["ask"], aapl["lp"]) == (expected.bid, expected.ask, expected.last)
    assert aapl["bid"] < aapl["ask"]


@pytest.mark.parametrize(
    ("body", "loc", "type_"),
    [
        ({}, ["body", "symbols"], "missing"),
        ({"symbols": "AAPL"}, ["body", "symbols"], "list_type"),
        ({"symbols": [1]}, ["body", "symbols", 0], "string_type"),
        ({"symbols": ["A"] * 1001}, ["body", "symbols"], "too_long"),
    ],
)
async def test_quotes_422(feed_client: Any, body: dict[str, Any], loc: list[Any], type_: str) -> None:
    response = await feed_client.post(f"{BASE}/quotes", json=body)
    assert response.status == 422
    detail = (await response.json())["detail"]
    assert detail[0]["loc"] == loc and detail[0]["type"] == type_


async def test_empty_quotes_request_is_an_empty_list(feed_client: Any) -> None:
    response = await feed_client.post(f"{BASE}/quotes", json={"symbols": []})
    assert await response.read() == b"[]"


@pytest.mark.parametrize("resolution", ["1D", "1W"])
async def test_a_bar_opening_before_from_time_is_not_served(feed_client: Any, resolution: str) -> None:
    status, raw = await bars(feed_client, symbol="AAPL", resolution=resolution, from_time=NOW - 1000, to_time=NOW)
    assert (status, raw) == (200, b'{"bars":[],"no_data":false}')


async def test_spellings_of_a_symbol_share_one_bar_cache(feed_client: Any) -> None:
    from app.keys import BAR_CACHE, MODULE_APPS

    cache = feed_client.app[MODULE_APPS]["datafeed"][BAR_CACHE]
    answers = []
    for symbol, resolution in [("AAPL", "1D"), ("aapl", "D"), ("Aapl", "1D")]:
        _, raw = await bars(feed_client, symbol=symbol, resolution=resolution, from_time=0, to_time=NOW,
                            count_back=5)
        answers.append(raw)
    assert answers[0] == answers[1] == answers[2]
    assert list(cache.encoded) == [("AAPL", "1D")]


async def test_websocket_handshake_on_another_path_is_refused(feed_client: Any) -> None:
    from aiohttp import WSServerHandshakeError

    for path in ("/api/v1/datafeed/ws/", "/api/v1/datafeed/wss"):
        with pytest.raises(WSServerHandshakeError) as info:
            await feed_client.ws_connect(path)
        assert info.value.status == 403
