"""A client that does not read never slows the others; its backlog stays bounded in bytes.

The stalled client is a bare socket with 4 KiB receive buffers on both ends, and the test
pushes megabytes: without conflation (or with an awaited send per subscriber) these tests
fail or hang.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator

from typing import Any

import orjson
import pytest
from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestClient
from pytest_aiohttp.plugin import AiohttpClient

from tests.waiting import wait_until
from tests.ws.conftest import Book, Ticker, make_app, make_routes
from tests.ws.rawclient import CLOSE, TEXT, RawClient
from ws import Hub
from ws.connection import Connection
from ws.envelope import UpdateEncoder
from ws.frames import text_frame

SOFT = 64 * 1024
KERNEL = 16 * 1024
"""The backlog counts the kernel's unsent bytes too: the stalled socket's SO_SNDBUF of 4 KiB
(Linux doubles it, plus accounting slack)."""
PAD = "x" * 1000
QUOTES_SUB = '{"type":"quotes.subscribe","payload":{"symbols":["S"],"fast_symbols":[]}}'
QUOTES_TOPIC = 'quotes:{"fast_symbols":[],"symbols":["S"]}'


@pytest.fixture
def raw_clients() -> Iterator[list[RawClient]]:
    clients: list[RawClient] = []
    yield clients
    for raw in clients:
        raw.close()


async def stalled_client(
    client: TestClient[web.Request, web.Application], hub: Hub, subscribe: str, opened: list[RawClient]
) -> tuple[RawClient, Connection]:
    """A raw client subscribed with ``subscribe``; its server-side send buffer shrunk too."""
    server = client.server
    raw = await RawClient.connect(str(server.host), int(server.port or 0))
    opened.append(raw)
    await raw.send_text(subscribe)
    await wait_until(lambda: any(c.transport.get_extra_info("peername")[:2] == raw.local_address
                                 for c in hub.connections) and hub.topic_count >= 1)
    conn = next(c for c in hub.connections if c.transport.get_extra_info("peername")[:2] == raw.local_address)
    conn.transport.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    return raw, conn


def updates(frames: list[tuple[int, bytes]]) -> list[dict[str, Any]]:
    return [orjson.loads(data)["payload"]["payload"] for op, data in frames
            if op == TEXT and data.startswith(b'{"type":"') and b'.update"' in data[:40]]


async def test_a_stalled_quotes_client_is_conflated_and_does_not_delay_a_healthy_one(
    aiohttp_client: AiohttpClient, book: Book, raw_clients: list[RawClient]
) -> None:
    hub = Hub(make_routes(Ticker(), book), soft_limit=SOFT)
    client = await aiohttp_client(make_app(hub))
    raw, stalled = await stalled_client(client, hub, QUOTES_SUB, raw_clients)
    healthy = await client.ws_connect("/ws")
    await healthy.send_str(QUOTES_SUB)
    assert json.loads(await healthy.receive_str(timeout=2))["payload"]["status"] == "ok"
    loop = asyncio.get_running_loop()
    received: list[int] = []
    worst = 0.0

    async def read_healthy() -> None:
        nonlocal worst
        while True:
            update = json.loads(await healthy.receive_str())["payload"]["payload"]
            worst = max(worst, loop.time() - update["t"])
            received.append(update["n"])
            if update["n"] == total - 1:
                return

    total, pushed = 8192, 0
    reader = asyncio.create_task(read_healthy())
    for n in range(total):
        quote = {"symbol": "S", "n": n, "t": loop.time(), "pad": PAD}
        hub.publish(QUOTES_TOPIC, quote)
        frame_size = len(text_frame(UpdateEncoder.for_topic("quotes", QUOTES_TOPIC).encode(quote)))
        pushed += frame_size
        assert stalled.backlog <= SOFT + 2 * frame_size + 512 + KERNEL
        if n % 16 == 0:
            await asyncio.sleep(0)
    await asyncio.wait_for(reader, 5)

    assert pushed > 8 * 1024 * 1024
    assert worst < 1.0
    assert received == sorted(received) and received[-1] == total - 1
    frames = await raw.frames_until(lambda fs: any(u["n"] == total - 1 for u in updates(fs)))
    got = [u["n"] for u in updates(frames)]
    assert got == sorted(got) and got[-1] == total - 1
    assert len(got) < total // 4
    assert hub.connection_count == 2


async def test_conflation_keeps_the_last_update_of_each_bar(
    aiohttp_client: AiohttpClient, book: Book, raw_clients: list[RawClient]
) -> None:
    hub = Hub(make_routes(Ticker(), book), soft_limit=SOFT)
    client = await aiohttp_client(make_app(hub))
    raw, stalled = await stalled_client(
        client, hub, '{"type":"bars.subscribe","payload":{"symbol":"S","resolution":"1"}}', raw_clients)
    topic = hub.topics("bars")[0]

    for t in (60, 120, 180):
        for n in range(500):
            hub.publish(topic, {"time": t, "close": float(n), "pad": PAD})
    assert stalled.backlog < 500 * 1000

    frames = await raw.frames_until(lambda fs: {"time": 180, "close": 499.0, "pad": PAD} in updates(fs))
    bars = updates(frames)
    finals = [bar for bar in bars if bar["close"] == 499.0]
    assert [bar["time"] for bar in finals] == [60, 120, 180]
    times = [bar["time"] for bar in bars]
    assert times == sorted(times)


async def test_a_broker_client_that_falls_too_far_behind_is_closed_with_1013(
    aiohttp_client: AiohttpClient, book: Book, raw_clients: list[RawClient]
) -> None:
    hard = 1024 * 1024
    hub = Hub(make_routes(Ticker(), book), soft_limit=SOFT, hard_limit=hard)
    client = await aiohttp_client(make_app(hub))
    raw, stalled = await stalled_client(
        client, hub, '{"type":"orders.subscribe","payload":{"accountId":"A"}}', raw_clients)
    healthy = await client.ws_connect("/ws")
    await healthy.send_str('{"type":"orders.subscribe","payload":{"accountId":"B"}}')
    await healthy.receive_str(timeout=2)
    received: list[int] = []

    async def read_healthy() -> None:
        while len(received) < total:
            received.append(json.loads(await healthy.receive_str())["payload"]["payload"]["n"])

    total = 4096
    reader = asyncio.create_task(read_healthy())
    for n in range(total):
        hub.publish_route("orders", {"n": n, "pad": PAD})
        if stalled in hub.connections:
            assert stalled.backlog <= hard + 2048
        if n % 16 == 0:
            await asyncio.sleep(0)
    await asyncio.wait_for(reader, 5)

    assert received == list(range(total))
    assert stalled not in hub.connections and hub.connection_count == 1
    frames = await raw.frames()
    got = [u["n"] for u in updates(frames)]
    assert got == list(range(len(got))) and 0 < len(got) < total
    assert frames[-1][0] == CLOSE and int.from_bytes(frames[-1][1][:2], "big") == 1013
    assert hub.topics("orders") == ['orders:{"accountId":"B"}']
    await healthy.close()
    assert (await healthy.receive()).type is WSMsgType.CLOSED


async def test_a_closed_client_that_never_reads_is_cut_after_close_timeout(
    aiohttp_client: AiohttpClient, book: Book, raw_clients: list[RawClient]
) -> None:
    hub = Hub(make_routes(Ticker(), book), soft_limit=SOFT, hard_limit=256 * 1024, close_timeout=0.2)
    client = await aiohttp_client(make_app(hub))
    raw, stalled = await stalled_client(
        client, hub, '{"type":"orders.subscribe","payload":{"accountId":"A"}}', raw_clients)
    n = 0
    while stalled in hub.connections:
        hub.publish_route("orders", {"n": n, "pad": PAD})
        n += 1
    assert stalled.transport.get_write_buffer_size() > 0

    await wait_until(lambda: stalled.transport.get_write_buffer_size() == 0, timeout=3)
    assert stalled.transport.is_closing()


async def test_a_stalled_client_gets_no_update_built_only_owed_once_per_key_and_built_when_written(
    aiohttp_client: AiohttpClient, book: Book, raw_clients: list[RawClient]
) -> None:
    """``publish_latest`` (the quotes producer's path): past the soft mark a socket's keys wait in
    one deferred send of the topic; nothing is built or encoded for it until the flusher writes
    each key once, with the value of that moment. A reader of the same topic costs one build
    per key and tick whatever the number of subscribers (the frame is shared)."""
    hub = Hub(make_routes(Ticker(), book), soft_limit=SOFT)
    client = await aiohttp_client(make_app(hub))
    raw, stalled = await stalled_client(client, hub, QUOTES_SUB, raw_clients)
    n = 0
    while not stalled.queued:  # the kernel's and the transport's buffers full: frames held here
        hub.publish(QUOTES_TOPIC, {"symbol": "S", "n": -1, "pad": PAD})
        n += 1
        assert n < 10_000
    built: list[str] = []
    tick = 0

    def build(key: str) -> dict[str, Any]:
        built.append(key)
        return {"symbol": key, "n": tick, "pad": PAD if tick < 1000 else ""}

    keys = [f"K{i}" for i in range(50)]
    held = stalled.queued
    for tick in range(1000):
        hub.publish_latest(QUOTES_TOPIC, keys, build)
    assert built == []
    assert stalled.queued < held + len(keys) * 1200  # 50 keys owed, not 50,000 updates
    assert hub.conflated >= 999 * len(keys)

    frames = await raw.frames_until(lambda fs: any(u["symbol"] == keys[-1] for u in updates(fs)))
    owed = [u for u in updates(frames) if u["symbol"] != "S"]
    assert [(u["symbol"], u["n"]) for u in owed] == [(key, 999) for key in keys]
    assert built == keys

    healthy = [await client.ws_connect("/ws") for _ in range(2)]
    for ws in healthy:
        await ws.send_str(QUOTES_SUB)
        assert json.loads(await ws.receive_str(timeout=2))["payload"]["status"] == "ok"
    built.clear()
    for tick in range(1000, 1005):  # small updates: the readers' buffers take them all
        hub.publish_latest(QUOTES_TOPIC, keys, build)
    assert len(built) == 5 * len(keys)  # once per key and tick, not per subscriber
    for ws in healthy:
        got = [json.loads(await ws.receive_str(timeout=2))["payload"]["payload"] for _ in range(5 * len(keys))]
        assert [(u["symbol"], u["n"]) for u in got] == [(key, t) for t in range(1000, 1005) for key in keys]
        await ws.close()
