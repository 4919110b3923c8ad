"""Headers every HTML page carries, so a page of ours cannot be framed, sniffed or fed a script.

``script-src 'self'``: no page has an inline script (the docs pages' start-up code is served from
``app/site/scripts``), so an injected ``<script>`` or ``onerror=`` never runs. Styles may stay
inline (Swagger UI, ReDoc and the AsyncAPI viewer set them at run time; a style cannot run code).
ReDoc renders in a worker built from a ``blob:`` URL; images may be ``data:`` URLs (favicons,
icons of the viewers) or ReDoc's own footer logo (``cdn.redoc.ly``,
an image: it runs nothing). ``connect-src 'self'`` covers the page's own WebSocket in Chromium and
Firefox (CSP 3); ``frame-ancestors 'none'`` and ``X-Frame-Options`` keep pages out of frames.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping


def _policy(script_src: str) -> str:
    return "; ".join((
        "default-src 'self'",
        f"script-src {script_src}",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: https://cdn.redoc.ly",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))


def _headers(policy: str) -> Mapping[str, str]:
    return MappingProxyType({
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
    })


CONTENT_SECURITY_POLICY = _policy("'self'")
HTML_HEADERS = _headers(CONTENT_SECURITY_POLICY)
VIEWER_HEADERS = _headers(_policy("'self' 'unsafe-eval'"))
"""The AsyncAPI viewer's pages only: its bundled schema validator (ajv) compiles schemas into
functions with ``new Function``. Still no inline script: injected markup cannot run code."""
