"""AsyncAPI 2.6 documents of the WebSocket API, generated from the same marshmallow schemas.

One document per module (served at ``/api/v1/{m}/ws/asyncapi.json``) and a merged one (the
committed ``asyncapi.yaml``). Each module has one channel, its WebSocket path, with
``publish`` (client → server: ``R.subscribe``, ``R.unsubscribe``) and ``subscribe``
(server → client: ``R.update``, ``R.subscribe.response``, ``R.unsubscribe.response`` and our
``error`` message). Messages are keyed by their ``type`` string (CONTRACT §6.4); each payload is
the ``{"type", "payload"}`` envelope whose ``payload`` refers to the component of §3
(``*SubscriptionRequest``, ``SubscriptionResponse``, ``SubscriptionUpdate_<Model>_``).
Schemas are apispec's OpenAPI output turned into JSON Schema (`app.specs.openapi.to_json_schema`).

The merged document's operationIds are prefixed with the module (``brokerSendMessage``) so
they are unique; the per-module documents keep the original ``sendMessage``/``processMessage``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import marshmallow
from aiohttp_apigami.core import resolver

from app.modules import module_prefix
from app.site.meta import SUPPORT_CONTACT
from app.specs.openapi import COMPONENT_PREFIX, new_spec, to_json_schema
from schemas import ws

ASYNCAPI_VERSION = "2.6.0"
MESSAGES_PREFIX = "#/components/messages/"


@dataclass(frozen=True, slots=True)
class WsRoute:
    name: str
    request: type[marshmallow.Schema]
    update: type[marshmallow.Schema]
    summary: str


WS_ROUTES: dict[str, tuple[WsRoute, ...]] = {
    "datafeed": (
        WsRoute("bars", ws.BarsSubscriptionRequestSchema, ws.SubscriptionUpdate_Bar_Schema, "OHLCV bars"),
        WsRoute(
            "quotes", ws.QuoteDataSubscriptionRequestSchema, ws.SubscriptionUpdate_QuoteData_Schema, "Quotes"
        ),
    ),
    "broker": (
        WsRoute("orders", ws.OrderSubscriptionRequestSchema, ws.SubscriptionUpdate_PlacedOrder_Schema, "Orders"),
        WsRoute(
            "positions", ws.PositionSubscriptionRequestSchema, ws.SubscriptionUpdate_Position_Schema, "Positions"
        ),
        WsRoute(
            "executions",
            ws.ExecutionSubscriptionRequestSchema,
            ws.SubscriptionUpdate_Execution_Schema,
            "Executions (fills)",
        ),
        WsRoute("equity", ws.EquitySubscriptionRequestSchema, ws.SubscriptionUpdate_EquityData_Schema, "Equity"),
        WsRoute(
            "broker-connection",
            ws.BrokerConnectionSubscriptionRequestSchema,
            ws.SubscriptionUpdate_BrokerConnectionStatus_Schema,
            "Broker connection status",
        ),
    ),
}
"""The routes of each module, in the original's order (CONTRACT §6.3, §6.12)."""

ERROR_TYPE = "error"

SERVERS: dict[str, Any] = {
    "local": {
        "url": "localhost:8000",
        "protocol": "ws",
        "description": "`python -m app server` with its default port; any host serving the app works",
    }
}

PROTOCOL = """\
Every frame is a JSON text `{"type": <string>, "payload": <object>}` (server messages carry both \
keys, in that order; extra top-level keys from the client are ignored). Binary frames are closed \
with 1003, frames above the size limit with 1009.

For each route R the client sends `R.subscribe` / `R.unsubscribe` with the route's request model; \
the server answers that client with `R.subscribe.response` / `R.unsubscribe.response` \
(`SubscriptionResponse` `{"status","message","topic"}`) and then sends `R.update` \
`{"topic", "payload": <model>}` to every connection subscribed to the topic.

Topic: `R + ":" + canon(payload)` where the payload is first loaded with the route's request \
model (unknown keys dropped), then every `null` is replaced by `""`, keys are sorted at every \
depth and the result is serialized compactly (`,` and `:` separators, non-ASCII as `\\uXXXX`), \
e.g. `bars:{"resolution":"1D","symbol":"AAPL"}`.

Errors never close the socket: an invalid payload for a known route is answered with \
`R.subscribe.response` / `R.unsubscribe.response` with `status: "error"`, a message naming the \
field and the topic computed from the raw payload (`""` when the payload is not an object); \
unsubscribing a topic the connection does not hold gives `status: "error"`; non-JSON text, an \
unknown type or a server-only type (`R.update`, `R.subscribe.response`, ...) is answered with \
`{"type": "error", "payload": {"message": ...}}`."""


