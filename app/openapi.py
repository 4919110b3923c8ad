"""OpenAPI documents built in memory from the routes' apigami decorators and the marshmallow schemas.

Nothing is written to disk here: ``python -m app generate`` writes the committed copies.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aiohttp import web
from aiohttp_apigami.core import resolver
from aiohttp_apigami.plugin import ApigamiPlugin
from aiohttp_apigami.route_processor import RouteProcessor
from aiohttp_apigami.utils import make_json_serializable
from apispec import APISpec

OPENAPI_VERSION = "3.0.3"


def _spec(title: str, version: str, description: str | None = None) -> APISpec:
    info: dict[str, Any] = {"description": description} if description else {}
    return APISpec(
        title=title,
        version=version,
        openapi_version=OPENAPI_VERSION,
        plugins=(ApigamiPlugin(schema_name_resolver=resolver),),
        info=info,
    )


def module_document(app: web.Application, module: str, title: str) -> dict[str, Any]:
    """One module's document, paths relative to the module (CONTRACT §1.1)."""
    spec = _spec(title, "v1", f"REST API app for {module} module")
    RouteProcessor(spec).register_routes(app)
    return _clean(spec.to_dict())


def merged_document(modules: Iterable[tuple[str, web.Application]]) -> dict[str, Any]:
    spec = _spec("Trading API", "1.0.0")
    for name, app in modules:
        RouteProcessor(spec, prefix=f"/api/v1/{name}").register_routes(app)
    return _clean(spec.to_dict())


def _clean(document: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = make_json_serializable(document)
    for operations in cleaned.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict):
                operation.pop("produces", None)
    return cleaned
