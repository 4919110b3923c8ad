"""The HTTP error contract (CONTRACT §1.4, DESIGN §3): every error is JSON with a ``detail`` key.

Views raise :class:`ApiError` (application errors, ``{"detail": "..."}``) or
`schemas.errors.RequestInvalid` (422, ``{"detail": [items]}``), or let a domain error through:
a module's sub-application maps its domain's error classes to those two (`ERROR_TRANSLATOR`,
set by the module's setup), so the domain knows nothing of HTTP and views need no try blocks.
aiohttp's own 404/405/413 become the same JSON shapes; anything else is a logged 500 that never
leaks a traceback. An answer that cannot be encoded as it is (a string with a lone surrogate, an
integer past 64 bits) is written by the standard encoder with ASCII escapes; should even that
fail, the 500 is a fixed JSON body (aiohttp's 400s: app.http.server).
"""

from __future__ import annotations

import json
import logging
import math
from aiohttp import hdrs, web

from app.http.budget import BodyAbandoned
from app.http.responses import json_response, raw_json_response
from app.keys import ERROR_TRANSLATOR
from app.observability.context import current_request_id
from schemas.errors import RequestInvalid

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An application error answered as ``{"detail": detail}`` with ``status``."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


_REASONS = {
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Request Entity Too Large",
}


async def _http_exception_response(request: web.Request, exc: web.HTTPException) -> web.StreamResponse:
    if exc.status == 404 and request.headers.get(hdrs.UPGRADE, "").lower() == "websocket":
        # CONTRACT §6.1: a handshake on any other path (``/ws/`` included) is refused with 403
        return web.Response(status=403, text="Forbidden")
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
    root = request.match_info.apps[0]  # the routing may have stopped in a module's application
    match = await root.router.resolve(request.clone(rel_url=target))
    if match.http_exception is not None:
        return None
    return web.Response(status=307, headers={"Location": str(request.url.with_path(target.path))})


def _safe_response(content: dict[str, object], status: int) -> web.Response:
    """orjson refuses integers beyond 64 bits and strings with lone surrogates; the standard
    encoder writes any number (as the original does) and escapes what UTF-8 cannot carry."""
    try:
        return json_response(content, status=status)
    except TypeError:
        body = json.dumps(_finite(content), separators=(",", ":"), ensure_ascii=True)
        return raw_json_response(body.encode(), status=status)


def _items_response(items: list[dict[str, object]]) -> web.Response:
    return _safe_response({"detail": items}, 422)


def _finite(value: object) -> object:
    """Non-finite floats as ``null``, as orjson writes them."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _translated(request: web.Request, exc: Exception) -> Exception:
    """``exc`` in transport terms, by the translator of the innermost application that has one."""
    match_info = request.match_info
    for app in reversed(match_info.apps if match_info is not None else ()):
        translate = app.get(ERROR_TRANSLATOR)
        if translate is not None:
            return translate(exc) or exc
    return exc


async def error_response(request: web.Request, exc: Exception) -> web.StreamResponse:
    """The JSON answer for an exception a handler raised (re-raises redirects)."""
    exc = _translated(request, exc)
    if isinstance(exc, ApiError):
        return _safe_response({"detail": exc.detail}, exc.status)
    if isinstance(exc, BodyAbandoned):
        response = json_response({"detail": exc.detail}, status=exc.status)
        response.force_close()
        return response
    if isinstance(exc, RequestInvalid):
        return _items_response(exc.items)
    if isinstance(exc, web.HTTPException):
        if exc.status < 400:
            raise exc
        return await _http_exception_response(request, exc)
    log.error("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    return _internal_error()


def _internal_error() -> web.Response:
    return json_response({"detail": "Internal Server Error", "request_id": current_request_id()}, status=500)


async def answer(request: web.Request, exc: Exception) -> web.StreamResponse:
    """error_response, and a plain JSON 500 should it fail itself."""
    try:
        return await error_response(request, exc)
    except web.HTTPException:
        raise
    except Exception as failure:
        log.error("error answer failed on %s %s", request.method, request.path, exc_info=failure)
        return _internal_error()
