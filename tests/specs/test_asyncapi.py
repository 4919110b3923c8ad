"""The AsyncAPI documents: the 35 message types of CONTRACT §6.4 plus ``error``, valid for the official parser."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from collections.abc import Mapping
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from jsonschema import Draft7Validator

from aiohttp_apigami.core import resolver

from app.http.websocket import mount_hub
from app.keys import HUB
from app.settings import Settings
from app.specs import asyncapi
from app.specs.generate import render_yaml
from schemas.ws import EquitySubscriptionRequestSchema, SubscriptionUpdate_EquityData_Schema
from tests.specs.conftest import ORIGINAL_SPECS, ROOT
from ws.route import Route

Apps = Mapping[str, web.Application]

ROUTES = {
    "datafeed": ["bars", "quotes"],
    "broker": ["orders", "positions", "executions", "equity", "broker-connection"],
}
UPDATES = {
    "bars": "SubscriptionUpdate_Bar_",
    "quotes": "SubscriptionUpdate_QuoteData_",
    "orders": "SubscriptionUpdate_PlacedOrder_",
    "positions": "SubscriptionUpdate_Position_",
    "executions": "SubscriptionUpdate_Execution_",
    "equity": "SubscriptionUpdate_EquityData_",
    "broker-connection": "SubscriptionUpdate_BrokerConnectionStatus_",
}
REQUESTS = {
    "bars": "BarsSubscriptionRequest",
    "quotes": "QuoteDataSubscriptionRequest",
    "orders": "OrderSubscriptionRequest",
    "positions": "PositionSubscriptionRequest",
    "executions": "ExecutionSubscriptionRequest",
    "equity": "EquitySubscriptionRequest",
    "broker-connection": "BrokerConnectionSubscriptionRequest",
}


def refs(message_list: dict[str, Any]) -> list[str]:
    return [item["$ref"].rsplit("/", 1)[1] for item in message_list["oneOf"]]


@pytest.mark.parametrize("module", list(ROUTES))
def test_module_document_has_one_channel_with_send_and_process(module: str, module_apps: Apps) -> None:
    document = asyncapi.module_document(module_apps[module], module)
    assert document["asyncapi"].startswith("2.")
    assert document["info"]["title"] == f"{module.capitalize()} WebSockets"
    assert document["info"]["version"] == "v1"
    assert list(document["channels"]) == [f"/api/v1/{module}/ws"]
    channel = document["channels"][f"/api/v1/{module}/ws"]
    assert channel["publish"]["operationId"] == "sendMessage"
    assert channel["subscribe"]["operationId"] == "processMessage"
    routes = ROUTES[module]
    assert refs(channel["publish"]["message"]) == [f"{r}.{op}" for r in routes for op in ("subscribe", "unsubscribe")]
    assert refs(channel["subscribe"]["message"]) == [
        *(f"{r}.{kind}" for r in routes for kind in ("update", "subscribe.response", "unsubscribe.response")),
        "error",
    ]


def test_a_route_mounted_on_a_hub_is_documented_with_its_own_schemas_and_summary() -> None:
    """The document walks the hub's routes: a route invented here shows up, nothing else does."""
    app = web.Application()
    route = Route(
        "equity",
        EquitySubscriptionRequestSchema(),
        update_schema=SubscriptionUpdate_EquityData_Schema(),
        summary="Invented equity",
    )
    mount_hub(app, Settings(), [route])
    document = asyncapi.module_document(app, "broker")
    channel = document["channels"]["/api/v1/broker/ws"]
    assert refs(channel["publish"]["message"]) == ["equity.subscribe", "equity.unsubscribe"]
    messages = document["components"]["messages"]
    assert set(messages) == {
        "equity.subscribe", "equity.unsubscribe", "equity.subscribe.response",
        "equity.unsubscribe.response", "equity.update", "error",
    }
    assert messages["equity.update"]["summary"] == "Invented equity: update (server → every subscriber of the topic)"
    assert messages["equity.subscribe"]["payload"]["properties"]["payload"] == {
        "$ref": "#/components/schemas/EquitySubscriptionRequest"
    }
    assert messages["equity.update"]["payload"]["properties"]["payload"] == {
        "$ref": "#/components/schemas/SubscriptionUpdate_EquityData_"
    }
    assert "PlacedOrder" not in document["components"]["schemas"]


