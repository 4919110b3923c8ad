"""What the AUTH=required end-to-end tests share: accounts made by ``python -m app accounts
create``, a server on a SQLite store, the page's rows compared with REST under a given key, an
order placed through the ticket and the account menu (sign-out, add, switch)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.e2e.browser import fill_ticket, http, preview_and_place, tid
from tests.server_process import server_process

ROOT = Path(__file__).resolve().parents[2]
SYMBOL = "MSFT"


def create_account(store: str, name: str) -> tuple[str, str]:
    """(account id, key) as ``python -m app accounts create NAME`` prints them."""
    done = subprocess.run([sys.executable, "-m", "app", "accounts", "create", name, "--store", store],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    account_line, key_line = done.stdout.splitlines()[:2]
    return account_line.split()[1], key_line.split(": ")[1].strip()


def auth_server(store: str, *args: str, **env: str) -> Any:
    environment = {**os.environ, "STORE_URL": store, "AUTH": "required", "KEY_POLL_S": "0.1", **env}
    return server_process(*args, cwd=ROOT, env=environment)


def rows(page: Any, table: str, row_prefix: str) -> dict[str, dict[str, str]]:
    """The rows of a table as {id: {field: text}} (field cells carry data-field)."""
    return dict(page.eval_on_selector_all(
        f'{tid(table)} tr[data-testid^="{row_prefix}"]',
        "rows => rows.map(r => [r.dataset.id, Object.fromEntries([...r.querySelectorAll('[data-field]')]"
        ".map(c => [c.dataset.field, c.textContent]))])",
    ))


def agree(page: Any, broker: str, key: str) -> bool:
    """Working orders, positions and executions on the page equal GET /orders, /positions, /executions."""
    orders = http("GET", f"{broker}/orders", key=key)
    working = {o["id"]: o for o in orders if o["status"] == 6}
    ui_orders = rows(page, "orders-table", "order-row-")
    assert set(ui_orders) == set(working), (ui_orders, working)
    for oid, o in working.items():
        assert ui_orders[oid]["qty"] == f'{o["qty"]:g}' and ui_orders[oid]["limit"] == f'{o["limitPrice"]:.2f}'
    positions = {p["id"]: p for p in http("GET", f"{broker}/positions", key=key)}
    ui_positions = rows(page, "positions-table", "position-row-")
    assert set(ui_positions) == set(positions), (ui_positions, positions)
    for pid, p in positions.items():
        assert ui_positions[pid]["qty"] == f'{p["qty"]:g}' and ui_positions[pid]["avg"] == f'{p["avgPrice"]:.2f}'
    server = http("GET", f"{broker}/executions/{SYMBOL}", key=key)
    executions = sorted((e["time"], e["price"], e["qty"]) for e in server)
    ui_executions = sorted(tuple(x) for x in page.eval_on_selector_all(
        f'{tid("executions-table")} {tid("execution-row")}',
        "rows => rows.map(r => [+r.dataset.time, +r.dataset.price, +r.dataset.qty])"))
    assert ui_executions == executions, (ui_executions, executions)
    return True


def place(page: Any, order_type: str, qty: str, limit: str | None = None) -> str:
    fill_ticket(page, order_type, "buy", qty, limit)
    return preview_and_place(page)


def account_menu(page: Any) -> None:
    """Opens the header's account menu (the switcher)."""
    if page.is_hidden(tid("account-menu")):
        page.click(tid("account"))
    page.wait_for_selector(tid("account-menu"))


def sign_out(page: Any, which: str = "sign-out") -> None:
    """"Sign out" (of the current account) or "sign-out-all" from the account menu."""
    account_menu(page)
    page.click(tid(which))
