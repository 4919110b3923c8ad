"""``GET /metrics``: the application's registry in Prometheus text format.

With ``METRICS_TOKEN`` set, a scrape must send ``Authorization: Bearer <token>`` (compared in
constant time); a scraper without it gets a JSON 401 like every other error.
"""

from __future__ import annotations

import hmac

from aiohttp import hdrs, web
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4, CollectorRegistry, generate_latest

from app.http.responses import json_response

PATH = "/metrics"


def add_metrics_route(app: web.Application, registry: CollectorRegistry, token: str | None) -> None:
    expected = f"Bearer {token}".encode() if token is not None else None

    async def metrics(request: web.Request) -> web.Response:
        if expected is not None:
            offered = request.headers.get(hdrs.AUTHORIZATION, "").encode()
            if not hmac.compare_digest(offered, expected):
                response = json_response({"detail": "Not authenticated"}, status=401)
                response.headers[hdrs.WWW_AUTHENTICATE] = "Bearer"
                return response
        response = web.Response(body=generate_latest(registry))
        response.headers[hdrs.CONTENT_TYPE] = CONTENT_TYPE_PLAIN_0_0_4
        return response

    app.router.add_get(PATH, metrics, allow_head=False)
