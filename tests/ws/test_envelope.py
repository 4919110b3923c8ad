"""Parsing client messages and encoding server messages (no sockets)."""

from __future__ import annotations

import struct

import pytest

from ws.envelope import Invalid, Op, Request, UpdateEncoder, error, parse, response
from ws.frames import text_frame

ROUTES = {"bars", "broker-connection"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"type":"bars.subscribe","payload":{"a":1},"extra":2}', Request("bars", Op.SUBSCRIBE, {"a": 1}, True)),
        ('{"type":"broker-connection.unsubscribe","payload":null}',
         Request("broker-connection", Op.UNSUBSCRIBE, None, True)),
        ('{"type":"bars.subscribe"}', Request("bars", Op.SUBSCRIBE, None, False)),
        ("nope", Invalid("Could not decode message: not valid JSON")),
        ("[1]", Invalid("Could not decode message: expected an object with type and payload")),
        ('{"payload":{}}', Invalid("type: Missing data for required field.")),
        ('{"type":7}', Invalid("type: Not a valid string.")),
        ('{"type":"bars.update"}', Invalid("type: No matching type 'bars.update'")),
        ('{"type":"bars.subscribe.response"}', Invalid("type: No matching type 'bars.subscribe.response'")),
        ('{"type":"ticks.subscribe"}', Invalid("type: No matching type 'ticks.subscribe'")),
        ('{"type":".subscribe"}', Invalid("type: No matching type '.subscribe'")),
    ],
)
def test_parse(text: str, expected: Request | Invalid) -> None:
    assert parse(text, ROUTES) == expected


def test_server_messages_have_keys_in_wire_order() -> None:
    assert response("bars.subscribe.response", True, "Subscribed", 'bars:{"a":"é"}') == (
        b'{"type":"bars.subscribe.response","payload":{"status":"ok","message":"Subscribed",'
        b'"topic":"bars:{\\"a\\":\\"\xc3\xa9\\"}"}}'
    )
    assert error("x") == b'{"type":"error","payload":{"message":"x"}}'
    assert UpdateEncoder.for_topic("bars", 'bars:{"s":"A"}').encode({"z": 1.0, "a": None}) == (
        b'{"type":"bars.update","payload":{"topic":"bars:{\\"s\\":\\"A\\"}","payload":{"z":1.0,"a":null}}}'
    )


@pytest.mark.parametrize(
    ("size", "header"),
    [(0, b"\x81\x00"), (125, b"\x81\x7d"), (126, b"\x81\x7e\x00\x7e"), (65535, b"\x81\x7e\xff\xff"),
     (65536, b"\x81\x7f" + struct.pack("!Q", 65536))],
)
def test_text_frame_header(size: int, header: bytes) -> None:
    payload = b"x" * size
    assert text_frame(payload) == header + payload
