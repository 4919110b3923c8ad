"""CORS with the original's behaviour (CONTRACT §1.4), allowed origins configurable.

Not aiohttp-cors: it needs every route (in every sub-application) registered with it, cannot
answer preflights for paths it does not know, and adds a response signal to every request.
Here a request without ``Origin`` (API clients, benchmarks) costs one header lookup.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiohttp import hdrs, web

ALLOWED_METHODS = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"
MAX_AGE = "600"


class CorsPolicy:
    def __init__(self, origins: Sequence[str]) -> None:
        self._any = "*" in origins
        self._allowed = frozenset(origins)

    def permits(self, origin: str) -> bool:
        return self._any or origin in self._allowed

    @staticmethod
    def is_preflight(request: web.Request) -> bool:
        return request.method == hdrs.METH_OPTIONS and hdrs.ACCESS_CONTROL_REQUEST_METHOD in request.headers

    def preflight(self, request: web.Request, origin: str) -> web.Response:
        if not self.permits(origin):
            return web.Response(status=400, text="Disallowed CORS origin")
        headers = {
            hdrs.ACCESS_CONTROL_ALLOW_ORIGIN: origin,
            hdrs.ACCESS_CONTROL_ALLOW_METHODS: ALLOWED_METHODS,
            hdrs.ACCESS_CONTROL_MAX_AGE: MAX_AGE,
            hdrs.ACCESS_CONTROL_ALLOW_CREDENTIALS: "true",
            hdrs.VARY: "Origin",
        }
        requested = request.headers.get(hdrs.ACCESS_CONTROL_REQUEST_HEADERS)
        if requested:
            headers[hdrs.ACCESS_CONTROL_ALLOW_HEADERS] = requested
        return web.Response(status=200, text="OK", headers=headers)

    def decorate(self, response: web.StreamResponse, origin: str) -> None:
        """Credentials with "*" are refused by browsers, so the origin is echoed."""
        if self.permits(origin) and not response.prepared:
            response.headers[hdrs.ACCESS_CONTROL_ALLOW_ORIGIN] = origin
            response.headers[hdrs.ACCESS_CONTROL_ALLOW_CREDENTIALS] = "true"
            response.headers[hdrs.VARY] = "Origin"
