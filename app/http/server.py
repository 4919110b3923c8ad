"""Serving the application on a socket with connection budgets and JSON for aiohttp's own errors.

``web.run_app`` offers no hook for either: aiohttp answers a malformed request line or header
(and a failure of the middleware chain itself) from ``RequestHandler.handle_error`` with
``text/plain`` before any middleware runs (aio-libs/aiohttp#3287), and it admits every
connection the kernel hands it. So the server runs the application with its own site, whose
protocol factory builds :class:`ApiRequestHandler`: past a cap a new connection gets a fixed
JSON 503 with ``Connection: close`` and is closed at once, before any parsing or task; every
error aiohttp writes itself is ``{"detail": ...}``. The rest is ``run_app``'s loop, unchanged:
SIGINT/SIGTERM stop it, then the runner's cleanup (sites closed, idle connections closed,
``on_shutdown``, in-flight handlers awaited up to the shutdown timeout).
"""

from __future__ import annotations

import asyncio
import json
import logging
import resource
import socket
from collections.abc import Callable
from contextlib import suppress
from http import HTTPStatus
from typing import Any, cast

from aiohttp import web
from aiohttp.http_exceptions import BadHttpMethod
from aiohttp.web_protocol import RequestHandler
from aiohttp.web_request import BaseRequest

from app.observability.context import current_request_id
from app.settings import Settings
from schemas.limits import MAX_ECHO_CHARS
from ws.pacer import spread

log = logging.getLogger(__name__)

FD_RESERVE = 64
"""Open files kept free of connections (store, logs, the listening socket, accept itself)."""
SHUTDOWN_TIMEOUT_S = 5.0


