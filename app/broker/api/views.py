"""The broker REST API of CONTRACT §4 (base ``/api/v1/broker``), thin over the engine.

Views parse, call one engine command, answer; the engine's sinks publish the events.
"""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web
from aiohttp_apigami import docs, querystring_schema, request_schema, response_schema

from app.broker.domain.engine import Engine
from app.broker.domain.enums import OrderType, Side, StopType
from app.broker.domain.errors import BrokerError, InvalidOrder
from app.broker.domain.requests import OrderRequest
from app.http.errors import ApiError, RequestInvalid
from app.http.responses import json_response, raw_json_response
from app.http.validation import load_body, load_query, read_json
from app.keys import ENGINE
from schemas.broker import (
    AccountMetainfoSchema,
    Body_editPositionBracketsSchema,
    ClosePositionQuerySchema,
    ExecutionSchema,
    LeverageInfoQuerySchema,
    LeverageInfoSchema,
    LeveragePreviewResultSchema,
    LeverageSetParamsSchema,
    LeverageSetResultSchema,
    OrderPreviewResultSchema,
    PlacedOrderSchema,
    PlaceOrderResultSchema,
    PositionSchema,
    PreOrderSchema,
)
from schemas.common import HTTPErrorSchema, HTTPValidationErrorSchema, SuccessResponseSchema
from schemas.errors import BodyInvalid, item
from schemas.fast import load_pre_order

TAGS = ["broker"]
OK = orjson.dumps({"success": True, "message": "Operation completed successfully"})
ACCOUNT = orjson.dumps({"id": "DEMO-ACCOUNT", "name": "Demo Trading Account"})

PRE_ORDER = PreOrderSchema()
BRACKETS_BODY = Body_editPositionBracketsSchema()
CLOSE_QUERY = ClosePositionQuerySchema()
LEVERAGE_QUERY = LeverageInfoQuerySchema()
LEVERAGE_BODY = LeverageSetParamsSchema()

routes = web.RouteTableDef()
debug_routes = web.RouteTableDef()


def success(message: str) -> web.Response:
    return json_response({"success": True, "message": message})


_ORDER_TYPES = {int(t): t for t in OrderType}
_SIDES = {int(s): s for s in Side}
_STOP_TYPES = {int(t): t for t in StopType}


def order_request(body: dict[str, Any]) -> OrderRequest:
    """The validated wire body as the engine's request (enums mapped by value: a dict lookup)."""
    quotes = body["currentQuotes"]
    stop_type = body["stopType"]
    return OrderRequest(
        symbol=body["symbol"],
        type=_ORDER_TYPES[body["type"]],
        side=_SIDES[body["side"]],
        qty=body["qty"],
        limit_price=body["limitPrice"],
        stop_price=body["stopPrice"],
        take_profit=body["takeProfit"],
        stop_loss=body["stopLoss"],
        guaranteed_stop=body["guaranteedStop"],
        trailing_stop_pips=body["trailingStopPips"],
        stop_type=None if stop_type is None else _STOP_TYPES[stop_type],
        seen_price=body["seenPrice"],
        current_quotes=None if quotes is None else (quotes["ask"], quotes["bid"]),
    )


async def pre_order(request: web.Request) -> dict[str, Any]:
    """The hot-path validator (schemas.fast): same result and 422 items as PreOrderSchema."""
    data = await read_json(request)
    try:
        return load_pre_order(data)
    except BodyInvalid as exc:
        raise RequestInvalid(exc.items) from None


def broker_error(exc: BrokerError, loc: tuple[str, ...] = ("body",)) -> Exception:
    """``loc`` is where the offending field sits in the request (brackets nest one level)."""
    if isinstance(exc, InvalidOrder):
        return RequestInvalid([item("value_error", [*loc, exc.field], exc.message, exc.value)])
    return ApiError(exc.status, exc.detail)


def _engine(request: web.Request) -> Engine:
    return request.app[ENGINE]


@routes.post("/orders")
@docs(tags=TAGS, summary="Place order", operationId="placeOrder")
@request_schema(PRE_ORDER)
@response_schema(PlaceOrderResultSchema(), 200)
@response_schema(HTTPErrorSchema(), 409, description="clientOrderId reused with a different body")
@response_schema(HTTPValidationErrorSchema(), 422)
async def place_order(request: web.Request) -> web.Response:
    body = await pre_order(request)
    try:
        outcome = _engine(request).place(order_request(body), body["clientOrderId"])
    except BrokerError as exc:
        raise broker_error(exc) from None
    return raw_json_response(b'{"orderId":"' + outcome.value.encode() + b'"}')


@routes.post("/orders/preview")
@docs(tags=TAGS, summary="Preview order", operationId="previewOrder")
@request_schema(PRE_ORDER)
@response_schema(OrderPreviewResultSchema(), 200)
@response_schema(HTTPValidationErrorSchema(), 422)
async def preview_order(request: web.Request) -> web.Response:
    body = await pre_order(request)
    try:
        result = _engine(request).preview(order_request(body))
    except BrokerError as exc:
        raise broker_error(exc) from None
    return json_response(result.to_wire())


@routes.put("/orders/{order_id}")
@docs(tags=TAGS, summary="Modify order", operationId="modifyOrder")
@request_schema(PRE_ORDER)
@response_schema(SuccessResponseSchema(), 200)
@response_schema(HTTPErrorSchema(), 400)
@response_schema(HTTPValidationErrorSchema(), 422)
async def modify_order(request: web.Request) -> web.Response:
    body = await pre_order(request)
    try:
        _engine(request).modify(request.match_info["order_id"], order_request(body))
    except BrokerError as exc:
        raise broker_error(exc) from None
    return raw_json_response(OK)