def test_a_mounted_route_without_update_schema_or_summary_cannot_be_documented() -> None:
    app = web.Application()
    mount_hub(app, Settings(), [Route("equity", EquitySubscriptionRequestSchema())])
    with pytest.raises(ValueError, match="broker route 'equity' needs an update_schema and a summary"):
        asyncapi.module_document(app, "broker")


def test_the_documented_routes_are_the_ones_each_hub_serves(module_apps: Apps) -> None:
    for module, app in module_apps.items():
        hub = app[HUB]
        assert list(hub.routes) == ROUTES[module]
        for name, route in hub.routes.items():
            assert route.update_schema is not None and resolver(route.update_schema) == UPDATES[name]
            assert resolver(route.request_schema) == REQUESTS[name]


def test_all_35_message_types_with_their_envelopes(module_apps: Apps) -> None:
    document = asyncapi.merged_document(module_apps)
    messages = document["components"]["messages"]
    expected = {
        f"{route}.{kind}"
        for routes in ROUTES.values()
        for route in routes
        for kind in ("subscribe", "unsubscribe", "subscribe.response", "unsubscribe.response", "update")
    }
    assert len(expected) == 35
    assert set(messages) == expected | {"error"}
    for route in UPDATES:
        for kind, component in [
            ("subscribe", REQUESTS[route]),
            ("unsubscribe", REQUESTS[route]),
            ("subscribe.response", "SubscriptionResponse"),
            ("unsubscribe.response", "SubscriptionResponse"),
            ("update", UPDATES[route]),
        ]:
            key = f"{route}.{kind}"
            message = messages[key]
            assert message["messageId"] == key
            assert message["contentType"] == "application/json"
            module = next(m for m, routes in ROUTES.items() if route in routes)
            assert message["tags"] == [{"name": module}]
            assert message["payload"] == {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "const": key},
                    "payload": {"$ref": f"#/components/schemas/{component}"},
                },
                "required": ["type", "payload"],
            }
        assert messages[f"{route}.subscribe"]["x-response"] == {
            "$ref": f"#/components/messages/{route}.subscribe.response"
        }
    assert messages["error"]["payload"]["properties"]["payload"] == {"$ref": "#/components/schemas/ErrorMessage"}
    schemas = document["components"]["schemas"]
    assert schemas["ErrorMessage"]["properties"] == {
        "message": {"type": "string", "description": "What was wrong with the client's message"}
    }
    assert schemas["SubscriptionResponse"]["properties"]["status"]["enum"] == ["ok", "error"]


def test_merged_document_has_a_channel_per_module_and_unique_operation_ids(module_apps: Apps) -> None:
    document = asyncapi.merged_document(module_apps)
    channels = document["channels"]
    assert list(channels) == ["/api/v1/broker/ws", "/api/v1/datafeed/ws"]
    ids = [channel[op]["operationId"] for channel in channels.values() for op in ("publish", "subscribe")]
    assert ids == ["brokerSendMessage", "brokerProcessMessage", "datafeedSendMessage", "datafeedProcessMessage"]


def test_schemas_are_json_schema_without_openapi_keywords(module_apps: Apps) -> None:
    document = asyncapi.merged_document(module_apps)
    text = json.dumps(document)
    assert '"nullable"' not in text
    assert '"exclusiveMinimum": true' not in text
    schemas = document["components"]["schemas"]
    placed = schemas["PlacedOrder"]["properties"]
    assert placed["avgPrice"]["type"] == ["number", "null"]
    assert placed["stopType"]["anyOf"] == [{"allOf": [{"$ref": "#/components/schemas/StopType"}]}, {"type": "null"}]
    assert placed["qty"]["exclusiveMinimum"] == 0
    assert schemas["Side"] == {
        "type": "integer",
        "enum": [1, -1],
        "title": "Side",
        "description": "Order/Position side enumeration matching TradingView Side",
    }


