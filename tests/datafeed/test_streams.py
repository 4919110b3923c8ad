"""The datafeed streams: bars grow and roll with the clock, quotes per symbol at two rates."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest

from app.factory import create_app
from app.market import Market, default_catalogue
from app.settings import Settings
from schemas.ws import SubscriptionUpdate_Bar_Schema, SubscriptionUpdate_QuoteData_Schema
from tests.contract import assert_wire
from tests.datafeed.conftest import NOW, SteppedClock
from tests.waiting import wait_until

MINUTE = 60_000


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock(NOW - NOW % MINUTE + 50_000)  # 10 s before a minute rolls


@pytest.fixture
async def stream_client(aiohttp_client: Any, clock: SteppedClock) -> Any:
    market = Market(default_catalogue(), seed=0, clock=clock)
    return await aiohttp_client(create_app(Settings(modules=("datafeed",)), market=market))


async def receive_json(ws: Any) -> Any:
    msg = await asyncio.wait_for(ws.receive(), timeout=5)
    return orjson.loads(msg.data)


async def test_bars_stream_grows_the_current_bar_then_rolls_to_a_new_one(
    stream_client: Any, clock: SteppedClock
) -> None:
    ws = await stream_client.ws_connect("/api/v1/datafeed/ws")
    await ws.send_str('{"type":"bars.subscribe","payload":{"symbol":"AAPL","resolution":"1"}}')
    response = await receive_json(ws)
    assert response["payload"] == {"status": "ok", "message": "Subscribed",
                                   "topic": 'bars:{"resolution":"1","symbol":"AAPL"}'}
    first = await ws.receive()
    assert_wire(SubscriptionUpdate_Bar_Schema(), orjson.loads(first.data)["payload"])
    bar = orjson.loads(first.data)["payload"]["payload"]
    minute = NOW - NOW % MINUTE
    assert bar["time"] == minute
    clock.t = minute + MINUTE + 5_000  # the minute rolled
    seen: list[dict[str, Any]] = []
    while not seen or seen[-1]["time"] != minute + MINUTE:
        seen.append((await receive_json(ws))["payload"]["payload"])
    finals = [b for b in seen if b["time"] == minute]
    assert finals, "the finished bar's final values are sent before the new bar"
    market = Market(default_catalogue(), seed=0, clock=lambda: minute + MINUTE + 5_000)
    closed = market.bars("AAPL", "1", minute, minute)[0]
    assert finals[-1] == {"time": closed.time, "open": closed.open, "high": closed.high, "low": closed.low,
                          "close": closed.close, "volume": closed.volume}
    await ws.close()


async def test_quotes_stream_sends_fast_symbols_five_times_as_often(stream_client: Any) -> None:
    ws = await stream_client.ws_connect("/api/v1/datafeed/ws")
    await ws.send_str('{"type":"quotes.subscribe","payload":{"symbols":["AAPL","ZZZ"],"fast_symbols":["MSFT"]}}')
    await receive_json(ws)
    counts = {"MSFT": 0, "AAPL": 0, "ZZZ": 0}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 2.1
    while loop.time() < deadline:
        message = await receive_json(ws)
        assert message["type"] == "quotes.update"
        assert_wire(SubscriptionUpdate_QuoteData_Schema(), message["payload"])
        quote = message["payload"]["payload"]
        counts[quote["n"]] += 1
        if quote["n"] == "ZZZ":
            assert quote == {"s": "error", "n": "ZZZ", "v": {"error": "Symbol not found"}}
    assert counts["AAPL"] == counts["ZZZ"]
    assert 2 <= counts["AAPL"] <= 4
    assert counts["MSFT"] >= 3 * counts["AAPL"]
    await ws.close()


async def test_unsubscribing_stops_the_producer(stream_client: Any) -> None:
    from app.keys import HUB, MODULE_APPS

    hub = stream_client.app[MODULE_APPS]["datafeed"][HUB]
    ws = await stream_client.ws_connect("/api/v1/datafeed/ws")
    payload = '{"symbols":[],"fast_symbols":["AAPL"]}'
    await ws.send_str('{"type":"quotes.subscribe","payload":' + payload + "}")
    await receive_json(ws)
    assert hub.producer_count == 1
    await ws.send_str('{"type":"quotes.unsubscribe","payload":' + payload + "}")
    while (message := await receive_json(ws))["type"] != "quotes.unsubscribe.response":
        pass
    assert message["payload"]["status"] == "ok"
    await wait_until(lambda: hub.producer_count == 0 and hub.topic_count == 0)
    await ws.close()


@pytest.mark.parametrize(
    ("message", "answer"),
    [
        ('{"type":"quotes.subscribe","payload":{"symbols":[],"fast_symbols":[]}}',
         {"type": "quotes.subscribe.response", "payload": {
             "status": "error", "message": "symbols: At least one symbol is required in symbols or fast_symbols",
             "topic": 'quotes:{"fast_symbols":[],"symbols":[]}'}}),
        ('{"type":"bars.subscribe","payload":{"symbol":"AAPL","resolution":"7"}}',
         {"type": "bars.subscribe.response", "payload": {
             "status": "error", "message": "resolution: Input should be '1', '5', '15', '60', '1D', '1W', 'D' or 'W'",
             "topic": 'bars:{"resolution":"7","symbol":"AAPL"}'}}),
    ],
)
async def test_invalid_subscriptions_are_answered_and_the_socket_stays_open(
    stream_client: Any, message: str, answer: dict[str, Any]
) -> None:
    ws = await stream_client.ws_connect("/api/v1/datafeed/ws")
    await ws.send_str(message)
    assert await receive_json(ws) == answer
    await ws.send_str('{"type":"quotes.subscribe","payload":{"symbols":["AAPL"],"fast_symbols":[]}}')
    assert (await receive_json(ws))["payload"]["status"] == "ok"
    await ws.close()
