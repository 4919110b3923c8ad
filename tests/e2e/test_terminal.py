"""End-to-end test of the web terminal (built into app/site/static/terminal) in headless Chromium
against a real server.

Starts ``python -m app server --port <free port>`` with a ``COMMISSION`` rule (or uses
``TERMINAL_E2E_URL`` when set), opens ``/terminal/`` in Chromium through Playwright and drives the
UI: the account from ``GET /accounts``, chart updates and older bars loaded by dragging it right, the
watchlist without a horizontal scrollbar at 1400 px, a resting BUY LIMIT order, a filled market
order (its preview's commission row, execution with its commission, position and order compared
with the REST API), a partial close, leverage previewed (the server's preview shown) then set,
cancel, and the display of a server-side validation error; orders placed with the durations of
``GET /broker/config`` (DAY, GTD with its date, IOC); Buying Power and Margin Used shown only when
``configFlags.supportMargin`` (``MARGIN_CHECK=on``, on a second server), equal to
``GET /account/state``. Sign-in and reconnection: ``test_signin.py``.
Takes a screenshot (ticket with its duration selector, DAY and GTD orders working, a position):
into the test's temporary directory, or to docs/terminal.png (the README's picture) with
E2E_SCREENSHOT=docs/terminal.png.

Needs: the terminal built (``make web-build``), the ``playwright`` Python package and a
Chromium binary (``CHROMIUM``, default /usr/bin/chromium; Playwright's own browser download is not
used). Missing prerequisites skip the test, unless ``E2E_REQUIRED=1`` makes them a failure.
"""

from __future__ import annotations

import calendar
import json
import os
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import (
    check_prerequisites, chromium_page, eventually as _eventually, fill_ticket, http as _http, preview_and_place,
    tid as _tid,
)
from tests.server_process import server_process

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = os.environ.get("E2E_SCREENSHOT")
SYMBOL = "AAPL"
REST_LIMIT_PRICE = "1.50"  # far below AAPL's simulated price (DESIGN §8): the order rests
COMMISSION = "per_share=0.01,min=1.0"  # the module server's: every order costs at least $1.00

pytestmark = pytest.mark.timeout(180)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def prerequisites() -> None:
    check_prerequisites()


@pytest.fixture(scope="module")
def base_url(prerequisites: None) -> Iterator[str]:
    external = os.environ.get("TERMINAL_E2E_URL")
    if external:
        yield external.rstrip("/")
        return
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "server", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "COMMISSION": COMMISSION},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:

        def up() -> bool:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"server exited with {proc.returncode}: {log.read().decode(errors='replace')[-2000:]}")
            _http("GET", f"{url}/api/v1/datafeed/health")
            return True

        _eventually(up, "the server to answer /api/v1/datafeed/health", timeout=30)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def page(base_url: str) -> Iterator[Any]:
    try:
        with urllib.request.urlopen(f"{base_url}/terminal/", timeout=10) as res:
            assert b'id="app"' in res.read(), "GET /terminal/ is not the terminal's index.html"
    except urllib.error.HTTPError as exc:
        pytest.fail(f"the server does not serve the built terminal at /terminal/ (HTTP {exc.code})")
    with chromium_page(1400, 960) as pg:
        pg.goto(f"{base_url}/terminal/?symbol={SYMBOL}")
        yield pg


def _attr(page: Any, selector: str, name: str) -> str | None:
    loc = page.locator(selector)
    return str(loc.first.get_attribute(name)) if loc.count() else None


def _preview_rows(page: Any) -> dict[str, str]:
    """The preview box's rows as {title: value}."""
    return dict(page.eval_on_selector_all(
        f'{_tid("ticket-preview-box")} dl',
        "dls => dls.flatMap(dl => [...dl.querySelectorAll('dt')].map(dt => [dt.textContent,"
        " dt.nextElementSibling.textContent]))",
    ))


def _rest_preview_rows(broker: str, body: dict[str, Any]) -> dict[str, str]:
    preview = _http("POST", f"{broker}/orders/preview", body)
    return {r["title"]: r["value"] for section in preview["sections"] for r in section["rows"]}


