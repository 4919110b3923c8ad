"""The OpenAPI documents: valid 3.0, the original's names (CONTRACT §3–§5, §9), our additions declared."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from aiohttp_apigami import docs, querystring_schema, request_schema, response_schema
from openapi_spec_validator import validate

from app.specs.openapi import MERGED_INFO, module_document, to_json_schema
from schemas.broker import LeverageInfoQuerySchema, PlacedOrderSchema, PreOrderSchema
from schemas.common import HTTPErrorSchema
from tests.specs.conftest import MODULES, ORIGINAL_SPECS

TAGS = [
    {"name": "broker", "description": "Broker operations (orders, positions, executions)"},
    {"name": "datafeed", "description": "Market data and symbols operations"},
]
FRAMEWORK_INTERNAL: set[str] = set()  # every component name of the original OpenAPI documents is a model of ours
META_OPERATIONS = ("getHealthStatus", "getAPIVersions", "getCurrentAPIVersion")


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def original(module: str) -> dict[str, Any]:
    path = ORIGINAL_SPECS / f"{module}_v1_openapi.json"
    if not path.is_file():
        pytest.skip(f"reference document {path} not present")
    document: dict[str, Any] = json.loads(path.read_text())
    return document


@pytest.mark.parametrize("name", ["merged", *MODULES])
def test_documents_are_valid_openapi_3_0(documents: dict[str, Any], name: str) -> None:
    document = documents[name]
    assert document["openapi"].startswith("3.0.")
    validate(document)


def test_info_and_tags_follow_contract_section_9(documents: dict[str, Any]) -> None:
    assert documents["merged"]["info"] == MERGED_INFO == {"title": "Trading API", "version": "1.0.0"}
    assert documents["merged"]["tags"] == TAGS
    for tag, module, title in zip(TAGS, MODULES, ("Broker API", "Datafeed API")):
        assert documents[module]["info"] == {
            "title": title,
            "description": f"REST API app for {module} module",
            "version": "v1",
        }
        assert documents[module]["tags"] == [tag]
        assert "servers" not in documents[module]


@pytest.mark.parametrize("module", MODULES)
def test_every_original_operation_exists_with_its_names(documents: dict[str, Any], module: str) -> None:
    ours = documents[module]
    missing = []
    for path, method, operation in operations(original(module)):
        mine = ours["paths"].get(path, {}).get(method)
        if mine is None:
            missing.append(f"{method.upper()} {path} ({operation['operationId']})")
            continue
        assert mine["operationId"] == operation["operationId"], path
        assert mine["tags"] == operation["tags"], path
        wanted = {(p["name"], p["in"]) for p in operation.get("parameters", [])}
        have = {(p["name"], p["in"]) for p in mine.get("parameters", [])}
        assert wanted <= have, f"{method.upper()} {path}: parameters {wanted - have} missing"
        if "requestBody" in operation:
            assert "requestBody" in mine, f"{method.upper()} {path}: request body not declared"
            theirs = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            assert mine["requestBody"]["content"]["application/json"]["schema"]["$ref"] == theirs
        theirs_200 = operation["responses"]["200"].get("content", {}).get("application/json", {}).get("schema", {})
        mine_200 = mine["responses"]["200"]["content"]["application/json"]["schema"]
        assert set(refs(mine_200)) == set(refs(theirs_200)), f"{method.upper()} {path}: 200 body model differs"
        assert mine_200.get("type") == theirs_200.get("type"), f"{method.upper()} {path}: 200 body type differs"
    assert not missing, f"operations of the original missing from ours: {missing}"


@pytest.mark.parametrize("module", MODULES)
def test_every_original_model_name_is_a_component(documents: dict[str, Any], module: str) -> None:
    theirs = set(original(module)["components"]["schemas"]) - FRAMEWORK_INTERNAL
    ours = set(documents[module]["components"]["schemas"])
    assert theirs - ours == set()


@pytest.mark.parametrize("module", MODULES)
def test_module_paths_are_relative_and_merged_paths_carry_the_prefix(documents: dict[str, Any], module: str) -> None:
    relative = set(documents[module]["paths"])
    assert relative and all(not path.startswith("/api/") for path in relative)
    merged = {path for path in documents["merged"]["paths"] if path.startswith(f"/api/v1/{module}/")}
    assert merged == {f"/api/v1/{module}{path}" for path in relative}


def test_merged_operation_ids_are_unique_and_meta_ones_prefixed(documents: dict[str, Any]) -> None:
    ids = Counter(operation["operationId"] for _, _, operation in operations(documents["merged"]))
    assert [name for name, count in ids.items() if count > 1] == []
    for module in MODULES:
        for name in META_OPERATIONS:
            prefixed = module + name[0].upper() + name[1:]
            assert ids[prefixed] == 1, prefixed
            assert ids[name] == 0
    module_ids = {op["operationId"] for _, _, op in operations(documents["broker"])}
    assert set(META_OPERATIONS) <= module_ids  # the module documents keep the original names


def test_every_operation_declares_200_and_its_errors(documents: dict[str, Any]) -> None:
    for name in MODULES:
        for path, method, operation in operations(documents[name]):
            responses = operation["responses"]
            assert "200" in responses, f"{method} {path}"
            has_input = bool(operation.get("parameters")) or "requestBody" in operation
            if has_input:
                assert responses["422"]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/HTTPValidationError"
                }, f"{method} {path}"
            for status, response in responses.items():
                assert response["description"], f"{method} {path} {status}"
                if status in ("400", "404", "409", "413"):
                    schema = response["content"]["application/json"]["schema"]
                    # TradingView's UDF adapter reads {"s":"error","errmsg"}, not {"detail"}
                    expected = "UdfError" if path.startswith("/udf/") else "HTTPError"
                    assert schema == {"$ref": f"#/components/schemas/{expected}"}, f"{method} {path} {status}"
    broker = documents["broker"]["paths"]
    assert set(broker["/orders/{order_id}"]["delete"]["responses"]) >= {"400"}
    assert set(broker["/positions/{position_id}"]["delete"]["responses"]) >= {"400", "404", "422"}
    assert set(documents["datafeed"]["paths"]["/resolve/{symbol}"]["get"]["responses"]) >= {"404"}
    assert documents["broker"]["components"]["schemas"]["HTTPError"]["properties"] == {"detail": {"type": "string"}}


def test_exactly_the_operations_with_a_body_answer_413(documents: dict[str, Any]) -> None:
    for name in ("merged", *MODULES):
        for path, method, operation in operations(documents[name]):
            assert ("413" in operation["responses"]) == ("requestBody" in operation), f"{method} {path}"
    with_body = {op["operationId"] for _, _, op in operations(documents["merged"]) if "requestBody" in op}
    assert with_body == {
        "placeOrder", "previewOrder", "modifyOrder", "editPositionBrackets", "setLeverage", "previewLeverage",
        "getQuotes",
    }


HTTP_ERROR = {"$ref": "#/components/schemas/HTTPError"}


def test_the_limits_answers_are_declared_408_with_a_body_and_503_everywhere(documents: dict[str, Any]) -> None:
    """README "Limits": the connection caps answer any operation 503, the body timeout 408 and a
    shutdown mid-body 503 those with a body; another broker instance holding the account, 503 on
    every account operation. A 503 the operation declared itself keeps its schema, in a oneOf."""
    for name in ("merged", *MODULES):
        for path, method, operation in operations(documents[name]):
            responses = operation["responses"]
            where = f"{name}: {method} {path}"
            assert ("408" in responses) == ("requestBody" in operation), where
            if "408" in responses:
                assert responses["408"]["content"]["application/json"]["schema"] == HTTP_ERROR, where
                assert "HTTP_BODY_TIMEOUT_S" in responses["408"]["description"], where
                assert "Request body not received within 30 s" in responses["408"]["description"], where
            unavailable = responses["503"]
            schema = unavailable["content"]["application/json"]["schema"]
            assert schema == HTTP_ERROR or HTTP_ERROR in schema["oneOf"], where
            text = unavailable["description"]
            assert '{"detail":"Too many connections"}' in text, where
            assert ("Server shutting down: request body not read" in text) == ("requestBody" in operation), where
            broker = "/broker/" in path if name == "merged" else name == "broker"
            account_operation = broker and not path.endswith(("/health", "/versions", "/version"))
            assert ("served by another broker instance" in text) == account_operation, where
    merged = documents["merged"]["paths"]
    health = merged["/api/v1/datafeed/health"]["get"]["responses"]["503"]
    assert health["content"]["application/json"]["schema"] == {
        "oneOf": [{"$ref": "#/components/schemas/HealthResponse"}, HTTP_ERROR]}
    assert health["description"].startswith("Not ready: a part of the module fails")
    place = merged["/api/v1/broker/orders"]["post"]["responses"]["503"]
    assert place["content"]["application/json"]["schema"] == HTTP_ERROR
    assert place["description"].startswith("Store unavailable: the store could not commit")
    assert [part.split(":")[0].split(" (")[0] for part in place["description"].split("; ")] == [
        "Store unavailable", "Another broker instance serves the account",
        "HTTP_MAX_CONNECTIONS or HTTP_MAX_CONNECTIONS_PER_ADDRESS reached",
        "The server is shutting down and the body had not arrived yet, `{\"detail\""]


def test_no_stray_apigami_keys(documents: dict[str, Any]) -> None:
    for name in ("merged", *MODULES):
        text = json.dumps(documents[name])
        assert '"produces"' not in text
        for path, method, operation in operations(documents[name]):
            assert operation.get("parameters", [None]) != [], f"{method} {path}: empty parameters list"


def test_enums_are_named_components_referenced_by_ref(documents: dict[str, Any]) -> None:
    schemas = documents["broker"]["components"]["schemas"]
    assert schemas["OrderStatus"] == {
        "type": "integer",
        "enum": [1, 2, 3, 4, 5, 6],
        "title": "OrderStatus",
        "description": "Order status enumeration matching TradingView OrderStatus",
    }
    assert schemas["Side"]["enum"] == [1, -1]
    assert schemas["StopType"]["enum"] == [0, 1, 2]
    assert schemas["OrderType"]["enum"] == [1, 2, 3, 4]
    placed = schemas["PlacedOrder"]["properties"]
    assert placed["type"]["allOf"] == [{"$ref": "#/components/schemas/OrderType"}]
    assert placed["status"]["allOf"] == [{"$ref": "#/components/schemas/OrderStatus"}]
    assert placed["stopType"] == {
        "allOf": [{"$ref": "#/components/schemas/StopType"}],
        "description": "Stop loss type",
        "default": None,
        "nullable": True,
    }
    assert placed["qty"]["exclusiveMinimum"] is True and placed["qty"]["minimum"] == 0
    assert placed["avgPrice"]["type"] == "number" and placed["avgPrice"]["nullable"] is True
    assert list(placed)[:6] == ["id", "symbol", "type", "side", "qty", "status"]  # wire order, not sorted


def test_generator_documents_a_fresh_route_from_its_decorators() -> None:
    """A route we invent here (not the app's) comes out with its query, body, responses and enums."""

    @docs(tags=["broker"], summary="Invented", operationId="inventedOp")
    @querystring_schema(LeverageInfoQuerySchema())
    @request_schema(PreOrderSchema())
    @response_schema(PlacedOrderSchema(many=True), 200)
    @response_schema(HTTPErrorSchema(), 409, description="Invented conflict")
    async def invented(_: web.Request) -> web.Response:
        raise AssertionError("never called")

    app = web.Application()
    app.router.add_post("/invented/{thing_id}", invented)
    document = module_document(app, "broker", "Broker API")
    validate(document)
    operation = document["paths"]["/invented/{thing_id}"]["post"]
    assert operation["operationId"] == "inventedOp"
    assert [(p["name"], p["in"]) for p in operation["parameters"]] == [
        ("symbol", "query"),
        ("orderType", "query"),
        ("side", "query"),
        ("thing_id", "path"),
    ]
    assert operation["parameters"][1]["schema"]["allOf"] == [{"$ref": "#/components/schemas/OrderType"}]
    assert operation["requestBody"] == {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PreOrder"}}},
        "required": True,
    }
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/PlacedOrder"},
    }
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPError"}}}
    assert operation["responses"]["409"] == {"content": error, "description": "Invented conflict"}
    # derived from the operation, not declared: it has a body (413) and an input (422)
    assert operation["responses"]["413"] == {"description": "Request body too large", "content": error}
    assert operation["responses"]["422"]["description"] == "Validation Error"
    # and the HTTP limits' answers: 408 (a body), 503 (the connection caps; the shutdown, with a body)
    assert operation["responses"]["408"]["content"] == error
    assert operation["responses"]["503"]["content"] == error
    assert "Too many connections" in operation["responses"]["503"]["description"]
    assert "Server shutting down" in operation["responses"]["503"]["description"]
    assert list(operation["responses"]) == ["200", "408", "409", "413", "422", "500", "503"]
    assert {"PreOrder", "PlacedOrder", "CurrentQuotes", "OrderType", "HTTPValidationError"} <= set(
        document["components"]["schemas"]
    )


