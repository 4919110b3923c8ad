"""API documentation pages and the served OpenAPI/AsyncAPI documents, all offline (no CDN).

| URL | what |
|---|---|
| ``/api/openapi.json``, ``/api/docs``, ``/api/redoc`` | merged OpenAPI, Swagger UI, ReDoc |
| ``/api/v1/{m}/openapi.json``, ``/docs``, ``/redoc`` | the module's own OpenAPI (relative paths) and its UIs |
| ``/api/v1/{m}/ws/asyncapi.json``, ``/ws/asyncapi`` | the module's AsyncAPI document and its viewer |

Where the viewers come from:
- Swagger UI: the bundle shipped inside the aiohttp-apigami wheel (always present).
- ReDoc: ``redoc.standalone.js`` of the npm package ``redoc`` and the AsyncAPI viewer
  (``@asyncapi/react-component``'s standalone bundle), both pinned in ``contract-ts/package.json``
  and copied into the package's assets folder by ``make viewers`` (app.site.assets; ``make run``
  and ``make test`` do it). When they are absent, the ReDoc page says how to build them, and the
  AsyncAPI page falls back to a small viewer of ours that lists the channels, messages and schemas
  from the JSON.

The documents are built on first request from the live routes (`app.specs.openapi`, `app.specs.asyncapi`),
then cached; nothing is written to disk.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import orjson
from aiohttp import web
from aiohttp.typedefs import Handler
from aiohttp_apigami import swagger_ui

from app.http.responses import raw_json_response
from app.keys import MODULE_APPS
from app.modules import module_prefix
from app.settings import Settings
from app.site.assets import VIEWERS, SiteAssets
from app.site.security import HTML_HEADERS, VIEWER_HEADERS

SWAGGER_PREFIX = "/api/static/swagger"
STATIC_PREFIX = "/api/static"
SWAGGER_DIR = Path(swagger_ui.__file__).parent / "swagger_ui"
SCRIPTS_PREFIX = "/api/static/scripts"
SCRIPTS_DIR = Path(__file__).resolve().parent / "scripts"
"""The pages' own start-up scripts (no page has an inline script: see app.site.security)."""

INSTALL_HINT = "make viewers"
REDOC = "redoc/redoc.standalone.js"
ASYNCAPI = ("asyncapi/index.js", "asyncapi/default.min.css")


def swagger_page(spec_url: str) -> str:
    """Swagger UI's own page (its ``index.html``) with its inline start-up moved to a script file."""
    head = "".join(
        f'<link rel="stylesheet" type="text/css" href="{SWAGGER_PREFIX}/{name}">\n'
        for name in ("swagger-ui.css", "index.css")
    ) + f'<link rel="icon" type="image/png" href="{SWAGGER_PREFIX}/favicon-32x32.png" sizes="32x32">'
    body = (
        f'<div id="swagger-ui" data-spec-url="{html.escape(spec_url)}"></div>\n'
        f'<script src="{SWAGGER_PREFIX}/swagger-ui-bundle.js" charset="UTF-8"></script>\n'
        f'<script src="{SWAGGER_PREFIX}/swagger-ui-standalone-preset.js" charset="UTF-8"></script>\n'
        f'<script src="{SCRIPTS_PREFIX}/swagger-init.js"></script>'
    )
    return _page("Swagger UI", body, head=head)


def redoc_page(title: str, spec_url: str, swagger_url: str, installed: bool) -> str:
    if installed:
        body = (
            f'<redoc spec-url="{html.escape(spec_url)}"></redoc>\n'
            f'<script src="{STATIC_PREFIX}/{REDOC}"></script>'
        )
    else:
        body = (
            "<h1>ReDoc is not installed</h1>\n"
            "<p>The ReDoc bundle is served offline from the npm package <code>redoc</code> pinned in "
            "<code>contract-ts/package.json</code>, copied into the package's assets folder. Build it "
            f"in a source checkout with <code>{INSTALL_HINT}</code> (or <code>make run</code>) and "
            "reinstall, or point <code>ASSETS_DIR</code> at a folder holding it; then reload this page.</p>\n"
            f'<p>Meanwhile: <a href="{html.escape(swagger_url)}">Swagger UI</a> · '
            f'<a href="{html.escape(spec_url)}">the OpenAPI document</a>.</p>'
        )
    return _page(title, body, style="body{margin:0;padding:0}")


def asyncapi_page(title: str, spec_url: str, installed: bool) -> str:
    if installed:
        body = (
            f'<div id="asyncapi" data-spec-url="{html.escape(spec_url)}"></div>\n'
            f'<script src="{STATIC_PREFIX}/{ASYNCAPI[0]}"></script>\n'
            f'<script src="{SCRIPTS_PREFIX}/asyncapi-init.js"></script>'
        )
        head = f'<link rel="stylesheet" href="{STATIC_PREFIX}/{ASYNCAPI[1]}">'
        return _page(title, body, head=head)
    return _page(title, _FALLBACK_VIEWER.replace("$SPEC_URL", html.escape(spec_url)), style=_FALLBACK_CSS)


