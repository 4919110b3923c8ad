"""Swagger UI and the served OpenAPI documents, offline (the UI bundle ships with aiohttp-apigami)."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web
from aiohttp.typedefs import Handler
from aiohttp_apigami import swagger_ui

from app.http.responses import raw_json_response
from app.keys import MODULE_APPS
from app.settings import Settings

import orjson

STATIC_PREFIX = "/api/static/swagger"
_TEMPLATE = (Path(swagger_ui.__file__).parent / "swagger_ui" / "index.html").read_text()


def swagger_page(spec_url: str) -> str:
    return (
        _TEMPLATE.replace("$static", STATIC_PREFIX).replace("$path", spec_url).replace("$layout", "BaseLayout")
    )


def html_handler(html: str) -> Handler:
    body = html.encode()

    async def handler(_: web.Request) -> web.Response:
        return web.Response(body=body, content_type="text/html", charset="utf-8")

    return handler


def add_docs_routes(app: web.Application, settings: Settings) -> None:
    """Docs of the merged API; each module's own docs are added by ``add_module_docs``."""
    from app.openapi import merged_document

    app.router.add_static(STATIC_PREFIX, Path(swagger_ui.__file__).parent / "swagger_ui")
    app.router.add_get("/api/docs", html_handler(swagger_page("/api/openapi.json")), allow_head=False)
    cache: dict[str, bytes] = {}

    async def openapi_json(request: web.Request) -> web.Response:
        if "doc" not in cache:
            cache["doc"] = orjson.dumps(merged_document(request.app[MODULE_APPS].items()))
        return raw_json_response(cache["doc"])

    app.router.add_get("/api/openapi.json", openapi_json, allow_head=False)
