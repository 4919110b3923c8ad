"""Producers belong to topics, not to clients: a crash restarts them, a client never kills them."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import marshmallow
import pytest
from aiohttp import WSMsgType
from pytest_aiohttp.plugin import AiohttpClient

from tests.waiting import wait_until
from tests.ws.conftest import AccountRequest, TicksRequest, make_app
from ws import Hub, Kind, Publisher, Route

SUB = '{"type":"ticks.subscribe","payload":{"symbol":"A","resolution":"1"}}'


async def test_a_crashing_producer_is_logged_and_restarted_and_the_subscription_stays(
    aiohttp_client: AiohttpClient, caplog: pytest.LogCaptureFixture
) -> None:
    runs = 0

    async def flaky(params: Mapping[str, Any], publish: Publisher) -> None:
        nonlocal runs
        runs += 1
        publish({"run": runs})
        raise RuntimeError("boom")

    hub = Hub([Route("ticks", TicksRequest(), Kind.LATEST, producer=flaky)], restart_delay=0.01)
    client = await aiohttp_client(make_app(hub))
    ws = await client.ws_connect("/ws")
    await ws.send_str(SUB)
    await ws.receive_str(timeout=2)

    got = [json.loads(await ws.receive_str(timeout=2))["payload"]["payload"]["run"] for _ in range(3)]

    assert got == [1, 2, 3]
    assert hub.producer_count == 1 and hub.topic_count == 1
    crashes = [r for r in caplog.records if r.levelno == logging.ERROR and "crashed" in r.getMessage()]
    assert len(crashes) >= 2 and crashes[0].exc_info is not None
    await ws.close()
    await wait_until(lambda: hub.producer_count == 0)


async def test_a_producer_that_returns_is_finished_not_restarted(aiohttp_client: AiohttpClient) -> None:
    async def once(params: Mapping[str, Any], publish: Publisher) -> None:
        publish({"only": True})

    hub = Hub([Route("ticks", TicksRequest(), Kind.LATEST, producer=once)], restart_delay=0.01)
    client = await aiohttp_client(make_app(hub))
    ws = await client.ws_connect("/ws")
    await ws.send_str(SUB)
    await ws.receive_str(timeout=2)
    assert json.loads(await ws.receive_str(timeout=2))["payload"]["payload"] == {"only": True}

    await wait_until(lambda: hub.producer_count == 0)
    assert hub.topic_count == 1


async def test_a_failing_snapshot_is_logged_and_the_subscription_still_stands(
    aiohttp_client: AiohttpClient, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(params: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
        raise ValueError("no state")

    hub = Hub([Route("orders", AccountRequest(), snapshot=broken)])
    client = await aiohttp_client(make_app(hub))
    ws = await client.ws_connect("/ws")
    await ws.send_str('{"type":"orders.subscribe","payload":{"accountId":"A"}}')
    assert json.loads(await ws.receive_str(timeout=2))["payload"]["status"] == "ok"

    hub.publish_route("orders", {"id": 1})

    assert json.loads(await ws.receive_str(timeout=2))["payload"]["payload"] == {"id": 1}
    assert any("snapshot" in r.getMessage() for r in caplog.records)


def test_routes_are_checked_when_the_hub_is_built() -> None:
    schema = marshmallow.Schema()
    with pytest.raises(ValueError):
        Route("a.b", schema)
    with pytest.raises(ValueError):
        Route("orders", schema, Kind.RELIABLE, conflation_key=lambda p: p)
    with pytest.raises(ValueError):
        Hub([Route("x", schema), Route("x", schema)])


async def test_a_route_that_raises_on_a_message_closes_that_socket_with_1011(
    aiohttp_client: AiohttpClient, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken(marshmallow.Schema):
        accountId = marshmallow.fields.Function(deserialize=lambda value: 1 / 0)

    hub = Hub([Route("orders", Broken())])
    client = await aiohttp_client(make_app(hub))
    ws = await client.ws_connect("/ws")
    await ws.send_str('{"type":"orders.subscribe","payload":{"accountId":"A"}}')

    msg = await ws.receive(timeout=2)

    assert (msg.type, msg.data) == (WSMsgType.CLOSE, 1011)
    assert any("failed to handle" in r.getMessage() for r in caplog.records)
    await wait_until(lambda: hub.connection_count == 0)
