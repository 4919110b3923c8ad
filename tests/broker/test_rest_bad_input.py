"""Hostile input a probe found gets a clear 422 naming the field, never a 500, and never an
echo of more than ~100 characters of what was sent (issue 13, item 7)."""

from __future__ import annotations

from typing import Any

import pytest

from schemas.limits import MAX_ECHO_CHARS
from tests.broker.test_rest import B, place, pre_order

HUGE = "1" * 100_000
"""A 100,000-digit integer: past what ``int()`` converts (4,300 digits) and what a double holds."""
FINITE = {"type": "finite_number", "msg": "Input should be a finite number"}


def _raw_body(**fields: str) -> bytes:
    """A PreOrder as JSON text, so a number can be any literal (the test client would encode it)."""
    values = {"symbol": '"AAPL"', "type": "1", "side": "1", "qty": "1", "limitPrice": "150"}
    values.update(fields)
    return ("{" + ",".join(f'"{k}":{v}' for k, v in values.items()) + "}").encode()


async def _detail(response: Any) -> list[dict[str, Any]]:
    assert response.status == 422, await response.text()
    detail: list[dict[str, Any]] = (await response.json())["detail"]
    return detail


@pytest.mark.parametrize("field", ["qty", "limitPrice", "stopPrice", "takeProfit", "seenPrice"])
@pytest.mark.parametrize("digits", [HUGE, "9" * 400, "-" + HUGE])
async def test_a_huge_integer_in_a_pre_order_is_a_422_naming_the_field(
    broker: Any, field: str, digits: str
) -> None:
    oid = await place(broker, limitPrice=100.0)
    for method, path in (("POST", "/orders"), ("POST", "/orders/preview"), ("PUT", f"/orders/{oid}")):
        response = await broker.request(method, B + path, data=_raw_body(**{field: digits}),
                                        headers={"Content-Type": "application/json"})
        (item,) = await _detail(response)
        assert {k: item[k] for k in ("type", "msg")} == FINITE
        assert item["loc"] == ["body", field]


async def test_a_huge_integer_in_the_nested_quotes_names_the_nested_field(broker: Any) -> None:
    body = _raw_body(currentQuotes='{"ask":' + HUGE + ',"bid":1}')
    response = await broker.post(f"{B}/orders", data=body, headers={"Content-Type": "application/json"})
    (item,) = await _detail(response)
    assert (item["type"], item["loc"]) == ("finite_number", ["body", "currentQuotes", "ask"])


async def test_a_huge_leverage_is_a_422_naming_the_field(broker: Any) -> None:
    body = ('{"symbol":"AAPL","orderType":1,"side":1,"leverage":' + HUGE + "}").encode()
    for method, path in (("PUT", "/leverage/set"), ("POST", "/leverage/preview")):
        response = await broker.request(method, B + path, data=body, headers={"Content-Type": "application/json"})
        (item,) = await _detail(response)
        assert (item["type"], item["loc"]) == ("finite_number", ["body", "leverage"])


async def test_a_huge_bracket_price_is_a_422_naming_the_nested_field(broker: Any) -> None:
    body = ('{"brackets":{"takeProfit":' + HUGE + "}}").encode()
    response = await broker.put(f"{B}/positions/AAPL/brackets", data=body,
                                headers={"Content-Type": "application/json"})
    (item,) = await _detail(response)
    assert (item["type"], item["loc"]) == ("finite_number", ["body", "brackets", "takeProfit"])


async def test_a_huge_close_amount_is_a_422_naming_the_parameter(broker: Any) -> None:
    digits = "1" * 5000  # a request line holds at most 8190 bytes
    response = await broker.delete(f"{B}/positions/AAPL", params={"amount": digits})
    (item,) = await _detail(response)
    assert (item["type"], item["loc"]) == ("finite_number", ["query", "amount"])
    assert item["input"] == digits[:MAX_ECHO_CHARS] + "…"


async def test_a_huge_integer_beside_an_unparsable_number_still_names_the_field(broker: Any) -> None:
    """NaN sends the body to the standard parser, which then meets a 400-digit integer."""
    body = _raw_body(qty="9" * 400, seenPrice="NaN")
    response = await broker.post(f"{B}/orders", data=body, headers={"Content-Type": "application/json"})
    items = await _detail(response)
    assert [(i["type"], i["loc"]) for i in items] == [
        ("finite_number", ["body", "qty"]), ("finite_number", ["body", "seenPrice"])]
    assert items[0]["input"] == int("9" * 400)


async def test_a_megabyte_symbol_is_echoed_clipped(broker: Any) -> None:
    symbol = "X" * 1_000_000
    for method, path in (("POST", "/orders"), ("POST", "/orders/preview")):
        response = await broker.request(method, B + path, json=pre_order(symbol=symbol))
        (item,) = await _detail(response)
        clipped = "X" * MAX_ECHO_CHARS + "…"
        assert item == {"type": "value_error", "loc": ["body", "symbol"], "msg": f"Unknown symbol {clipped}",
                        "input": clipped}


async def test_a_megabyte_field_of_the_wrong_type_is_echoed_clipped(broker: Any) -> None:
    response = await broker.post(f"{B}/orders", json=pre_order(type="7" * 1_000_000))
    (item,) = await _detail(response)
    assert (item["loc"], item["input"]) == (["body", "type"], "7" * MAX_ECHO_CHARS + "…")


async def test_a_missing_field_echoes_the_body_with_long_texts_clipped(broker: Any) -> None:
    body = pre_order(clientOrderId="k" * 10_000)
    del body["qty"]
    response = await broker.post(f"{B}/orders", json=body)
    (item,) = await _detail(response)
    assert item["type"] == "missing" and item["input"]["clientOrderId"] == "k" * MAX_ECHO_CHARS + "…"
    assert item["input"]["symbol"] == "AAPL"


async def test_a_megabyte_client_order_id_reused_is_a_409_with_a_short_detail(broker: Any) -> None:
    key = "c" * 1_000_000
    await place(broker, limitPrice=100.0, clientOrderId=key)
    response = await broker.post(f"{B}/orders", json=pre_order(limitPrice=101.0, clientOrderId=key))
    assert response.status == 409
    assert (await response.json())["detail"] == (
        f"clientOrderId {'c' * MAX_ECHO_CHARS}… was already used for another order")
