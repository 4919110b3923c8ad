"""CORS with the original's behaviour (CONTRACT §1.4), allowed origins configurable.

A middleware rather than aiohttp-cors: aiohttp-cors needs every route (in every sub-application)
registered with it, cannot answer preflights for paths it does not know, and adds a response
signal to every request; here a request without ``Origin`` (every API client that is not a
browser, and every benchmark) costs one header lookup.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiohttp import hdrs, web
from aiohttp.typedefs import Handler, Middleware

ALLOWED_METHODS = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"
MAX_AGE = "600"


def cors_middleware(origins: Sequence[str]) -> Middleware:
    allow_any = "*" in origins
    allowed = frozenset(origins)

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        origin = request.headers.get(hdrs.ORIGIN)
        if origin is None:
            return await handler(request)
        permitted = allow_any or origin in allowed
        if request.method == hdrs.METH_OPTIONS and hdrs.ACCESS_CONTROL_REQUEST_METHOD in request.headers:
            if not permitted:
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
        response = await handler(request)
        if permitted:
            # Credentials with "*" are refused by browsers, so the origin is echoed.
            response.headers[hdrs.ACCESS_CONTROL_ALLOW_ORIGIN] = origin
            response.headers[hdrs.ACCESS_CONTROL_ALLOW_CREDENTIALS] = "true"
            response.headers[hdrs.VARY] = "Origin"
        return response

    return middleware
