"""Subscribe, update, unsubscribe and disconnect over real sockets, byte for byte."""

from __future__ import annotations

import asyncio
import json
import socket
import struct

from aiohttp import WSMsgType
from pytest_aiohttp.plugin import AiohttpClient

from tests.waiting import wait_until
from tests.ws.conftest import Book, Ticker, make_app
from tests.ws.rawclient import RawClient
from ws import Hub

TICKS_AAPL = 'ticks:{"resolution":"1D","symbol":"AAPL"}'
SUB_AAPL = '{"type":"ticks.subscribe","payload":{"symbol":"AAPL","resolution":"1D"}}'
UNSUB_AAPL = '{"type":"ticks.unsubscribe","payload":{"resolution":"1D","symbol":"AAPL"}}'
SUBSCRIBED_AAPL = (
    '{"type":"ticks.subscribe.response","payload":{"status":"ok","message":"Subscribed",'
    '"topic":"ticks:{\\"resolution\\":\\"1D\\",\\"symbol\\":\\"AAPL\\"}"}}'
)
UNSUBSCRIBED_AAPL = (
    '{"type":"ticks.unsubscribe.response","payload":{"status":"ok","message":"Unsubscribed",'
    '"topic":"ticks:{\\"resolution\\":\\"1D\\",\\"symbol\\":\\"AAPL\\"}"}}'
)
ORDERS_SUB = '{"type":"orders.subscribe","payload":{"accountId":"ACCOUNT-01"}}'
ORDERS_TOPIC = 'orders:{"accountId":"ACCOUNT-01"}'


def tick(n: int) -> str:
    return (
        '{"type":"ticks.update","payload":{"topic":"ticks:{\\"resolution\\":\\"1D\\",\\"symbol\\":\\"AAPL\\"}",'
        f'"payload":{{"symbol":"AAPL","n":{n}}}}}}}'
    )


def order_update(n: int) -> str:
    return (
        '{"type":"orders.update","payload":{"topic":"orders:{\\"accountId\\":\\"ACCOUNT-01\\"}",'
        f'"payload":{{"id":"ORDER-{n}","qty":1.0,"avgPrice":null}}}}}}'
    )


async def test_subscribe_answers_then_streams_the_producer_byte_exact(
    aiohttp_client: AiohttpClient, hub: Hub, ticker: Ticker
) -> None:
    client = await aiohttp_client(make_app(hub))
    ws = await client.ws_connect("/ws")
    await ws.send_str(SUB_AAPL)
    assert await ws.receive_str(timeout=2) == SUBSCRIBED_AAPL
    assert await ws.receive_str(timeout=2) == tick(1)
    assert await ws.receive_str(timeout=2) == tick(2)
    assert ticker.started == [{"symbol": "AAPL", "resolution": "1D"}]
    assert hub.topics() == [TICKS_AAPL]


async def test_publish_sends_the_same_update_to_every_subscriber_and_only_them(
    aiohttp_client: AiohttpClient, hub: Hub
) -> None:
    client = await aiohttp_client(make_app(hub))
    first, second, other = [await client.ws_connect("/ws") for _ in range(3)]
    for ws in (first, second):
        await ws.send_str(ORDERS_SUB)
        assert json.loads(await ws.receive_str(timeout=2))["payload"]["topic"] == ORDERS_TOPIC
    await other.send_str('{"type":"orders.subscribe","payload":{"accountId":"OTHER"}}')
    await other.receive_str(timeout=2)

    hub.publish(ORDERS_TOPIC, {"id": "ORDER-1", "qty": 1.0, "avgPrice": None})

    assert await first.receive_str(timeout=2) == order_update(1)
    assert await second.receive_str(timeout=2) == order_update(1)
    await other.send_str('{"type":"orders.unsubscribe","payload":{"accountId":"OTHER"}}')
    assert json.loads(await other.receive_str(timeout=2))["type"] == "orders.unsubscribe.response"