def test_observed_wire_messages_validate_against_their_message_payloads(module_apps: Apps) -> None:
    """CONTRACT §6.4's byte-exact examples (with our float/nullable rules) fit the declared envelopes."""
    document = asyncapi.merged_document(module_apps)
    root = {"components": document["components"]}
    examples = [
        {"type": "bars.subscribe", "payload": {"symbol": "AAPL", "resolution": "1D"}},
        {
            "type": "bars.subscribe.response",
            "payload": {"status": "ok", "message": "Subscribed", "topic": 'bars:{"resolution":"1D","symbol":"AAPL"}'},
        },
        {
            "type": "quotes.update",
            "payload": {
                "topic": "quotes:{}",
                "payload": {"s": "error", "n": "ZZZ", "v": {"error": "Symbol not found"}},
            },
        },
        {
            "type": "broker-connection.update",
            "payload": {
                "topic": 'broker-connection:{"accountId":"ACCOUNT-01"}',
                "payload": {"status": 1, "message": "Connected", "disconnectType": None, "timestamp": 1795485982523},
            },
        },
        {"type": "error", "payload": {"message": "type: No matching type 'nope'"}},
    ]
    for example in examples:
        schema = {**document["components"]["messages"][example["type"]]["payload"], **root}
        Draft7Validator(schema).validate(example)
    wrong = {"type": "bars.update", "payload": {"topic": "t", "payload": {"time": 1, "open": "x"}}}
    schema = {**document["components"]["messages"]["bars.update"]["payload"], **root}
    assert not Draft7Validator(schema).is_valid(wrong)


def _validate_with_official_parser(contract_ts: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", "validate-asyncapi.mjs", *map(str, files)],
        cwd=contract_ts,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_documents_pass_the_official_asyncapi_parser(contract_ts: Path, tmp_path: Path, module_apps: Apps) -> None:
    files = [ROOT / "asyncapi.yaml"]
    for module in ROUTES:
        path = tmp_path / f"{module}_v1_asyncapi.json"
        path.write_text(json.dumps(asyncapi.module_document(module_apps[module], module)))
        files.append(path)
    result = _validate_with_official_parser(contract_ts, *files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("valid AsyncAPI 2.6.0") == 3


def test_the_parser_check_can_fail(contract_ts: Path, tmp_path: Path, module_apps: Apps) -> None:
    """Same operationId on two channels is an error for the parser: the check above is not a no-op."""
    document = asyncapi.merged_document(module_apps)
    document["channels"]["/api/v1/datafeed/ws"]["publish"]["operationId"] = "brokerSendMessage"
    path = tmp_path / "broken.yaml"
    path.write_text(render_yaml(document))
    result = _validate_with_official_parser(contract_ts, path)
    assert result.returncode == 1
    assert "INVALID" in result.stdout


async def test_served_per_module_with_a_viewer(
    client: TestClient[web.Request, web.Application], module_apps: Apps
) -> None:
    for module in ROUTES:
        response = await client.get(f"/api/v1/{module}/ws/asyncapi.json")
        assert response.status == 200
        assert await response.json() == asyncapi.module_document(module_apps[module], module)
        page = await client.get(f"/api/v1/{module}/ws/asyncapi")
        assert page.status == 200 and page.content_type == "text/html"
        assert f"/api/v1/{module}/ws/asyncapi.json" in await page.text()


@pytest.mark.parametrize("module", list(ROUTES))
def test_every_original_message_and_model_name_exists(module: str, module_apps: Apps) -> None:
    """README of the original specs: FastWS envelope names (``_MsgWithPayload_…``, ``external_packages__…``)
    are framework internals; every other schema name and every message name must be ours too."""
    path = ORIGINAL_SPECS / f"{module}_v1_asyncapi.json"
    if not path.is_file():
        pytest.skip(f"reference document {path} not present")
    theirs = json.loads(path.read_text())
    ours = asyncapi.module_document(module_apps[module], module)
    assert set(theirs["components"]["messages"]) <= set(ours["components"]["messages"])
    internal = ("_", "external_packages__")
    models = {name for name in theirs["components"]["schemas"] if not name.startswith(internal)}
    assert models - set(ours["components"]["schemas"]) == set()
    for operation in ("publish", "subscribe"):
        (channel,) = theirs["channels"].values()
        (mine,) = ours["channels"].values()
        assert mine[operation]["operationId"] == channel[operation]["operationId"]