@routes.delete("/orders/{order_id}")
@docs(tags=TAGS, summary="Cancel order", operationId="cancelOrder")
@response_schema(SuccessResponseSchema(), 200)
@response_schema(HTTPErrorSchema(), 400)
async def cancel_order(request: web.Request) -> web.Response:
    try:
        _engine(request).cancel(request.match_info["order_id"])
    except BrokerError as exc:
        raise broker_error(exc) from None
    return raw_json_response(OK)


@routes.get("/orders", allow_head=False)
@docs(tags=TAGS, summary="Get orders", operationId="getOrders")
@response_schema(PlacedOrderSchema(many=True), 200)
async def get_orders(request: web.Request) -> web.Response:
    return raw_json_response(_engine(request).orders_json())


@routes.get("/positions", allow_head=False)
@docs(tags=TAGS, summary="Get positions", operationId="getPositions")
@response_schema(PositionSchema(many=True), 200)
async def get_positions(request: web.Request) -> web.Response:
    return json_response([p.to_wire() for p in _engine(request).positions()])


@routes.get("/executions/{symbol}", allow_head=False)
@docs(tags=TAGS, summary="Get executions", operationId="getExecutions")
@response_schema(ExecutionSchema(many=True), 200)
async def get_executions(request: web.Request) -> web.Response:
    return json_response([e.to_wire() for e in _engine(request).executions(request.match_info["symbol"])])


@routes.get("/account", allow_head=False)
@docs(tags=TAGS, summary="Get account info", operationId="getAccountInfo")
@response_schema(AccountMetainfoSchema(), 200)
async def get_account_info(_: web.Request) -> web.Response:
    return raw_json_response(ACCOUNT)


@routes.delete("/positions/{position_id}")
@docs(tags=TAGS, summary="Close position", operationId="closePosition")
@querystring_schema(CLOSE_QUERY)
@response_schema(SuccessResponseSchema(), 200)
@response_schema(HTTPErrorSchema(), 400, description="amount not positive or above the position")
@response_schema(HTTPErrorSchema(), 404)
@response_schema(HTTPValidationErrorSchema(), 422)
async def close_position(request: web.Request) -> web.Response:
    amount = load_query(request, CLOSE_QUERY)["amount"]
    try:
        outcome = _engine(request).close_position(request.match_info["position_id"], amount)
    except BrokerError as exc:
        raise broker_error(exc) from None
    return success(outcome.value.message)


@routes.put("/positions/{position_id}/brackets")
@docs(tags=TAGS, summary="Edit position brackets", operationId="editPositionBrackets")
@request_schema(BRACKETS_BODY)
@response_schema(SuccessResponseSchema(), 200)
@response_schema(HTTPErrorSchema(), 404)
@response_schema(HTTPValidationErrorSchema(), 422)
async def edit_position_brackets(request: web.Request) -> web.Response:
    brackets = (await load_body(request, BRACKETS_BODY))["brackets"]
    try:
        outcome = _engine(request).edit_position_brackets(
            request.match_info["position_id"],
            take_profit=brackets.get("takeProfit"),
            stop_loss=brackets.get("stopLoss"),
            guaranteed_stop=brackets.get("guaranteedStop"),
            trailing_stop_pips=brackets.get("trailingStopPips"),
        )
    except BrokerError as exc:
        raise broker_error(exc, ("body", "brackets")) from None
    return success(outcome.value)


@routes.get("/leverage/info", allow_head=False)
@docs(tags=TAGS, summary="Get leverage info", operationId="leverageInfo")
@querystring_schema(LEVERAGE_QUERY)
@response_schema(LeverageInfoSchema(), 200)
@response_schema(HTTPValidationErrorSchema(), 422)
async def leverage_info(request: web.Request) -> web.Response:
    query = load_query(request, LEVERAGE_QUERY)
    return json_response(_engine(request).leverage_info(query["symbol"]).to_wire())


@routes.put("/leverage/set")
@docs(tags=TAGS, summary="Set leverage", operationId="setLeverage")
@request_schema(LEVERAGE_BODY)
@response_schema(LeverageSetResultSchema(), 200)
@response_schema(HTTPErrorSchema(), 400)
@response_schema(HTTPValidationErrorSchema(), 422)
async def set_leverage(request: web.Request) -> web.Response:
    body = await load_body(request, LEVERAGE_BODY)
    try:
        value = _engine(request).set_leverage(body["symbol"], body["leverage"])
    except BrokerError as exc:
        raise broker_error(exc) from None
    return json_response({"leverage": float(value)})


@routes.post("/leverage/preview")
@docs(tags=TAGS, summary="Preview leverage", operationId="previewLeverage")
@request_schema(LEVERAGE_BODY)
@response_schema(LeveragePreviewResultSchema(), 200)
@response_schema(HTTPValidationErrorSchema(), 422)
async def preview_leverage(request: web.Request) -> web.Response:
    body = await load_body(request, LEVERAGE_BODY)
    return json_response(_engine(request).preview_leverage(body["leverage"]).to_wire())


@debug_routes.post("/debug/reset")
async def reset_broker_state(request: web.Request) -> web.Response:
    _engine(request).reset()
    return success("Broker service state reset successfully")


@debug_routes.post("/debug/execute-orders")
async def execute_working_orders(request: web.Request) -> web.Response:
    _engine(request).execute_working()
    return success("All working orders executed successfully")


__all__ = ["debug_routes", "routes"]
