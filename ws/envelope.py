"""The ``{"type","payload"}`` envelope: parsing client text, encoding server messages.

Sans-I/O: text in, plain objects out; bytes out for the server's messages. Server messages
are orjson with keys in wire order (``type`` then ``payload``).
"""

from __future__ import annotations

import enum
from collections.abc import Container
from dataclasses import dataclass
from typing import Any

import orjson


class Op(enum.Enum):
    """The two client operations; every other type is answered with an ``error``."""

    SUBSCRIBE = "subscribe"
    UNSUBSCRIBE = "unsubscribe"


@dataclass(frozen=True, slots=True)
class Request:
    """A well-formed ``R.subscribe`` / ``R.unsubscribe``; the payload is still unvalidated."""

    route: str
    op: Op
    payload: Any
    has_payload: bool

    @property
    def response_type(self) -> str:
        return f"{self.route}.{self.op.value}.response"


@dataclass(frozen=True, slots=True)
class Invalid:
    """A message that is not a request of a known route: answered with ``type: "error"``."""

    message: str


_SUFFIXES = ((".subscribe", Op.SUBSCRIBE), (".unsubscribe", Op.UNSUBSCRIBE))


def parse(text: str | bytes, routes: Container[str]) -> Request | Invalid:
    """Classify one client text frame; extra top-level keys are ignored (CONTRACT §6.2)."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        return Invalid("Could not decode message: not valid JSON")
    if not isinstance(data, dict):
        return Invalid("Could not decode message: expected an object with type and payload")
    if "type" not in data:
        return Invalid("type: Missing data for required field.")
    kind = data["type"]
    if not isinstance(kind, str):
        return Invalid("type: Not a valid string.")
    for suffix, op in _SUFFIXES:
        if kind.endswith(suffix):
            route = kind[: -len(suffix)]
            if route in routes:
                return Request(route, op, data.get("payload"), "payload" in data)
    return Invalid(f"type: No matching type {kind!r}")


def response(kind: str, ok: bool, message: str, topic: str) -> bytes:
    """``R.subscribe.response`` / ``R.unsubscribe.response`` (SubscriptionResponse)."""
    status = "ok" if ok else "error"
    return orjson.dumps(
        {"type": kind, "payload": {"status": status, "message": message, "topic": topic}}
    )


def error(message: str) -> bytes:
    """The answer to anything that is not a request of a known route."""
    return orjson.dumps({"type": "error", "payload": {"message": message}})


@dataclass(frozen=True, slots=True)
class UpdateEncoder:
    """Encodes ``R.update`` for one topic: the topic is encoded once, each event once."""

    prefix: bytes

    @classmethod
    def for_topic(cls, route: str, topic: str) -> UpdateEncoder:
        return cls(
            b'{"type":' + orjson.dumps(route + ".update")
            + b',"payload":{"topic":' + orjson.dumps(topic) + b',"payload":'
        )

    def encode(self, payload: Any) -> bytes:
        return self.prefix + orjson.dumps(payload) + b"}}"
