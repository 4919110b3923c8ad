"""The HTTP limits' answers, as a real server process sends them, against the OpenAPI document
(openapi/openapi.json, the committed one: ``python -m app generate --check`` keeps it current):
the status is declared for the operation and the body validates against the declared schema
(``oneOf`` included), tightened to refuse undeclared keys as in tests/specs/test_responses.py.
408 at the body timeout and 503 at the connection cap on one server, 503 at a shutdown mid-body
on another."""

from __future__ import annotations

import asyncio
import json
import signal
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from app.specs.openapi import to_json_schema
from bench.attack_http import ROOT, Server, post_head
from tests.specs.test_responses import closed

DOCUMENT: dict[str, Any] = json.loads((ROOT / "openapi" / "openapi.json").read_text())
COMPONENTS = closed(to_json_schema(DOCUMENT["components"]))
ORDERS = "/api/v1/broker/orders"
QUOTES = "/api/v1/datafeed/quotes"
ATTACKER = "127.0.0.3"
PER_ADDRESS = 3


def conforms(raw: bytes, method: str, path: str, status: int) -> dict[str, Any]:
    """The body of the raw HTTP answer ``raw``, checked against the document's ``status`` of
    ``method path``; also ``Content-Type: application/json`` and ``Connection: close``."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    assert lines[0].startswith(f"HTTP/1.1 {status} "), raw[:300]
    headers = {name.lower(): value for name, _, value in (line.partition(": ") for line in lines[1:])}
    assert headers["content-type"].startswith("application/json") and headers["connection"] == "close", head
    responses = DOCUMENT["paths"][path][method]["responses"]
    assert str(status) in responses, f"{method} {path}: {status} is not declared ({sorted(responses)})"
    declared = responses[str(status)]["content"]["application/json"]["schema"]
    schema = {**closed(to_json_schema(declared)), "components": COMPONENTS}
    data: dict[str, Any] = json.loads(body)
    errors = [error.message for error in Draft202012Validator(schema).iter_errors(data)]
    assert not errors, f"{method} {path} {status}: {data} -> {errors}"
    return data


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    env = {"ENABLED_MODULES": "broker,datafeed", "HTTP_BODY_TIMEOUT_S": "1",
           "HTTP_MAX_CONNECTIONS_PER_ADDRESS": str(PER_ADDRESS)}
    with Server(env) as running:
        yield running


async def _half_sent(port: int, path: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(post_head(100, path) + b'{"symbol":')
    await writer.drain()
    return reader, writer


@pytest.mark.parametrize("path", [ORDERS, QUOTES])
async def test_the_body_timeout_s_408_is_the_declared_one(server: Server, path: str) -> None:
    reader, writer = await _half_sent(server.port, path)
    answer = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    assert conforms(answer, "post", path, 408) == {"detail": "Request body not received within 1 s"}


async def test_the_connection_cap_s_503_is_the_declared_one_on_every_kind_of_operation(server: Server) -> None:
    held = [await asyncio.open_connection("127.0.0.1", server.port, local_addr=(ATTACKER, 0))
            for _ in range(PER_ADDRESS)]
    try:
        await asyncio.sleep(0.2)
        # the answer comes before the request is read: the same bytes whatever it would be
        for method, path in [("post", ORDERS), ("get", "/api/v1/broker/health"), ("get", "/api/v1/datafeed/udf/time"),
                             ("post", QUOTES)]:
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port, local_addr=(ATTACKER, 0))
            answer = await asyncio.wait_for(reader.read(), 5)
            writer.close()
            assert conforms(answer, method, path, 503) == {"detail": "Too many connections"}
    finally:
        for _, writer in held:
            writer.close()


async def test_the_shutdown_s_503_mid_body_is_the_declared_one() -> None:
    server = Server().start()
    try:
        reader, writer = await _half_sent(server.port, ORDERS)
        await asyncio.sleep(0.5)  # the head is parsed, the handler waits for the rest of the body
        assert server.proc is not None
        server.proc.send_signal(signal.SIGTERM)
        answer = await asyncio.wait_for(reader.read(), 10)
        writer.close()
        assert conforms(answer, "post", ORDERS, 503) == {"detail": "Server shutting down: request body not read"}
        assert await asyncio.to_thread(server.proc.wait, 30) == 0
    finally:
        server.__exit__()
