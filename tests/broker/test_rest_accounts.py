"""``GET /accounts`` (issue 15 item 3) with ``AUTH=off``: the one ``DEMO-ACCOUNT``, in the shape
the OpenAPI document declares; ``GET /account`` keeps its original bytes."""

from __future__ import annotations

from typing import Any

from schemas.broker import AccountSchema

B = "/api/v1/broker"


async def test_accounts_lists_the_demo_account_with_auth_off(broker: Any) -> None:
    response = await broker.get(f"{B}/accounts")
    raw = await response.read()
    assert response.status == 200
    assert raw == b'[{"id":"DEMO-ACCOUNT","name":"Demo Trading Account","currency":"USD"}]'
    assert AccountSchema(many=True).validate([{"id": "DEMO-ACCOUNT", "name": "Demo Trading Account",
                                               "currency": "USD"}]) == {}
    account = await broker.get(f"{B}/account")
    assert await account.read() == b'{"id":"DEMO-ACCOUNT","name":"Demo Trading Account"}'
