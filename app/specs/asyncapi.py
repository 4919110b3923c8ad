"""AsyncAPI 2.6 documents of the WebSocket API, generated from the same marshmallow schemas.

One document per module (served at ``/api/v1/{m}/ws/asyncapi.json``) and a merged one (the
committed ``asyncapi.yaml``). Each module has one channel, its WebSocket path, with
``publish`` (client → server: ``R.subscribe``, ``R.unsubscribe``) and ``subscribe``
(server → client: ``R.update``, ``R.subscribe.response``, ``R.unsubscribe.response`` and our
``error`` message). Messages are keyed by their ``type`` string (CONTRACT §6.4); each payload is
the ``{"type", "payload"}`` envelope whose ``payload`` refers to the component of §3
(``*SubscriptionRequest``, ``SubscriptionResponse``, ``SubscriptionUpdate_<Model>_``).
Schemas are apispec's OpenAPI output turned into JSON Schema (`app.specs.openapi.to_json_schema`).

The routes, their schemas and summaries are read from the hub each module mounts
(``app[HUB].routes``, the `ws.Route` objects the module built), in the module's order; building
the app starts nothing, so ``python -m app generate`` and the served documents see the same routes.

The merged document's operationIds are prefixed with the module (``brokerSendMessage``) so
they are unique; the per-module documents keep the original ``sendMessage``/``processMessage``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import marshmallow
from aiohttp import web
from aiohttp_apigami.core import resolver

from app.keys import HUB
from app.modules import module_prefix
from app.site.meta import SUPPORT_CONTACT
from app.specs.openapi import COMPONENT_PREFIX, new_spec, to_json_schema
from schemas import ws
from ws.route import Route

ASYNCAPI_VERSION = "2.6.0"
MESSAGES_PREFIX = "#/components/messages/"


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
`{"type": "error", "payload": {"message": ...}}`.

Budgets per connection (README "Limits"): a subscription past the connection's topics, symbols \
or topic length is answered with `status: "error"` and a message naming `topic`; messages above \
the rate get one `{"type": "error"}` answer and, if they go on, close 1008; a client whose unsent \
backlog passes the hard bound is closed with 1013 (resync via REST)."""


def module_titles(module: str) -> dict[str, str]:
    return {
        "title": f"{module.capitalize()} WebSockets",
        "version": "v1",
        "description": f"Real-time WebSocket app for {module} module.\n\n{PROTOCOL}",
    }


def channel_path(module: str) -> str:
    return f"{module_prefix(module)}/ws"


def mounted_routes(app: web.Application) -> tuple[Route, ...]:
    """The routes of the hub mounted on a module's sub-application (none without a hub)."""
    return tuple(app[HUB].routes.values()) if HUB in app else ()


def module_document(app: web.Application, module: str) -> dict[str, Any]:
    return _document(
        module_titles(module),
        {module: mounted_routes(app)},
        prefix_operation_ids=False,
        doc_id=f"urn:trader-pro:{module}:ws",
    )


def merged_document(modules: Mapping[str, web.Application]) -> dict[str, Any]:
    info = {
        "title": "Trading API WebSockets",
        "version": "1.0.0",
        "description": f"WebSocket API of every module, one channel per module.\n\n{PROTOCOL}",
    }
    routes = {name: mounted_routes(app) for name, app in modules.items()}
    return _document(info, routes, prefix_operation_ids=True, doc_id="urn:trader-pro:ws")


def _document(
    info: dict[str, str], modules: Mapping[str, Sequence[Route]], *, prefix_operation_ids: bool, doc_id: str
) -> dict[str, Any]:
    spec = new_spec("asyncapi", "1")
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    for module, routes in modules.items():
        sent: list[str] = []
        received: list[str] = []
        for route in routes:
            if route.update_schema is None or not route.summary:
                raise ValueError(f"{module} route {route.name!r} needs an update_schema and a summary to be documented")
            request = _component(spec, route.request_schema)
            update = _component(spec, route.update_schema)
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


def _component(spec: Any, schema: marshmallow.Schema | type[marshmallow.Schema]) -> str:
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
