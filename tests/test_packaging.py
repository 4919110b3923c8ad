"""An installed copy of the package serves the web terminal and the docs viewers (issue 13 item 6).

The project is installed as a user would (``pip install``, a wheel built by setuptools with build
isolation) with ``--no-deps --target`` into a temporary folder, from a copy of the source tree so
the build writes nothing into the checkout. ``python -m app server`` then runs from another
empty folder with only that folder on ``PYTHONPATH``: nothing of the checkout is importable or
readable by path. The pages are fetched over HTTP and every same-origin script and stylesheet
they reference must answer 200 with its content type and the bytes of the build.

Needs the built assets in ``app/site/static`` (``make web-build viewers``; ``make test`` runs
them before pytest): without them the test fails under ``E2E_REQUIRED=1`` (CI) and is skipped
otherwise, naming the command.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.site.assets import BUILD_HINT, PACKAGE_ASSETS, VIEWERS
from tests.server_process import ServerProcess, server_process

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("app", "schemas", "ws", "setup.cfg", "pyproject.toml", "README.md")
JAVASCRIPT = ("application/javascript", "text/javascript")
REFERENCE = re.compile(r'(?:src|href)="(/[^"]*)"')

pytestmark = pytest.mark.timeout(300)


@dataclass(frozen=True)
class Installed:
    site: Path
    """The ``--target`` folder: the installed ``app`` package and its dist-info."""
    server: ServerProcess


def _require_built_assets() -> None:
    absent = [str(path.relative_to(ROOT)) for path in
              (PACKAGE_ASSETS / "terminal" / "index.html", *(PACKAGE_ASSETS / "viewers" / n for n in VIEWERS))
              if not path.is_file()]
    if absent:
        reason = f"the web assets are not built ({', '.join(absent)}): run `{BUILD_HINT}` first"
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def _files(folder: Path) -> dict[str, int]:
    return {str(path.relative_to(folder)): path.stat().st_size for path in folder.rglob("*") if path.is_file()}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    _require_built_assets()
    base = tmp_path_factory.mktemp("packaging")
    source, site, elsewhere = base / "source", base / "site", base / "elsewhere"
    for name in SOURCES:
        origin = ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(origin, source / name)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(source)],
        capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, f"pip install failed:\n{result.stdout}\n{result.stderr}"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if key not in ("ASSETS_DIR", "PYTHONPATH")}
    env.update(PYTHONPATH=str(site), STORE_URL="memory:", PYTHONDONTWRITEBYTECODE="1")
    where = subprocess.run([sys.executable, "-c", "import app.site.assets as a; print(a.PACKAGE_ASSETS)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()) == site / "app" / "site" / "static", "the server would not run the installed copy"
    before = _files(site)
    with server_process(cwd=elsewhere, env=env) as server:
        yield Installed(site, server)
    assert _files(site) == before, "the server wrote into its installed package"
    assert list(elsewhere.iterdir()) == [], "the server wrote into its working directory"


def _get(installed: Installed, path: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(installed.server.url + path, timeout=30) as response:
        return response.status, response.headers.get_content_type(), response.read()


def _references(html: bytes) -> list[str]:
    return REFERENCE.findall(html.decode())


def test_the_wheel_holds_the_built_terminal_and_the_pinned_viewers(installed: Installed) -> None:
    static = installed.site / "app" / "site" / "static"
    assert _files(static) == _files(PACKAGE_ASSETS), "the wheel does not carry exactly the built assets"
    pins = json.loads((ROOT / "contract-ts" / "package.json").read_text())["devDependencies"]
    manifest = json.loads((static / "viewers" / "manifest.json").read_text())
    assert manifest == {package: pins[package] for package, _ in VIEWERS.values()}
    record = (next(installed.site.glob("trader_pro_backend-*.dist-info")) / "RECORD").read_text()
    assert "app/site/static/terminal/index.html," in record and "app/site/static/viewers/redoc/" in record


def test_no_asset_is_reported_missing_at_start(installed: Installed) -> None:
    assert "web assets missing" not in installed.server.output()


def test_the_terminal_and_its_assets_are_served(installed: Installed) -> None:
    status, kind, page = _get(installed, "/terminal/")
    assert (status, kind) == (200, "text/html")
    assert page == (PACKAGE_ASSETS / "terminal" / "index.html").read_bytes()
    assert b'id="app"' in page
    references = _references(page)
    scripts = [ref for ref in references if ref.endswith(".js")]
    styles = [ref for ref in references if ref.endswith(".css")]
    assert scripts and styles, references
    for ref in references:
        assert ref.startswith("/terminal/assets/"), ref
        status, kind, body = _get(installed, ref)
        assert status == 200, ref
        assert kind in (JAVASCRIPT if ref.endswith(".js") else ("text/css",)), (ref, kind)
        assert body == (PACKAGE_ASSETS / "terminal" / ref.removeprefix("/terminal/")).read_bytes(), ref


@pytest.mark.parametrize(("page", "viewer"), [
    ("/api/docs", "/api/static/swagger/swagger-ui-bundle.js"),
    ("/api/redoc", "/api/static/redoc/redoc.standalone.js"),
    ("/api/v1/broker/redoc", "/api/static/redoc/redoc.standalone.js"),
    ("/api/v1/broker/ws/asyncapi", "/api/static/asyncapi/index.js"),
    ("/api/v1/datafeed/ws/asyncapi", "/api/static/asyncapi/index.js"),
])
def test_docs_pages_load_their_viewer_from_the_package(installed: Installed, page: str, viewer: str) -> None:
    status, kind, html = _get(installed, page)
    assert (status, kind) == (200, "text/html")
    assert b"not installed" not in html, "the page fell back: the viewer is missing from the package"
    references = _references(html)
    assert viewer in references, references
    for ref in references:
        status, kind, body = _get(installed, ref)
        assert status == 200, ref
        assert body, ref
        if ref.endswith(".js"):
            assert kind in JAVASCRIPT, (ref, kind)
        elif ref.endswith(".css"):
            assert kind == "text/css", (ref, kind)
    bundle = _get(installed, viewer)[2]
    assert len(bundle) > 100_000, f"{viewer} is {len(bundle)} bytes: not the viewer's bundle"
    name = viewer.removeprefix("/api/static/")
    if name in VIEWERS:
        assert bundle == (PACKAGE_ASSETS / "viewers" / name).read_bytes()


def test_the_documents_the_viewers_read_are_served(installed: Installed) -> None:
    for path, version in (("/api/openapi.json", "openapi"), ("/api/v1/broker/ws/asyncapi.json", "asyncapi"),
                          ("/api/v1/datafeed/ws/asyncapi.json", "asyncapi")):
        status, kind, body = _get(installed, path)
        assert (status, kind) == (200, "application/json"), path
        assert version in json.loads(body), path


RENDERED = (
    ("/api/redoc", "h1", "Trading API"),
    ("/api/v1/broker/ws/asyncapi", "#asyncapi h1", "Broker WebSockets"),
    ("/terminal/", '[data-testid="chart-legend"][data-time]', "AAPL"),
)


def _browser_or_missing(chromium: str) -> None:
    reason = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "the playwright Python package is not installed"
    if reason is None and not os.access(chromium, os.X_OK):
        reason = f"no Chromium at {chromium}"
    if reason is not None:
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def test_chromium_renders_the_viewers_and_the_terminal_of_the_installed_copy(installed: Installed) -> None:
    """The bundles do not only answer 200: ReDoc, the AsyncAPI viewer and the terminal run from them."""
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    _browser_or_missing(chromium)
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        try:
            for path, selector, text in RENDERED:
                page = browser.new_page()
                errors: list[str] = []

                def record(exc: Error, errors: list[str] = errors) -> None:
                    errors.append(str(exc))

                page.on("pageerror", record)
                page.goto(installed.server.url + path)
                element = page.wait_for_selector(selector, state="attached", timeout=30_000)
                assert element is not None and text in element.inner_text(), (path, element and element.inner_text())
                assert errors == [], (path, errors)
                page.close()
        finally:
            browser.close()
