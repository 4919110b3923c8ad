"""The request body's budget: a whole body within HTTP_BODY_TIMEOUT_S, and none left waiting at
shutdown.

aiohttp times out neither: a client trickling a body one byte per 10 s holds its handler, its
buffers and its socket forever. And on SIGTERM aiohttp stops reading every connection before
it waits for the handlers, so a handler still reading a body could never finish: it sat there
until the shutdown timeout, then the client saw EOF. Both are answered here, through the
body's own stream (``set_exception``), so the handler's read fails wherever it is and the error
middleware writes the JSON answer with ``Connection: close``. A body that arrived with its
head (almost every API call) costs nothing: no timer, no bookkeeping.
"""

from __future__ import annotations

import asyncio

from aiohttp import web
from aiohttp.streams import StreamReader
from aiohttp.typedefs import Handler


class BodyAbandoned(TimeoutError):
    """The body will not be read to its end; answered ``status`` and the connection closed.
    A TimeoutError, so aiohttp's lingering read after the answer ends quietly."""

    status = 503
    detail = "Service Unavailable"


class BodyTimeout(BodyAbandoned):
    status = 408

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.detail = f"Request body not received within {seconds:g} s"


class ShuttingDown(BodyAbandoned):
    status = 503
    detail = "Server shutting down: request body not read"


class BodyBudget:
    """Per application: the bodies being read and whether the server is stopping."""

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self.stopping = False
        self._reading: set[StreamReader] = set()

    def install(self, app: web.Application) -> None:
        """The shutdown hook; the edge middleware (app.http.edge) calls ``guarded`` for every
        request whose body is still arriving, inside the error contract, which answers the
        exceptions."""
        app.on_shutdown.append(self.on_shutdown)

    async def guarded(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """``handler(request)`` within the budget (for a body not complete yet)."""
        content = request.content
        if content.is_eof():
            return await handler(request)
        if self.stopping:
            raise ShuttingDown()
        timer = asyncio.get_running_loop().call_later(self.timeout_s, self._expire, content)
        self._reading.add(content)
        try:
            return await handler(request)
        finally:
            timer.cancel()
            self._reading.discard(content)

    def _expire(self, content: StreamReader) -> None:
        if not content.is_eof():
            content.set_exception(BodyTimeout(self.timeout_s))

    async def on_shutdown(self, _: web.Application) -> None:
        """Runs after aiohttp stopped reading connections: no body in progress can complete."""
        self.stopping = True
        for content in list(self._reading):
            if not content.is_eof():
                content.set_exception(ShuttingDown())
