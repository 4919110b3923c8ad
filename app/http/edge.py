"""The root application's one middleware: request id, HTTP series and access log; CORS and the
handshake Origin rule; the error contract; the request body's budget.

Each of those was a middleware of its own, and each layer costs a coroutine, a ``partial`` and
a frame per request (3,400 instructions, measured on ``POST /orders``). The order of the layers
is kept inside this one: the observation sees every answer (404s of a scan, 422s, 500s) as a
response and only redirects as exceptions; CORS decorates the answers, errors included; the
body budget is innermost, so a body that times out (or is cut off at shutdown) is answered by
the error contract like any other exception.
"""

from __future__ import annotations

from time import perf_counter

from aiohttp import hdrs, web
from aiohttp.typedefs import Handler, Middleware

from app.http.budget import BodyBudget
from app.http.cors import FORBIDDEN_ORIGIN, CorsPolicy, is_handshake
from app.http.errors import answer
from app.http.responses import json_response
from app.observability.context import HEADER, REQUEST_ID
from app.observability.metrics import HttpSeries
from app.observability.middleware import Observer


def edge_middleware(series: HttpSeries | None, access_log: bool, cors: CorsPolicy,
                    budget: BodyBudget) -> Middleware:
    observer = Observer(series, access_log)
    choose, done = observer.ids.choose, observer.done
    guarded = budget.guarded

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        headers = request.headers
        request_id = choose(headers.get(HEADER))
        token = REQUEST_ID.set(request_id)
        start = perf_counter()
        try:
            origin = headers.get(hdrs.ORIGIN)
            try:
                if origin is not None and cors.is_preflight(request):
                    response: web.StreamResponse = cors.preflight(request, origin)
                elif origin is not None and is_handshake(request) and not cors.permits_socket(request, origin):
                    response = json_response({"detail": FORBIDDEN_ORIGIN}, status=403)
                else:
                    try:
                        if request.content.is_eof():
                            response = await handler(request)
                        else:
                            response = await guarded(request, handler)
                    except Exception as exc:
                        response = await answer(request, exc)
                    if origin is not None:
                        cors.decorate(response, origin)
            except web.HTTPException as exc:  # redirects (the error contract answers the rest)
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
