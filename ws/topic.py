"""Topic strings, byte-compatible with the original (CONTRACT §6.5).

The shipped frontend computes the same string itself and matches responses by byte
equality, so this must stay stdlib ``json.dumps`` (``ensure_ascii`` on), not orjson.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import marshmallow


def normalize(value: Any) -> Any:
    """Replace ``None`` by ``""`` at any depth; lists keep order and duplicates."""
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return {key: normalize(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalize(item) for item in value]
    return value


def canon(params: Mapping[str, Any]) -> str:
    """Keys sorted by code point at every depth, compact separators, non-ASCII as \\uXXXX."""
    return json.dumps(normalize(params), sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def make_topic(route: str, params: Mapping[str, Any]) -> str:
    """``route:canon(params)`` for a payload the route's schema has already loaded."""
    return route + ":" + canon(params)


def raw_topic(route: str, schema: marshmallow.Schema, payload: Any) -> str:
    """The topic an error answer carries for a payload that failed validation.

    Unknown keys are dropped as on the success path, so a client that sent a valid
    shape with one bad value gets the topic it computed itself; ``""`` when the payload
    is not an object (DESIGN §8).
    """
    if not isinstance(payload, Mapping):
        return ""
    known = {field.data_key or name for name, field in schema.load_fields.items()}
    return make_topic(route, {key: value for key, value in payload.items() if key in known})
