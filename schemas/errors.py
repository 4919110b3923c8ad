"""Marshmallow errors → FastAPI/pydantic-v2 422 items (CONTRACT §1.4).

Fields raise `schemas.problems.Problem` messages (a ``str`` carrying pydantic's ``type`` and
``ctx``), so the mapping is a walk of ``ValidationError.messages``: the path of keys is the
``loc``, the value at that path in the raw input is the ``input`` (for ``missing``: the
enclosing object in a body, ``None`` for query and path parameters, as FastAPI reports them).
Items keep marshmallow's order (declared field order) and are capped at `MAX_ERROR_ITEMS`.
We do not emit pydantic's ``url`` key. Unlike pydantic, an item never quotes more than
`MAX_ECHO_CHARS` of one input text (`echo`), so a megabyte field costs a short answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Literal

import marshmallow

from schemas.limits import MAX_ECHO_CHARS, MAX_ERROR_ITEMS
from schemas.problems import Problem

Location = Literal["body", "query", "path"]
LocPart = str | int
Found = list[tuple[tuple[LocPart, ...], object]]

_SCHEMA_KEY = "_schema"
_ECHO_DEPTH = 32
_LONG_WORD = re.compile(r"\S{%d,}" % (MAX_ECHO_CHARS + 1))


class RequestInvalid(Exception):
    """The one 422 of the transport: a request (body, query or path) failed validation, by a
    schema or by a domain rule; ``items`` is the ``detail`` (at most `MAX_ERROR_ITEMS`)."""

    def __init__(self, items: Sequence[dict[str, object]]) -> None:
        super().__init__("request validation failed")
        self.items = list(items[:MAX_ERROR_ITEMS])


def clip(text: str) -> str:
    return text if len(text) <= MAX_ECHO_CHARS else text[:MAX_ECHO_CHARS] + "…"


def echo(value: object, depth: int = 0) -> object:
    """The input as an item may quote it: texts clipped, nesting bounded."""
    if isinstance(value, str):
        return clip(value)
    if isinstance(value, dict):
        if depth >= _ECHO_DEPTH:
            return "…"
        return {clip(str(k)): echo(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        if depth >= _ECHO_DEPTH:
            return "…"
        return [echo(v, depth + 1) for v in value]
    return value


def clip_words(text: str) -> str:
    """A message with every word longer than `MAX_ECHO_CHARS` clipped: domain messages quote
    the input they refuse (``Unknown symbol <symbol>``)."""
    if len(text) <= MAX_ECHO_CHARS:
        return text
    return _LONG_WORD.sub(lambda match: clip(match[0]), text)


def item(
    type_: str, loc: Sequence[LocPart], msg: str, input_: object, ctx: dict[str, object] | None = None
) -> dict[str, object]:
    """One 422 item in pydantic's key order; also for domain rules (``loc`` includes ``body``)."""
    result: dict[str, object] = {"type": type_, "loc": list(loc), "msg": clip_words(msg), "input": echo(input_)}
    if ctx is not None:
        result["ctx"] = ctx
    return result


def json_invalid_item(message: str, position: int = 0) -> dict[str, object]:
    """Malformed JSON; ``position`` is where the decoder stopped (the original reports it in ``loc``)."""
    return item("json_invalid", ["body", position], "JSON decode error", {}, {"error": message})


def missing_body_item() -> dict[str, object]:
    return item("missing", ["body"], "Field required", None)


def problem_item(
    problem: Problem, location: Location, path: Sequence[LocPart], data: object
) -> dict[str, object]:
    """The item for one Problem found at ``path`` inside the raw input ``data``."""
    if problem.type == "missing":
        input_ = value_at(data, path[:-1]) if location == "body" else None
    else:
        input_ = value_at(data, path)
    return item(problem.type, [location, *path], str(problem), input_, problem.ctx)


def validation_items(
    error: marshmallow.ValidationError, location: Location, data: object
) -> list[dict[str, object]]:
    found: Found = []
    _collect(error.messages, (), found)
    items = []
    for path, message in found[:MAX_ERROR_ITEMS]:
        if isinstance(message, Problem):
            items.append(problem_item(message, location, path, data))
        else:
            items.append(item("value_error", [location, *path], str(message), value_at(data, path)))
    return items


def value_at(data: object, path: Sequence[LocPart]) -> object:
    """The raw input at ``path`` (``None`` when the path does not exist in it)."""
    current = data
    for key in path:
        if isinstance(current, Mapping):
            current = current.get(key)
        elif isinstance(current, list) and isinstance(key, int) and -len(current) <= key < len(current):
            current = current[key]
        else:
            return None
    return current


def _collect(messages: object, path: tuple[LocPart, ...], found: Found) -> None:
    if len(found) >= MAX_ERROR_ITEMS:
        return
    if isinstance(messages, dict):
        for key, sub in messages.items():
            _collect(sub, path if key == _SCHEMA_KEY else (*path, key), found)
    elif isinstance(messages, list):
        for sub in messages:
            _collect(sub, path, found)
    else:
        found.append((path, messages))
