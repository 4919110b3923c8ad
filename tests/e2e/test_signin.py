"""End-to-end: the terminal against a server with ``AUTH=required`` on a temporary SQLite store, in
headless Chromium (issue 19 items 1, 5 and 7).

A key made by ``python -m app accounts create``: the terminal asks for it, refuses a wrong one with
a clear message, and once signed in shows the key's account and trades with it. Then the server is
stopped and started again on the same store and port: the page shows the connection banner while
the sockets are down; the restarted server's state is changed over REST while the page is held
offline (so it cannot learn of it from a stream), and after the sockets reconnect the page reloads
every list and says it resynced — without the page being reloaded, the orders, positions and
executions from before the restart are shown again, equal to the REST API's, with no stale row.
Sign-out (from the account menu) forgets the key; signing in with another account's key (Bob's)
switches the page to that account, its rows only; a key revoked while in use brings the sign-in form
back, saying why. Switching between accounts without signing out: ``test_switcher.py``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.browser import check_prerequisites, chromium_page, eventually, http, tid
from tests.e2e.signed_in import ROOT, SYMBOL, agree, auth_server, create_account, place, rows, sign_out
from tests.server_process import ServerProcess

pytestmark = pytest.mark.timeout(180)


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[str]:
    check_prerequisites()
    yield f"sqlite:///{tmp_path / 'terminal.sqlite3'}"


def test_sign_in_trade_and_survive_a_server_restart(store: str) -> None:
    account_id, key = create_account(store, "Alice")
    bob_id, bob_key = create_account(store, "Bob")
    with chromium_page() as page:
        first: ServerProcess
        with auth_server(store) as first:
            url = first.url
            broker = f"{url}/api/v1/broker"
            sockets: list[str] = []
            page.on("websocket", lambda ws: sockets.append(ws.url))
            page.goto(f"{url}/terminal/?symbol={SYMBOL}")

            # the key is asked for; no socket is opened before the server accepted one
            page.wait_for_selector(tid("signin-form"))
            assert sockets == []
            page.fill(tid("signin-key"), f"{account_id}.KEY-0000000000000000.wrong-secret")
            page.click(tid("signin-submit"))
            message = page.wait_for_selector(f'{tid("signin-message")} .error')
            assert message.inner_text() == "The server refused this API key (unknown or revoked)."
            page.fill(tid("signin-key"), "no key at all")
            page.click(tid("signin-submit"))
            page.wait_for_function("document.querySelector('[data-testid=signin-message]')"
                                   ".textContent.includes('ACCOUNT_ID.KEY_ID.SECRET')")
            assert sockets == []

            page.fill(tid("signin-key"), key)
            page.click(tid("signin-submit"))
            page.wait_for_selector(f'{tid("conn-broker")}[data-state="open"]')
            page.wait_for_selector(f'{tid("conn-datafeed")}[data-state="open"]')
            assert page.inner_text(tid("account-name")) == "Alice"
            assert page.inner_text(tid("account-id")) == account_id
            assert page.evaluate("sessionStorage.getItem('traderPro.apiKey')") == key
            assert sockets and all(s.endswith(f"?token={key}") for s in sockets), sockets
            assert key not in page.inner_html("body"), "the key is written into the page"

            # trade with the key: a resting limit order and a filled market order
            limit_id = place(page, "limit", "2", "1.50")
            market_id = place(page, "market", "3")
            page.wait_for_selector(f'{tid("history-table")} {tid(f"order-row-{market_id}")}[data-status="filled"]',
                                   state="attached")
            page.wait_for_selector(f'{tid("orders-table")} {tid(f"order-row-{limit_id}")}', state="attached")
            eventually(lambda: agree(page, broker, key), "the page to equal REST before the restart")
            before = rows(page, "positions-table", "position-row-")
            assert before[SYMBOL]["qty"] == "3"
            page.evaluate("window.__notReloaded = true")
            port = url.rsplit(":", 1)[1]

        # the server is down: the banner says so
        page.wait_for_selector(f'{tid("conn-banner")}:not([hidden])')
        assert "reconnecting" in page.inner_text(tid("conn-banner"))
        assert page.get_attribute(tid("conn-resynced"), "data-resyncs") == "0"

        # while the page cannot reconnect (offline), the restarted server's state moves on over REST:
        # the limit order is canceled and one of the three bought is closed
        page.context.set_offline(True)
        with auth_server(store, "--port", port) as second:
            assert second.url == url
            http("DELETE", f"{broker}/orders/{limit_id}", key=key)
            http("DELETE", f"{broker}/positions/{SYMBOL}?amount=1", key=key)
            eventually(lambda: http("GET", f"{broker}/positions", key=key)[0]["qty"] == 2, "the partial close to fill")
            assert page.evaluate("window.__terminal.ws.broker.state") != "open"
            page.context.set_offline(False)

            page.wait_for_selector(f'{tid("conn-resynced")}[data-resyncs="1"]', state="attached")
            assert page.is_hidden(tid("conn-banner"))
            assert page.evaluate("window.__notReloaded") is True, "the page was reloaded"
            agree(page, broker, key)
            assert limit_id not in rows(page, "orders-table", "order-row-"), "a stale working order is left"
            assert rows(page, "positions-table", "position-row-")[SYMBOL]["qty"] == "2"
            assert page.locator(f'{tid("history-table")} {tid(f"order-row-{market_id}")}').count() == 1

            # sign-out forgets the key and asks for one again
            sign_out(page)
            page.wait_for_selector(tid("signin-form"))
            assert page.evaluate("sessionStorage.getItem('traderPro.apiKey')") is None

            # another account's key switches the page to that account: its name, id and rows only
            page.fill(tid("signin-key"), bob_key)
            page.click(tid("signin-submit"))
            page.wait_for_selector(f'{tid("conn-broker")}[data-state="open"]')
            assert (page.inner_text(tid("account-name")), page.inner_text(tid("account-id"))) == ("Bob", bob_id)
            bob_order = place(page, "limit", "4", "1.25")
            page.wait_for_selector(f'{tid("orders-table")} {tid(f"order-row-{bob_order}")}', state="attached")
            eventually(lambda: agree(page, broker, bob_key), "the page to equal Bob's REST")
            assert rows(page, "positions-table", "position-row-") == {}
            history = page.eval_on_selector_all(f'{tid("history-table")} tr[data-id]',
                                                "rows => rows.map(r => r.dataset.id)")
            assert market_id not in history and limit_id not in history, history
            sign_out(page)
            page.wait_for_selector(tid("signin-form"))

            # a key revoked while in use: its sockets are closed, and the terminal asks for a key again
            page.fill(tid("signin-key"), key)
            page.click(tid("signin-submit"))
            page.wait_for_selector(f'{tid("conn-broker")}[data-state="open"]')
            command = [sys.executable, "-m", "app", "accounts", "revoke", key.split(".")[1], "--store", store]
            revoked = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
            assert revoked.returncode == 0, revoked.stderr
            message = page.wait_for_selector(f'{tid("signin-message")} .error')
            assert message.inner_text() == "The server refused this API key (unknown or revoked)."
            assert page.evaluate("sessionStorage.getItem('traderPro.apiKey')") is None
