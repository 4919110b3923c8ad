"""Serving the web terminal: caching headers, the browser redirect, JSON for API clients."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiohttp import web

from app.site.terminal import IMMUTABLE, add_terminal_routes
from tests.conftest import ClientFactory


async def test_root_redirects_a_browser_and_answers_json_to_api_clients(make_client: ClientFactory) -> None:
    client = await make_client()
    browser = await client.get("/", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
                               allow_redirects=False)
    assert (browser.status, browser.headers["Location"]) == (302, "/terminal/")
    api = await client.get("/", headers={"Accept": "application/json"})
    assert api.status == 200 and (await api.json())["name"] == "Trading API"
    plain = await client.get("/", headers={"Accept": "*/*"})
    assert plain.status == 200


async def test_built_terminal_is_served_with_caching_headers(aiohttp_client: Any, tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><div id=app></div>")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1)")
    app = web.Application()
    add_terminal_routes(app, tmp_path)
    client = await aiohttp_client(app)
    page = await client.get("/terminal/")
    assert page.status == 200 and page.headers["Cache-Control"] == "no-cache"
    assert "id=app" in await page.text()
    asset = await client.get("/terminal/assets/index-abc123.js")
    assert asset.status == 200 and asset.headers["Cache-Control"] == IMMUTABLE
    missing = await client.get("/terminal/assets/nope.js")
    assert missing.status == 404
    escape = await client.get("/terminal/assets/..%2Findex.html")
    assert escape.status == 404
    redirect = await client.get("/terminal", allow_redirects=False)
    assert (redirect.status, redirect.headers["Location"]) == (301, "/terminal/")


async def test_without_a_build_the_page_explains_how_to_make_one(aiohttp_client: Any, tmp_path: Path) -> None:
    app = web.Application()
    add_terminal_routes(app, tmp_path)
    client = await aiohttp_client(app)
    response = await client.get("/terminal/")
    assert response.status == 503
    assert "make run" in await response.text()


async def test_unknown_paths_stay_json_404(make_client: ClientFactory) -> None:
    client = await make_client()
    response = await client.get("/terminal/nope", headers={"Accept": "text/html"})
    assert response.status == 404
    assert await response.read() == b'{"detail":"Not Found"}'
