"""The autouse response check (tests/conftest.py) really looks at every answer and can fail."""

from __future__ import annotations

import pytest

from app.broker.api.wire import OrdersBody
from tests.conftest import ClientFactory, ResponseContract


async def test_documented_answers_are_checked(make_client: ClientFactory, response_contract: ResponseContract) -> None:
    client = await make_client()
    await client.get("/api/v1/broker/orders")
    await client.get("/api/v1/datafeed/config")
    await client.get("/nope")  # not an operation: not checked
    assert response_contract.checked == 2
    assert response_contract.violations == []


async def test_a_body_outside_its_schema_is_reported(
    make_client: ClientFactory, response_contract: ResponseContract, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = await make_client()
    monkeypatch.setattr(OrdersBody, "__call__", lambda _: b'[{"id":"ORDER-1"}]')
    await client.get("/api/v1/broker/orders")
    found, response_contract.violations[:] = list(response_contract.violations), []
    assert len(found) == 1 and found[0].startswith("GET /api/v1/broker/orders → 200: ")
    assert "'symbol' is a required property" in found[0]
