"""Bad client messages get an answer and the socket stays open (DESIGN §4 #5–#6, §8)."""

from __future__ import annotations

import pytest
from aiohttp import WSMsgType, web
from marshmallow import Schema, fields
from pytest_aiohttp.plugin import AiohttpClient

from tests.waiting import assert_silent, wait_until
from tests.ws.conftest import Book, Ticker, make_app, make_routes
from ws import Hub, Kind, Route

SILENT_S = 1.0  # ten heartbeats of 0.1 s: a client that only answers pings stays connected

ORDERS_OK = (
    '{"type":"orders.subscribe.response","payload":{"status":"ok","message":"Subscribed",'
    '"topic":"orders:{\\"accountId\\":\\"ACCOUNT-01\\"}"}}'
)


def answer(kind: str, message: str, topic: str) -> str:
    return (
        f'{{"type":"{kind}","payload":{{"status":"error","message":"{message}","topic":"{topic}"}}}}'
    )


def error(message: str) -> str:
    return f'{{"type":"error","payload":{{"message":"{message}"}}}}'


CASES = [
    ('{"type":"orders.subscribe","payload":{}}',
     answer("orders.subscribe.response", "accountId: Missing data for required field.", "orders:{}")),
    ('{"type":"orders.subscribe","payload":{"accountId":5,"x":1}}',
     answer("orders.subscribe.response", "accountId: Not a valid string.", 'orders:{\\"accountId\\":5}')),
    ('{"type":"orders.subscribe","payload":{"accountId":null}}',
     answer("orders.subscribe.response", "accountId: Field may not be null.", 'orders:{\\"accountId\\":\\"\\"}')),
    ('{"type":"orders.unsubscribe","payload":{"accountId":[]}}',
     answer("orders.unsubscribe.response", "accountId: Not a valid string.", 'orders:{\\"accountId\\":[]}')),
    ('{"type":"orders.subscribe","payload":null}',
     answer("orders.subscribe.response", "payload: Not a valid mapping type.", "")),
    ('{"type":"orders.subscribe","payload":["accountId"]}',
     answer("orders.subscribe.response", "payload: Not a valid mapping type.", "")),
    ('{"type":"orders.subscribe"}',
     answer("orders.subscribe.response", "payload: Missing data for required field.", "")),
    ('{"type":"quotes.subscribe","payload":{"symbols":"AAPL","fast_symbols":[1]}}',
     answer("quotes.subscribe.response", "symbols: Not a valid list.; fast_symbols.0: Not a valid string.",
            'quotes:{\\"fast_symbols\\":[1],\\"symbols\\":\\"AAPL\\"}')),
    ('{"type":"orders.unsubscribe","payload":{"accountId":"ACCOUNT-02"}}',
     answer("orders.unsubscribe.response", "topic: Not subscribed to this topic",
            'orders:{\\"accountId\\":\\"ACCOUNT-02\\"}')),
    ("not json", error("Could not decode message: not valid JSON")),
    ('"orders.subscribe"', error("Could not decode message: expected an object with type and payload")),
    ('{"payload":{"accountId":"A"}}', error("type: Missing data for required field.")),
    ('{"type":null,"payload":{}}', error("type: Not a valid string.")),
    ('{"type":"trades.subscribe","payload":{}}', error("type: No matching type 'trades.subscribe'")),
    ('{"type":"orders.update","payload":{}}', error("type: No matching type 'orders.update'")),
    ('{"type":"orders.subscribe.response","payload":{}}', error("type: No matching type 'orders.subscribe.response'")),
    ('{"type":"orders.unsubscribe.response","payload":{}}',
     error("type: No matching type 'orders.unsubscribe.response'")),
    ('{"type":"error","payload":{}}', error("type: No matching type 'error'")),
]


@pytest.mark.parametrize(("sent", "expected"), CASES)
async def test_each_bad_message_gets_its_answer_and_changes_nothing(
    aiohttp_client: AiohttpClient, hub: Hub, sent: str, expected: str
) -> None:
    client = await aiohttp_client(make_app(hub))
    ws = await client.ws_connect("/ws")
    await ws.send_str('{"type":"orders.subscribe","payload":{"accountId":"ACCOUNT-01"}}')
    assert await ws.receive_str(timeout=2) == ORDERS_OK

    await ws.send_str(sent)
    assert await ws.receive_str(timeout=2) == expected

    assert hub.topics() == ['orders:{"accountId":"ACCOUNT-01"}']
    hub.publish_route("orders", {"id": 1})
    assert await ws.receive_str(timeout=2) == (
        '{"type":"orders.update","payload":{"topic":"orders:{\\"accountId\\":\\"ACCOUNT-01\\"}","payload":{"id":1}}}'
    )


