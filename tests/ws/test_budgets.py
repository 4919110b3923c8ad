"""What one connection may cost (issue 21): symbols, topics, topic length, messages a second,
and closes that really close (the close frame ahead of the backlog, the socket cut after
``close_timeout``), pings spread over the interval."""

from __future__ import annotations

import asyncio
import json
import socket

import orjson
import pytest
from aiohttp import WSMsgType, web
from pytest_aiohttp.plugin import AiohttpClient

from tests.waiting import wait_until
from tests.ws.conftest import QuotesRequest, Ticker, TicksRequest
from tests.ws.rawclient import CLOSE, RawClient
from ws import Hub, Kind, Route
from ws.connection import Connection, kernel_unsent


def quotes_routes() -> list[Route]:
    def weight(params: dict[str, list[str]]) -> int:  # type: ignore[type-arg]
        return len(set(params["symbols"]) | set(params["fast_symbols"]))

    return [
        Route("quotes", QuotesRequest(), Kind.LATEST, conflation_key=lambda p: p["symbol"], weight=weight),
        Route("ticks", TicksRequest(), Kind.LATEST, producer=Ticker(interval=0.001),
              conflation_key=lambda p: p["symbol"]),
    ]


def app_of(hub: Hub) -> web.Application:
    async def close_all(_: web.Application) -> None:
        await hub.close_all()

    app = web.Application()
    app.router.add_get("/ws", hub.handle)
    app.on_shutdown.append(close_all)
    return app


def quotes(symbols: list[str]) -> str:
    return orjson.dumps({"type": "quotes.subscribe", "payload": {"symbols": symbols, "fast_symbols": []}}).decode()


async def test_a_connection_holds_a_bounded_number_of_symbols_across_its_quote_topics(
    aiohttp_client: AiohttpClient,
) -> None:
    hub = Hub(quotes_routes(), max_symbols=5)
    client = await aiohttp_client(app_of(hub))
    ws = await client.ws_connect("/ws")
    for symbols in (["A", "B", "A"], ["C", "D"], ["E", "F"], ["A", "B", "A"]):
        await ws.send_str(quotes(symbols))
    answers = [(await ws.receive_json(timeout=2))["payload"] for _ in range(4)]
    assert [a["status"] for a in answers] == ["ok", "ok", "error", "ok"]
    assert answers[2]["message"] == ("topic: A connection may hold at most 5 symbols across its topics "
                                     "(4 held, this topic has 2)")

    await ws.send_str(quotes(["C", "D"]).replace("subscribe", "unsubscribe"))
    assert (await ws.receive_json(timeout=2))["payload"]["status"] == "ok"
    await ws.send_str(quotes(["E", "F"]))
    assert (await ws.receive_json(timeout=2))["payload"]["status"] == "ok"
    other = await client.ws_connect("/ws")
    await other.send_str(quotes(["E", "F"]))
    assert (await other.receive_json(timeout=2))["payload"]["status"] == "ok"
    await ws.close()
    await other.close()


async def test_a_topic_too_long_to_repeat_in_every_frame_is_refused(aiohttp_client: AiohttpClient) -> None:
    hub = Hub(quotes_routes(), max_topic_bytes=100)
    client = await aiohttp_client(app_of(hub))
    ws = await client.ws_connect("/ws")
    await ws.send_str(quotes([f"UNKNOWN{n}" for n in range(20)]))
    answer = (await ws.receive_json(timeout=2))["payload"]
    assert answer["status"] == "error" and answer["topic"].startswith("quotes:")
    assert answer["message"] == (f"topic: Longer than 100 characters ({len(answer['topic'])}); "
                                 "split the symbols over several subscriptions")
    assert hub.topic_count == 0
    await ws.close()


async def test_a_flood_gets_one_error_then_is_closed_with_1008(aiohttp_client: AiohttpClient) -> None:
    hub = Hub(quotes_routes(), rate_per_s=5, rate_burst=10)
    client = await aiohttp_client(app_of(hub))
    calm = await client.ws_connect("/ws")
    ws = await client.ws_connect("/ws")
    for _ in range(60):
        await ws.send_str("not json")
    texts = []
    while True:
        msg = await ws.receive(timeout=2)
        if msg.type is not WSMsgType.TEXT:
            break
        texts.append(json.loads(msg.data)["payload"]["message"])
    assert texts == ["Could not decode message: not valid JSON"] * 10 + [
        "Too many messages: at most 5 per second (bursts of 10, a message counting one more per KiB); "
        "the connection is closed with 1008 if they go on"]
    assert (msg.type, msg.data, msg.extra) == (WSMsgType.CLOSE, 1008, "Too many messages")
    await wait_until(lambda: hub.stats.closes[1008] == 1 and hub.connection_count == 1)

    await calm.send_str(quotes(["A"]))
    assert (await calm.receive_json(timeout=2))["payload"]["status"] == "ok"
    await calm.close()


