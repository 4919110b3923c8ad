"""Matching through the running app on the real clock (DESIGN §8: fills come from the market).

The price path is a pure function of time, so the test predicts from the model when a resting
order will be crossed, then watches the engine's background step fill it.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.market import Market
from tests.conftest import ClientFactory
from tests.waiting import wait_until_async
from tests.market.crossings import first_crossing

B = "/api/v1/broker"
LOOKAHEAD_MS = 20_000
QUIET_MS = 1_500
STEP_MS = 200


@pytest.fixture
async def live(make_client: ClientFactory) -> Any:
    return await make_client(modules=("broker",), engine_step_ms=STEP_MS)


async def wait_filled(client: Any, order_id: str, timeout_s: float) -> dict[str, Any]:
    async def filled() -> dict[str, Any] | None:
        orders: list[dict[str, Any]] = await (await client.get(f"{B}/orders")).json()
        return next((o for o in orders if o["id"] == order_id and o["status"] == 2), None)

    order = await wait_until_async(filled, timeout_s, interval=0.02, what=f"{order_id} filled")
    assert order is not None
    return order


async def execution_of(client: Any, symbol: str) -> dict[str, Any]:
    executions = await (await client.get(f"{B}/executions/{symbol}")).json()
    assert len(executions) == 1
    result: dict[str, Any] = executions[0]
    return result


async def test_market_order_fills_within_a_second_at_the_quoted_ask(live: Any, market: Market) -> None:
    response = await live.post(f"{B}/orders", json={"symbol": "MSFT", "type": 2, "side": 1, "qty": 3})
    order_id = (await response.json())["orderId"]
    order = await wait_filled(live, order_id, 1.0)
    execution = await execution_of(live, "MSFT")
    quote = market.quote("MSFT", execution["time"])
    assert order["avgPrice"] == execution["price"] == quote.ask
    assert order["filledQty"] == 3.0


async def test_market_sell_fills_at_the_bid(live: Any, market: Market) -> None:
    response = await live.post(f"{B}/orders", json={"symbol": "KO", "type": 2, "side": -1, "qty": 2})
    order = await wait_filled(live, (await response.json())["orderId"], 1.0)
    execution = await execution_of(live, "KO")
    assert order["avgPrice"] == market.quote("KO", execution["time"]).bid


def _earliest(market: Market, make: Any) -> tuple[str, float, int]:
    """(symbol, level, crossing time) with the soonest predicted crossing over all symbols."""
    t0 = market.now()
    best: tuple[str, float, int] | None = None
    for spec in market.catalogue.symbols:
        quiet = market.extremes(spec.name, t0, t0 + QUIET_MS)
        level, condition = make(spec, quiet)
        crossing = first_crossing(market, spec.name, t0 + QUIET_MS, t0 + LOOKAHEAD_MS, **{condition: level})
        if crossing is not None and (best is None or crossing < best[2]):
            best = (spec.name, level, crossing)
    if best is None:
        pytest.skip("no symbol crosses within the look-ahead window right now")
    return best


async def test_resting_buy_limit_fills_at_its_limit_when_the_ask_crosses(live: Any, market: Market) -> None:
    symbol, level, crossing = _earliest(
        market, lambda spec, q: (spec.round_price(q.ask_low - spec.tick_size), "ask_at_or_below"))
    response = await live.post(
        f"{B}/orders", json={"symbol": symbol, "type": 1, "side": 1, "qty": 1, "limitPrice": level})
    assert response.status == 200, await response.text()
    order_id = (await response.json())["orderId"]
    wait_s = (crossing - market.now()) / 1000 + 2.0
    order = await wait_filled(live, order_id, wait_s)
    execution = await execution_of(live, symbol)
    assert order["avgPrice"] == execution["price"] == level
    assert crossing <= execution["time"] <= crossing + 1_000 + 2 * STEP_MS
    assert market.extremes(symbol, execution["time"] - STEP_MS - 1_000, execution["time"]).ask_low <= level


async def test_buy_stop_triggers_on_the_ask_and_fills_at_market(live: Any, market: Market) -> None:
    symbol, level, crossing = _earliest(
        market, lambda spec, q: (spec.round_price(q.ask_high + spec.tick_size), "ask_at_or_above"))
    response = await live.post(
        f"{B}/orders", json={"symbol": symbol, "type": 3, "side": 1, "qty": 1, "stopPrice": level})
    assert response.status == 200, await response.text()
    order = await wait_filled(live, (await response.json())["orderId"], (crossing - market.now()) / 1000 + 2.0)
    execution = await execution_of(live, symbol)
    assert crossing <= execution["time"] <= crossing + 1_000 + 2 * STEP_MS
    assert order["avgPrice"] == market.quote(symbol, execution["time"]).ask
