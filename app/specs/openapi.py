"""OpenAPI 3.0 documents built in memory from the routes' apigami decorators and the marshmallow schemas.

Nothing is written to disk here: ``python -m app generate`` (`app.specs.generate`) writes the committed copies.

What the documents keep from the original (CONTRACT §9, DESIGN §3): paths, methods, parameter
names, operationIds, tags and component names (a schema class ``FooSchema`` is the component
``Foo``; the integer enums are the named components ``OrderStatus``, ``OrderType``, ``Side``,
``StopType`` referenced by ``$ref``). What they add: the error responses each operation can
answer: the ones each view declares with apigami's ``response_schema`` (400/404/409 ``HTTPError``
``{"detail": str}``, UDF's own 404 body, …), plus two derived from the operation itself: 422
``HTTPValidationError`` for every operation with an input, 413 ``HTTPError`` for every
operation with a body; and 500 ``InternalError`` (``{"detail", "request_id"}``) for every
operation. The HTTP limits' answers (README "Limits") come from where the limits are defined
(app/http/budget.py, app/http/server.py): 408 ``HTTPError`` on every operation with a body
(``HTTP_BODY_TIMEOUT_S``); 503 ``HTTPError`` on every operation (a connection past the caps),
with the shutdown's 503 on the operations with a body. Where an operation already declares that
status, the descriptions are joined, and a different schema becomes ``oneOf`` [its own,
``HTTPError``]. There is no table of errors beside the views.

Unique operationIds (DESIGN §4 #24): the meta operations (``getHealthStatus``, …) exist in every
module, so in the *merged* document an operationId used by more than one module is prefixed
with its module (``brokerGetHealthStatus``); the per-module documents keep the original names.

`to_json_schema` turns an OpenAPI 3.0 schema (``nullable``, boolean ``exclusiveMinimum``) into
JSON Schema (``type: [..., "null"]``, numeric ``exclusiveMinimum``) for the AsyncAPI document and
for validating responses in tests.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import marshmallow
from aiohttp import web
from aiohttp_apigami.core import resolver
from aiohttp_apigami.plugin import ApigamiPlugin
from aiohttp_apigami.route_processor import RouteProcessor
from aiohttp_apigami.utils import make_json_serializable
from apispec import APISpec
from apispec.ext.marshmallow.openapi import OpenAPIConverter

from app.http.budget import BodyTimeout, ShuttingDown
from app.http.server import TOO_MANY_CONNECTIONS_DETAIL, TOO_MANY_CONNECTIONS_STATUS
from app.modules import module_prefix
from app.settings import Settings
from schemas.common import HTTPErrorSchema, HTTPValidationErrorSchema, InternalErrorSchema
from schemas.datafeed import QuoteErrorSchema, QuoteValuesOrError, QuoteValuesSchema
from schemas.enums import ENUMS, WireEnum, enum_component_schema

OPENAPI_VERSION = "3.0.3"
COMPONENT_PREFIX = "#/components/schemas/"

MERGED_INFO: dict[str, Any] = {"title": "Trading API", "version": "1.0.0"}

TAG_DESCRIPTIONS: dict[str, str] = {
    "broker": "Broker operations (orders, positions, executions)",
    "datafeed": "Market data and symbols operations",
}

VALIDATION_ERROR = ("422", "Validation Error", "HTTPValidationError")

BODY_TOO_LARGE = ("413", "Request body too large", "HTTPError")
"""Every operation that takes a body can answer it (the app's ``client_max_size``), so it is
derived from the operation rather than declared on each view."""


BODY_TIMEOUT = (
    str(BodyTimeout.status),
    f"HTTP_BODY_TIMEOUT_S: the body did not arrive within the timeout from the request head, "
    f"`{{\"detail\":\"{BodyTimeout(Settings().http_body_timeout_s).detail}\"}}` (the default), "
    f"`Connection: close`",
    "HTTPError",
)
"""Every operation that takes a body (app/http/budget.py)."""

TOO_MANY_CONNECTIONS = (
    str(TOO_MANY_CONNECTIONS_STATUS),
    f"HTTP_MAX_CONNECTIONS or HTTP_MAX_CONNECTIONS_PER_ADDRESS reached: written as the connection "
    f"opens, before any request is read, `{{\"detail\":\"{TOO_MANY_CONNECTIONS_DETAIL}\"}}`, "
    f"`Connection: close`",
    "HTTPError",
)
"""Every operation (app/http/server.py): the connection is refused before its request is known."""

SHUTTING_DOWN = (
    str(ShuttingDown.status),
    f"The server is shutting down and the body had not arrived yet, "
    f"`{{\"detail\":\"{ShuttingDown.detail}\"}}`, `Connection: close`",
    "HTTPError",
)
"""Every operation that takes a body (app/http/budget.py)."""

INTERNAL_ERROR = ("500", "Internal Server Error (logged with its traceback under request_id)", "InternalError")
"""Any operation can fail unexpectedly; the body names the request id of the logged traceback."""


def module_info(module: str, title: str) -> dict[str, Any]:
    return {"title": title, "description": f"REST API app for {module} module", "version": "v1"}


class WireConverter(OpenAPIConverter):
    """apispec's converter plus our field kinds: enums as ``$ref``, ``QuoteData.v`` as ``anyOf``."""

    def field2property(self, field: marshmallow.fields.Field) -> dict[str, Any]:
        if isinstance(field, WireEnum):
            return self._enum_property(field)
        ret: dict[str, Any] = super().field2property(field)
        for validator in field.validators:
            # apispec drops the exclusivity of ``Range(min_inclusive=False)`` (``qty > 0``).
            if isinstance(validator, marshmallow.validate.Range):
                if validator.min is not None and not validator.min_inclusive and "minimum" in ret:
                    ret["exclusiveMinimum"] = True
                if validator.max is not None and not validator.max_inclusive and "maximum" in ret:
                    ret["exclusiveMaximum"] = True
        if isinstance(field, QuoteValuesOrError):
            values = self.resolve_nested_schema(QuoteValuesSchema)  # type: ignore[no-untyped-call]
            ret["anyOf"] = [values, self._inline(QuoteErrorSchema())]
        if isinstance(field, marshmallow.fields.Nested) and field.allow_none and "anyOf" in ret:
            # apispec's 3.0 form ``anyOf[{type: object, nullable}, $ref]`` would accept any object.
            ref = next(item for item in ret.pop("anyOf") if "$ref" in item)
            ret = {"allOf": [ref], **ret, "nullable": True}
        return ret

    def _enum_property(self, field: WireEnum) -> dict[str, Any]:
        name = field.enum.__name__
        register_enum(self.spec, field.enum)
        ret: dict[str, Any] = {"allOf": [{"$ref": COMPONENT_PREFIX + name}]}
        if "description" in field.metadata:
            ret["description"] = field.metadata["description"]
        if field.load_default is not marshmallow.missing and not callable(field.load_default):
            ret["default"] = field.load_default
        if field.allow_none:
            ret["nullable"] = True
        return ret

    def _inline(self, schema: marshmallow.Schema) -> dict[str, Any]:
        inline: dict[str, Any] = self.schema2jsonschema(schema)  # type: ignore[no-untyped-call]
        return inline


class WirePlugin(ApigamiPlugin):
    Converter = WireConverter


def register_enum(spec: APISpec | None, enum: Any) -> None:
    assert spec is not None
    if enum.__name__ not in spec.components.schemas:
        spec.components.schema(enum.__name__, enum_component_schema(enum))


def new_spec(title: str, version: str, description: str | None = None) -> APISpec:
    info: dict[str, Any] = {"description": description} if description else {}
    return APISpec(
        title=title,
        version=version,
        openapi_version=OPENAPI_VERSION,
        plugins=(WirePlugin(schema_name_resolver=resolver),),
        info=info,
    )


def module_document(app: web.Application, module: str, title: str) -> dict[str, Any]:
    """One module's document, paths relative to the module (CONTRACT §1.1, §9)."""
    info = module_info(module, title)
    spec = new_spec(info["title"], info["version"], info["description"])
    RouteProcessor(spec).register_routes(app)
    document = _finish(spec, [module])
    document["info"] = info
    # A mounted sub-application's routes carry the mount prefix; the module's document is relative.
    prefix = module_prefix(module)
    document["paths"] = {
        (path[len(prefix):] if path.startswith(prefix + "/") else path): item
        for path, item in document["paths"].items()
    }
    return document


def merged_document(modules: Iterable[tuple[str, web.Application]]) -> dict[str, Any]:
    """All enabled modules under ``/api/v1/{m}``, operationIds made unique (see the module doc)."""
    spec = new_spec(MERGED_INFO["title"], MERGED_INFO["version"])
    names: list[str] = []
    owners: dict[str, list[str]] = {}
    for name, app in modules:
        names.append(name)
        before = set(spec._paths)
        RouteProcessor(spec).register_routes(app)  # mounted: the routes already carry /api/v1/{name}
        for path in spec._paths:
            if path not in before:
                owners.setdefault(name, []).append(path)
    document = _finish(spec, names)
    _unique_operation_ids(document, owners)
    return document


def _unique_operation_ids(document: dict[str, Any], owners: Mapping[str, list[str]]) -> None:
    seen: dict[str, set[str]] = {}
    for module, paths in owners.items():
        for path in paths:
            for operation in _operations(document["paths"][path]):
                seen.setdefault(operation.get("operationId", ""), set()).add(module)
    for module, paths in owners.items():
        for path in paths:
            for operation in _operations(document["paths"][path]):
                original = operation.get("operationId", "")
                if len(seen.get(original, ())) > 1:
                    operation["operationId"] = module + original[:1].upper() + original[1:]
                    note = f"operationId `{original}` in the {module} module's own document."
                    text = operation.get("description")
                    operation["description"] = f"{text}\n\n{note}" if text else note


def _operations(path_item: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [op for method, op in path_item.items() if method != "parameters" and isinstance(op, dict)]


def _finish(spec: APISpec, modules: list[str]) -> dict[str, Any]:
    """Error responses, tags, then the plain-JSON document with apigami's leftovers removed."""
    for enum in ENUMS[:4]:
        register_enum(spec, enum)
    schemas = spec.components.schemas
    error_refs: dict[str, str] = {}
    for schema in (HTTPValidationErrorSchema(), HTTPErrorSchema(), InternalErrorSchema()):
        name = resolver(schema)
        if name not in schemas:
            spec.components.schema(name, schema=schema)
        error_refs[name] = COMPONENT_PREFIX + name
    for path_item in spec._paths.values():
        for operation in _operations(path_item):
            _complete_operation(operation)
    document = make_json_serializable(spec.to_dict())
    assert isinstance(document, dict)
    _require_every_output_key(spec, document)
    for path_item in document.get("paths", {}).values():
        for operation in _operations(path_item):
            operation.pop("produces", None)
            if not operation.get("parameters"):
                operation.pop("parameters", None)
            operation["responses"] = dict(sorted(operation["responses"].items()))
        path_item.update({method: _ordered(op, _OPERATION_ORDER) for method, op in path_item.items()})
    components = document.setdefault("components", {})
    components["schemas"] = dict(sorted(components.get("schemas", {}).items()))
    document["tags"] = [{"name": m, "description": TAG_DESCRIPTIONS.get(m, m)} for m in modules]
    return _ordered(document, _TOP_ORDER)


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(COMPONENT_PREFIX):
                yield value[len(COMPONENT_PREFIX):]
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _closure(roots: Iterable[str], schemas: Mapping[str, Any]) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name not in seen and name in schemas:
            seen.add(name)
            todo.extend(_refs(schemas[name]))
    return seen


def _require_every_output_key(spec: APISpec, document: dict[str, Any]) -> None:
    """Output-only models list every key as required: our responses always carry every declared
    key, nullable ones as ``null`` (CONTRACT §1.4), so clients may rely on them. Models also used as
    input keep marshmallow's ``required`` (fields with a default are optional on input). A field
    marked ``wire_optional`` (the 422 item's ``ctx``) stays optional."""
    plugin = next(p for p in spec.plugins if isinstance(p, WirePlugin))
    assert plugin.converter is not None
    classes = {name: key[0] for key, name in plugin.converter.refs.items()}
    schemas = document.get("components", {}).get("schemas", {})
    inputs: list[str] = []
    outputs: list[str] = []
    for path_item in document.get("paths", {}).values():
        for operation in _operations(path_item):
            inputs += _refs([operation.get("parameters", []), operation.get("requestBody", {})])
            outputs += _refs(operation.get("responses", {}))
    for name in sorted(_closure(outputs, schemas) - _closure(inputs, schemas)):
        schema_class = classes.get(name)
        properties = schemas[name].get("properties")
        if schema_class is None or not properties:
            continue
        required = [
            field.data_key or key
            for key, field in schema_class().dump_fields.items()
            if not field.metadata.get("wire_optional") and (field.data_key or key) in properties
        ]
        schemas[name]["required"] = required


def _complete_operation(operation: dict[str, Any]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for status, response in list(responses.items()):
        responses.pop(status)
        if not response.get("description"):
            response["description"] = "Successful Response" if str(status) == "200" else "Error"

        responses[str(status)] = response
    has_input = bool(operation.get("parameters")) or "requestBody" in operation
    if "requestBody" in operation:
        # apigami defaults to ``required: false``; a missing body is a 422 here, as in the original.
        operation["requestBody"]["required"] = True
    status, description, component = VALIDATION_ERROR
    if has_input and status not in responses:
        responses[status] = _error_response(description, component)
    status, description, component = BODY_TOO_LARGE
    if "requestBody" in operation and status not in responses:
        responses[status] = _error_response(description, component)
    status, description, component = INTERNAL_ERROR
    responses.setdefault(status, _error_response(description, component))
    limits = [TOO_MANY_CONNECTIONS]
    if "requestBody" in operation:
        limits += [BODY_TIMEOUT, SHUTTING_DOWN]
    for status, description, component in limits:
        _also_answer(responses, status, description, component)


def _error_response(description: str, component: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": COMPONENT_PREFIX + component}}},
    }


def _also_answer(responses: dict[str, Any], status: str, description: str, component: str) -> None:
    """Declare one more cause of ``status``: a new response, or the declared one's description
    joined with ``description`` and its schema widened to ``oneOf`` [its own, ``component``]."""
    declared = responses.get(status)
    if declared is None:
        responses[status] = _error_response(description, component)
        return
    if description not in declared["description"]:
        declared["description"] = f"{declared['description']}; {description}" if declared["description"] \
            else description
    media = declared.setdefault("content", {}).setdefault("application/json", {})
    schema = media.get("schema")
    wanted = {"$ref": COMPONENT_PREFIX + component}
    if schema is None:
        media["schema"] = wanted
    elif schema != wanted and wanted not in schema.get("oneOf", []):
        media["schema"] = {"oneOf": [*schema.get("oneOf", [schema]), wanted]}


_TOP_ORDER = ("openapi", "info", "tags", "paths", "components")
_OPERATION_ORDER = ("tags", "summary", "description", "operationId", "parameters", "requestBody", "responses")


def _ordered(mapping: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    """``mapping`` with the keys of ``order`` first, in that order, then the others as they were."""
    ordered = {key: mapping[key] for key in order if key in mapping}
    ordered.update({key: value for key, value in mapping.items() if key not in ordered})
    return ordered


# ---------------------------------------------------------------------------------------------
# OpenAPI 3.0 schema → JSON Schema


def to_json_schema(node: Any) -> Any:
    """A deep copy of ``node`` with the OpenAPI-only keywords turned into JSON Schema.

    ``nullable: true`` → ``type: [T, "null"]`` (and ``null`` added to an ``enum``), or
    ``anyOf: [<schema>, {type: null}]`` when there is no plain ``type``; boolean
    ``exclusiveMinimum``/``exclusiveMaximum`` → the numeric draft-6+ form. ``$ref`` values are
    kept, so refs into ``#/components/schemas`` keep working in a document of the same layout.
    """
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return copy.deepcopy(node)
    out: dict[str, Any] = {key: to_json_schema(value) for key, value in node.items()}
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(out.get(bound), bool):
            if out.pop(bound) and limit in out:
                out[bound] = out.pop(limit)
    if out.pop("nullable", False) is True:
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        else:
            annotations: dict[str, Any] = {
                key: out.pop(key) for key in ("description", "default", "title") if key in out
            }
            out = {"anyOf": [out, {"type": "null"}], **annotations}
    return out