def _wait_chart(page: Any, symbol: str, resolution: str) -> None:
    """Waits until the chart shows history of symbol/resolution and then a live update."""
    legend = _tid("chart-legend")
    page.wait_for_selector(f'{legend}[data-symbol="{symbol}"][data-resolution="{resolution}"][data-time]')
    assert int(_attr(page, legend, "data-count") or 0) > 10
    _eventually(lambda: page.evaluate("window.__terminal.chart.updates()") > 0, f"a live {symbol} {resolution} bar")


def test_terminal(page: Any, base_url: str) -> None:
    broker = f"{base_url}/api/v1/broker"

    # connections and chart ---------------------------------------------------------------
    page.wait_for_selector(f'{_tid("conn-datafeed")}[data-state="open"]')
    page.wait_for_selector(f'{_tid("conn-broker")}[data-state="open"]')
    legend = _tid("chart-legend")
    page.wait_for_selector(f'{legend}[data-symbol="{SYMBOL}"][data-time]')
    assert int(_attr(page, legend, "data-count") or 0) > 10
    first = page.evaluate("window.__terminal.chart.last()")
    updates0 = page.evaluate("window.__terminal.chart.updates()")

    def chart_moved() -> bool:
        last = page.evaluate("window.__terminal.chart.last()")
        return bool(page.evaluate("window.__terminal.chart.updates()") > updates0 and last != first)

    _eventually(chart_moved, "a live update of the last candle")
    last = page.evaluate("window.__terminal.chart.last()")
    assert last["time"] >= first["time"] and last["low"] <= last["close"] <= last["high"]
    assert _attr(page, legend, "data-close") == str(page.evaluate("window.__terminal.chart.last().close"))

    # live quotes in the watchlist, which fits its column at 1400 px (no horizontal scrollbar)
    page.wait_for_selector(f'{_tid(f"watch-row-{SYMBOL}")}[data-last]')
    page.wait_for_selector(f'{_tid("watch-row-BTCUSD")}[data-last]')
    widths = page.eval_on_selector(_tid("watchlist"), "w => [w.scrollWidth, w.clientWidth]")
    assert widths[0] <= widths[1], f"the watchlist scrolls horizontally: {widths}"

    # the account of GET /accounts (AUTH=off: the demo account), no sign-out without a key
    (acct,) = _http("GET", f"{broker}/accounts")
    assert page.inner_text(_tid("account-name")) == acct["name"]
    assert page.inner_text(_tid("account-id")) == acct["id"] == "DEMO-ACCOUNT"
    # AUTH=off: one account, a plain label - no account menu, no sign-out
    assert page.evaluate("document.querySelector('[data-testid=account]').tagName") == "SPAN"
    assert page.locator(f'{_tid("account-menu")}, {_tid("sign-out")}, {_tid("account-add")}').count() == 0
    assert page.locator(_tid("account-error")).count() == 0, page.inner_text(_tid("account-message"))

    # dragged by the mouse to its left edge, the chart loads the bars before its oldest (TradingView paging)
    before = page.evaluate("window.__terminal.chart.candles()")
    box = page.locator(_tid("chart")).bounding_box()
    assert box is not None
    drags = 0

    def dragged_to_older() -> bool:
        nonlocal drags
        if page.evaluate("window.__terminal.chart.olderLoads()") > 0:
            return True
        assert drags < 12, "12 drags to the right did not reach the oldest bar"
        y = box["y"] + box["height"] * 0.4
        page.mouse.move(box["x"] + 40, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] - 90, y, steps=15)
        page.mouse.up()
        drags += 1
        return bool(page.evaluate("window.__terminal.chart.olderLoads()") > 0)

    _eventually(dragged_to_older, "an older page of bars after dragging the chart to the right")
    after = page.evaluate("window.__terminal.chart.candles()")
    times = [c["time"] for c in after]
    assert times == sorted(set(times)) and len(after) > len(before) and times[0] < before[0]["time"]
    older = _http(
        "GET",
        f"{base_url}/api/v1/datafeed/bars?symbol={SYMBOL}&resolution=1D&from_time={times[0]}"
        f"&to_time={before[0]['time'] - 1}",
    )["bars"]
    assert [b["time"] for b in older] == times[: len(older)] and len(older) == len(after) - len(before)

    # a rejected request shows the server's message --------------------------------------------
    fill_ticket(page, "limit", "buy", "1", "")
    page.click(_tid("ticket-preview"))

    def rejected() -> str:
        if page.locator(_tid("ticket-error")).count():
            return str(page.inner_text(_tid("ticket-error")))
        if page.locator(f'{_tid("ticket-place")}:not([disabled])').count():
            page.click(_tid("ticket-place"))  # preview accepted it: placing must fail
        return ""

    message = _eventually(rejected, "an error for a LIMIT order without a limit price")
    assert "limitPrice" in message, message

    # resting limit order ----------------------------------------------------------------------
    fill_ticket(page, "limit", "buy", "1", REST_LIMIT_PRICE)
    limit_id = preview_and_place(page)
    row = _tid(f"order-row-{limit_id}")
    page.wait_for_selector(f'{_tid("orders-table")} {row}[data-status="working"]', state="attached")
    assert page.inner_text(f'{row} [data-field="limit"]', timeout=5000) == REST_LIMIT_PRICE

    # market order: previews with its warning, fills, shows execution + position ----------------
    fill_ticket(page, "market", "buy", "2")
    page.click(_tid("ticket-preview"))
    page.wait_for_selector(f'{_tid("ticket-preview-box")} .section')
    assert "Market orders execute immediately" in page.inner_text(_tid("ticket-preview-box"))
    # the preview's commission row is the server's (COMMISSION rule: 2 shares cost the $1.00 minimum)
    commission = _preview_rows(page)["Commission"]
    assert commission == _rest_preview_rows(broker, {"symbol": SYMBOL, "type": 2, "side": 1, "qty": 2})["Commission"]
    if not os.environ.get("TERMINAL_E2E_URL"):
        assert commission == "$1.00"
    market_id = preview_and_place(page)

    def filled() -> dict[str, Any]:
        orders = {o["id"]: o for o in _http("GET", f"{broker}/orders")}
        order: dict[str, Any] = orders[market_id]
        return order if order["status"] == 2 else {}

    order = _eventually(filled, f"{market_id} to be FILLED on the server")
    history_row = f'{_tid("history-table")} {_tid(f"order-row-{market_id}")}'
    page.wait_for_selector(f'{history_row}[data-status="filled"]', state="attached")
    assert page.inner_text(f'{history_row} [data-field="avg"]') == f'{order["avgPrice"]:.2f}'

    def executions_agree() -> bool:
        server = _http("GET", f"{broker}/executions/{SYMBOL}")
        ui = page.eval_on_selector_all(
            f'{_tid("executions-table")} {_tid("execution-row")}',
            "rows => rows.map(r => ({symbol: r.dataset.symbol, price: +r.dataset.price,"
            " qty: +r.dataset.qty, time: +r.dataset.time, commission: +r.dataset.commission}))",
        )
        expected = [{k: e[k] for k in ("symbol", "price", "qty", "time", "commission")} for e in server]
        assert expected and any(e["price"] == order["avgPrice"] for e in expected), server
        if not os.environ.get("TERMINAL_E2E_URL"):
            assert sum(e["commission"] for e in expected) == 1.0, server  # the order's $1.00 minimum
        return sorted(ui, key=lambda e: e["time"]) == sorted(expected, key=lambda e: e["time"])

    _eventually(executions_agree, "the executions table to match GET /executions")

    def positions_agree() -> bool:
        server = {p["id"]: p for p in _http("GET", f"{broker}/positions")}
        pos = server.get(SYMBOL)
        assert pos is not None, server
        prow = _tid(f"position-row-{SYMBOL}")
        if not page.locator(prow).count():
            return False
        side = "buy" if pos["side"] == 1 else "sell"
        return bool(
            page.inner_text(f'{prow} [data-field="qty"]') == f'{pos["qty"]:g}'
            and page.inner_text(f'{prow} [data-field="avg"]') == f'{pos["avgPrice"]:.2f}'
            and page.inner_text(f'{prow} [data-field="side"]') == side
        )

    _eventually(positions_agree, "the positions table to match GET /positions")
    page.wait_for_selector(f'{_tid("equity-equity")}:not([data-value=""])', state="attached")
    # MARGIN_CHECK off: GET /broker/config says supportMargin false, no Buying Power / Margin Used shown
    page.wait_for_selector(f'{_tid("row-duration")}:not([hidden])')  # the config has been read
    assert _http("GET", f"{broker}/config")["configFlags"]["supportMargin"] is False
    assert page.locator(_tid("account-buyingPower")).count() == page.locator(_tid("account-marginUsed")).count() == 0

    # leverage of the symbol: shown from /leverage/info, previewed, then set -------------------
    info = _http("GET", f"{broker}/leverage/info?symbol={SYMBOL}&orderType=2&side=1")
    page.wait_for_selector(f'{_tid("leverage-current")}[data-value="{info["leverage"]:g}"]', state="attached")
    wanted = info["leverage"] + info["step"] * 2 if info["leverage"] + info["step"] * 2 <= info["max"] else info["min"]
    page.fill(_tid("ticket-leverage"), f"{wanted:g}")
    assert page.is_disabled(_tid("leverage-set")), "set before a preview"
    page.click(_tid("leverage-preview"))
    page.wait_for_selector(f'{_tid("leverage-set")}:not([disabled])')
    # the server's preview of the new value is shown before it is set (and nothing is set yet)
    shown = page.eval_on_selector_all(f'{_tid("leverage-box")} {_tid("leverage-info")}',
                                      "els => els.map(e => e.textContent)")
    body = {"symbol": SYMBOL, "orderType": 2, "side": 1, "leverage": wanted}
    assert shown == _http("POST", f"{broker}/leverage/preview", body)["infos"] and shown, shown
    assert _http("GET", f"{broker}/leverage/info?symbol={SYMBOL}&orderType=2&side=1")["leverage"] == info["leverage"]
    page.click(_tid("leverage-set"))
    page.wait_for_selector(f'{_tid("leverage-current")}[data-value="{wanted:g}"]', state="attached")
    assert _http("GET", f"{broker}/leverage/info?symbol={SYMBOL}&orderType=2&side=1")["leverage"] == wanted

    # the limit order still rests; modify it (full PreOrder with new qty/price) -----------------
    assert page.locator(f'{_tid("orders-table")} {row}').count() == 1
    page.click(_tid("tab-orders"))
    page.click(_tid(f"modify-{limit_id}"))
    page.fill(_tid("modify-qty"), "3")
    page.fill(_tid("modify-limit"), "1.60")
    page.click(_tid("modify-save"))
    page.wait_for_selector(_tid("modify-form"), state="detached")

    def modified() -> bool:
        server = {o["id"]: o for o in _http("GET", f"{broker}/orders")}[limit_id]
        assert server["status"] == 6, server
        return bool(
            server["qty"] == 3
            and server["limitPrice"] == 1.6
            and page.inner_text(f'{row} [data-field="qty"]') == "3"
            and page.inner_text(f'{row} [data-field="limit"]') == "1.60"
        )

    _eventually(modified, "the modified order on the server and in the working list")

    # cancelling removes it from the working list ------------------------------------------------
    page.click(_tid(f"cancel-{limit_id}"))
    page.wait_for_selector(f'{_tid("orders-table")} {row}', state="detached")
    canceled = {o["id"]: o for o in _http("GET", f"{broker}/orders")}[limit_id]
    assert canceled["status"] == 1
    page.wait_for_selector(f'{_tid("history-table")} {row}[data-status="canceled"]', state="attached")

    # switching symbol (watchlist) and resolution re-subscribes the streams ---------------------
    page.click(_tid("watch-row-MSFT"))
    _wait_chart(page, "MSFT", "1D")
    page.click(_tid("res-5"))
    _wait_chart(page, "MSFT", "5")
    topics = page.evaluate("window.__terminal.ws.datafeed.activeTopics()")
    assert sorted(t for t in topics if t.startswith("bars:")) == ['bars:{"resolution":"5","symbol":"MSFT"}'], topics
    symbols = [x["symbol"] for x in _http("GET", f"{base_url}/api/v1/datafeed/search?user_input=&max_results=50")]
    quotes = {"symbols": symbols, "fast_symbols": ["MSFT"]}
    expected = "quotes:" + json.dumps(quotes, sort_keys=True, separators=(",", ":"))
    assert [t for t in topics if t.startswith("quotes:")] == [expected], topics
    page.click(_tid(f"watch-row-{SYMBOL}"))
    page.click(_tid("res-1D"))
    _wait_chart(page, SYMBOL, "1D")

    # partial close: 1 of the 2 bought ------------------------------------------------------------
    page.click(_tid("tab-positions"))
    page.click(_tid(f"close-part-{SYMBOL}"))
    page.fill(_tid("close-amount"), "1")
    page.click(_tid("close-submit"))

    def partly_closed() -> bool:
        pos = {p["id"]: p for p in _http("GET", f"{broker}/positions")}.get(SYMBOL)
        assert pos is not None
        return bool(pos["qty"] == 1 and page.inner_text(f'{_tid(f"position-row-{SYMBOL}")} [data-field="qty"]') == "1")

    _eventually(partly_closed, "the position to be 1 after closing 1 of 2, on the server and in the table")

    # closing the position (DELETE /positions/{id}) removes it once the closing order fills -----
    page.click(_tid(f"close-{SYMBOL}"))
    page.wait_for_selector(_tid(f"position-row-{SYMBOL}"), state="detached")
    assert SYMBOL not in {p["id"] for p in _http("GET", f"{broker}/positions")}