async def test_publish_route_reaches_every_topic_of_the_route_whatever_the_account(
    aiohttp_client: AiohttpClient, hub: Hub
) -> None:
    client = await aiohttp_client(make_app(hub))
    a, b = await client.ws_connect("/ws"), await client.ws_connect("/ws")
    await a.send_str(ORDERS_SUB)
    await b.send_str('{"type":"orders.subscribe","payload":{"accountId":"DEMO-ACCOUNT"}}')
    await a.receive_str(timeout=2)
    await b.receive_str(timeout=2)

    assert len(hub.topics_on("orders")) == 2 and not hub.topics_on("events")
    hub.publish_route("orders", {"id": "ORDER-1", "qty": 1.0, "avgPrice": None})

    assert await a.receive_str(timeout=2) == order_update(1)
    assert await b.receive_str(timeout=2) == order_update(1).replace("ACCOUNT-01", "DEMO-ACCOUNT")
    hub.publish_route("events", {"nobody": "listens"})


async def test_snapshot_follows_the_response_and_precedes_live_updates(
    aiohttp_client: AiohttpClient, hub: Hub, book: Book
) -> None:
    book.items = [{"id": 1}, {"id": 2}]
    client = await aiohttp_client(make_app(hub))
    ws = await client.ws_connect("/ws")
    await ws.send_str('{"type":"events.subscribe","payload":{"accountId":"A"}}')
    await wait_until(lambda: hub.topic_count == 1)
    hub.publish_route("events", {"id": 3})
    topic = '"topic":"events:{\\"accountId\\":\\"A\\"}"'
    assert await ws.receive_str(timeout=2) == (
        '{"type":"events.subscribe.response","payload":{"status":"ok","message":"Subscribed",' + topic + "}}"
    )
    assert await ws.receive_str(timeout=2) == '{"type":"events.update","payload":{' + topic + ',"payload":{"id":1}}}'
    assert await ws.receive_str(timeout=2) == '{"type":"events.update","payload":{' + topic + ',"payload":{"id":2}}}'
    assert await ws.receive_str(timeout=2) == '{"type":"events.update","payload":{' + topic + ',"payload":{"id":3}}}'


async def test_subscribing_twice_is_idempotent_sends_a_fresh_snapshot_and_one_unsubscribe_releases(
    aiohttp_client: AiohttpClient, hub: Hub, book: Book
) -> None:
    book.items = [{"id": 1}]
    client = await aiohttp_client(make_app(hub))
    ws = await client.ws_connect("/ws")
    sub = '{"type":"events.subscribe","payload":{"accountId":"A"}}'
    await ws.send_str(sub)
    await ws.send_str(sub)
    types = [json.loads(await ws.receive_str(timeout=2))["type"] for _ in range(4)]
    assert types == ["events.subscribe.response", "events.update"] * 2
    assert hub.topic_count == 1

    await ws.send_str('{"type":"events.unsubscribe","payload":{"accountId":"A"}}')
    assert json.loads(await ws.receive_str(timeout=2))["payload"]["status"] == "ok"
    assert hub.topic_count == 0
    hub.publish_route("events", {"id": 2})
    await ws.send_str('{"type":"events.unsubscribe","payload":{"accountId":"A"}}')
    assert json.loads(await ws.receive_str(timeout=2))["payload"]["status"] == "error"


async def test_one_client_leaving_does_not_stop_the_other(
    aiohttp_client: AiohttpClient, hub: Hub, ticker: Ticker
) -> None:
    client = await aiohttp_client(make_app(hub))
    stays, leaves = await client.ws_connect("/ws"), await client.ws_connect("/ws")
    for ws in (stays, leaves):
        await ws.send_str(SUB_AAPL)
    await leaves.receive_str(timeout=2)
    await leaves.send_str(UNSUB_AAPL)
    while (text := await leaves.receive_str(timeout=2)) != UNSUBSCRIBED_AAPL:
        assert json.loads(text)["type"] == "ticks.update"
    await stays.receive_str(timeout=2)
    last = 0
    for _ in range(5):
        last_n = json.loads(await stays.receive_str(timeout=2))["payload"]["payload"]["n"]
        assert last_n > last
        last = last_n
    assert hub.producer_count == 1 and ticker.running == 1


async def test_last_unsubscribe_stops_the_producer(aiohttp_client: AiohttpClient, hub: Hub, ticker: Ticker) -> None:
    client = await aiohttp_client(make_app(hub))
    ws = await client.ws_connect("/ws")
    await ws.send_str(SUB_AAPL)
    assert await ws.receive_str(timeout=2) == SUBSCRIBED_AAPL
    assert await ws.receive_str(timeout=2) == tick(1)
    await ws.send_str(UNSUB_AAPL)
    while (text := await ws.receive_str(timeout=2)) != UNSUBSCRIBED_AAPL:
        assert json.loads(text)["type"] == "ticks.update"
    assert hub.topic_count == 0 and hub.producer_count == 0
    await wait_until(lambda: ticker.running == 0)
    assert len(ticker.started) == 1


