"""Orders a market cannot have are refused by name (issue 21, item 4): every price above zero,
no order past MAX_ORDER_QTY, and order ids that never alias an earlier boot's."""

from __future__ import annotations

from typing import Any

import pytest

from app.settings import Settings
from tests.broker.test_rest import B, execute, orders, place, pre_order
from tests.broker.test_rest_brackets import edit
from tests.conftest import ClientFactory

PRICES = ["limitPrice", "stopPrice", "takeProfit", "stopLoss", "guaranteedStop", "seenPrice"]


def _valid(**fields: Any) -> dict[str, Any]:
    """A STOP_LIMIT order with every price valid, so only the changed one can be refused."""
    valid = {"type": 4, "limitPrice": 150.0, "stopPrice": 149.0, "takeProfit": 170.0, "stopLoss": 140.0}
    return pre_order(**{**valid, **fields})


async def _refused(response: Any, field: str) -> dict[str, Any]:
    assert response.status == 422, await response.text()
    (item,) = (await response.json())["detail"]
    assert item["loc"] == ["body", field]
    return dict(item)


@pytest.mark.parametrize("price", [-5.0, 0.0])
@pytest.mark.parametrize("field", PRICES)
async def test_a_price_at_or_below_zero_is_a_422_naming_it_on_place_preview_and_modify(
    broker: Any, field: str, price: float
) -> None:
    oid = await place(broker, **{k: v for k, v in _valid().items() if v is not None})
    for method, path in (("POST", "/orders"), ("POST", "/orders/preview"), ("PUT", f"/orders/{oid}")):
        item = await _refused(await broker.request(method, B + path, json=_valid(**{field: price})), field)
        assert (item["msg"], item["input"]) == ("Input should be greater than 0", price)
    assert len(await orders(broker)) == 3, "the order and its two legs, unchanged"


async def test_a_negative_limit_is_refused_and_creates_nothing(broker: Any) -> None:
    response = await broker.post(f"{B}/orders", json=pre_order(limitPrice=-5.0))
    assert (await _refused(response, "limitPrice"))["type"] == "value_error"
    assert await orders(broker) == []


async def test_a_quote_at_zero_is_refused_as_a_limit_fallback(broker: Any) -> None:
    response = await broker.post(f"{B}/orders", json=pre_order(currentQuotes={"ask": 0.0, "bid": 0.0}))
    await _refused(response, "currentQuotes")


@pytest.mark.parametrize("field", ["takeProfit", "stopLoss", "guaranteedStop"])
async def test_a_bracket_edit_to_a_price_at_or_below_zero_is_a_422_naming_it(broker: Any, field: str) -> None:
    await place(broker, limitPrice=150.0)
    await execute(broker)
    for price in (-5.0, 0.0):
        response = await edit(broker, "AAPL", **{field: price})
        assert response.status == 422, await response.text()
        (item,) = (await response.json())["detail"]
        assert (item["loc"], item["msg"]) == (["body", "brackets", field], "Input should be greater than 0")


async def test_a_market_buy_of_1e12_is_a_422_not_a_fill(broker: Any) -> None:
    """The probe's case: it used to fill on a 100,000 balance (equity -9,999,899,999.99)."""
    response = await broker.post(f"{B}/orders", json=pre_order(type=2, qty=1e12))
    item = await _refused(response, "qty")
    assert item["msg"] == "Input should be less than or equal to 10000000"
    await execute(broker)
    assert await (await broker.get(f"{B}/positions")).read() == b"[]"
    assert await orders(broker) == []


async def test_max_order_qty_is_the_largest_order_on_place_preview_and_modify(make_broker: ClientFactory) -> None:
    broker = await make_broker(max_order_qty=100.0)
    oid = await place(broker, qty=100.0, limitPrice=150.0)
    for method, path in (("POST", "/orders"), ("POST", "/orders/preview"), ("PUT", f"/orders/{oid}")):
        response = await broker.request(method, B + path, json=pre_order(qty=100.5, limitPrice=150.0))
        assert (await _refused(response, "qty"))["msg"] == "Input should be less than or equal to 100"
    assert (await broker.post(f"{B}/orders/preview", json=pre_order(qty=100.0, limitPrice=150.0))).status == 200


async def test_a_symbol_s_own_max_order_qty_applies_to_it_alone(make_broker: ClientFactory) -> None:
    broker = await make_broker(max_order_qty=1000.0, max_order_qty_by_symbol={"AAPL": 10.0})
    response = await broker.post(f"{B}/orders/preview", json=pre_order(qty=11.0, limitPrice=150.0))
    assert (await _refused(response, "qty"))["msg"] == "Input should be less than or equal to 10"
    msft = await broker.post(f"{B}/orders/preview", json=pre_order(symbol="MSFT", qty=11.0, limitPrice=300.0))
    assert msft.status == 200, await msft.text()


def test_max_order_qty_is_read_from_the_environment_and_checked() -> None:
    def env(value: str) -> Settings:
        return Settings.from_env({"MAX_ORDER_QTY": value, "STORE_URL": "memory:"})

    assert env("5000").max_order_qty == 5000.0
    both = env("2e6, AAPL=5000,MSFT=1e3")
    assert (both.max_order_qty, dict(both.max_order_qty_by_symbol)) == (2e6, {"AAPL": 5000.0, "MSFT": 1000.0})
    assert env("AAPL=5").max_order_qty == 1e7, "the default stays for other symbols"
    assert Settings().max_order_qty == 1e7
    for bad in (0.0, -1.0, 1e13):
        with pytest.raises(ValueError, match="MAX_ORDER_QTY must be positive"):
            Settings(max_order_qty=bad)
    with pytest.raises(ValueError, match="MAX_ORDER_QTY for AAPL must be positive"):
        env("AAPL=0")
    with pytest.raises(ValueError, match="MAX_ORDER_QTY must look like 1e7 or 1e7,AAPL=5000"):
        env("lots")


async def test_two_boots_on_a_memory_store_never_alias_order_ids_and_a_retried_client_order_id_is_a_new_order(
    make_client: ClientFactory,
) -> None:
    """Issue 14's boot epoch (Settings.first_order_seq None: order numbers start at the boot time
    in µs) covers this: a memory store forgets the account with its clientOrderId map, so a
    client retrying a clientOrderId after a restart places a new order under a new, distinct id
    (on a fresh account: the first boot's order, and its fill, are gone with it)."""
    ids: list[str] = []
    for _ in range(2):
        boot = await make_client(modules=("broker",), background_tasks=False, store_url="memory:")
        first = await place(boot, limitPrice=150.0, clientOrderId="retry-me")
        assert await place(boot, limitPrice=150.0, clientOrderId="retry-me") == first, "idempotent within a boot"
        ids += [first, await place(boot, limitPrice=150.0)]
        assert [o["id"] for o in await orders(boot)] == ids[-2:], "the earlier boot's orders are gone"
        await boot.close()
    assert len(set(ids)) == 4
    numbers = [int(i.removeprefix("ORDER-")) for i in ids]
    assert numbers[2] > numbers[1] > numbers[0] > 10**15, "boot time in µs, increasing across boots"