def test_orders_with_durations(page: Any, base_url: str, tmp_path: Path) -> None:
    """The ticket's duration selector offers GET /broker/config's durations (IOC and FOK not on stop
    types); a DAY and a GTD limit order rest with their duration on the page and on REST; an IOC
    market order fills. Then the README's screenshot, and the orders are cancelled from the page."""
    broker = f"{base_url}/api/v1/broker"
    config = _http("GET", f"{broker}/config")
    page.click(_tid(f"watch-row-{SYMBOL}"))
    page.click(_tid("tab-orders"))
    page.wait_for_selector(f'{_tid("row-duration")}:not([hidden])')
    options = page.eval_on_selector_all(f'{_tid("ticket-duration")} option', "os => os.map(o => o.value)")
    assert options == [d["value"] for d in config["durations"]]
    page.select_option(_tid("ticket-type"), "market")
    assert page.input_value(_tid("ticket-duration")) == config["defaultDuration"] == "GTC"
    for order_type, code in (("stop", 3), ("stop-limit", 4), ("limit", 1)):
        page.select_option(_tid("ticket-type"), order_type)
        disabled = page.eval_on_selector_all(f'{_tid("ticket-duration")} option:disabled', "os => os.map(o => o.value)")
        assert disabled == [d["value"] for d in config["durations"] if code not in d["supportedOrderTypes"]], order_type
    assert page.is_hidden(_tid("row-gtd"))

    def place(duration: str, order_type: str, qty: str, limit: str | None = None, until: str | None = None) -> str:
        fill_ticket(page, order_type, "buy", qty, limit)
        page.select_option(_tid("ticket-duration"), duration)
        if until is not None:
            page.wait_for_selector(f'{_tid("row-gtd")}:not([hidden])')
            page.fill(_tid("ticket-gtd"), until)
        else:
            assert page.is_hidden(_tid("row-gtd"))
        return preview_and_place(page)

    def working(order_id: str, text: str) -> dict[str, Any]:
        row = f'{_tid("orders-table")} {_tid(f"order-row-{order_id}")}'
        page.wait_for_selector(f'{row}[data-status="working"]', state="attached")
        assert page.inner_text(f'{row} [data-field="duration"]').startswith(text)
        server: dict[str, Any] = {o["id"]: o for o in _http("GET", f"{broker}/orders")}[order_id]
        assert server["status"] == 6, server
        return server

    day_id = place("DAY", "limit", "1", REST_LIMIT_PRICE)
    assert working(day_id, "DAY")["duration"] == {"type": "DAY", "datetime": None}
    assert page.inner_text(f'{_tid(f"order-row-{day_id}")} [data-field="duration"]') == "DAY"

    day = (datetime.now(timezone.utc) + timedelta(days=2)).date()
    until_ms = calendar.timegm((day.year, day.month, day.day, 12, 30, 0)) * 1000
    gtd_id = place("GTD", "limit", "2", "1.40", until=f"{day.isoformat()}T12:30")
    assert working(gtd_id, "GTD ")["duration"] == {"type": "GTD", "datetime": until_ms}
    assert page.inner_text(f'{_tid(f"order-row-{gtd_id}")} [data-field="duration"]') == f"GTD {day.isoformat()} 12:30"

    ioc_id = place("IOC", "market", "2")

    def filled() -> dict[str, Any]:
        order: dict[str, Any] = {o["id"]: o for o in _http("GET", f"{broker}/orders")}[ioc_id]
        return order if order["status"] == 2 else {}

    ioc = _eventually(filled, f"the IOC market order {ioc_id} to fill")
    assert ioc["duration"] == {"type": "IOC", "datetime": None}
    history_row = f'{_tid("history-table")} {_tid(f"order-row-{ioc_id}")}'
    page.wait_for_selector(f'{history_row}[data-status="filled"]', state="attached")
    assert page.inner_text(f'{history_row} [data-field="duration"]') == "IOC"
    page.wait_for_selector(_tid(f"position-row-{SYMBOL}"), state="attached")

    # the README's picture: the ticket with its duration selector on GTD (and its date), the two
    # working orders with their durations, the equity curve
    page.select_option(_tid("ticket-type"), "limit")
    page.select_option(_tid("ticket-duration"), "GTD")
    page.fill(_tid("ticket-gtd"), f"{day.isoformat()}T12:30")
    page.eval_on_selector(_tid("ticket-gtd"), "e => e.blur()")
    # the date input fits the ticket's column at 1400 px (its intrinsic width pushed it out)
    edges = page.eval_on_selector_all(
        f'{_tid("order-ticket")}, {_tid("ticket-gtd")}, {_tid("ticket-duration")}',
        "els => els.map(e => e.getBoundingClientRect().right)")
    assert max(edges[1:]) <= edges[0], f"the ticket's inputs pass its right edge: {edges}"
    # ... and is as wide as its text needs ("12/05/2026, 12:30 PM" was cut to "12:30 P"): its intrinsic
    # width, measured on a copy laid out without constraint
    room = page.eval_on_selector(_tid("ticket-gtd"), """e => { const c = e.cloneNode(); c.value = e.value;
        c.style.cssText = 'position:absolute;left:0;top:0;width:auto'; document.body.append(c);
        const need = c.getBoundingClientRect().width; c.remove(); return [e.getBoundingClientRect().width, need]; }""")
    assert room[0] >= room[1], f"the GTD date is cut: {room[0]:.0f} px for {room[1]:.0f}"
    # the working orders (a GTD date among them) fit the account panel at 1400 px, Modify/Cancel in view
    page.click(_tid("tab-orders"))
    widths = page.eval_on_selector(".account-main", "m => [m.scrollWidth, m.clientWidth]")
    assert widths[0] <= widths[1], f"the working orders scroll sideways: {widths}"
    edges = page.eval_on_selector_all(f'.account-main, {_tid(f"cancel-{gtd_id}")}',
                                      "els => els.map(e => e.getBoundingClientRect().right)")
    assert edges[1] <= edges[0], f"Cancel is out of view: {edges}"
    page.wait_for_selector(f'{_tid("equity-curve")}[data-loaded]', state="attached")
    shot = ROOT / SCREENSHOT if SCREENSHOT else tmp_path / "terminal.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot))

    for order_id in (day_id, gtd_id):
        page.click(_tid(f"cancel-{order_id}"))
        page.wait_for_selector(f'{_tid("orders-table")} {_tid(f"order-row-{order_id}")}', state="detached")
        assert {o["id"]: o for o in _http("GET", f"{broker}/orders")}[order_id]["status"] == 1
    page.click(_tid("tab-positions"))
    page.click(_tid(f"close-{SYMBOL}"))
    page.wait_for_selector(_tid(f"position-row-{SYMBOL}"), state="detached")


