"""The web terminal (``web/``, built by Vite into the package's ``app/site/static/terminal``, see
app.site.assets) served at ``/terminal/``.

Hashed assets are immutable and cached for a year; ``index.html`` is revalidated on every
load so a new build is picked up at once. Without a build the page says how to make one.
"""

from __future__ import annotations

from pathlib import Path

from aiohttp import hdrs, web

from app.site.security import HTML_HEADERS

IMMUTABLE = "public, max-age=31536000, immutable"
NOT_BUILT = (
    "<!doctype html><title>Trader Pro terminal</title><h1>The terminal is not built</h1>"
    "<p>This installation has no <code>terminal/index.html</code> in its assets folder. In a source "
    "checkout with Node.js and npm, run <code>make run</code> (it builds <code>web/</code> into "
    "<code>app/site/static/terminal</code>), or <code>make web-build</code> before "
    "<code>pip install .</code>; or point <code>ASSETS_DIR</code> at a folder holding a build. "
    "The API is available at <a href=\"/api/docs\">/api/docs</a>.</p>"
)


async def _to_terminal(_: web.Request) -> web.Response:
    raise web.HTTPMovedPermanently("/terminal/")


def add_terminal_routes(app: web.Application, dist: Path) -> None:
    app.router.add_get("/terminal", _to_terminal, allow_head=False)
    index = dist / "index.html"
    if not index.is_file():
        async def not_built(_: web.Request) -> web.Response:
            return web.Response(status=503, text=NOT_BUILT, content_type="text/html", headers=HTML_HEADERS)

        app.router.add_get("/terminal/", not_built, allow_head=False)
        return
    body = index.read_bytes()

    async def page(_: web.Request) -> web.Response:
        return web.Response(body=body, content_type="text/html", charset="utf-8",
                            headers={**HTML_HEADERS, hdrs.CACHE_CONTROL: "no-cache"})

    app.router.add_get("/terminal/", page, allow_head=False)
    assets = (dist / "assets").resolve()

    async def asset(request: web.Request) -> web.StreamResponse:
        path = (assets / request.match_info["name"]).resolve()
        if path.parent != assets or not path.is_file():
            raise web.HTTPNotFound()
        return web.FileResponse(path, headers={hdrs.CACHE_CONTROL: IMMUTABLE})

    app.router.add_get("/terminal/assets/{name}", asset, allow_head=False)


def prefers_html(request: web.Request) -> bool:
    """A browser's ``Accept`` lists text/html before JSON; API clients send */* or JSON."""
    accept = request.headers.get(hdrs.ACCEPT, "")
    html = accept.find("text/html")
    if html < 0:
        return False
    json = accept.find("application/json")
    return json < 0 or html < json
