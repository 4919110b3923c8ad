"""The id of the request being handled, for every log line written while handling it.

A client's ``X-Request-ID`` is kept when it is sane (at most 128 characters of a safe set, so
it cannot forge log lines or blow up a log store); otherwise the server makes one: a random
per-process prefix and a counter, unique across processes and cheaper than a UUID per request.
"""

from __future__ import annotations

import itertools
import os
import re
from contextvars import ContextVar

HEADER = "X-Request-ID"
MAX_LENGTH = 128
_SANE = re.compile(r"[A-Za-z0-9._:@+=-]{1,%d}" % MAX_LENGTH)

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)


class RequestIds:
    """Makes ids for requests that bring none (or an unusable one)."""

    __slots__ = ("_prefix", "_counter")

    def __init__(self) -> None:
        self._prefix = os.urandom(6).hex()
        self._counter = itertools.count(1)

    def choose(self, offered: str | None) -> str:
        if offered is not None and _SANE.fullmatch(offered):
            return offered
        return f"{self._prefix}-{next(self._counter):x}"


def current_request_id() -> str | None:
    return REQUEST_ID.get()