def test_order_history_pages_and_the_equity_curve(page: Any, base_url: str) -> None:
    """A fresh page loads the order history from ``GET /orders/history`` page by page ("Load more"),
    and draws the equity curve of ``GET /account/history``, then keeps it live from the equity stream."""
    broker = f"{base_url}/api/v1/broker"
    for _ in range(60):  # final orders beyond one page (50), made over REST before the page loads
        body = {"symbol": "MSFT", "type": 1, "side": 1, "qty": 1, "limitPrice": 1.5}
        order_id = _http("POST", f"{broker}/orders", body)["orderId"]
        _http("DELETE", f"{broker}/orders/{order_id}")
    _http("POST", f"{broker}/orders", {"symbol": "MSFT", "type": 2, "side": 1, "qty": 5})  # a position: equity moves

    expected: list[str] = []
    cursor = ""
    while True:
        answer = _http("GET", f"{broker}/orders/history?limit=500{cursor}")
        expected += [o["id"] for o in answer["orders"]]
        if answer["next"] is None:
            break
        cursor = f"&before={answer['next']}"

    fresh = page.context.new_page()  # a second tab: loads everything anew
    errors: list[str] = []
    fresh.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        fresh.goto(f"{base_url}/terminal/?symbol=MSFT")
        fresh.click(_tid("tab-history"))

        def history_ids() -> list[str]:
            rows = f'{_tid("history-table")} tr[data-id]'
            return list(fresh.eval_on_selector_all(rows, "rows => rows.map(r => r.dataset.id)"))

        _eventually(lambda: len(history_ids()) >= 50, "the first page of the order history")
        pages = 1
        while fresh.locator(_tid("history-more")).count():
            shown = len(history_ids())
            fresh.click(_tid("history-more"))
            _eventually(lambda: len(history_ids()) > shown or not fresh.locator(_tid("history-more")).count(),
                        "the next page of the order history")
            pages += 1
        ids = history_ids()
        assert pages >= 2 and len(ids) == len(set(ids)), (pages, ids)
        # the filled market order may have become final after REST was read: it sits on top
        assert [i for i in ids if i in set(expected)] == expected and set(ids) - set(expected) <= {ids[0]}

        # the equity curve of each period button: its points are GET /account/history's on the period's
        # grid (retry when a grid step passes in between); 1W last, whose curve then follows the stream
        def curve_equals_rest(period: str, timeframe: str) -> bool:
            fresh.click(_tid(f"equity-period-{period}"))
            fresh.wait_for_selector(f'{_tid("equity-curve")}[data-period="{period}"][data-loaded]', state="attached")
            shown = fresh.evaluate("window.__terminal.equity.history()")
            rest = _http("GET", f"{broker}/account/history?period={period}&timeframe={timeframe}")
            points = [{"time": t * 1000, "value": v} for t, v in zip(rest["timestamp"], rest["equity"])]
            return bool(points) and shown == points

        for period, timeframe in (("1D", "1Min"), ("1M", "1H"), ("1A", "1D"), ("1W", "15Min")):
            _eventually(lambda: curve_equals_rest(period, timeframe),
                        f"the {period} equity curve to equal GET /account/history")
        _eventually(lambda: fresh.evaluate("window.__terminal.equity.liveUpdates()") > 0, "a live equity point")
        # the curve's last point follows the equity stream, as the summary does
        live = "[window.__terminal.equity.points().at(-1).value, " \
               "+document.querySelector('[data-testid=equity-equity]').dataset.value]"
        _eventually(lambda: (lambda v: v[0] == v[1])(fresh.evaluate(live)), "the last point to be the streamed equity")
    finally:
        fresh.close()
    assert errors == [], f"uncaught errors in the page: {errors}"


