"""Loading request input through the marshmallow schemas, with the 422 items of CONTRACT §1.4."""

from __future__ import annotations

import json
import re
from typing import Any

import orjson
from aiohttp import web
from marshmallow import Schema, ValidationError

from schemas.errors import (
    Location,
    LocPart,
    RequestInvalid,
    item,
    json_invalid_item,
    missing_body_item,
    validation_items,
)
from schemas.limits import MAX_ECHO_CHARS, MAX_JSON_DEPTH

_MAX_INT_DIGITS = 4300
"""Python's own bound on int ↔ text conversion (``sys.get_int_max_str_digits``)."""


def _parse_int(text: str) -> int | float:
    """A JSON integer; one too long for ``int`` is a float (``inf``), as orjson reads it, so the
    422 names the field ("finite number") instead of the parser failing on the whole body."""
    if len(text.lstrip("-")) <= _MAX_INT_DIGITS:
        return int(text)
    return float(text)


_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_OPENERS_RUN = re.compile(rb"[\[{]{%d}" % (MAX_JSON_DEPTH + 1))


def too_deep(raw: bytes) -> bool:
    """Whether ``raw`` nests arrays/objects deeper than MAX_JSON_DEPTH, found on the bytes
    before any parser recurses: strings dropped, brackets kept, innermost pairs removed once per
    level (each pass a C-speed replace). Unbalanced brackets are left to the parser to report.
    ``read_json`` first counts the brackets, which settles nearly every body: fewer than the
    depth cannot nest deeper than it."""
    shape = _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    if _OPENERS_RUN.search(shape):
        return True
    for _ in range(MAX_JSON_DEPTH + 1):
        if not shape:
            return False
        inner = shape.replace(b"[]", b"").replace(b"{}", b"")
        if len(inner) == len(shape):
            return False
        shape = inner
    return True


def _surrogate_path(value: Any, path: list[LocPart]) -> list[LocPart] | None:
    """Where a string holding a lone surrogate is (JSON's ``"\\ud800"``): no UTF-8 answer or
    store could carry it, so it is refused at the door, naming the field."""
    if isinstance(value, str):
        try:
            value.encode()
        except UnicodeEncodeError:
            return path
        return None
    if isinstance(value, dict):
        for key, inner in value.items():
            found = _surrogate_path(key, path) or _surrogate_path(inner, [*path, key])
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found = _surrogate_path(inner, [*path, index])
            if found is not None:
                return found
    return None


def _checked(value: Any) -> Any:
    path = _surrogate_path(value, ["body"])
    if path is not None:
        raise RequestInvalid([item("string_unicode", path, "Input should be a valid string: lone surrogate",
                                   _escaped(value, path[1:]))])
    return value


def _escaped(value: Any, path: list[LocPart]) -> str:
    for part in path:
        value = value[part]
    return ascii(value)[1:-1][:MAX_ECHO_CHARS] if isinstance(value, str) else ""


async def read_json(request: web.Request) -> Any:
    """The parsed body; a missing, malformed or too deeply nested body is a 422 like the original's."""
    raw = await request.read()
    if raw.count(b"[") + raw.count(b"{") > MAX_JSON_DEPTH and too_deep(raw):
        raise RequestInvalid([json_invalid_item(f"JSON nested deeper than {MAX_JSON_DEPTH} levels", 0)])
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    if not raw.strip():  # after the parser: it refuses an empty body too, and most bodies are not
        raise RequestInvalid([missing_body_item()])
    # The slow path only for bodies orjson refuses: Python's parser reads NaN, Infinity, 1e400,
    # huge integers (so the 422 names the field instead of the byte) and lone surrogates (then
    # refused by name), and words its errors like the original.
    try:
        return _checked(json.loads(raw, parse_int=_parse_int))
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
    """A parameter given more than once counts with its first value (no query parameter is a list)."""
    return load(schema, dict(request.query), "query")