def _raw_json(status: int, detail: str) -> bytes:
    body = json.dumps({"detail": detail}).encode()
    phrase = HTTPStatus(status).phrase
    head = (f"HTTP/1.1 {status} {phrase}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    return head.encode() + body


TOO_MANY_CONNECTIONS_STATUS = 503
TOO_MANY_CONNECTIONS_DETAIL = "Too many connections"
TOO_MANY_CONNECTIONS = _raw_json(TOO_MANY_CONNECTIONS_STATUS, TOO_MANY_CONNECTIONS_DETAIL)
"""Written whole to a connection past a cap, with no parsing and no task."""


class ConnectionBudget:
    """Open connections in all and per client address."""

    def __init__(self, total: int, per_address: int) -> None:
        self.total = total
        self.per_address = per_address
        self.open = 0
        self.refused = 0
        self._by_address: dict[str, int] = {}

    def admit(self, address: str) -> bool:
        held = self._by_address.get(address, 0)
        if self.open >= self.total or (self.per_address and held >= self.per_address):
            self.refused += 1
            return False
        self.open += 1
        self._by_address[address] = held + 1
        return True

    def release(self, address: str) -> None:
        self.open -= 1
        held = self._by_address.pop(address) - 1
        if held:
            self._by_address[address] = held


def effective_connection_cap(wanted: int) -> int:
    """``wanted``, raising the soft open-file limit towards the hard one if need be, and at most
    that limit less FD_RESERVE: past it ``accept`` fails with EMFILE and the event loop stops
    accepting for everyone (the probe of issue 21 saw ``/health`` answer 0 of 400)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = wanted + FD_RESERVE
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        with suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(1, min(wanted, soft - FD_RESERVE))


def _address_of(transport: asyncio.BaseTransport) -> str:
    peer = transport.get_extra_info("peername")
    return str(peer[0]) if isinstance(peer, tuple) and peer else str(peer)


class ApiRequestHandler(RequestHandler):
    """aiohttp's protocol with the connection budget and JSON error bodies."""

    __slots__ = ("_budget", "_address")

    def __init__(self, manager: web.Server, *, budget: ConnectionBudget, **kwargs: Any) -> None:
        super().__init__(manager, **kwargs)
        self._budget = budget
        self._address: str | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        address = _address_of(transport)
        if not self._budget.admit(address):
            self._force_close = True
            cast(asyncio.WriteTransport, transport).write(TOO_MANY_CONNECTIONS)
            transport.close()
            return
        self._address = address
        super().connection_made(transport)

    def eof_received(self) -> bool:  # type: ignore[override]  # asyncio.Protocol: bool | None
        """A WebSocket peer's FIN: its transport is closed in a later turn (``ws.pacer.spread``,
        64 a turn) instead of by the loop at once, which is then the same end as before (the
        handler sees the connection lost). When thousands of peers go in one poll, their ends
        are spread over turns instead of stalling the loop in one. Other requests: as aiohttp."""
        if self._upgraded:
            spread(self._close_transport)
            return True
        return False

    def _close_transport(self) -> None:
        transport = self.transport
        if transport is not None and not transport.is_closing():
            transport.close()

    def connection_lost(self, exc: BaseException | None) -> None:
        if self._address is None:
            return
        self._budget.release(self._address)
        self._address = None
        super().connection_lost(exc)

    def handle_error(
        self, request: BaseRequest, status: int = 500, exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        """aiohttp's answer to a request it could not parse (400) or to a failure escaping the
        middlewares (500, 504), as JSON; the connection closed."""
        if status < 500:  # a client's malformed bytes: worth a line, not a traceback
            level = logging.DEBUG if self._request_count == 1 and isinstance(exc, BadHttpMethod) else logging.INFO
            self.logger.log(level, "Bad request from %s: %s", request.remote, message)
        else:
            self.logger.error("Error handling request from %s", request.remote, exc_info=exc)
        if request.writer.output_size > 0:
            raise ConnectionError("Response is sent already, cannot send another response")
        phrase = HTTPStatus(status).phrase
        content: dict[str, object] = {"detail": phrase}
        if status >= 500:
            content["request_id"] = current_request_id()
        elif message:
            content["detail"] = f"{phrase}: {message[:MAX_ECHO_CHARS]}"
        body = json.dumps(content).encode()  # ASCII: any bytes aiohttp quotes stay valid JSON
        response = web.Response(status=status, body=body, content_type="application/json")
        response.force_close()
        return response


class ApiSite(web.SockSite):
    """A SockSite whose connections are :class:`ApiRequestHandler`."""

    __slots__ = ("_make_protocol",)

    def __init__(self, runner: web.AppRunner, sock: socket.socket,
                 make_protocol: Callable[[web.Server], RequestHandler], *, backlog: int = 1024) -> None:
        super().__init__(runner, sock, backlog=backlog)
        self._make_protocol = make_protocol

    async def start(self) -> None:
        await web.BaseSite.start(self)
        server = self._runner.server
        assert server is not None
        self._server = await asyncio.get_running_loop().create_server(
            lambda: self._make_protocol(server), sock=self._sock, backlog=self._backlog)


def run(app: web.Application, sock: socket.socket, settings: Settings, *,
        loop: asyncio.AbstractEventLoop, on_serving: Callable[[], None]) -> None:
    """Serve until SIGINT/SIGTERM (``web.run_app``'s loop with :class:`ApiSite`)."""
    budget = ConnectionBudget(effective_connection_cap(settings.http_max_connections),
                              settings.http_max_connections_per_address)

    def protocol(server: web.Server) -> RequestHandler:
        return ApiRequestHandler(server, loop=loop, budget=budget, access_log=None,
                                 keepalive_timeout=settings.http_header_timeout_s)

    async def serve() -> None:
        runner = web.AppRunner(app, handle_signals=True, access_log=None,
                               shutdown_timeout=SHUTDOWN_TIMEOUT_S)
        await runner.setup()
        try:
            await ApiSite(runner, sock, protocol).start()
            if budget.total < settings.http_max_connections:
                log.warning("HTTP_MAX_CONNECTIONS lowered to %d by the open-file limit", budget.total)
            on_serving()
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()

    asyncio.set_event_loop(loop)
    main = loop.create_task(serve())
    try:
        loop.run_until_complete(main)
    except (web.GracefulExit, KeyboardInterrupt):
        pass
    finally:
        try:
            main.cancel()
            with suppress(asyncio.CancelledError):
                loop.run_until_complete(main)
        finally:
            _cancel_all(loop)
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()


def _cancel_all(loop: asyncio.AbstractEventLoop) -> None:
    tasks = asyncio.all_tasks(loop)
    for task in tasks:
        task.cancel()
    if tasks:
        loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
