"""Commissions (issue 18 item 2, README "Commissions"): the rule's arithmetic (hypothesis), a
hand-computed trading day on a scripted market (partial fills, the minimum per order, long and
short, closes) to the cent, the real app's wire (executions, preview, equity), the setting, and
a store written before commissions."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import MappingProxyType
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.broker.domain.commands import CancelOrder, ExecuteWorking, PlaceOrder, Step
from app.broker.domain.commission import FREE, Commission, filled_after, parse_commission
from app.broker.domain.enums import OrderStatus, OrderType, Side
from app.broker.domain.netting import money
from app.broker.domain.settings import EngineSettings
from app.broker.domain.snapshots import Execution
from app.market import Market
from app.settings import Settings
from schemas.broker import ExecutionSchema
from schemas.ws import SubscriptionUpdate_Execution_Schema
from tests.broker.helpers import engine, limit, market, req
from tests.contract import assert_wire
from tests.store.apps import BROKER, account, get_bytes, post
from tests.store.conftest import Launch, clock, launch, market as store_market  # noqa: F401

COSTS = Commission(per_share=0.01, rate=0.0005, minimum=1.0)

rules = st.builds(Commission, per_share=st.sampled_from([0.0, 0.005, 0.01, 0.0137]),
                  rate=st.sampled_from([0.0, 0.0001, 0.0005, 0.00123]),
                  minimum=st.sampled_from([0.0, 1.0, 2.5]))
fills = st.lists(st.tuples(st.integers(1, 5000).map(lambda n: n / 10),
                           st.integers(1, 100_000).map(lambda n: n / 100)), min_size=1, max_size=12)


def cents(x: float) -> bool:
    return abs(x * 100 - round(x * 100)) < 1e-6


@given(rules, fills)
def test_an_orders_fills_add_up_to_the_rule_on_the_whole_order_whatever_the_split(
        rule: Commission, parts: list[tuple[float, float]]) -> None:
    filled, value, charges = 0.0, 0.0, []
    for qty, price in parts:
        charges.append(rule.charge(filled, value, qty, price))
        filled, value = filled_after(filled, value, qty, price)
    assert all(c >= 0.0 and cents(c) for c in charges)
    assert charges[0] >= rule.minimum
    naive_value = sum(q * p for q, p in parts)
    naive = max(rule.minimum, rule.per_share * sum(q for q, _ in parts) + rule.rate * naive_value)
    assert money(sum(charges)) == pytest.approx(round(naive, 2), abs=0.0100001)
    assert money(sum(charges)) == rule.total(filled, value)  # exactly: the charges telescope


@given(fills)
def test_free_is_zero_on_every_fill(parts: list[tuple[float, float]]) -> None:
    filled, value = 0.0, 0.0
    for qty, price in parts:
        assert FREE.charge(filled, value, qty, price) == 0.0
        filled, value = filled_after(filled, value, qty, price)


@given(rules, st.lists(st.tuples(st.sampled_from([1, -1]), st.integers(1, 50).map(float),
                                 st.integers(9000, 11000).map(lambda n: n / 100)), min_size=1, max_size=15))
def test_the_engines_balance_is_the_naive_replay_less_every_commission(
        rule: Commission, trades: list[tuple[int, float, float]]) -> None:
    """Each trade is one LIMIT order force-filled at its price; the naive replay keeps a signed
    position and its average by hand."""
    m = market(99.99, 100.01)
    e = engine(m, EngineSettings(commission=rule))
    position, avg, realized, fees = 0.0, 0.0, 0.0, 0.0
    for side, qty, price in trades:
        e.handle(PlaceOrder(limit(Side(side), qty, price)))
        e.handle(ExecuteWorking())
        fees += rule.estimate(qty, price)
        signed = side * qty
        if position == 0 or (position > 0) == (signed > 0):
            avg = (avg * abs(position) + price * qty) / (abs(position) + qty)
        else:
            closed = min(abs(position), qty)
            realized += (price - avg) * closed * (1 if position > 0 else -1)
            if qty > abs(position):
                avg = price
        position += signed
    charged = [x.commission for x in e.executions("AAPL")]
    assert money(sum(charged)) == pytest.approx(fees, abs=1e-6)
    ledger = e.state.ledger  # the engine keeps averages to 1e-8: a tiny drift over many re-averages
    assert ledger.balance == pytest.approx(100_000.0 + realized - fees, abs=1e-4)
    assert ledger.realized == pytest.approx(realized - fees, abs=1e-4)
    assert ledger.balance - ledger.realized == pytest.approx(100_000.0, abs=1e-6)  # only P&L moved cash


def test_a_trading_day_to_the_cent() -> None:
    """per_share 0.01, rate 0.0005, minimum 1.00 per order; AAPL fills at most 4 a step."""
    m = market(99.99, 100.01)
    e = engine(m, EngineSettings(commission=COSTS, liquidity=MappingProxyType({"AAPL": 4.0})))
    ledger = e.state.ledger

    # 1. buy 10 at market: 4 @ 100.01, 4 @ 101.01, 2 @ 102.01 (three steps of the cap).
    #    raw 0.10 + 0.0005·1008.10 = 0.60405 < 1.00: the order pays the minimum, on its first fill
    buy = e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 10.0))).value
    e.handle(Step(m.advance(10)))
    m.set("AAPL", 100.99, 101.01)
    e.handle(Step(m.advance(10)))
    m.set("AAPL", 101.99, 102.01)
    e.handle(Step(m.advance(10)))
    assert e.order(buy).status == OrderStatus.FILLED  # type: ignore[union-attr]
    assert [(x.qty, x.price, x.commission) for x in e.executions("AAPL")] == [
        (4.0, 100.01, 1.0), (4.0, 101.01, 0.0), (2.0, 102.01, 0.0)]
    assert (ledger.balance, ledger.realized) == (99_999.0, -1.0)
    # long 10 @ 100.81, marked at the bid 101.99: unrealized 11.80
    assert e.equity().equity == 100_010.8

    # 2. sell 26 @ 110.00 (force-filled at its limit): closes the 10 long, opens 16 short.
    #    commission 0.26 + 0.0005·2860 = 1.69; realized (110 − 100.81)·10 = 91.90
    e.handle(PlaceOrder(limit(Side.SELL, 26.0, 110.0)))
    e.handle(ExecuteWorking())
    assert e.executions("AAPL")[-1].commission == 1.69
    assert (ledger.balance, ledger.realized) == (100_089.21, 89.21)

    # 3. buy 6 @ 105.00: part of the short closes; raw 0.06 + 0.315 = 0.375 → the minimum 1.00;
    #    realized (105 − 110)·6·(−1) = 30.00
    e.handle(PlaceOrder(limit(Side.BUY, 6.0, 105.0)))
    e.handle(ExecuteWorking())
    assert e.executions("AAPL")[-1].commission == 1.0
    assert (ledger.balance, ledger.realized) == (100_118.21, 118.21)
    # short 10 @ 110 marked at the ask 102.01: unrealized 79.90
    assert e.equity().equity == 100_198.11

    # 4. buy 8 limit 120 at market 105.01: the cap fills 4, the rest is cancelled; the partial
    #    order still pays its minimum; realized (105.01 − 110)·4·(−1) = 19.96
    m.set("AAPL", 104.99, 105.01)
    partial = e.handle(PlaceOrder(limit(Side.BUY, 8.0, 120.0))).value
    e.handle(Step(m.advance(10)))
    e.handle(CancelOrder(partial))
    last = e.executions("AAPL")[-1]
    assert (last.qty, last.price, last.commission) == (4.0, 105.01, 1.0)
    assert (ledger.balance, ledger.realized) == (100_137.17, 137.17)
    # short 6 @ 110 at the ask 105.01: unrealized 29.94
    assert e.equity().equity == 100_167.11

    # 5. close the last 6 @ 100.00: raw 0.06 + 0.30 = 0.36 → 1.00; realized (100 − 110)·6·(−1) = 60
    e.handle(PlaceOrder(limit(Side.BUY, 6.0, 100.0)))
    e.handle(ExecuteWorking())
    assert e.positions() == []
    assert (ledger.balance, ledger.realized) == (100_196.17, 196.17)
    equity = e.equity()
    assert (equity.equity, equity.balance, equity.unrealized_pl, equity.realized_pl) == (
        100_196.17, 100_196.17, 0.0, 196.17)
    # gross P&L 91.90 + 30.00 + 19.96 + 60.00 = 201.86; commissions 1 + 1.69 + 1 + 1 + 1 = 5.69
    assert money(sum(x.commission for x in e.executions("AAPL"))) == 5.69


def test_without_the_setting_every_number_is_todays() -> None:
    m = market(99.99, 100.01)
    e = engine(m)
    e.handle(PlaceOrder(limit(Side.BUY, 10.0, 100.0)))
    e.handle(ExecuteWorking())
    e.handle(PlaceOrder(limit(Side.SELL, 10.0, 101.0)))
    e.handle(ExecuteWorking())
    assert [x.commission for x in e.executions("AAPL")] == [0.0, 0.0]
    assert (e.state.ledger.balance, e.state.ledger.realized) == (100_010.0, 10.0)


@pytest.mark.parametrize("text, rule", [
    ("per_share=0.005,rate=0.0001,min=1.0", Commission(0.005, 0.0001, 1.0)),
    ("rate=0.001", Commission(rate=0.001)),
    (" per_share = 0.01 , minimum=2 ", Commission(per_share=0.01, minimum=2.0)),
    ("", FREE), ("0", FREE),
])
def test_the_setting_parses(text: str, rule: Commission) -> None:
    assert parse_commission(text) == rule
    assert Settings.from_env({"COMMISSION": text}).commission == rule


@pytest.mark.parametrize("text, words", [
    ("per_share=abc", "per_share must be a number"), ("fee=1", "must look like"),
    ("rate=0.1,rate=0.2", "must look like"), ("min=-1", "minimum must be zero or positive"),
    ("rate=1.5", "fraction"), ("per_share=nan", "zero or positive"),
])
def test_a_bad_setting_is_refused_naming_it(text: str, words: str) -> None:
    with pytest.raises(ValueError, match="COMMISSION") as info:
        Settings.from_env({"COMMISSION": text})
    assert words in str(info.value)


def test_the_default_is_free() -> None:
    assert Settings.from_env({}).commission == FREE and Settings().commission.free


# ---------------------------------------------------------------------- the real app


async def test_the_app_charges_each_execution_and_shows_it_on_the_wire(make_broker: Any) -> None:
    client = await make_broker(commission=COSTS)
    ws = await client.ws_connect(f"{BROKER}/ws")
    await ws.send_str('{"type":"executions.subscribe","payload":{"accountId":"DEMO-ACCOUNT"}}')
    assert (await ws.receive_json())["type"] == "executions.subscribe.response"
    await post(client, "/orders", {"symbol": "AAPL", "type": 1, "side": 1, "qty": 300, "limitPrice": 150.0})
    await post(client, "/debug/execute-orders")
    update = await ws.receive_json()
    assert update["type"] == "executions.update"
    assert_wire(SubscriptionUpdate_Execution_Schema(), update["payload"])
    assert list(update["payload"]["payload"]) == ["symbol", "price", "qty", "side", "time", "commission"]
    # 300 · 0.01 + 0.0005 · 45,000 = 3.00 + 22.50 = 25.50
    assert update["payload"]["payload"]["commission"] == 25.5
    raw = await get_bytes(client, "/executions/AAPL")
    assert_wire(ExecutionSchema(), raw, many=True)
    assert orjson.loads(raw)[0]["commission"] == 25.5 and raw.endswith(b',"commission":25.5}]')
    equity = account(client).engine.equity()
    assert (equity.balance, equity.realized_pl) == (99_974.5, -25.5)
    await ws.close()


async def preview_rows(client: Any, body: dict[str, Any]) -> dict[str, str]:
    answer = await post(client, "/orders/preview", body)
    return {row["title"]: row["value"] for section in answer["sections"] for row in section["rows"]}


async def test_the_preview_uses_the_rule_when_set_and_the_originals_rows_when_not(make_broker: Any) -> None:
    body = {"symbol": "AAPL", "type": 1, "side": 1, "qty": 300, "limitPrice": 150.0}
    original = await preview_rows(await make_broker(), body)
    assert (original["Commission"], original["Total Cost"]) == ("$45.00", "$45045.00")  # 0.1 %
    costed = await preview_rows(await make_broker(commission=COSTS), body)
    assert (costed["Commission"], costed["Total Cost"]) == ("$25.50", "$45025.50")
    small = await preview_rows(await make_broker(commission=COSTS), {**body, "qty": 2})
    assert small["Commission"] == "$1.00"  # the minimum per order
    assert {k: v for k, v in costed.items() if k not in ("Commission", "Total Cost")} == {
        k: v for k, v in original.items() if k not in ("Commission", "Total Cost")}


async def test_a_store_written_before_commissions_reads_them_as_zero(
        tmp_path: Path, store_market: Market, launch: Launch) -> None:  # noqa: F811
    """Version 3 payloads (no ``commission``, no ``filled_value``): the server migrates the store
    to version 4 and reads every execution with 0.0; new fills are charged."""
    path = tmp_path / "old.sqlite3"
    url = f"sqlite:///{path}"
    first = await launch(url, store_market)
    await post(first, "/orders", {"symbol": "AAPL", "type": 1, "side": 1, "qty": 4, "limitPrice": 150.0})
    await post(first, "/debug/execute-orders")
    await first.close()
    with sqlite3.connect(path) as conn:  # write the store back as version 3 wrote it
        stripped = 0
        for table in ("events", "snapshots"):
            for rowid, payload in conn.execute(f"SELECT rowid, payload FROM {table}").fetchall():
                text = orjson.dumps(_without(orjson.loads(payload))).decode()
                stripped += text != payload
                conn.execute(f"UPDATE {table} SET payload = ? WHERE rowid = ?", (text, rowid))
        assert stripped >= 1
        conn.execute("UPDATE store_meta SET value = '3' WHERE key = 'schema_version'")
    second = await launch(url, store_market, commission=COSTS)
    executions = orjson.loads(await get_bytes(second, "/executions/AAPL"))
    assert [x["commission"] for x in executions] == [0.0]
    await post(second, "/orders", {"symbol": "AAPL", "type": 1, "side": -1, "qty": 4, "limitPrice": 151.0})
    await post(second, "/debug/execute-orders")
    executions = orjson.loads(await get_bytes(second, "/executions/AAPL"))
    assert [x["commission"] for x in executions] == [0.0, 1.0]
    await second.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM store_meta WHERE key = 'schema_version'").fetchone() == ("5",)


def _without(data: Any) -> Any:
    """A payload without the keys version 4 added."""
    if isinstance(data, dict):
        return {k: _without(v) for k, v in data.items() if k not in ("commission", "filled_value")}
    if isinstance(data, list):
        return [_without(v) for v in data]
    return data


def test_an_old_snapshots_order_reads_its_filled_value_from_its_average() -> None:
    from app.broker.domain.checkpoint import export_state, import_state
    from dataclasses import replace

    m = market(99.99, 100.01)
    e = engine(m, EngineSettings(liquidity=MappingProxyType({"AAPL": 4.0})))
    oid = e.handle(PlaceOrder(req(OrderType.MARKET, Side.BUY, 10.0))).value
    e.handle(Step(m.advance(10)))
    snapshot = export_state(e.state)
    assert [o.filled_value for o in snapshot.orders] == [400.04]
    old = replace(snapshot, orders=tuple(replace(o, filled_value=0.0) for o in snapshot.orders))
    assert import_state(old).orders[oid].filled_value == 400.04
    assert Execution(1, oid, "AAPL", 1.0, 1.0, 1, 0).commission == 0.0