def module_titles(module: str) -> dict[str, str]:
    return {
        "title": f"{module.capitalize()} WebSockets",
        "version": "v1",
        "description": f"Real-time WebSocket app for {module} module.\n\n{PROTOCOL}",
    }


def channel_path(module: str) -> str:
    return f"{module_prefix(module)}/ws"


def module_document(module: str) -> dict[str, Any]:
    return _document(module_titles(module), [module], prefix_operation_ids=False, doc_id=f"urn:trader-pro:{module}:ws")


def merged_document(modules: Iterable[str]) -> dict[str, Any]:
    info = {
        "title": "Trading API WebSockets",
        "version": "1.0.0",
        "description": f"WebSocket API of every module, one channel per module.\n\n{PROTOCOL}",
    }
    return _document(info, list(modules), prefix_operation_ids=True, doc_id="urn:trader-pro:ws")


def _document(
    info: dict[str, str], modules: list[str], *, prefix_operation_ids: bool, doc_id: str
) -> dict[str, Any]:
    spec = new_spec("asyncapi", "1")
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    for module in modules:
        routes = WS_ROUTES.get(module, ())
        sent: list[str] = []
        received: list[str] = []
        for route in routes:
            request = _component(spec, route.request)
            update = _component(spec, route.update)
            response = _component(spec, ws.SubscriptionResponseSchema)
            for op in ("subscribe", "unsubscribe"):
                kind = f"{route.name}.{op}"
                messages[kind] = _message(
                    kind,
                    module,
                    f"send_{op}",
                    f"{route.summary}: {op} (client → server)",
                    request,
                    response_type=f"{kind}.response",
                )
                messages[f"{kind}.response"] = _message(
                    f"{kind}.response",
                    module,
                    f"{op}_response",
                    f"{route.summary}: answer to {kind} (server → that client); status error names the field",
                    response,
                )
                sent.append(kind)
            messages[f"{route.name}.update"] = _message(
                f"{route.name}.update",
                module,
                "update",
                f"{route.summary}: update (server → every subscriber of the topic)",
                update,
            )
            received += [f"{route.name}.{kind}" for kind in ("update", "subscribe.response", "unsubscribe.response")]
        error = _component(spec, ws.ErrorMessageSchema)
        messages[ERROR_TYPE] = _message(
            ERROR_TYPE,
            None,
            "error",
            "Answer to non-JSON text, an unknown type or a server-only type; the socket stays open",
            error,
        )
        if len(modules) > 1:
            # One message shared by every channel: the parser counts a messageId once per use.
            messages[ERROR_TYPE].pop("messageId")
        received.append(ERROR_TYPE)
        prefix = module if prefix_operation_ids else ""
        channels[channel_path(module)] = {
            "description": f"The {module} module's WebSocket endpoint: all routes of the module on one connection.",
            "publish": {
                "operationId": _operation_id(prefix, "sendMessage"),
                "summary": "Messages the client sends",
                "message": {"oneOf": [{"$ref": MESSAGES_PREFIX + kind} for kind in sent]},
            },
            "subscribe": {
                "operationId": _operation_id(prefix, "processMessage"),
                "summary": "Messages the server sends",
                "message": {"oneOf": [{"$ref": MESSAGES_PREFIX + kind} for kind in received]},
            },
        }
    components = spec.to_dict().get("components", {}).get("schemas", {})
    schemas = {name: to_json_schema(components[name]) for name in sorted(components)}
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "id": doc_id,
        "info": {**info, "contact": {"email": SUPPORT_CONTACT}, "license": {"name": "MIT"}},
        "servers": SERVERS,
        "defaultContentType": "application/json",
        "channels": channels,
        "components": {"messages": messages, "schemas": schemas},
        "tags": [{"name": module} for module in modules],
    }


def _operation_id(prefix: str, name: str) -> str:
    return prefix + name[:1].upper() + name[1:] if prefix else name


def _component(spec: Any, schema: type[marshmallow.Schema]) -> str:
    name = resolver(schema)
    if name not in spec.components.schemas:
        spec.components.schema(name, schema=schema)
    return name


def _message(
    kind: str,
    module: str | None,
    name: str,
    summary: str,
    component: str,
    *,
    response_type: str | None = None,
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "messageId": kind,
        "name": name,
        "title": kind,
        "summary": summary,
        "contentType": "application/json",
        "payload": {
            "type": "object",
            "properties": {
                "type": {"type": "string", "const": kind},
                "payload": {"$ref": COMPONENT_PREFIX + component},
            },
            "required": ["type", "payload"],
        },
    }
    if module is not None:
        message["tags"] = [{"name": module}]
    if response_type is not None:
        message["x-response"] = {"$ref": MESSAGES_PREFIX + response_type}
    return message
