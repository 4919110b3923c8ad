"""Root and per-module meta endpoints (CONTRACT §1.2–§1.3), byte-for-byte."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
from aiohttp import web
from aiohttp_apigami import docs, response_schema

from app.http.responses import json_response, raw_json_response
from app.keys import HEALTH_CHECKS
from app.modules import module_prefix
from app.site.terminal import prefers_html
from schemas.common import APIMetadataSchema, HealthResponseSchema, VersionInfoSchema

API_VERSION = "v1"
SUPPORT_CONTACT = "support@trading-pro.nodomainyet"

ROOT_BODY = orjson.dumps(
    {"name": "Trading API", "version": "1.0.0", "current_api_version": API_VERSION, "documentation": "/api/docs"}
)

VERSION_INFO: dict[str, object] = {
    "version": API_VERSION,
    "release_date": "TBD",
    "status": "stable",
    "breaking_changes": [],
    "deprecation_notice": None,
    "sunset_date": None,
}


def utc_timestamp(now: datetime | None = None) -> str:
    """ISO-8601 with microseconds (omitted when 0) and a ``Z``, as the original prints it."""
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat() + "Z"


async def root(request: web.Request) -> web.Response:
    if prefers_html(request):
        raise web.HTTPFound("/terminal/")
    return raw_json_response(ROOT_BODY)


def add_meta_routes(app: web.Application, module: str) -> None:
    """Health and version endpoints of one module's sub-application."""
    versions_body = orjson.dumps(
        {
            "current_version": API_VERSION,
            "available_versions": {API_VERSION: VERSION_INFO},
            "documentation_url": f"{module_prefix(module)}/docs",
            "support_contact": SUPPORT_CONTACT,
        }
    )
    version_body = orjson.dumps(VERSION_INFO)
    health_prefix = b'{"status":"ok","message":"Service is healthy","timestamp":"'
    health_suffix = f'","module_name":"{module}","api_version":"{API_VERSION}"}}'.encode()

    checks = app[HEALTH_CHECKS] = []

    @docs(tags=[module, API_VERSION], summary="Health check", operationId="getHealthStatus")
    @response_schema(HealthResponseSchema(), 200)
    @response_schema(HealthResponseSchema(), 503, description="Not ready: a part of the module fails "
                     "(status \"error\", the message names it)")
    async def health(_: web.Request) -> web.Response:
        failing = [message for check in checks if (message := check()) is not None]
        if failing:
            return json_response({"status": "error", "message": "; ".join(failing), "timestamp": utc_timestamp(),
                                  "module_name": module, "api_version": API_VERSION}, status=503)
        return raw_json_response(health_prefix + utc_timestamp().encode() + health_suffix)

    @docs(tags=[module, "versioning", API_VERSION], summary="API versions", operationId="getAPIVersions")
    @response_schema(APIMetadataSchema(), 200)
    async def versions(_: web.Request) -> web.Response:
        return raw_json_response(versions_body)

    @docs(tags=[module, "versioning", API_VERSION], summary="Current API version", operationId="getCurrentAPIVersion")
    @response_schema(VersionInfoSchema(), 200)
    async def version(_: web.Request) -> web.Response:
        return raw_json_response(version_body)

    app.router.add_get("/health", health, allow_head=False)
    app.router.add_get("/versions", versions, allow_head=False)
    app.router.add_get("/version", version, allow_head=False)


__all__ = ["add_meta_routes", "root", "utc_timestamp"]
