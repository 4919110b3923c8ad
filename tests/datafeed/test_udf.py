"""TradingView UDF endpoints (reference/TRADINGVIEW.md; DESIGN §5 no_data/nextTime)."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from app.market import Market
from tests.datafeed.conftest import DAY, NOW, TODAY

UDF = "/api/v1/datafeed/udf"
FAR = 4_102_444_800


async def get(client: Any, path: str, **params: Any) -> Any:
    response = await client.get(f"{UDF}/{path}", params={k: str(v) for k, v in params.items()})
    assert response.status == 200, await response.text()
    return orjson.loads(await response.read())


async def test_config_declares_search_and_time(feed_client: Any) -> None:
    config = await get(feed_client, "config")
    assert config["supports_search"] is True and config["supports_group_request"] is False
    assert config["supports_time"] is True
    assert config["supported_resolutions"] == ["1", "5", "15", "60", "1D", "1W"]


async def test_time_is_bare_unix_seconds(feed_client: Any) -> None:
    response = await feed_client.get(f"{UDF}/time")
    assert await response.text() == str(NOW // 1000)


@pytest.mark.parametrize("text", ["AAPL", "NASDAQ:AAPL", "aapl"])
async def test_symbols_resolves_plain_and_exchange_prefixed_names(feed_client: Any, text: str) -> None:
    info = await get(feed_client, "symbols", symbol=text)
    assert info["name"] == "AAPL" and info["ticker"] == "AAPL" and info["full_name"] == "NASDAQ:AAPL"
    assert info["session"] == "24x7" and info["timezone"] == "Etc/UTC" and info["pricescale"] == 100


@pytest.mark.parametrize("path", ["symbols?symbol=ZZZ", "history?symbol=ZZZ&resolution=D&from=0&to=1"])
async def test_unknown_symbol_is_an_udf_error(feed_client: Any, path: str) -> None:
    """404 with UDF's error body: the UDF adapter reads ``s`` whatever the status."""
    response = await feed_client.get(f"{UDF}/{path}")
    assert response.status == 404
    assert await response.read() == b'{"s":"error","errmsg":"unknown_symbol"}'


async def test_search_has_full_names(feed_client: Any) -> None:
    found = await get(feed_client, "search", query="micro", limit=5)
    assert found == [{"symbol": "MSFT", "full_name": "NASDAQ:MSFT", "description": "Microsoft Corporation",
                      "exchange": "NASDAQ", "ticker": "MSFT", "type": "stock"}]


async def test_history_is_columnar_in_seconds(feed_client: Any) -> None:
    body = await get(feed_client, "history", symbol="AAPL", resolution="D", **{"from": (TODAY - 3 * DAY) // 1000},
                     to=NOW // 1000)
    assert body["s"] == "ok"
    assert body["t"] == [(TODAY - k * DAY) // 1000 for k in (3, 2, 1, 0)]
    assert len(body["o"]) == len(body["h"]) == len(body["l"]) == len(body["c"]) == len(body["v"]) == 4


async def test_countback_wins_over_from(feed_client: Any) -> None:
    body = await get(feed_client, "history", symbol="AAPL", resolution="60", **{"from": NOW // 1000}, to=NOW // 1000,
                     countback=5)
    assert len(body["t"]) == 5 and body["t"][-1] * 1000 == NOW - NOW % 3_600_000


async def test_no_data_points_to_the_closest_earlier_bar(feed_client: Any) -> None:
    future_from = (NOW + 2 * DAY) // 1000
    body = await get(feed_client, "history", symbol="AAPL", resolution="D", **{"from": future_from}, to=FAR)
    assert body == {"s": "no_data", "nextTime": TODAY // 1000}


async def test_no_data_before_history_has_no_next_time(feed_client: Any, fixed_market: Market) -> None:
    first = fixed_market.first_bar_time("AAPL", "1D") // 1000
    body = await get(feed_client, "history", symbol="AAPL", resolution="D", **{"from": first - 10 * 86400},
                     to=first - 86400)
    assert body == {"s": "no_data"}


@pytest.mark.parametrize("resolution", ["5", "1D"])
async def test_udf_and_compatible_bars_agree_exactly(feed_client: Any, resolution: str) -> None:
    udf = await get(feed_client, "history", symbol="AAPL", resolution=resolution, **{"from": 0}, to=NOW // 1000,
                    countback=300)
    response = await feed_client.get("/api/v1/datafeed/bars", params={
        "symbol": "AAPL", "resolution": resolution, "from_time": "0", "to_time": str(NOW), "count_back": "300"})
    compat = orjson.loads(await response.read())["bars"]
    assert len(compat) == 300
    assert udf["t"] == [b["time"] // 1000 for b in compat]
    assert udf["o"] == [b["open"] for b in compat]
    assert udf["h"] == [b["high"] for b in compat]
    assert udf["l"] == [b["low"] for b in compat]
    assert udf["c"] == [b["close"] for b in compat]
    assert udf["v"] == [b["volume"] for b in compat]


async def test_quotes_wrap_quote_data(feed_client: Any) -> None:
    body = await get(feed_client, "quotes", symbols="AAPL,ZZZ")
    assert body["s"] == "ok"
    ok, error = body["d"]
    assert ok["s"] == "ok" and ok["n"] == "AAPL"
    assert list(ok["v"]) == ["ch", "chp", "short_name", "exchange", "description", "lp", "ask", "bid", "spread",
                             "open_price", "high_price", "low_price", "prev_close_price", "volume"]
    assert error == {"s": "error", "n": "ZZZ", "v": {"error": "Symbol not found"}}


async def test_history_422_on_bad_input(feed_client: Any) -> None:
    params = {"symbol": "AAPL", "resolution": "D", "from": "x", "to": "1"}
    response = await feed_client.get(f"{UDF}/history", params=params)
    assert response.status == 422
    assert (await response.json())["detail"][0]["loc"] == ["query", "from"]