def test_buying_power_and_margin_with_margin_check(page: Any) -> None:
    """MARGIN_CHECK=on (a second server): GET /broker/config says supportMargin, the summary shows
    Buying Power and Margin Used from GET /account/state (buying power + margin used = equity: no
    position, no commission), the margin of a resting order is counted, and an order beyond the
    buying power is refused with the server's message."""
    env = {**os.environ, "STORE_URL": "memory:", "MARGIN_CHECK": "on"}
    env.pop("COMMISSION", None)
    with server_process(cwd=ROOT, env=env) as server:
        tab = page.context.new_page()  # the module's browser (one sync Playwright per thread), another origin
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            _margin_figures(tab, server.url)
        finally:
            tab.close()
    assert errors == [], f"uncaught errors in the page: {errors}"


def _margin_figures(page: Any, url: str) -> None:
    broker = f"{url}/api/v1/broker"
    assert _http("GET", f"{broker}/config")["configFlags"]["supportMargin"] is True
    page.goto(f"{url}/terminal/?symbol={SYMBOL}")
    page.wait_for_selector(f'{_tid("conn-broker")}[data-state="open"]')

    def figures() -> tuple[float, float]:
        values = [page.get_attribute(_tid(f"account-{k}"), "data-value", timeout=1000)
                  for k in ("buyingPower", "marginUsed")]
        return float(values[0] or "nan"), float(values[1] or "nan")

    page.wait_for_selector(_tid("account-buyingPower"), state="attached")
    assert figures() == (100_000.0, 0.0) and _http("GET", f"{broker}/account/state")["buyingPower"] == 100_000.0

    # a resting buy limit holds margin at the (worse) ask over the leverage: shown once the order streams in
    fill_ticket(page, "limit", "buy", "100", REST_LIMIT_PRICE)
    order_id = preview_and_place(page)
    page.wait_for_selector(f'{_tid("orders-table")} {_tid(f"order-row-{order_id}")}', state="attached")

    def margin_counted() -> bool:
        buying_power, margin_used = figures()
        rest = _http("GET", f"{broker}/account/state")
        assert rest["marginCheck"] is True and rest["equity"] == 100_000.0, rest
        # the ask moves between the page's read and this one: equal within 1 %
        return bool(margin_used > 0 and abs(margin_used - rest["marginUsed"]) <= 0.01 * rest["marginUsed"]
                    and abs(buying_power + margin_used - 100_000.0) < 1e-6)

    _eventually(margin_counted, "Margin Used to count the resting order, as GET /account/state does")

    # beyond the buying power: refused (preview or place), the page says why
    fill_ticket(page, "limit", "buy", "100000", REST_LIMIT_PRICE)
    page.click(_tid("ticket-preview"))

    def refused() -> str:
        if page.locator(_tid("ticket-error")).count():
            return str(page.inner_text(_tid("ticket-error")))
        if page.locator(_tid("preview-error")).count():
            return str(page.inner_text(_tid("preview-error")))
        if page.locator(f'{_tid("ticket-place")}:not([disabled])').count():
            page.click(_tid("ticket-place"))
        return ""

    message = _eventually(refused, "an order beyond the buying power to be refused")
    assert "Insufficient buying power" in message, message
    assert [o["id"] for o in _http("GET", f"{broker}/orders")] == [order_id]
