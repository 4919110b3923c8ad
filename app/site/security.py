"""Headers every HTML page carries, so a page of ours cannot be framed, sniffed or fed a script.

``script-src 'self'``: no page has an inline script (the docs pages' start-up code is served from
``app/site/scripts``), so an injected ``<script>`` or ``onerror=`` never runs. Styles may stay
inline (Swagger UI, ReDoc and the AsyncAPI viewer set them at run time; a style cannot run code).
ReDoc renders in a worker built from a ``blob:`` URL; images may be ``data:`` URLs (favicons,
icons of the viewers). ``connect-src 'self'`` covers the page's own WebSocket in Chromium and
Firefox (CSP 3); ``frame-ancestors 'none'`` and ``X-Frame-Options`` keep pages out of frames.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

HTML_HEADERS: Mapping[str, str] = MappingProxyType({
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
})
