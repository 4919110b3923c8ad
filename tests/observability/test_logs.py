"""Structured logs: JSON lines with request ids, an access log in the same format, no secrets."""

from __future__ import annotations

import io
import json
import logging
import signal
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from app.factory import create_app
from app.market.model import Market
from app.observability.context import MAX_LENGTH
from app.observability.logs import log_handler
from app.settings import Settings
from tests.test_cli import _server, _wait_until_serving

SECRET_KEY = "sk-live-DO-NOT-LOG-1"
SECRET_TOKEN = "tok-DO-NOT-LOG-2"


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """What the server's root handler would write with ``LOG_FORMAT=json``, at INFO."""
    stream = io.StringIO()
    handler = log_handler("json", stream)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


async def _boom(_: web.Request) -> web.Response:
    raise RuntimeError("the handler broke")


@pytest.fixture
async def app_client(aiohttp_client: Any, market: Market) -> Any:
    app = create_app(Settings(access_log=True, background_tasks=False), market=market)
    app.router.add_get("/probe/boom", _boom)
    server = TestServer(app)
    await server.start_server(access_log=None)  # as the server runs: our middleware writes access lines
    return await aiohttp_client(server)


async def test_access_lines_are_json_with_the_clients_request_id(app_client: Any, json_log: io.StringIO) -> None:
    response = await app_client.get("/api/v1/broker/orders", headers={"X-Request-ID": "client-42"})
    assert response.headers["X-Request-ID"] == "client-42"
    body = await response.read()
    [access] = [line for line in lines(json_log) if line["logger"] == "app.access"]
    assert access["request_id"] == "client-42"
    assert {k: access[k] for k in ("level", "method", "route", "path", "status", "bytes")} == {
        "level": "INFO", "method": "GET", "route": "/api/v1/broker/orders", "path": "/api/v1/broker/orders",
        "status": 200, "bytes": len(body)}
    assert access["duration_ms"] >= 0
    assert access["time"].endswith("+00:00")
    assert access["message"].startswith("GET /api/v1/broker/orders 200 ")


@pytest.mark.parametrize("offered", [None, "x" * (MAX_LENGTH + 1), "two words", "semi;colon", "ü"])
async def test_a_missing_or_unsafe_request_id_is_replaced_by_a_generated_one(
        app_client: Any, json_log: io.StringIO, offered: str | None) -> None:
    headers = {} if offered is None else {"X-Request-ID": offered}
    first = await app_client.get("/api/v1/broker/orders", headers=headers)
    second = await app_client.get("/api/v1/broker/orders", headers=headers)
    ids = [first.headers["X-Request-ID"], second.headers["X-Request-ID"]]
    assert ids[0] != ids[1] and offered not in ids
    assert [line["request_id"] for line in lines(json_log)] == ids


async def test_an_unexpected_exception_is_logged_once_with_traceback_and_request_id(
        app_client: Any, json_log: io.StringIO) -> None:
    response = await app_client.get("/probe/boom", headers={"X-Request-ID": "boom-7"})
    assert (response.status, await response.json()) == (
        500, {"detail": "Internal Server Error", "request_id": "boom-7"})
    errors = [line for line in lines(json_log) if line["level"] == "ERROR"]
    assert len(errors) == 1
    assert errors[0]["request_id"] == "boom-7"
    assert "Traceback" in errors[0]["exception"] and "RuntimeError: the handler broke" in errors[0]["exception"]
    assert "Traceback" not in await response.text()


async def test_api_keys_and_token_query_values_are_never_logged(app_client: Any, json_log: io.StringIO) -> None:
    auth = {"Authorization": f"Bearer {SECRET_KEY}"}
    await app_client.get(f"/api/v1/broker/orders?token={SECRET_TOKEN}", headers=auth)
    await app_client.get(f"/probe/boom?token={SECRET_TOKEN}", headers=auth)
    await app_client.get(f"/no/such/path?token={SECRET_TOKEN}&x=1", headers=auth)
    text = json_log.getvalue()
    assert len(lines(json_log)) == 4  # three access lines and the 500's error
    assert SECRET_KEY not in text and SECRET_TOKEN not in text


def test_the_server_writes_json_lines_with_request_ids() -> None:
    """The real process: ``LOG_FORMAT=json ACCESS_LOG=1``; every stderr line is a JSON object."""
    with _server(LOG_FORMAT="json", ACCESS_LOG="1", LOG_LEVEL="INFO") as (port, proc):
        _wait_until_serving(port, proc)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/datafeed/health?token={SECRET_TOKEN}",
                                         headers={"X-Request-ID": "proc-1", "Authorization": SECRET_KEY})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.headers["X-Request-ID"] == "proc-1"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    records = [json.loads(line) for line in err.splitlines() if line.strip()]
    assert records and all({"time", "level", "logger", "message"} <= set(r) for r in records)
    [access] = [r for r in records if r.get("request_id") == "proc-1"]
    assert (access["logger"], access["route"], access["status"]) == ("app.access", "/api/v1/datafeed/health", 200)
    assert SECRET_KEY not in err and SECRET_TOKEN not in err
