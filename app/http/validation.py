"""Loading request input through the marshmallow schemas, with the 422 items of CONTRACT §1.4."""

from __future__ import annotations

import json
from typing import Any

import orjson
from aiohttp import web
from marshmallow import Schema, ValidationError

from schemas.errors import Location, RequestInvalid, json_invalid_item, missing_body_item, validation_items

_MAX_INT_DIGITS = 4300
"""Python's own bound on int ↔ text conversion (``sys.get_int_max_str_digits``)."""


def _parse_int(text: str) -> int | float:
    """A JSON integer; one too long for ``int`` is a float (``inf``), as orjson reads it, so the
    422 names the field ("finite number") instead of the parser failing on the whole body."""
    if len(text.lstrip("-")) <= _MAX_INT_DIGITS:
        return int(text)
    return float(text)


async def read_json(request: web.Request) -> Any:
    """The parsed body; a missing or malformed body is a 422 like the original's."""
    raw = await request.read()
    if not raw.strip():
        raise RequestInvalid([missing_body_item()])
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    # The slow path only for bodies orjson refuses: Python's parser reads NaN, Infinity, 1e400
    # and huge integers (so the 422 names the field instead of the byte) and words its errors
    # like the original.
    try:
        return json.loads(raw, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise RequestInvalid([json_invalid_item(exc.msg, exc.pos)]) from None
    except UnicodeDecodeError as exc:
        raise RequestInvalid([json_invalid_item(str(exc), exc.start)]) from None
    except RecursionError:
        raise RequestInvalid([json_invalid_item("Nesting too deep", 0)]) from None


def load(schema: Schema, data: Any, location: Location) -> dict[str, Any]:
    try:
        result: dict[str, Any] = schema.load(data)
    except ValidationError as exc:
        raise RequestInvalid(validation_items(exc, location, data)) from None
    return result


async def load_body(request: web.Request, schema: Schema) -> dict[str, Any]:
    return load(schema, await read_json(request), "body")


def load_query(request: web.Request, schema: Schema) -> dict[str, Any]:
    return load(schema, dict(request.query), "query")
