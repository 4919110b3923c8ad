"""Documentation pages: Swagger UI, ReDoc and the AsyncAPI viewer, merged and per module, all offline."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from app.site import docs
from app.site.assets import PACKAGE_ASSETS, VIEWERS
from tests.conftest import ClientFactory

Client = TestClient[web.Request, web.Application]
PAGES = [
    ("/api/docs", "/api/openapi.json"),
    ("/api/redoc", "/api/openapi.json"),
    ("/api/v1/broker/docs", "/api/v1/broker/openapi.json"),
    ("/api/v1/broker/redoc", "/api/v1/broker/openapi.json"),
    ("/api/v1/datafeed/docs", "/api/v1/datafeed/openapi.json"),
    ("/api/v1/datafeed/redoc", "/api/v1/datafeed/openapi.json"),
    ("/api/v1/broker/ws/asyncapi", "/api/v1/broker/ws/asyncapi.json"),
    ("/api/v1/datafeed/ws/asyncapi", "/api/v1/datafeed/ws/asyncapi.json"),
]


@pytest.mark.parametrize(("page", "document"), PAGES)
async def test_every_page_points_at_its_document_and_loads_nothing_from_outside(
    client: Client, page: str, document: str
) -> None:
    response = await client.get(page)
    assert response.status == 200 and response.content_type == "text/html"
    html = await response.text()
    assert document in html
    assert "http://" not in html and "https://" not in html, "a docs page must not load anything from a CDN"
    served = await client.get(document)
    assert served.status == 200


async def test_swagger_assets_are_served(client: Client) -> None:
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-ui-standalone-preset.js"):
        response = await client.get(f"{docs.SWAGGER_PREFIX}/{asset}")
        assert response.status == 200, asset


@pytest.mark.parametrize("asset", sorted(VIEWERS))
async def test_npm_viewer_bundles_are_served_when_installed(client: Client, asset: str) -> None:
    if not (PACKAGE_ASSETS / "viewers" / asset).is_file():
        pytest.skip(f"{PACKAGE_ASSETS / 'viewers' / asset} not built (make viewers)")
    response = await client.get(f"{docs.STATIC_PREFIX}/{asset}")
    assert response.status == 200
    assert len(await response.read()) > 10_000


async def test_without_the_npm_bundles_the_pages_say_how_to_get_them(
    make_client: ClientFactory, tmp_path: Path
) -> None:
    client = await make_client(assets_dir=str(tmp_path / "missing"))
    redoc = await (await client.get("/api/v1/broker/redoc")).text()
    assert "ReDoc is not installed" in redoc and "make viewers" in redoc
    assert 'href="/api/v1/broker/docs"' in redoc
    viewer = await (await client.get("/api/v1/broker/ws/asyncapi")).text()
    assert "make viewers" in viewer
    assert 'data-spec-url="/api/v1/broker/ws/asyncapi.json"' in viewer
    script = await client.get(f"{docs.SCRIPTS_PREFIX}/asyncapi-fallback.js")
    assert "fetch(url)" in await script.text()
    missing = await client.get(f"{docs.STATIC_PREFIX}/redoc/redoc.standalone.js")
    assert missing.status == 404
