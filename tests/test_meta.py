"""Root and per-module meta endpoints, byte for byte (CONTRACT §1.2–§1.3)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from app.site.meta import utc_timestamp
from schemas.common import APIMetadataSchema, HealthResponseSchema, VersionInfoSchema
from tests.conftest import ClientFactory
from tests.contract import assert_wire

MODULES = ("broker", "datafeed")


async def test_root_body_is_the_originals(make_client: ClientFactory) -> None:
    client = await make_client()
    response = await client.get("/")
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/json"
    assert await response.read() == (
        b'{"name":"Trading API","version":"1.0.0","current_api_version":"v1","documentation":"/api/docs"}'
    )


@pytest.mark.parametrize("module", MODULES)
async def test_health_reports_the_module_with_a_utc_timestamp(make_client: ClientFactory, module: str) -> None:
    client = await make_client()
    response = await client.get(f"/api/v1/{module}/health")
    raw = await response.read()
    assert response.status == 200
    match = re.fullmatch(
        rb'\{"status":"ok","message":"Service is healthy","timestamp":"([^"]+)",'
        rb'"module_name":"' + module.encode() + rb'","api_version":"v1"\}',
        raw,
    )
    assert match is not None, raw
    stamp = match.group(1).decode()
    assert stamp.endswith("Z")
    parsed = datetime.fromisoformat(stamp[:-1]).replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - parsed).total_seconds()) < 60
    assert_wire(HealthResponseSchema(), raw)


@pytest.mark.parametrize("module", MODULES)
async def test_versions_body_is_the_originals(make_client: ClientFactory, module: str) -> None:
    client = await make_client()
    raw = await (await client.get(f"/api/v1/{module}/versions")).read()
    assert raw == (
        b'{"current_version":"v1","available_versions":{"v1":{"version":"v1","release_date":"TBD",'
        b'"status":"stable","breaking_changes":[],"deprecation_notice":null,"sunset_date":null}},'
        b'"documentation_url":"/api/v1/' + module.encode() + b'/docs",'
        b'"support_contact":"support@trading-pro.nodomainyet"}'
    )
    assert_wire(APIMetadataSchema(), raw)


@pytest.mark.parametrize("module", MODULES)
async def test_version_body_is_the_originals(make_client: ClientFactory, module: str) -> None:
    client = await make_client()
    raw = await (await client.get(f"/api/v1/{module}/version")).read()
    assert raw == (
        b'{"version":"v1","release_date":"TBD","status":"stable","breaking_changes":[],'
        b'"deprecation_notice":null,"sunset_date":null}'
    )
    assert_wire(VersionInfoSchema(), raw)


def test_timestamp_omits_a_zero_fraction_like_the_original() -> None:
    assert utc_timestamp(datetime(2026, 11, 24, 2, 5, 7, tzinfo=UTC)) == "2026-11-24T02:05:07Z"
    assert utc_timestamp(datetime(2026, 11, 24, 2, 5, 7, 720605, tzinfo=UTC)) == "2026-11-24T02:05:07.720605Z"


@pytest.mark.parametrize("path", ["/api/v1/health", "/api/v1/version", "/api/v1/core/health", "/api/asyncapi.json"])
async def test_global_meta_paths_do_not_exist(make_client: ClientFactory, path: str) -> None:
    client = await make_client()
    response = await client.get(path)
    assert response.status == 404
    assert await response.read() == b'{"detail":"Not Found"}'


async def test_swagger_ui_is_served_offline(make_client: ClientFactory) -> None:
    client = await make_client()
    response = await client.get("/api/docs")
    html = await response.text()
    assert response.status == 200
    assert "swagger-ui-bundle.js" in html and "/api/openapi.json" in html
    assert "http://" not in html and "https://" not in html
    asset = await client.get("/api/static/swagger/swagger-ui-bundle.js")
    assert asset.status == 200
