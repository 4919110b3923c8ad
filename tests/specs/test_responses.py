"""Real responses of the real app match the schema the OpenAPI document declares for that operation and status.

A scripted session (orders placed, filled, modified, cancelled; positions closed; bad inputs) runs
against the app built by the factory; every response's status must be declared for its operation
and its body must validate against the declared schema, converted to JSON Schema (nullable → null
types) and tightened to refuse undeclared keys.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from jsonschema import Draft202012Validator

from app.specs.openapi import to_json_schema

Client = TestClient[web.Request, web.Application]

ORDER = {"symbol": "AAPL", "type": 1, "side": 1, "qty": 1, "limitPrice": 1.5}


def closed(node: Any) -> Any:
    """Every object schema with properties refuses undeclared keys (CONTRACT §1.4: no extra keys)."""
    if isinstance(node, list):
        return [closed(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: closed(value) for key, value in node.items()}
    if "properties" in out and out.get("type") in ("object", ["object", "null"]):
        out.setdefault("additionalProperties", False)
    return out


class Checker:
    """Sends requests and checks each answer against ``document``; records what was covered."""

    def __init__(self, client: Client, document: dict[str, Any]) -> None:
        self.client = client
        self.document = document
        self.components = closed(to_json_schema(document["components"]))
        self.covered: set[tuple[str, str, str]] = set()

    async def __call__(self, method: str, template: str, *, expect: int, url: str | None = None, **kw: Any) -> Any:
        response = await self.client.request(method, url or template, **kw)
        body = await response.read()
        assert response.status == expect, f"{method} {url or template}: {response.status} {body[:300]!r}"
        operation = self.document["paths"][template][method.lower()]
        responses = operation["responses"]
        status = str(response.status)
        assert status in responses, f"{method} {template}: status {status} is not declared ({sorted(responses)})"
        declared = responses[status]["content"]["application/json"]["schema"]
        assert response.content_type == "application/json"
        schema = {**closed(to_json_schema(declared)), "components": self.components}
        data = await response.json()
        errors = sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
        assert not errors, f"{method} {url or template} {status}: " + "; ".join(
            f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]
        )
        self.covered.add((template, method.lower(), status))
        return data


@pytest.fixture
async def check(
    make_client: Callable[..., Awaitable[Client]], documents: dict[str, Any]
) -> Checker:
    client = await make_client(background_tasks=False)
    return Checker(client, documents["merged"])


async def test_meta_and_datafeed_responses_match_their_declared_schemas(check: Checker) -> None:
    for module in ("broker", "datafeed"):
        for name in ("health", "versions", "version"):
            await check("GET", f"/api/v1/{module}/{name}", expect=200)
    base = "/api/v1/datafeed"
    await check("GET", f"{base}/config", expect=200)
    await check("GET", f"{base}/search", url=f"{base}/search?user_input=a&max_results=2", expect=200)
    await check("GET", f"{base}/search", url=f"{base}/search?user_input=&max_results=-1", expect=422)
    await check("GET", f"{base}/search", expect=422)
    await check("GET", f"{base}/resolve/{{symbol}}", url=f"{base}/resolve/AAPL", expect=200)
    await check("GET", f"{base}/resolve/{{symbol}}", url=f"{base}/resolve/NOPE:X", expect=404)
    bars = await check(
        "GET",
        f"{base}/bars",
        url=f"{base}/bars?symbol=AAPL&resolution=1D&from_time=0&to_time=99999999999999&count_back=5",
        expect=200,
    )
    assert 0 < len(bars["bars"]) <= 5
    await check("GET", f"{base}/bars", url=f"{base}/bars?symbol=AAPL&resolution=1D&from_time=x&to_time=1", expect=422)
    quotes = await check("POST", f"{base}/quotes", json={"symbols": ["AAPL", "ZZZ"]}, expect=200)
    assert [q["s"] for q in quotes] == ["ok", "error"]
    await check("POST", f"{base}/quotes", json={"symbols": "AAPL"}, expect=422)
    await check("POST", f"{base}/quotes", data=b"{not json", expect=422)


async def test_broker_responses_match_their_declared_schemas(check: Checker) -> None:
    base = "/api/v1/broker"
    orders, order = f"{base}/orders", f"{base}/orders/{{order_id}}"
    await check("GET", f"{base}/account", expect=200)
    placed = await check("POST", orders, json=ORDER, expect=200)
    order_id = placed["orderId"]
    await check("POST", orders, json={**ORDER, "side": 0}, expect=422)
    await check("POST", orders, json={**ORDER, "qty": "1"}, expect=200)  # lax numeric strings (DESIGN §8)
    await check("POST", f"{base}/orders/preview", json={**ORDER, "takeProfit": 3.0, "stopLoss": 1.0}, expect=200)
    await check("PUT", order, url=f"{orders}/{order_id}", json={**ORDER, "qty": 2}, expect=200)
    await check("PUT", order, url=f"{orders}/ORDER-999", json=ORDER, expect=400)
    listed = await check("GET", orders, expect=200)
    assert any(item["id"] == order_id for item in listed)
    await check("DELETE", order, url=f"{orders}/{order_id}", expect=200)
    await check("DELETE", order, url=f"{orders}/{order_id}", expect=400)

    await check("POST", orders, json={"symbol": "AAPL", "type": 2, "side": 1, "qty": 2}, expect=200)
    response = await check.client.post(f"{base}/debug/execute-orders")
    assert response.status == 200
    positions = await check("GET", f"{base}/positions", expect=200)
    assert [p["symbol"] for p in positions] == ["AAPL"]
    executions = await check("GET", f"{base}/executions/{{symbol}}", url=f"{base}/executions/AAPL", expect=200)
    assert executions
    position = f"{base}/positions/{{position_id}}"
    await check(
        "PUT",
        f"{position}/brackets",
        url=f"{base}/positions/AAPL/brackets",
        json={"brackets": {"stopLoss": 1.0, "guaranteedStop": None, "takeProfit": 10000.0, "trailingStopPips": None}},
        expect=200,
    )
    await check("PUT", f"{position}/brackets", url=f"{base}/positions/NOPE/brackets", json={"brackets": {}}, expect=404)
    await check("PUT", f"{position}/brackets", url=f"{base}/positions/AAPL/brackets", json={"stopLoss": 1}, expect=422)
    await check("DELETE", position, url=f"{base}/positions/AAPL?amount=x", expect=422)
    await check("DELETE", position, url=f"{base}/positions/AAPL?amount=500", expect=400)
    await check("DELETE", position, url=f"{base}/positions/NOPE", expect=404)
    await check("DELETE", position, url=f"{base}/positions/AAPL?amount=1", expect=200)

    leverage = f"{base}/leverage"
    await check("GET", f"{leverage}/info", url=f"{leverage}/info?symbol=AAPL&orderType=1&side=-1", expect=200)
    await check("GET", f"{leverage}/info", url=f"{leverage}/info?symbol=AAPL&orderType=9&side=1", expect=422)
    body = {"symbol": "AAPL", "orderType": 1, "side": 1, "leverage": 25}
    await check("PUT", f"{leverage}/set", json=body, expect=200)
    await check("PUT", f"{leverage}/set", json={**body, "leverage": 500}, expect=400)
    await check("POST", f"{leverage}/preview", json={**body, "leverage": 500}, expect=200)
    await check("POST", f"{leverage}/preview", json={**body, "leverage": "lots"}, expect=422)


def test_the_checker_refuses_an_undeclared_key() -> None:
    schema = closed(to_json_schema({"type": "object", "properties": {"a": {"type": "number", "nullable": True}}}))
    assert Draft202012Validator(schema).is_valid({"a": None})
    assert not Draft202012Validator(schema).is_valid({"a": 1.0, "b": 2})
