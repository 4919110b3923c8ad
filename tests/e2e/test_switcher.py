"""End-to-end: the account switcher, in headless Chromium against a server with ``AUTH=required``
(a temporary SQLite store, a commission rule and ``MARGIN_CHECK=on``, so that each account's
balance, buying power and margin differ).

Alice signs in and trades; "Add account…" refuses a wrong key, then takes Bob's: Alice's sockets
are closed, Bob's open with his key, and the page shows Bob's rows only — working orders,
positions, executions, order history, the summary (balance, buying power, margin used) and the
equity curve, each equal to the REST API's under Bob's key. Switching back to Alice from the menu
needs no key typed and shows her rows only, equal to REST under her key, without the page being
reloaded. A second key of Alice's keeps one entry for her; that key revoked while in use hands the
page over to Bob, saying whose key went; "Sign out" of Alice hands over to Bob; "Sign out of all
accounts" empties the session storage and brings the sign-in form back.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import check_prerequisites, chromium_page, eventually, http, tid
from tests.e2e.signed_in import ROOT, SYMBOL, account_menu, agree, auth_server, create_account, place, rows, sign_out

pytestmark = pytest.mark.timeout(180)
REFUSED = "The server refused this API key (unknown or revoked)."


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[str]:
    check_prerequisites()
    yield f"sqlite:///{tmp_path / 'switcher.sqlite3'}"


def _value(page: Any, testid: str) -> float:
    return float(page.get_attribute(tid(testid), "data-value"))


def _history_ids(page: Any) -> list[str]:
    return list(page.eval_on_selector_all(f'{tid("history-table")} tr[data-id]', "rows => rows.map(r => r.dataset.id)"))


def _account_agrees(page: Any, broker: str, key: str) -> bool:
    """Every account-bound view equals REST under ``key``: the lists (agree), the order history, the
    summary's balance, buying power and margin used, and the 1D equity curve."""
    agree(page, broker, key)
    history = http("GET", f"{broker}/orders/history?limit=500", key=key)
    assert _history_ids(page) == [o["id"] for o in history["orders"]]
    state = http("GET", f"{broker}/account/state", key=key)
    assert _value(page, "equity-balance") == state["balance"]
    assert _value(page, "account-marginUsed") == pytest.approx(state["marginUsed"], rel=0.01)
    assert _value(page, "account-buyingPower") == pytest.approx(state["buyingPower"], rel=0.01)
    page.wait_for_selector(f'{tid("equity-curve")}[data-loaded]', state="attached")
    curve = http("GET", f"{broker}/account/history?period=1D&timeframe=1Min", key=key)
    rest = {t * 1000: v for t, v in zip(curve["timestamp"], curve["equity"])}
    shown = {p["time"]: p["value"] for p in page.evaluate("window.__terminal.equity.history()")}
    # the page loaded its 1D window at the switch; a minute may have passed since (the window moved
    # one step): the points both hold are equal, and they are all but the newest step's
    both = rest.keys() & shown.keys()
    assert len(both) >= len(rest) - 1 and {t: shown[t] for t in both} == {t: rest[t] for t in both}, (shown, rest)
    return True


def _cli(store: str, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "app", "accounts", *args, "--store", store],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done


def _add(page: Any, key: str) -> None:
    """"Add account…" from the menu with ``key``."""
    account_menu(page)
    if page.locator(tid("account-add-form")).count() == 0:
        page.click(tid("account-add"))
    page.fill(tid("account-add-key"), key)
    page.click(tid("account-add-submit"))


def _accepted(broker: str, key: str) -> str | None:
    """The account GET /accounts answers for ``key``, None while the server refuses it."""
    try:
        return str(http("GET", f"{broker}/accounts", key=key)[0]["id"])
    except urllib.error.HTTPError as refused:
        refused.close()  # its response holds the socket
        return None


def _on(page: Any, sockets: list[Any], key: str) -> list[Any]:
    """The page's WebSockets opened with ``key`` (its ``?token=``). The sync API hands events (a new
    socket, a close) to Python only during a call into Playwright: one is made first."""
    page.evaluate("0")
    return [ws for ws in sockets if ws.url.endswith(f"?token={key}")]


