"""Every error a real server process writes is JSON, aiohttp's own 400s and the cases that broke
the error handler included (issue 21, item 3)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from bench.attack_http import HEALTH, ORDERS, Server, request


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with Server() as running:
        yield running


def _answer(raw: bytes) -> tuple[int, dict[str, str], Any]:
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, json.loads(body)


async def _send(server: Server, raw: bytes) -> tuple[int, dict[str, str], Any]:
    return _answer(await request(server.port, raw))


@pytest.mark.parametrize("raw, detail", [
    (b"GARBAGE\r\n\r\n", "Bad Request: Invalid method encountered"),
    (b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", "Bad Request: Invalid header token"),
    (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", "Bad Request: Got more than 8190 bytes"),
    (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", "Bad Request: Got more than 8190 bytes"),
    (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", "Bad Request: Received HTTPS traffic on an HTTP port"),
])
async def test_aiohttp_s_own_400s_are_json_and_close_the_connection(server: Server, raw: bytes, detail: str) -> None:
    status, headers, body = await _send(server, raw)  # read to EOF: the server closed the connection
    assert (status, headers["content-type"]) == (400, "application/json")
    assert set(body) == {"detail"} and body["detail"].startswith(detail)
    assert len(body["detail"]) <= len("Bad Request: ") + 100, "the echo of what was sent is clipped"


def _post(body: bytes) -> bytes:
    return (f"POST {ORDERS} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


async def test_json_nested_300_deep_is_a_422_before_any_parser_recurses(server: Server) -> None:
    for nested in (b"[" * 300 + b"]" * 300, b'{"symbol":' + b'{"a":' * 300 + b"1" + b"}" * 301):
        status, headers, body = await _send(server, _post(nested))
        assert (status, headers["content-type"]) == (422, "application/json")
        assert body["detail"][0]["ctx"] == {"error": "JSON nested deeper than 32 levels"}


async def test_nesting_up_to_the_limit_and_brackets_inside_strings_are_fine(server: Server) -> None:
    deep = b"[" * 32 + b"]" * 32
    status, _, body = await _send(server, _post(deep))
    assert status == 422 and body["detail"][0]["type"] == "model_attributes_type", "parsed, then the schema"
    text = b'{"symbol":"' + b"[" * 500 + b'","type":1,"side":1,"qty":1,"limitPrice":150}'
    status, _, body = await _send(server, _post(text))
    assert status == 422 and body["detail"][0]["loc"] == ["body", "symbol"], "an unknown symbol, not nesting"


@pytest.mark.parametrize("body, loc", [
    (b'{"symbol":"\\ud800","type":1,"side":1,"qty":1}', ["body", "symbol"]),
    (b'"\\ud800"', ["body"]),
    (b'{"symbol":"AAPL","type":1,"side":1,"qty":1,"currentQuotes":{"ask":1,"bid":1},'
     b'"clientOrderId":"ok\\udfff"}', ["body", "clientOrderId"]),
])
async def test_a_lone_surrogate_is_a_422_naming_the_field_not_a_text_500(
    server: Server, body: bytes, loc: list[str]
) -> None:
    status, headers, detail = await _send(server, _post(body))
    assert (status, headers["content-type"]) == (422, "application/json")
    assert detail["detail"][0]["type"] == "string_unicode" and detail["detail"][0]["loc"] == loc


async def test_a_surrogate_pair_is_text_like_any_other(server: Server) -> None:
    status, _, body = await _send(server, _post(b'{"symbol":"\\ud83d\\ude00","type":1,"side":1,"qty":1}'))
    assert status == 422 and body["detail"][0]["msg"] == "Unknown symbol \U0001F600"


async def test_a_100000_digit_qty_stays_a_422_naming_qty(server: Server) -> None:
    body = b'{"symbol":"AAPL","type":2,"side":1,"qty":' + b"1" * 100_000 + b"}"
    status, _, detail = await _send(server, _post(body))
    assert status == 422 and detail["detail"][0]["loc"] == ["body", "qty"]


async def test_the_server_still_answers_after_every_malformed_request(server: Server) -> None:
    raw = await request(server.port, f"GET {HEALTH} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    assert raw.startswith(b"HTTP/1.1 200")
