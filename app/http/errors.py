"""The HTTP error contract (CONTRACT §1.4, DESIGN §3): every error is JSON with a ``detail`` key.

Views raise :class:`ApiError` (application errors, ``{"detail": "..."}``) or
:class:`RequestInvalid` (422, ``{"detail": [items]}``); aiohttp's own 404/405/413 become the same
JSON shapes; anything else is a logged 500 that never leaks a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from app.http.responses import json_response

log = logging.getLogger(__name__)

MAX_ERROR_ITEMS = 50


class ApiError(Exception):
    """An application error answered as ``{"detail": detail}`` with ``status``."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


class RequestInvalid(Exception):
    """A 422 whose body is the list of pydantic-style items (bounded)."""

    def __init__(self, items: Sequence[dict[str, Any]]) -> None:
        super().__init__("request validation failed")
        self.items = list(items[:MAX_ERROR_ITEMS])


_REASONS = {
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Request Entity Too Large",
}


async def _http_exception_response(request: web.Request, exc: web.HTTPException) -> web.StreamResponse:
    if exc.status == 404 and request.path != "/" and request.path.endswith("/"):
        redirect = await _without_trailing_slash(request)
        if redirect is not None:
            return redirect
    response = json_response({"detail": _REASONS.get(exc.status, exc.reason)}, status=exc.status)
    allow = exc.headers.get("Allow")
    if allow is not None:
        response.headers["Allow"] = allow
    return response


async def _without_trailing_slash(request: web.Request) -> web.StreamResponse | None:
    """The original answers ``/orders/`` with a 307 to ``/orders`` (FastAPI's redirect_slashes)."""
    target = request.rel_url.with_path(request.path.rstrip("/"))
    match = await request.app.router.resolve(request.clone(rel_url=target))
    if match.http_exception is not None:
        return None
    return web.Response(status=307, headers={"Location": str(request.url.with_path(target.path))})


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return json_response({"detail": exc.detail}, status=exc.status)
    except RequestInvalid as exc:
        return json_response({"detail": exc.items}, status=422)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return await _http_exception_response(request, exc)
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return json_response({"detail": "Internal Server Error"}, status=500)
