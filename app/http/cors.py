"""CORS (CONTRACT §1.4, hardened by issue 15) and the Origin rule for WebSocket handshakes.

Not aiohttp-cors: it needs every route (in every sub-application) registered with it, cannot
answer preflights for paths it does not know, and adds a response signal to every request.
Here a request without ``Origin`` (API clients, benchmarks) costs one header lookup.

``CORS_ORIGINS=*`` answers ``Access-Control-Allow-Origin: *`` and never allows credentials: the
API authenticates with bearer keys, which a page sends explicitly, so no cookie or HTTP auth
must ride along on a cross-site request. A list of origins is echoed only for those origins.

Browsers apply no CORS to WebSockets, so a page on any site could open a socket to this server
with its visitor's network position (cross-site WebSocket hijacking): a handshake that carries an
``Origin`` is accepted only from the server's own origin or a listed one (``*`` lists every one,
except when keys are required). Programs send no ``Origin`` and are not affected.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiohttp import hdrs, web

ALLOWED_METHODS = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"
MAX_AGE = "600"


class CorsPolicy:
    def __init__(self, origins: Sequence[str], *, sockets_any_origin: bool = True) -> None:
        """``sockets_any_origin``: whether ``*`` also admits WebSocket handshakes from any site
        (False when API keys are required: a browser's ``?token=`` must not be usable elsewhere)."""
        self._any = "*" in origins
        self._allowed = frozenset(origins) - {"*"}
        self._sockets_any = self._any and sockets_any_origin

    def permits(self, origin: str) -> bool:
        return self._any or origin in self._allowed

    def permits_socket(self, request: web.Request, origin: str) -> bool:
        """A handshake from ``origin``: the server's own origin, a listed one, or any with ``*``."""
        if self._sockets_any or origin in self._allowed:
            return True
        return origin.lower() == f"{request.scheme}://{request.host}".lower()

    @staticmethod
    def is_preflight(request: web.Request) -> bool:
        return request.method == hdrs.METH_OPTIONS and hdrs.ACCESS_CONTROL_REQUEST_METHOD in request.headers

    def preflight(self, request: web.Request, origin: str) -> web.Response:
        if not self.permits(origin):
            return web.Response(status=400, text="Disallowed CORS origin")
        headers = {
            hdrs.ACCESS_CONTROL_ALLOW_METHODS: ALLOWED_METHODS,
            hdrs.ACCESS_CONTROL_MAX_AGE: MAX_AGE,
            **self._allow(origin),
        }
        requested = request.headers.get(hdrs.ACCESS_CONTROL_REQUEST_HEADERS)
        if requested:
            headers[hdrs.ACCESS_CONTROL_ALLOW_HEADERS] = requested
        return web.Response(status=200, text="OK", headers=headers)

    def decorate(self, response: web.StreamResponse, origin: str) -> None:
        if self.permits(origin) and not response.prepared:
            response.headers.update(self._allow(origin))

    def _allow(self, origin: str) -> dict[str, str]:
        if self._any:
            return {hdrs.ACCESS_CONTROL_ALLOW_ORIGIN: "*"}
        return {hdrs.ACCESS_CONTROL_ALLOW_ORIGIN: origin, hdrs.VARY: "Origin"}


def is_handshake(request: web.Request) -> bool:
    return request.headers.get(hdrs.UPGRADE, "").lower() == "websocket"


FORBIDDEN_ORIGIN = "Forbidden: WebSocket handshakes from this origin are not accepted"
