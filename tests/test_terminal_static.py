"""Serving the web terminal: caching headers, the browser redirect, JSON for API clients; where the
built terminal and docs viewers are found (app.site.assets, ``ASSETS_DIR``) and what a server
without them says."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from app.settings import Settings
from app.site.assets import PACKAGE_ASSETS, VIEWERS, copy_viewers
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
    text = await response.text()
    assert "make run" in text and "make web-build" in text and "ASSETS_DIR" in text


async def test_unknown_paths_stay_json_404(make_client: ClientFactory) -> None:
    client = await make_client()
    response = await client.get("/terminal/nope", headers={"Accept": "text/html"})
    assert response.status == 404
    assert await response.read() == b'{"detail":"Not Found"}'


def _build(root: Path) -> None:
    """A stand-in build in the layout app.site.assets describes."""
    (root / "terminal" / "assets").mkdir(parents=True)
    (root / "terminal" / "index.html").write_text('<!doctype html><div id="app"></div>elsewhere')
    (root / "terminal" / "assets" / "index-x1.js").write_text("console.log('elsewhere')")
    for name in VIEWERS:
        (root / "viewers" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "viewers" / name).write_text(f"/* {name} */")


def test_assets_dir_is_read_from_the_environment() -> None:
    assert Settings.from_env({"ASSETS_DIR": "/srv/site"}).assets_dir == "/srv/site"
    assert Settings.from_env({}).assets_dir is None
    assert PACKAGE_ASSETS == Path(__file__).resolve().parents[1] / "app" / "site" / "static"


async def test_assets_dir_points_the_server_at_another_build(
    make_client: ClientFactory, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _build(tmp_path)
    with caplog.at_level(logging.WARNING, logger="app.site.assets"):
        client = await make_client(assets_dir=str(tmp_path))
    assert [r for r in caplog.records if r.name == "app.site.assets"] == []
    assert (await (await client.get("/terminal/")).text()).endswith("elsewhere")
    assert await (await client.get("/terminal/assets/index-x1.js")).text() == "console.log('elsewhere')"
    for name in VIEWERS:
        response = await client.get(f"/api/static/{name}")
        assert (response.status, await response.text()) == (200, f"/* {name} */")
    assert '<script src="/api/static/redoc/redoc.standalone.js">' in await (await client.get("/api/redoc")).text()
    viewer = await (await client.get("/api/v1/broker/ws/asyncapi")).text()
    assert '<script src="/api/static/asyncapi/index.js">' in viewer


async def test_without_assets_one_log_line_names_what_is_missing_and_the_pages_say_how_to_build_it(
    make_client: ClientFactory, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    empty = tmp_path / "empty"
    with caplog.at_level(logging.WARNING, logger="app.site.assets"):
        client = await make_client(assets_dir=str(empty))
    (line,) = [r.getMessage() for r in caplog.records if r.name == "app.site.assets"]
    assert str(empty / "terminal" / "index.html") in line and "make web-build viewers" in line
    assert all(str(empty / "viewers" / name) in line for name in VIEWERS)
    terminal = await client.get("/terminal/")
    assert terminal.status == 503 and terminal.content_type == "text/html"
    redoc = await client.get("/api/redoc")
    assert redoc.status == 200 and "ReDoc is not installed" in await redoc.text()
    viewer = await client.get("/api/v1/datafeed/ws/asyncapi")
    assert viewer.status == 200 and "asyncapi-fallback.js" in await viewer.text()
    bundle = await client.get("/api/static/redoc/redoc.standalone.js")
    assert bundle.status == 404 and await bundle.json() == {"detail": "Not Found"}
    assert not empty.exists(), "start-up must not create the assets folder"


def test_make_viewers_copies_the_pinned_bundles_and_their_licences(tmp_path: Path) -> None:
    """``copy_viewers`` on a stand-in node_modules: each bundle, one LICENSE per package, the versions."""
    modules = tmp_path / "node_modules"
    for package, inside in VIEWERS.values():
        (modules / package / inside).parent.mkdir(parents=True, exist_ok=True)
        (modules / package / inside).write_text(f"{package}:{inside}")
        (modules / package / "LICENSE").write_text(f"licence of {package}")
        (modules / package / "package.json").write_text('{"version": "1.2.3"}')
    out = tmp_path / "static"
    (out / "viewers" / "stale.js").parent.mkdir(parents=True)
    (out / "viewers" / "stale.js").write_text("left from an older copy")
    versions = copy_viewers(modules, out)
    assert versions == {"redoc": "1.2.3", "@asyncapi/react-component": "1.2.3"}
    for name, (package, inside) in VIEWERS.items():
        assert (out / "viewers" / name).read_text() == f"{package}:{inside}"
    assert (out / "viewers" / "redoc" / "LICENSE").read_text() == "licence of redoc"
    assert (out / "viewers" / "asyncapi" / "LICENSE").read_text() == "licence of @asyncapi/react-component"
    assert not (out / "viewers" / "stale.js").exists()