def _page(title: str, body: str, *, head: str = "", style: str = "") -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{head}\n<style>{style}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


_FALLBACK_CSS = (
    "body{font-family:sans-serif;margin:2em;max-width:70em}pre{background:#f5f5f5;padding:.6em;overflow:auto}"
    "h3{margin-bottom:.2em}.dir{color:#555}.note{background:#fff6d5;padding:.6em}.desc{white-space:pre-wrap}"
)

_FALLBACK_VIEWER = (
    '<p class="note">Simple viewer: the full AsyncAPI viewer (npm <code>@asyncapi/react-component</code>) '
    f"is not installed; build it with <code>{INSTALL_HINT}</code> and reload for it.</p>\n"
    '<div id="doc" data-spec-url="$SPEC_URL">Loading…</div>\n'
    f'<script src="{SCRIPTS_PREFIX}/asyncapi-fallback.js"></script>'
)


def html_handler(html_text: str | Callable[[], str], headers: Mapping[str, str] = HTML_HEADERS) -> Handler:
    """A GET handler answering ``text/html``; a callable is evaluated per request (assets may appear later)."""

    async def handler(_: web.Request) -> web.Response:
        text = html_text() if callable(html_text) else html_text
        return web.Response(text=text, content_type="text/html", charset="utf-8", headers=headers)

    return handler


def json_handler(build: Callable[[], Any]) -> Handler:
    """Serves ``build()`` as JSON, built on the first request and cached."""
    cache: list[bytes] = []

    async def handler(_: web.Request) -> web.Response:
        if not cache:
            cache.append(orjson.dumps(build()))
        return raw_json_response(cache[0])

    return handler


def asset_handler(assets: SiteAssets, name: str) -> Handler:
    """Serves the viewer file ``name`` if present (looked up per request: ``make viewers`` may run after startup)."""

    async def handler(_: web.Request) -> web.StreamResponse:
        path = assets.viewer(name)
        if not path.is_file():
            raise web.HTTPNotFound()
        return web.FileResponse(path, headers={"Cache-Control": "public, max-age=3600"})

    return handler


def add_docs_routes(app: web.Application, settings: Settings, assets: SiteAssets) -> None:
    """Docs of the merged API and of every mounted module (call after the modules are mounted)."""
    from app.modules import module_info
    from app.specs import asyncapi, openapi

    app.router.add_static(SWAGGER_PREFIX, SWAGGER_DIR)
    app.router.add_static(SCRIPTS_PREFIX, SCRIPTS_DIR)
    for name in VIEWERS:
        app.router.add_get(f"{STATIC_PREFIX}/{name}", asset_handler(assets, name), allow_head=False)
    app.router.add_get("/api/docs", html_handler(swagger_page("/api/openapi.json")), allow_head=False)
    app.router.add_get(
        "/api/redoc",
        html_handler(lambda: redoc_page("Trading API - ReDoc", "/api/openapi.json", "/api/docs",
                                        assets.has_viewer(REDOC))),
        allow_head=False,
    )
    module_apps = app[MODULE_APPS]
    app.router.add_get(
        "/api/openapi.json", json_handler(lambda: openapi.merged_document(module_apps.items())), allow_head=False
    )
    for module, subapp in module_apps.items():
        title = module_info(module).title
        base = module_prefix(module)
        _add_module_docs(app.router, subapp, module, title, base, asyncapi, openapi, assets)


def _add_module_docs(
    router: web.UrlDispatcher,
    subapp: web.Application,
    module: str,
    title: str,
    base: str,
    asyncapi: Any,
    openapi: Any,
    assets: SiteAssets,
) -> None:
    """On the main app with full paths: a mounted sub-application's router is already frozen."""
    router.add_get(
        f"{base}/openapi.json",
        json_handler(lambda: openapi.module_document(subapp, module, title)),
        allow_head=False,
    )
    router.add_get(f"{base}/docs", html_handler(swagger_page(f"{base}/openapi.json")), allow_head=False)
    router.add_get(
        f"{base}/redoc",
        html_handler(lambda: redoc_page(f"{title} - ReDoc", f"{base}/openapi.json", f"{base}/docs",
                                        assets.has_viewer(REDOC))),
        allow_head=False,
    )
    router.add_get(
        f"{base}/ws/asyncapi.json", json_handler(lambda: asyncapi.module_document(subapp, module)), allow_head=False
    )
    ws_title = asyncapi.module_titles(module)["title"]
    router.add_get(
        f"{base}/ws/asyncapi",
        html_handler(lambda: asyncapi_page(ws_title, f"{base}/ws/asyncapi.json", assets.has_viewer(*ASYNCAPI)),
                     VIEWER_HEADERS),
        allow_head=False,
    )
