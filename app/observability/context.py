"""The id of the request being handled, for every log line written while handling it.

A client's ``X-Request-ID`` is kept when it is sane (at most 128 characters of a safe set, so
it cannot forge log lines or blow up a log store); otherwise the server makes one: a random
per-process prefix and a counter, unique across processes and cheaper than a UUID per request.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable
from contextvars import ContextVar

from multidict import istr

HEADER = istr("X-Request-ID")
"""Case-insensitive already (as aiohttp's ``hdrs``): a plain str key is case-folded by the header
multidict on every lookup and store."""
MAX_LENGTH = 128
_SANE = re.compile(r"[A-Za-z0-9._:@+=-]{1,%d}" % MAX_LENGTH)

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)


class RequestIds:
    """Makes ids for requests that bring none (or an unusable one)."""

    __slots__ = ("fresh",)

    def __init__(self) -> None:
        self.fresh: Callable[[], str] = map(f"{os.urandom(6).hex()}-{{:x}}".format, itertools.count(1)).__next__
        """The next id of this process: a call into C alone (no Python frame), for the
        requests that bring no id (nearly all)."""

    def choose(self, offered: str | None) -> str:
        if offered is not None and _SANE.fullmatch(offered):
            return offered
        return self.fresh()


def current_request_id() -> str | None:
    return REQUEST_ID.get()