async def test_a_binary_frame_closes_with_1003(aiohttp_client: AiohttpClient, hub: Hub) -> None:
    client = await aiohttp_client(make_app(hub))
    ws = await client.ws_connect("/ws")
    await ws.send_str('{"type":"ticks.subscribe","payload":{"symbol":"A","resolution":"1"}}')
    await wait_until(lambda: hub.producer_count == 1)

    await ws.send_bytes(b'{"type":"orders.subscribe","payload":{"accountId":"A"}}')

    while (msg := await ws.receive(timeout=2)).type is WSMsgType.TEXT:
        pass
    assert (msg.type, msg.data) == (WSMsgType.CLOSE, 1003)
    await wait_until(lambda: hub.connection_count == 0)
    assert hub.topic_count == 0 and hub.producer_count == 0


async def test_a_message_over_max_msg_size_closes_with_1009(aiohttp_client: AiohttpClient, book: Book) -> None:
    hub = Hub(make_routes(Ticker(), book), max_msg_size=1024)
    client = await aiohttp_client(make_app(hub))
    ok = await client.ws_connect("/ws")
    await ok.send_str('{"type":"orders.subscribe","payload":{"accountId":"' + "x" * 900 + '"}}')
    assert (await ok.receive(timeout=2)).type is WSMsgType.TEXT

    ws = await client.ws_connect("/ws")
    await ws.send_str('{"type":"orders.subscribe","payload":{"accountId":"' + "x" * 1100 + '"}}')

    msg = await ws.receive(timeout=2)
    assert (msg.type, msg.data) == (WSMsgType.CLOSE, 1009)
    await wait_until(lambda: hub.connection_count == 1)


async def test_a_silent_client_that_answers_pings_is_never_dropped(
    aiohttp_client: AiohttpClient, book: Book
) -> None:
    hub = Hub(make_routes(Ticker(), book), heartbeat=0.1)
    client = await aiohttp_client(make_app(hub))
    ws = await client.ws_connect("/ws")

    await assert_silent(ws, SILENT_S)
    assert hub.connection_count == 1

    await ws.send_str('{"type":"orders.subscribe","payload":{"accountId":"ACCOUNT-01"}}')
    assert await ws.receive_str(timeout=2) == ORDERS_OK


async def test_a_peer_that_stops_answering_pings_is_dropped_and_released(
    aiohttp_client: AiohttpClient, book: Book
) -> None:
    hub = Hub(make_routes(Ticker(), book), heartbeat=0.1)
    client = await aiohttp_client(make_app(hub))
    ws = await client.ws_connect("/ws", autoping=False)
    await ws.send_str('{"type":"orders.subscribe","payload":{"accountId":"ACCOUNT-01"}}')
    await wait_until(lambda: hub.topic_count == 1)

    await wait_until(lambda: hub.connection_count == 0, timeout=3)
    assert hub.topic_count == 0


class _Ticks(Schema):
    symbol = fields.String(required=True)


async def test_a_connection_holds_a_bounded_number_of_topics(aiohttp_client: AiohttpClient) -> None:
    """Each topic may run a producer: one socket must not be able to start thousands."""
    hub = Hub([Route("ticks", _Ticks(), Kind.LATEST)], max_topics=3)
    app = web.Application()
    app.router.add_get("/ws", hub.handle)
    client = await aiohttp_client(app)
    ws = await client.ws_connect("/ws")
    for symbol in ("A", "B", "C", "D", "A"):
        await ws.send_str('{"type":"ticks.subscribe","payload":{"symbol":"%s"}}' % symbol)
    answers = [(await ws.receive_json())["payload"] for _ in range(5)]
    assert [a["status"] for a in answers] == ["ok", "ok", "ok", "error", "ok"]
    assert answers[3] == {"status": "error", "message": "topic: A connection may hold at most 3 topics",
                          "topic": 'ticks:{"symbol":"D"}'}
    assert hub.topic_count == 3
    await ws.close()