async def test_a_client_over_the_rate_that_slows_down_stays(aiohttp_client: AiohttpClient) -> None:
    hub = Hub(quotes_routes(), rate_per_s=50, rate_burst=3)
    client = await aiohttp_client(app_of(hub))
    ws = await client.ws_connect("/ws")
    for _ in range(5):
        await ws.send_str(quotes(["A"]))
    got = [json.loads((await ws.receive(timeout=2)).data)["type"] for _ in range(4)]
    assert got == ["quotes.subscribe.response"] * 3 + ["error"]
    await asyncio.sleep(0.1)
    await ws.send_str(quotes(["B"]))
    assert (await ws.receive_json(timeout=2))["payload"]["status"] == "ok"
    await ws.close()


def stalled(hub: Hub, raw: RawClient) -> Connection:
    conn = next(c for c in hub.connections if c.transport.get_extra_info("peername")[:2] == raw.local_address)
    conn.transport.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    return conn


async def test_the_1013_close_frame_goes_ahead_of_the_backlog_and_the_socket_is_cut(
    aiohttp_client: AiohttpClient,
) -> None:
    """A quotes client that stops reading: its conflated backlog passes the hard bound, the
    held frames are dropped, the close frame follows the little the transport held, and
    the socket is aborted after ``close_timeout`` although the client never answers."""
    hard = 256 * 1024
    hub = Hub(quotes_routes(), soft_limit=64 * 1024, hard_limit=hard, close_timeout=0.5, max_topic_bytes=8192)
    client = await aiohttp_client(app_of(hub))
    raw = await RawClient.connect(str(client.server.host), int(client.server.port or 0))
    try:
        symbols = [f"S{n}" for n in range(500)]
        await raw.send_text(quotes(symbols))
        await wait_until(lambda: hub.topic_count == 1)
        conn = stalled(hub, raw)
        topic = hub.topics("quotes")[0]
        n = 0
        while conn in hub.connections:
            hub.publish(topic, {"symbol": symbols[n % 500], "n": n, "pad": "x" * 1000})
            n += 1
            if n % 64 == 0:
                await asyncio.sleep(0)
        assert conn.queued == 0 and conn.close_code == 1013
        assert conn.transport.get_write_buffer_size() < 64 * 1024 + 8192

        frames = await raw.frames(timeout=5)
        assert frames[-1][0] == CLOSE and int.from_bytes(frames[-1][1][:2], "big") == 1013
        assert sum(len(data) for _, data in frames) < 64 * 1024 + 64 * 1024
        await wait_until(lambda: conn.lost, timeout=3, what="the socket cut at close_timeout (no close answer)")
        await wait_until(lambda: hub.stats.closes[1013] == 1 and hub.connection_count == 0)
    finally:
        raw.close()


async def test_a_never_reading_peer_is_cut_by_the_heartbeat_with_its_kernel_buffer_freed(
    aiohttp_client: AiohttpClient,
) -> None:
    hub = Hub(quotes_routes(), heartbeat=0.2, soft_limit=64 * 1024)
    client = await aiohttp_client(app_of(hub))
    raw = await RawClient.connect(str(client.server.host), int(client.server.port or 0))
    try:
        await raw.send_text('{"type":"ticks.subscribe","payload":{"symbol":"S","resolution":"1"}}')
        await wait_until(lambda: hub.topic_count == 1)
        conn = next(iter(hub.connections))
        sock = conn.transport.get_extra_info("socket")
        await wait_until(lambda: kernel_unsent(sock) > 0, what="data queued in the kernel")

        await wait_until(lambda: conn.lost, timeout=3, what="the heartbeat cut the peer")
        assert hub.topic_count == 0
        await wait_until(lambda: hub.stats.closes[1006] == 1)
    finally:
        raw.close()


@pytest.mark.parametrize("count", [40])
async def test_pings_are_spread_over_the_interval(aiohttp_client: AiohttpClient, count: int) -> None:
    hub = Hub(quotes_routes(), heartbeat=1.0)
    client = await aiohttp_client(app_of(hub))
    loop = asyncio.get_running_loop()
    sockets = [await client.ws_connect("/ws", autoping=False) for _ in range(count)]
    first_ping: list[float] = []

    async def ping_time(ws: object) -> None:
        msg = await ws.receive(timeout=3)  # type: ignore[attr-defined]
        assert msg.type is WSMsgType.PING
        first_ping.append(loop.time())
        await ws.pong()  # type: ignore[attr-defined]

    await asyncio.gather(*(ping_time(ws) for ws in sockets))
    first_ping.sort()
    gaps = [b - a for a, b in zip(first_ping, first_ping[1:])]
    assert first_ping[-1] - first_ping[0] > 0.5, "pings of sockets opened together spread over the interval"
    assert max(gaps) < 0.5
    for ws in sockets:
        await ws.close()
