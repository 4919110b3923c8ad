"""Loading subscription payloads with the routes' marshmallow schemas.

The error text names the field (``"accountId: Missing data for required field."``) so a
client can tell what to fix; schema-level messages are given without a field name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import marshmallow
import orjson

from .topic import make_topic

MAX_MESSAGES = 10


def load(schema: marshmallow.Schema, payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """Validated parameters; unknown keys dropped (CONTRACT §6.5 step 1)."""
    result = schema.load(payload, unknown=marshmallow.EXCLUDE)
    if not isinstance(result, Mapping):
        raise TypeError("a request schema must load into a mapping")
    return result


def describe(messages: Any) -> str:
    """One line from marshmallow's nested messages, at most ``MAX_MESSAGES`` parts."""
    parts: list[str] = []
    _flatten(messages, "", parts)
    return "; ".join(parts[:MAX_MESSAGES])


def _flatten(messages: Any, path: str, out: list[str]) -> None:
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            name = "" if key == marshmallow.exceptions.SCHEMA else str(key)
            _flatten(value, f"{path}.{name}" if path and name else path or name, out)
    elif isinstance(messages, (list, tuple)):
        texts = [str(item) for item in messages if not isinstance(item, (Mapping, list, tuple))]
        if texts:
            out.append(f"{path}: {' '.join(texts)}" if path else " ".join(texts))
        for item in messages:
            if isinstance(item, (Mapping, list, tuple)):
                _flatten(item, path, out)
    else:
        out.append(f"{path}: {messages}" if path else str(messages))


class Resolver:
    """Payload → (parameters, topic) for the routes of one hub, remembering valid payloads.

    Clients re-send the same few subscriptions (the frontend re-subscribes on every
    reconnect, benchmarks churn one topic), and a marshmallow ``load`` plus the topic's
    ``json.dumps`` is most of a subscribe's cost. Only successes are remembered, keyed by
    the payload with sorted keys, so request schemas must be pure (the result depends on
    the payload alone). Bounded: the memory is dropped whole when full.
    """

    __slots__ = ("_known", "_max_entries")

    def __init__(self, max_entries: int = 4096) -> None:
        self._known: dict[tuple[str, bytes], tuple[Mapping[str, Any], str]] = {}
        self._max_entries = max_entries

    def resolve(
        self, route: str, schema: marshmallow.Schema, payload: Mapping[str, Any]
    ) -> tuple[Mapping[str, Any], str]:
        """Raises ``marshmallow.ValidationError`` for an invalid payload."""
        key = (route, orjson.dumps(payload, option=orjson.OPT_SORT_KEYS))
        known = self._known.get(key)
        if known is not None:
            return known
        params = load(schema, payload)
        resolved = (params, make_topic(route, params))
        if len(self._known) >= self._max_entries:
            self._known.clear()
        self._known[key] = resolved
        return resolved
