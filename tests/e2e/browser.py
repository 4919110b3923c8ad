"""What the end-to-end tests of the terminal share: prerequisites (the built terminal, Playwright,
a system Chromium), a Chromium page, selectors by ``data-testid`` and small REST/polling helpers."""

from __future__ import annotations

import json
import os
import tempfile
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest

from app.site.assets import PACKAGE_ASSETS
from tests.waiting import poll_until

DIST = PACKAGE_ASSETS / "terminal"
WEB = Path(__file__).resolve().parents[2] / "web"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_S = 20.0
T = TypeVar("T")


def missing(reason: str) -> None:
    if os.environ.get("E2E_REQUIRED") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def _newest_source() -> float:
    sources = [WEB / "index.html", *(WEB / "src").rglob("*")]
    return max((p.stat().st_mtime for p in sources if p.is_file()), default=0.0)


def check_prerequisites() -> None:
    built = DIST / "index.html"
    if not built.is_file():
        missing(f"the terminal is not built into {DIST} (make web-build)")
    if built.stat().st_mtime < _newest_source():
        missing(f"the terminal in {DIST} is older than web/src (make web-build)")
    if not os.access(CHROMIUM, os.X_OK):
        missing(f"no Chromium at {CHROMIUM}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("the playwright Python package is not installed")


def http(method: str, url: str, body: Any = None, key: str | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    headers = {"content-type": "application/json"}
    if key:
        headers["authorization"] = f"Bearer {key}"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=10) as res:
        return json.loads(res.read() or b"null")


def eventually(fn: Callable[[], T], what: str, timeout: float = TIMEOUT_S) -> T:
    """Calls ``fn`` until it returns a truthy value without failing an assertion or a request."""
    return poll_until(fn, timeout, interval=0.05, what=what, tolerate=(AssertionError, OSError))


def tid(testid: str) -> str:
    return f'[data-testid="{testid}"]'


@contextmanager
def chromium_page(width: int = 1400, height: int = 960) -> Iterator[Any]:
    """A page of a fresh headless Chromium profile; fails the test on an uncaught page error."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="terminal-e2e-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height},
        )
        try:
            pg = context.pages[0] if context.pages else context.new_page()
            pg.set_default_timeout(TIMEOUT_S * 1000)
            errors: list[str] = []
            pg.on("pageerror", lambda exc: errors.append(str(exc)))
            yield pg
            assert errors == [], f"uncaught errors in the page: {errors}"
        finally:
            context.close()


def fill_ticket(page: Any, order_type: str, side: str, qty: str, limit: str | None = None) -> None:
    page.select_option(tid("ticket-type"), order_type)
    page.click(tid(f"ticket-{side}"))
    page.fill(tid("ticket-qty"), qty)
    if limit is not None:
        page.fill(tid("ticket-limit"), limit)


def preview_and_place(page: Any) -> str:
    """Preview the ticket, wait for the preview's rows, place it: the new order's id."""
    page.click(tid("ticket-preview"))
    page.wait_for_selector(f'{tid("ticket-preview-box")} .section')
    page.wait_for_selector(f'{tid("ticket-place")}:not([disabled])')
    page.click(tid("ticket-place"))
    placed = page.wait_for_selector(tid("ticket-placed"))
    order_id = placed.get_attribute("data-order-id")
    assert order_id
    return str(order_id)
