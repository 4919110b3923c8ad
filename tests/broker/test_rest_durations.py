"""Durations over REST: echoed on every order payload, the 422s with their ``loc``."""

from __future__ import annotations

from typing import Any

import pytest

from tests.broker.test_rest import B, orders, place, pre_order


async def test_a_duration_is_echoed_on_get_orders_last_and_absent_means_null(broker: Any) -> None:
    await place(broker, limitPrice=1.5, duration={"type": "DAY"})
    await place(broker, limitPrice=1.5)
    await place(broker, limitPrice=1.5, duration=None)
    await place(broker, limitPrice=1.5, duration={"type": "GTD", "datetime": 4_102_444_800_000})
    listed = await orders(broker)
    assert [list(o)[-1] for o in listed] == ["duration"] * 4
    assert [o["duration"] for o in listed] == [
        {"type": "DAY", "datetime": None}, None, None, {"type": "GTD", "datetime": 4_102_444_800_000}]


@pytest.mark.parametrize(("fields", "loc", "msg"), [
    ({"type": 3, "stopPrice": 10_000.0, "duration": {"type": "IOC"}}, ["body", "duration"],
     "Duration IOC applies to MARKET and LIMIT orders only, not STOP"),
    ({"duration": {"type": "GTD", "datetime": 1_000}}, ["body", "duration"], None),
    ({"duration": {"type": "GTD"}}, ["body", "duration"], "Duration GTD needs a datetime (unix ms)"),
    ({"duration": {"type": "DAY", "datetime": 4_102_444_800_000}}, ["body", "duration"],
     "datetime is only for duration GTD, not DAY"),
    ({"duration": {"type": "WEEK"}}, ["body", "duration", "type"], None),
    ({"duration": {}}, ["body", "duration", "type"], "Field required"),
    ({"duration": "DAY"}, ["body", "duration"], None),
])
async def test_refused_durations_are_422s_naming_the_field(
        broker: Any, fields: dict[str, Any], loc: list[str], msg: str | None) -> None:
    response = await broker.post(f"{B}/orders", json=pre_order(limitPrice=1.5, **fields))
    assert response.status == 422, await response.text()
    [item] = (await response.json())["detail"]
    assert item["loc"] == loc
    if msg is not None:
        assert item["msg"] == msg
    assert await orders(broker) == []
