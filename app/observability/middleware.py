"""The outermost middleware: a request id for the logs, the HTTP series and the access log.

It sits outside the error middleware, so it sees every answer (404s of a scan, 422s, 500s)
as a response, and only redirects as exceptions. Logging and request ids cost a context
variable per request; the series two increments through pre-bound children.
"""

from __future__ import annotations

import logging
from time import perf_counter

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from app.observability.context import HEADER, REQUEST_ID, RequestIds
from app.observability.metrics import HttpSeries, route_labels

ACCESS_LOG = logging.getLogger("app.access")


def _access(request: web.Request, status: int, seconds: float, size: int | None) -> None:
    """One access line: the route template and the path without its query (which may hold a
    ``token``); never a header."""
    resource = request.match_info.route.resource
    route = route_labels(resource)[1]
    ACCESS_LOG.info("%s %s %d %.2f ms", request.method, request.path, status, seconds * 1000,
                    extra={"method": request.method, "path": request.path, "route": route,
                           "status": status, "duration_ms": round(seconds * 1000, 3), "bytes": size})


def observe_middleware(series: HttpSeries | None, access_log: bool) -> Middleware:
    ids = RequestIds()

    def done(request: web.Request, status: int, seconds: float, response: web.StreamResponse | None,
             timed: bool) -> None:
        if series is not None:
            series.record(request.match_info.route.resource, request.method, status, seconds if timed else None)
        if access_log:
            _access(request, status, seconds, None if response is None else response.content_length)

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        request_id = ids.choose(request.headers.get(HEADER))
        token = REQUEST_ID.set(request_id)
        start = perf_counter()
        try:
            try:
                response = await handler(request)
            except web.HTTPException as exc:  # redirects (the error middleware answers the rest)
                exc.headers[HEADER] = request_id
                done(request, exc.status, perf_counter() - start, None, True)
                raise
            if not response.prepared:
                response.headers[HEADER] = request_id
            # a plain Response first: the isinstance of an aiohttp response is an ABC check
            done(request, response.status, perf_counter() - start, response,
                 type(response) is web.Response or not isinstance(response, web.WebSocketResponse))
            return response
        finally:
            REQUEST_ID.reset(token)

    return middleware