async def test_disconnect_without_unsubscribe_releases_every_topic_and_stops_producers(
    aiohttp_client: AiohttpClient, hub: Hub, ticker: Ticker
) -> None:
    client = await aiohttp_client(make_app(hub))
    ws = await client.ws_connect("/ws")
    await ws.send_str(SUB_AAPL)
    await ws.send_str('{"type":"ticks.subscribe","payload":{"symbol":"MSFT","resolution":"1"}}')
    await ws.send_str(ORDERS_SUB)
    await wait_until(lambda: hub.topic_count == 3)
    assert hub.producer_count == 2

    await ws.close()

    await wait_until(lambda: hub.connection_count == 0)
    assert hub.topic_count == 0 and hub.producer_count == 0
    await wait_until(lambda: ticker.running == 0)


async def test_messages_of_one_connection_are_answered_in_order(aiohttp_client: AiohttpClient, hub: Hub) -> None:
    client = await aiohttp_client(make_app(hub))
    ws = await client.ws_connect("/ws")
    accounts = [f"A{i}" for i in range(20)]
    for account in accounts:
        await ws.send_str(f'{{"type":"orders.subscribe","payload":{{"accountId":"{account}"}}}}')
        await ws.send_str(f'{{"type":"orders.unsubscribe","payload":{{"accountId":"{account}"}}}}')
    answers = [json.loads(await ws.receive_str(timeout=2))["payload"] for _ in range(40)]
    assert [a["topic"] for a in answers] == [f'orders:{{"accountId":"{a}"}}' for a in accounts for _ in "su"]
    assert [a["message"] for a in answers] == ["Subscribed", "Unsubscribed"] * 20


async def test_a_thousand_connect_subscribe_disconnect_cycles_leave_nothing_behind(
    aiohttp_client: AiohttpClient, hub: Hub, ticker: Ticker
) -> None:
    client = await aiohttp_client(make_app(hub))
    warm = await client.ws_connect("/ws")
    await warm.close()
    await wait_until(lambda: hub.connection_count == 0)
    tasks_before = len(asyncio.all_tasks())

    for i in range(1000):
        ws = await client.ws_connect("/ws")
        await ws.send_str(f'{{"type":"ticks.subscribe","payload":{{"symbol":"S{i % 7}","resolution":"1"}}}}')
        await ws.send_str(ORDERS_SUB)
        assert json.loads(await ws.receive_str(timeout=2))["payload"]["status"] == "ok"
        await ws.close()

    await wait_until(lambda: hub.connection_count == 0 and ticker.running == 0)
    assert hub.topic_count == 0 and hub.producer_count == 0
    assert len(ticker.started) == 1000
    await wait_until(lambda: len(asyncio.all_tasks()) == tasks_before)


async def test_close_all_closes_with_1001_and_stops_producers(
    aiohttp_client: AiohttpClient, hub: Hub, ticker: Ticker
) -> None:
    client = await aiohttp_client(make_app(hub))
    ws = await client.ws_connect("/ws")
    await ws.send_str(SUB_AAPL)
    await ws.receive_str(timeout=2)

    await hub.close_all()

    while (msg := await ws.receive(timeout=2)).type is WSMsgType.TEXT:
        pass
    assert (msg.type, msg.data, msg.extra) == (WSMsgType.CLOSE, 1001, "Server shutdown")
    assert (hub.connection_count, hub.topic_count, hub.producer_count, ticker.running) == (0, 0, 0, 0)


async def test_a_connection_dropped_without_a_close_frame_releases_everything(
    aiohttp_client: AiohttpClient, hub: Hub, ticker: Ticker
) -> None:
    client = await aiohttp_client(make_app(hub))
    raw = await RawClient.connect(str(client.server.host), int(client.server.port or 0))
    await raw.send_text(SUB_AAPL)
    await wait_until(lambda: hub.producer_count == 1 and ticker.running == 1)

    raw.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    raw.close()

    await wait_until(lambda: hub.connection_count == 0 and ticker.running == 0)
    assert hub.topic_count == 0 and hub.producer_count == 0
