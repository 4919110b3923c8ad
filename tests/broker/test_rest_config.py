"""``GET /broker/config``: what the terminal's ticket is fed, checked against its schema (key
order, floats, always-present keys) and against what the engine accepts."""

from __future__ import annotations

from typing import Any

import orjson

from schemas.broker import BrokerConfigSchema
from tests.broker.test_rest import B, orders, pre_order
from tests.contract import assert_wire


async def test_the_config_lists_durations_order_types_leverage_currency_and_flags(broker: Any) -> None:
    response = await broker.get(f"{B}/config")
    assert response.status == 200
    raw = await response.read()
    assert_wire(BrokerConfigSchema(), raw)
    config = orjson.loads(raw)
    assert list(config) == ["currency", "orderTypes", "durations", "defaultDuration", "leverage", "configFlags"]
    assert (config["currency"], config["orderTypes"], config["defaultDuration"]) == ("USD", [1, 2, 3, 4], "GTC")
    assert [d["value"] for d in config["durations"]] == ["DAY", "GTC", "IOC", "FOK", "GTD"]
    assert config["durations"][2] == {"value": "IOC", "name": "Immediate or cancel", "hasDatePicker": False,
                                      "hasTimePicker": False, "supportedOrderTypes": [1, 2]}
    assert config["durations"][4]["hasDatePicker"] is True
    assert config["leverage"] == {"min": 1.0, "max": 100.0, "step": 1.0, "default": 10.0}
    flags = config["configFlags"]
    assert flags["supportDurations"] is True and flags["supportModifyDuration"] is False
    assert flags["supportOrderBrackets"] and flags["supportLeverage"] and flags["supportStopLimitOrders"]
    assert list(flags)[-1] == "supportMargin" and flags["supportMargin"] is False  # MARGIN_CHECK off (default)
    assert b'"min":1.0' in raw


async def test_support_margin_is_the_margin_check_setting(make_broker: Any) -> None:
    for margin_check in (True, False):
        client = await make_broker(margin_check=margin_check)
        raw = await (await client.get(f"{B}/config")).read()
        assert_wire(BrokerConfigSchema(), raw)
        assert orjson.loads(raw)["configFlags"]["supportMargin"] is margin_check
        state = await (await client.get(f"{B}/account/state")).json()
        assert state["marginCheck"] is margin_check


async def test_every_advertised_duration_is_accepted_on_each_order_type_it_lists(broker: Any) -> None:
    config = await (await broker.get(f"{B}/config")).json()
    prices: dict[int, dict[str, float]] = {
        1: {"limitPrice": 1.5}, 2: {}, 3: {"stopPrice": 10_000.0}, 4: {"stopPrice": 10_000.0, "limitPrice": 10_001.0}}
    placed = 0
    for duration in config["durations"]:
        wanted: dict[str, Any] = {"type": duration["value"]}
        if duration["hasDatePicker"]:
            wanted["datetime"] = 4_102_444_800_000
        for order_type in config["orderTypes"]:
            response = await broker.post(f"{B}/orders", json=pre_order(type=order_type, duration=wanted,
                                                                       **prices[order_type]))
            expected = 200 if order_type in duration["supportedOrderTypes"] else 422
            assert response.status == expected, (duration, order_type, await response.text())
            placed += expected == 200
    assert len(await orders(broker)) == placed == 4 * 3 + 2 * 2
