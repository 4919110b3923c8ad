"""What is observed of every request (the request id, the HTTP series, the access log), for the
edge middleware (app.http.edge), which sees every answer (404s of a scan, 422s, 500s) as a
response and only redirects as exceptions.
"""

from __future__ import annotations

import logging

from aiohttp import web

from app.observability.context import RequestIds
from app.observability.metrics import HttpSeries, route_labels

ACCESS_LOG = logging.getLogger("app.access")


def log_access(request: web.Request, match_info: web.UrlMappingMatchInfo | None, status: int, seconds: float,
               size: int | None) -> None:
    """One access line: the route template and the path without its query (which may hold a
    ``token``); never a header."""
    route = route_labels(None if match_info is None else match_info.route.resource)[1]
    ACCESS_LOG.info("%s %s %d %.2f ms", request.method, request.path, status, seconds * 1000,
                    extra={"method": request.method, "path": request.path, "route": route,
                           "status": status, "duration_ms": round(seconds * 1000, 3), "bytes": size})


class Observer:
    """What the edge middleware (app.http.edge) records of each request: a request id for the
    logs, the HTTP series and the access log. Logging and request ids cost a context variable
    per request; the series two increments through pre-bound children."""

    def __init__(self, series: HttpSeries | None, access_log: bool) -> None:
        self.ids = RequestIds()
        self.series = series
        self.access_log = access_log

    def done(self, request: web.Request, match_info: web.UrlMappingMatchInfo | None, status: int, seconds: float,
             response: web.StreamResponse | None, timed: bool) -> None:
        """``match_info``: the request's route (None: not routed, as when routing itself failed)."""
        if self.series is not None:
            self.series.record(None if match_info is None else match_info.route.resource, request.method,
                               status, seconds if timed else None)
        if self.access_log:
            log_access(request, match_info, status, seconds, None if response is None else response.content_length)
