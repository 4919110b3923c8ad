"""The root application's outermost layer: request id, HTTP series and access log; CORS and the
handshake Origin rule; the error contract; the request body's budget.

Each of those was a middleware of its own, and each layer costs a coroutine, a ``partial`` and
a frame per request (3,400 instructions, measured on ``POST /orders``). The order of the layers
is kept inside this one: the observation sees every answer (404s of a scan, 422s, 500s) as a
response and only redirects as exceptions; CORS decorates the answers, errors included; the
body budget is innermost, so a body that times out (or is cut off at shutdown) is answered by
the error contract like any other exception.

``install_edge`` puts it around the application's own request handler rather than in its
middleware list whenever no other layer must run outside it (``TRUSTED_PROXIES`` unset): an
application with any middleware makes aiohttp wrap every request in a ``partial`` and a
coroutine per middleware and one more per application (``_fix_request_current_app``, root and
module), 21,000 instructions per ``POST /orders`` for this one layer (measured with
bench/post_instructions.py: a middleware that only awaits its handler against none). Around the
handler the edge runs before routing: it sees the same requests, answers and exceptions, and
the two answers it gives without calling the handler (a preflight, a refused handshake) resolve
the route for the HTTP series themselves. Around the handler it also serves the routes of exact
paths (app.http.exact) without aiohttp's per-request resolution.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from time import perf_counter

from aiohttp import hdrs, web
from aiohttp.typedefs import Handler

from app.http.budget import BodyBudget
from app.http.cors import FORBIDDEN_ORIGIN, CorsPolicy, is_handshake
from app.http.errors import answer
from app.http.exact import ExactRoutes
from app.http.responses import json_response
from app.keys import EXACT_ROUTES
from app.observability.context import HEADER, REQUEST_ID
from app.observability.metrics import HttpSeries
from app.observability.middleware import Observer, log_access

Edge = Callable[..., Awaitable[web.StreamResponse]]


def _edge(series: HttpSeries | None, access_log: bool, cors: CorsPolicy, budget: BodyBudget,
          router: web.UrlDispatcher, outer: Handler | None, exact: ExactRoutes | None = None) -> Edge:
    """The layer as ``edge(request, handler=outer)``: a middleware (``outer`` None) or the
    handler of the whole application (``outer``: the application's own, skipped for the routes
    of ``exact``)."""
    observer = Observer(series, access_log)
    choose, fresh, done = observer.ids.choose, observer.ids.fresh, observer.done
    guarded = budget.guarded

    async def edge(request: web.Request, handler: Handler | None = outer) -> web.StreamResponse:
        """Around the application's handler (``outer``), the request is routed by ``handler``:
        ``request.match_info`` may be read only after it (aiohttp caches the property)."""
        assert handler is not None
        headers = request.headers
        offered = headers.get(HEADER)
        request_id = fresh() if offered is None else choose(offered)
        token = REQUEST_ID.set(request_id)
        start = perf_counter()
        try:
            origin = headers.get(hdrs.ORIGIN)
            try:
                if origin is not None and cors.is_preflight(request):
                    response: web.StreamResponse = cors.preflight(request, origin)
                    match_info = request.match_info if outer is None else await router.resolve(request)
                elif origin is not None and is_handshake(request) and not cors.permits_socket(request, origin):
                    response = json_response({"detail": FORBIDDEN_ORIGIN}, status=403)
                    match_info = request.match_info if outer is None else await router.resolve(request)
                else:
                    target = handler
                    if exact is not None:
                        table = exact.table if exact.table is not None else await exact.build()
                        hit = table.get((request.method, request.rel_url.path_safe))
                        if hit is not None and not headers.get(hdrs.EXPECT):
                            request._match_info, target = hit
                    try:
                        if request.content.is_eof():
                            response = await target(request)
                        else:
                            response = await guarded(request, target)
                    except Exception as exc:
                        response = await answer(request, exc)
                    if origin is not None:
                        cors.decorate(response, origin)
                    match_info = request.match_info
            except web.HTTPException as exc:  # redirects (the error contract answers the rest)
                exc.headers[HEADER] = request_id
                done(request, request.match_info, exc.status, perf_counter() - start, None, True)
                raise
            if not response.prepared:
                response.headers[HEADER] = request_id
            # observer.done written out: every request passes here (a Python call costs ~1,000
            # instructions). A plain Response first: the isinstance of an aiohttp response is an ABC check.
            status, seconds = response.status, perf_counter() - start
            if series is not None:
                timed = type(response) is web.Response or not isinstance(response, web.WebSocketResponse)
                series.record_route(match_info.route, request, status, seconds if timed else None)
            if access_log:
                log_access(request, match_info, status, seconds, response.content_length)
            return response
        finally:
            REQUEST_ID.reset(token)

    return edge


def install_edge(app: web.Application, series: HttpSeries | None, access_log: bool, cors: CorsPolicy,
                 budget: BodyBudget) -> None:
    """The edge around ``app``'s request handler, or as its first middleware when it already has
    middlewares (they were put there to run outside it: the forwarded headers), or when this
    aiohttp has no ``Application._handle`` (a private name: aiohttp is pinned below 4)."""
    if app.middlewares or not callable(getattr(app, "_handle", None)):
        app.middlewares.append(web.middleware(_edge(series, access_log, cors, budget, app.router, None)))
        return
    # aiohttp's runners serve ``app._handle`` (read when the server is made, after start-up): the
    # instance's own attribute comes first. object.__setattr__: aiohttp's debug mode warns on
    # attributes it does not know.
    exact = app[EXACT_ROUTES] = ExactRoutes(app)
    object.__setattr__(app, "_handle", _edge(series, access_log, cors, budget, app.router, app._handle, exact))
