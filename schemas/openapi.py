"""What apispec needs beyond its defaults to document these schemas as the original did.

Call `install(spec, plugin)` once after creating the `APISpec` with its `MarshmallowPlugin`
(or apigami's subclass). It registers the enums as named integer components (``Side``, …) and
adds one attribute function that turns each `WireEnum` into a ``$ref`` to its component, marks
``GreaterThan`` as exclusive (apispec's range conversion drops ``min_inclusive``) and describes
``QuoteData.v`` as ``QuoteValues`` or a free object. Targets OpenAPI 3.0 (``nullable``).
"""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import fields

from schemas.datafeed import QuoteValuesOrError, QuoteValuesSchema
from schemas.enums import ENUMS, WireEnum, enum_component_schema
from schemas.fields import GreaterThan

COMPONENTS = "#/components/schemas/"


def install(spec: APISpec, plugin: MarshmallowPlugin) -> None:
    for enum in ENUMS:
        if enum.__name__ not in spec.components.schemas:
            spec.components.schema(enum.__name__, enum_component_schema(enum))
    if "QuoteValues" not in spec.components.schemas:
        spec.components.schema("QuoteValues", schema=QuoteValuesSchema)
    assert plugin.converter is not None, "install() after APISpec(plugins=[plugin])"
    plugin.converter.add_attribute_function(wire_attributes)  # type: ignore[no-untyped-call]


def wire_attributes(self: Any, field: fields.Field, ret: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """An apispec attribute function; rewrites ``ret`` in place where a plain update cannot."""
    if isinstance(field, WireEnum):
        ret.pop("type", None)
        ret.pop("enum", None)
        ref = {"$ref": COMPONENTS + field.metadata["enum_component"]}
        if ret.pop("nullable", False):
            return {"allOf": [ref], "nullable": True}
        return ref
    if isinstance(field, QuoteValuesOrError):
        return {"anyOf": [{"$ref": COMPONENTS + "QuoteValues"}, {"type": "object"}]}
    if any(isinstance(validator, GreaterThan) for validator in field.validators):
        return {"exclusiveMinimum": True}
    return {}
