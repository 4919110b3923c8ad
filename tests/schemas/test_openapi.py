"""schemas.openapi.install makes apispec document the schemas with the original's names."""

from __future__ import annotations

from typing import Any

from aiohttp_apigami.core import resolver
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from schemas.broker import PlacedOrderSchema, PreOrderSchema
from schemas.datafeed import QuoteDataSchema
from schemas.openapi import install


def components() -> dict[str, Any]:
    plugin = MarshmallowPlugin(schema_name_resolver=resolver)
    spec = APISpec(title="t", version="v1", openapi_version="3.0.3", plugins=[plugin])
    install(spec, plugin)
    for schema in (PreOrderSchema, PlacedOrderSchema, QuoteDataSchema):
        spec.components.schema(schema.__name__.removesuffix("Schema"), schema=schema)
    result: dict[str, Any] = spec.to_dict()["components"]["schemas"]
    return result


def test_enums_are_named_integer_components() -> None:
    found = components()
    assert found["Side"] == {
        "type": "integer",
        "enum": [1, -1],
        "title": "Side",
        "description": "Order/Position side enumeration matching TradingView Side",
    }
    assert found["OrderStatus"]["enum"] == [1, 2, 3, 4, 5, 6]
    assert found["ParentType"]["enum"] == [1, 2]


def test_enum_fields_refer_to_their_component() -> None:
    pre_order = components()["PreOrder"]["properties"]
    assert pre_order["side"] == {"description": "Order/execution side", "$ref": "#/components/schemas/Side"}
    assert pre_order["stopType"] == {
        "default": None,
        "description": "Type of stop order",
        "allOf": [{"$ref": "#/components/schemas/StopType"}],
        "nullable": True,
    }


def test_qty_is_exclusive_of_zero() -> None:
    qty = components()["PlacedOrder"]["properties"]["qty"]
    assert (qty["minimum"], qty["exclusiveMinimum"]) == (0.0, True)


def test_quote_values_are_a_component_referenced_by_quote_data() -> None:
    found = components()
    assert found["QuoteData"]["properties"]["v"]["anyOf"] == [
        {"$ref": "#/components/schemas/QuoteValues"},
        {"type": "object"},
    ]
    assert list(found["QuoteValues"]["properties"])[:3] == ["lp", "ask", "bid"]