def test_to_json_schema_turns_nullable_into_null_types() -> None:
    assert to_json_schema({"type": "number", "nullable": True, "default": None}) == {
        "type": ["number", "null"],
        "default": None,
    }
    assert to_json_schema({"allOf": [{"$ref": "#/x"}], "nullable": True, "description": "d"}) == {
        "anyOf": [{"allOf": [{"$ref": "#/x"}]}, {"type": "null"}],
        "description": "d",
    }
    assert to_json_schema({"type": "string", "enum": ["a"], "nullable": True}) == {
        "type": ["string", "null"],
        "enum": ["a", None],
    }
    assert to_json_schema({"type": "number", "minimum": 0, "exclusiveMinimum": True}) == {
        "type": "number",
        "exclusiveMinimum": 0,
    }
    assert to_json_schema({"properties": {"a": {"type": "integer", "nullable": False}}}) == {
        "properties": {"a": {"type": "integer"}}
    }


async def test_served_documents_equal_the_generated_ones(
    client: TestClient[web.Request, web.Application], documents: dict[str, Any]
) -> None:
    response = await client.get("/api/openapi.json")
    assert response.status == 200 and response.content_type == "application/json"
    assert await response.json() == documents["merged"]
    for module in MODULES:
        response = await client.get(f"/api/v1/{module}/openapi.json")
        assert response.status == 200
        assert await response.json() == documents[module]
