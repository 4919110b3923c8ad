"""Buying power (issue 18 item 3, README "Buying power") against the real app on the stepped
clock: AAPL stands at bid 205.15 / ask 205.17 and does not move, leverage 10 unless set.
``GET /account/state`` figures, refusals naming the amounts, reducing orders never refused,
modify, the preview's "Margin Required", and the default (off) changing nothing."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.broker.domain.accounting import Ledger
from app.broker.domain.enums import OrderType, Side
from app.broker.domain.margin import order_margin, order_price
from app.broker.domain.snapshots import Execution
from app.market.model import Top
from app.market import Market
from app.settings import Settings
from schemas.broker import AccountStateSchema
from tests.contract import assert_wire

B = "/api/v1/broker"
STATE_KEYS = ["id", "currency", "balance", "equity", "unrealizedPL", "realizedPL", "marginUsed", "buyingPower",
              "marginCheck"]


async def state(client: Any) -> dict[str, Any]:
    response = await client.get(f"{B}/account/state")
    assert response.status == 200, await response.text()
    raw = await response.read()
    assert_wire(AccountStateSchema(), raw)
    answer: dict[str, Any] = orjson.loads(raw)
    assert list(answer) == STATE_KEYS
    return answer


async def order(client: Any, status: int = 200, **body: Any) -> Any:
    response = await client.post(f"{B}/orders", json={"symbol": "AAPL", **body})
    assert response.status == status, await response.text()
    return await response.json()


def limit(side: int, qty: float, price: float) -> dict[str, Any]:
    return {"type": 1, "side": side, "qty": qty, "limitPrice": price}


async def test_the_figures_and_the_refusals_name_the_amounts(make_broker: Any, stepped_market: Market) -> None:
    client = await make_broker(margin_check=True)
    quote = stepped_market.quote("AAPL")
    assert (quote.bid, quote.ask) == (205.15, 205.17)
    assert await state(client) == {
        "id": "DEMO-ACCOUNT", "currency": "USD", "balance": 100_000.0, "equity": 100_000.0, "unrealizedPL": 0.0,
        "realizedPL": 0.0, "marginUsed": 0.0, "buyingPower": 100_000.0, "marginCheck": True}

    # a resting buy limit below the market holds its quantity at the (worse) ask: 1000·205.17/10
    await order(client, **limit(1, 1000, 200.0))
    figures = await state(client)
    assert (figures["marginUsed"], figures["buyingPower"]) == (20_517.0, 79_483.0)

    # a marketable buy limit above the market holds its limit: 4000·210/10 = 84,000 > 79,483
    refused = await order(client, 400, **limit(1, 4000, 210.0))
    assert refused == {"detail": "Insufficient buying power: order margin 84000.00 exceeds buying power 79483.00 "
                                 "(equity 100000.00, margin used 20517.00, leverage 10.0)"}
    orders = await (await client.get(f"{B}/orders")).json()
    assert len(orders) == 1  # nothing was created
    await order(client, **limit(1, 3000, 210.0))  # 63,000 fits
    assert (await client.post(f"{B}/debug/execute-orders")).status == 200

    # long 4000 @ 207.50 (1000 @ 200 + 3000 @ 210), marked at the bid 205.15
    figures = await state(client)
    assert figures == {**figures, "balance": 100_000.0, "equity": 90_600.0, "unrealizedPL": -9_400.0,
                       "marginUsed": 82_060.0, "buyingPower": 8_540.0}
    refused = await order(client, 400, type=2, side=1, qty=500)  # a market buy: 500·205.17/10 = 10,258.50
    assert refused["detail"].startswith("Insufficient buying power: order margin 10258.50 exceeds buying power "
                                        "8540.00 (equity 90600.00, margin used 82060.00")

    # leverage 1: the position alone holds 820,600 > equity; buying power is negative
    leverage = {"symbol": "AAPL", "orderType": 1, "side": 1, "leverage": 1}
    response = await client.put(f"{B}/leverage/set", json=leverage)
    assert response.status == 200, await response.text()
    figures = await state(client)
    assert (figures["marginUsed"], figures["buyingPower"]) == (820_600.0, -730_000.0)

    # orders that only reduce are never refused; past the position only the excess counts
    closing = (await order(client, **limit(-1, 4000, 300.0)))["orderId"]
    assert (await state(client))["marginUsed"] == 820_600.0  # the closing order holds nothing
    refused = await order(client, 400, **limit(-1, 4001, 300.0))  # 1 short at 300 (> bid)
    assert refused["detail"].startswith("Insufficient buying power: order margin 300.00 exceeds buying power "
                                        "-730000.00")
    response = await client.put(f"{B}/orders/{closing}", json={"symbol": "AAPL", **limit(-1, 4500, 300.0)})
    assert response.status == 400  # a modify that would open 500 short: 150,000
    assert (await response.json())["detail"].startswith("Insufficient buying power: order margin 150000.00")
    response = await client.put(f"{B}/orders/{closing}", json={"symbol": "AAPL", **limit(-1, 3000, 301.0)})
    assert response.status == 200, await response.text()
    assert (await client.delete(f"{B}/orders/{closing}")).status == 200
    response = await client.delete(f"{B}/positions/AAPL")  # closing a position: never refused
    assert response.status == 200, await response.text()
    assert (await client.post(f"{B}/debug/execute-orders")).status == 200
    figures = await state(client)
    assert (figures["marginUsed"], figures["buyingPower"]) == (0.0, figures["equity"])
    assert figures["equity"] == figures["balance"] == 90_600.0  # closed at the bid: realized −9,400


async def preview_margin(client: Any, body: dict[str, Any]) -> str:
    response = await client.post(f"{B}/orders/preview", json={"symbol": "AAPL", **body})
    assert response.status == 200
    rows = {r["title"]: r["value"] for s in (await response.json())["sections"] for r in s["rows"]}
    return rows["Margin Required"]


async def test_the_previews_margin_is_value_over_leverage_when_on(make_broker: Any) -> None:
    body = limit(1, 10, 200.0)  # value 2,000
    assert await preview_margin(await make_broker(), body) == "$1000.00"  # the original's half
    on = await make_broker(margin_check=True)
    assert await preview_margin(on, body) == "$200.00"
    await on.put(f"{B}/leverage/set", json={"symbol": "AAPL", "orderType": 1, "side": 1, "leverage": 4})
    assert await preview_margin(on, body) == "$500.00"


async def test_off_by_default_nothing_is_refused_and_the_state_still_reports(make_broker: Any) -> None:
    client = await make_broker()
    await order(client, **limit(1, 1_000_000, 200.0))  # 200 M of value on 100 k
    figures = await state(client)
    assert figures["marginCheck"] is False
    assert (figures["marginUsed"], figures["buyingPower"]) == (20_517_000.0, -20_417_000.0)


async def test_get_account_keeps_its_shape(make_broker: Any) -> None:
    client = await make_broker(margin_check=True)
    assert await (await client.get(f"{B}/account")).read() == b'{"id":"DEMO-ACCOUNT","name":"Demo Trading Account"}'


def test_the_setting() -> None:
    assert Settings.from_env({}).margin_check is False
    assert Settings.from_env({"MARGIN_CHECK": "on"}).margin_check is True
    with pytest.raises(ValueError, match="MARGIN_CHECK"):
        Settings.from_env({"MARGIN_CHECK": "maybe"})


prices = st.integers(100, 100_000).map(lambda n: n / 100)


@given(st.sampled_from([Side.BUY, Side.SELL]), st.integers(1, 1000).map(float), prices, prices,
       st.integers(0, 2000).map(float), st.sampled_from([1.0, 2.0, 10.0, 100.0]))
def test_an_orders_margin_is_its_opening_part_at_the_worse_price_over_leverage(
        side: Side, qty: float, own: float, mid: float, held: float, lev: float) -> None:
    quote = Top(mid - 0.01, mid + 0.01)
    ledger = Ledger(100_000.0)
    if held:
        ledger.apply(Execution(1, "O", "AAPL", mid, held, -int(side), 0))  # a position against the order
    current = quote.ask if side is Side.BUY else quote.bid
    assert order_price(OrderType.MARKET, side, None, None, quote) == current
    assert order_price(OrderType.LIMIT, side, own, None, quote) == max(own, current)
    margin = order_margin(ledger, {"AAPL": lev}, quote, "AAPL", OrderType.LIMIT, side, qty, own, None)
    opening = max(0.0, qty - held)
    assert margin == pytest.approx(opening * max(own, current) / lev, rel=1e-12, abs=1e-9)