def _urls(sockets: list[Any]) -> list[tuple[str, bool]]:
    """(URL without the token, closed) of each socket, for an assertion's message (no key in a log)."""
    return [(ws.url.split("?")[0], ws.is_closed()) for ws in sockets]


def _signed_in_as(page: Any, account_id: str, name: str) -> None:
    page.wait_for_selector(f'{tid("account")}[data-account-id="{account_id}"]')
    page.wait_for_selector(f'{tid("conn-broker")}[data-state="open"]')
    page.wait_for_selector(f'{tid("conn-datafeed")}[data-state="open"]')
    assert (page.inner_text(tid("account-name")), page.inner_text(tid("account-id"))) == (name, account_id)


def _remembered(page: Any) -> tuple[str | None, list[str]]:
    """(the current key, the remembered accounts' ids) from the session storage."""
    raw = page.evaluate("sessionStorage.getItem('traderPro.accounts')")
    ids = [r["account"]["id"] for r in json.loads(raw)] if raw else []
    return page.evaluate("sessionStorage.getItem('traderPro.apiKey')"), ids


def test_switch_between_two_accounts(store: str) -> None:
    alice_id, alice_key = create_account(store, "Alice")
    bob_id, bob_key = create_account(store, "Bob")
    env = {"COMMISSION": "per_share=0.01,min=1.0", "MARGIN_CHECK": "on"}
    with chromium_page() as page, auth_server(store, **env) as server:
        broker = f"{server.url}/api/v1/broker"
        sockets: list[Any] = []
        page.on("websocket", lambda ws: sockets.append(ws))
        page.goto(f"{server.url}/terminal/?symbol={SYMBOL}")
        page.fill(tid("signin-key"), alice_key)
        page.click(tid("signin-submit"))
        _signed_in_as(page, alice_id, "Alice")
        page.evaluate("window.__notReloaded = true")

        # Alice trades: a resting limit order, a filled market order (a position, an execution, a
        # final order in the history, a commission off her balance, margin used)
        alice_limit = place(page, "limit", "2", "1.50")
        alice_market = place(page, "market", "3")
        page.wait_for_selector(f'{tid("history-table")} {tid(f"order-row-{alice_market}")}[data-status="filled"]',
                               state="attached")
        eventually(lambda: _account_agrees(page, broker, alice_key), "the page to equal Alice's REST")
        assert _value(page, "equity-balance") < 100_000.0
        alice_sockets = _on(page, sockets, alice_key)
        assert len(alice_sockets) == 2 and not any(ws.is_closed() for ws in alice_sockets), _urls(sockets)

        # one account: the menu offers only "Add account…" and "Sign out"
        account_menu(page)
        assert page.locator(f'{tid("account-menu")} [data-testid^="switch-"]').count() == 0
        assert page.locator(tid("sign-out-all")).count() == 0
        assert page.inner_text(tid("sign-out")) == "Sign out"

        # "Add account…": a wrong key is refused, the page stays Alice's
        page.click(tid("account-add"))
        page.fill(tid("account-add-key"), f"{bob_id}.KEY-0000000000000000.wrong")
        page.click(tid("account-add-submit"))
        message = page.wait_for_selector(f'{tid("account-menu-message")} .error')
        assert message.inner_text() == REFUSED
        assert page.get_attribute(tid("account"), "data-account-id") == alice_id
        assert _remembered(page) == (alice_key, [alice_id])

        # Bob's key: Alice's sockets close, Bob's open with his key; only Bob's rows are shown
        page.fill(tid("account-add-key"), bob_key)
        page.click(tid("account-add-submit"))
        _signed_in_as(page, bob_id, "Bob")
        eventually(lambda: page.evaluate("0") == 0 and all(ws.is_closed() for ws in alice_sockets),
                   "Alice's sockets to close")
        bob_sockets = _on(page, sockets, bob_key)
        assert len(bob_sockets) == 2 and not any(ws.is_closed() for ws in bob_sockets), _urls(sockets)
        assert page.is_hidden(tid("account-menu"))
        eventually(lambda: _account_agrees(page, broker, bob_key), "the page to equal Bob's REST")
        assert rows(page, "orders-table", "order-row-") == {} and rows(page, "positions-table", "position-row-") == {}
        assert _history_ids(page) == [] and _value(page, "equity-balance") == 100_000.0
        bob_limit = place(page, "limit", "4", "1.25")
        page.wait_for_selector(f'{tid("orders-table")} {tid(f"order-row-{bob_limit}")}', state="attached")
        eventually(lambda: _account_agrees(page, broker, bob_key), "the page to equal Bob's REST after his order")
        assert rows(page, "orders-table", "order-row-")[bob_limit]["qty"] == "4"
        assert _remembered(page) == (bob_key, [alice_id, bob_id])

        # back to Alice from the menu, no key typed: her rows only, equal to REST with her key
        account_menu(page)
        entry = page.wait_for_selector(tid(f"switch-{alice_id}"))
        assert entry.inner_text().split() == ["Alice", alice_id]
        assert page.inner_text(tid("sign-out")) == "Sign out of Bob"
        entry.click()
        _signed_in_as(page, alice_id, "Alice")
        eventually(lambda: _account_agrees(page, broker, alice_key), "the page to equal Alice's REST again")
        working = rows(page, "orders-table", "order-row-")
        assert working[alice_limit]["qty"] == "2" and working[alice_limit]["limit"] == "1.50", working
        assert rows(page, "positions-table", "position-row-")[SYMBOL]["qty"] == "3"
        assert all(ws.is_closed() for ws in bob_sockets)
        assert page.evaluate("window.__notReloaded") is True, "the page was reloaded"
        assert _remembered(page) == (alice_key, [alice_id, bob_id])
        body = page.inner_html("body")
        assert alice_key not in body and bob_key not in body, "a key is written into the page"
        assert page.evaluate("localStorage.length") == 0

        # a second key of Alice's account, added from the menu: still one entry for her (dedupe by
        # account id), and the page now runs on that key
        alice_key2 = _cli(store, "key", alice_id).stdout.split(": ")[-1].strip()
        assert alice_key2.startswith(f"{alice_id}.") and alice_key2 != alice_key
        # the running server learns of the key within KEY_POLL_S (0.1 s)
        eventually(lambda: _accepted(broker, alice_key2) == alice_id, "the server to accept the new key")
        _add(page, alice_key2)
        eventually(lambda: len([ws for ws in _on(page, sockets, alice_key2) if not ws.is_closed()]) == 2,
                   "Alice's sockets on her second key")
        assert _remembered(page) == (alice_key2, [alice_id, bob_id])

        # that key revoked while in use: Bob (remembered) takes over, and the banner says whose key went
        _cli(store, "revoke", alice_key2.split(".")[1])
        _signed_in_as(page, bob_id, "Bob")
        assert page.inner_text(tid("error-banner")) == f"Alice ({alice_id}): {REFUSED}"
        assert _remembered(page) == (bob_key, [bob_id])
        eventually(lambda: _account_agrees(page, broker, bob_key), "the page to equal Bob's REST after the revocation")

        # Alice again with her first key; "Sign out" of Alice: Bob takes over
        _add(page, alice_key)
        _signed_in_as(page, alice_id, "Alice")
        assert _remembered(page) == (alice_key, [bob_id, alice_id])
        sign_out(page)
        _signed_in_as(page, bob_id, "Bob")
        eventually(lambda: _account_agrees(page, broker, bob_key), "the page to equal Bob's REST after Alice left")
        assert _remembered(page) == (bob_key, [bob_id])

        # "Sign out of all accounts" forgets every key
        _add(page, alice_key)
        _signed_in_as(page, alice_id, "Alice")
        sign_out(page, "sign-out-all")
        page.wait_for_selector(tid("signin-form"))
        assert page.evaluate("sessionStorage.length") == 0
        assert page.evaluate("window.__notReloaded") is True
