"""The broker REST API of CONTRACT §4 (base ``/api/v1/broker``), thin over the engine.

Views parse, call one engine command, answer; the engine's sinks publish the events.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import orjson
from aiohttp import web
from aiohttp_apigami import docs, querystring_schema, request_schema, response_schema
from aiohttp_apigami.utils import get_or_set_apispec

from app.broker.api import wire
from app.broker.api.accounts import BrokerAccount
from app.broker.api.durable import ACCOUNT_ID as DEMO_ID
from app.broker.api.errors import invalid
from app.broker.api.ownership import ELSEWHERE
from app.broker.domain.commands import (
    CancelOrder,
    Command,
    ClosePosition,
    EditPositionBrackets,
    ExecuteWorking,
    ModifyOrder,
    PlaceOrder,
    Reset,
    SetLeverage,
)
from app.broker.domain.config import broker_config
from app.broker.domain.engine import Engine
from app.broker.domain.errors import InvalidOrder
from app.broker.domain.quick import quick_make
from app.broker.domain.requests import OrderRequest
from app.http.responses import json_response, raw_json_response
from app.http.validation import load_body, load_query, read_json
from app.keys import ACCOUNT_ID, BROKER_ACCOUNTS, SERVED_ACCOUNT, SOLE_ACCOUNT
from schemas.broker import (
    BrokerConfigSchema,
    AccountMetainfoSchema,
    AccountSchema,
    AccountStateSchema,
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

TAGS = ["broker"]
OK = orjson.dumps({"success": True, "message": "Operation completed successfully"})

PRE_ORDER = PreOrderSchema()
_place_command = quick_make(PlaceOrder)
BRACKETS_BODY = Body_editPositionBracketsSchema()
CLOSE_QUERY = ClosePositionQuerySchema()
LEVERAGE_QUERY = LeverageInfoQuerySchema()
LEVERAGE_BODY = LeverageSetParamsSchema()

routes = web.RouteTableDef()
debug_routes = web.RouteTableDef()
T = TypeVar("T")
H = TypeVar("H", bound=Callable[..., Awaitable[web.StreamResponse]])
STORE_DOWN = "Store unavailable: the store could not commit (or, for a read, the account awaits a reload)"
NO_KEY = 'AUTH=required: no valid API key (`Authorization: Bearer <key>`), `{"detail":"Not authenticated"}`'
TOO_MANY = 'AUTH=required: the key\'s rate limit is spent, `{"detail":"Too many requests"}` with `Retry-After`'


def gated(handler: H) -> H:
    """Declares the gate's answers (app.accounts.gate) and the account ownership's 503
    (app/broker/api/ownership.py) on a broker operation; put above the view's own 503, if any
    (STORE_DOWN), whose description it joins."""
    handler = response_schema(HTTPErrorSchema(), 401, description=NO_KEY)(handler)
    handler = response_schema(HTTPErrorSchema(), 429, description=TOO_MANY)(handler)
    declared = get_or_set_apispec(handler)["responses"].get("503")
    description = ELSEWHERE if declared is None else f"{declared['description']}; {ELSEWHERE}"
    return response_schema(HTTPErrorSchema(), 503, description=description)(handler)


def success(message: str) -> web.Response:
    return json_response({"success": True, "message": message})


async def order_request(request: web.Request) -> tuple[OrderRequest, str | None]:
    """The body as the engine's request and its clientOrderId, by the hot-path loader compiled
    from PreOrderSchema (schemas.fast): the schema's 422 items."""
    return wire.load_order_request(await read_json(request))


def _account(request: web.Request) -> BrokerAccount:
    """The account the request acts on: its key's (set by the gate), else ``DEMO-ACCOUNT``.
    The gate only lets through keys of accounts the broker has loaded; the ownership middleware
    leaves the account it serves on the request (without that middleware: the sole account)."""
    sole = request.app[SOLE_ACCOUNT]
    if sole is not None:
        return sole
    try:
        return request[SERVED_ACCOUNT]
    except KeyError:
        pass
    account = request.app[BROKER_ACCOUNTS].get(request.get(ACCOUNT_ID, DEMO_ID))
    if account is None:
        raise web.HTTPUnauthorized(text='{"detail":"Not authenticated"}', content_type="application/json",
                                   headers={"WWW-Authenticate": "Bearer"})
    return account


def _engine(request: web.Request) -> Engine:
    return _account(request).engine


async def _committed(request: web.Request) -> Engine:
    """The engine once no batch is in flight: a read never shows what may still be rolled back
    (a ``StoreError`` while the account awaits a reload answers 503, see errors.py)."""
    account = _account(request)
    await account.durable.readable()
    return account.engine


async def _run(request: web.Request, command: Command[T]) -> T:
    """The command's value once its events are committed."""
    return await _account(request).durable.execute(command)


@routes.post("/orders")
@docs(tags=TAGS, summary="Place order", operationId="placeOrder")
@gated
@request_schema(PRE_ORDER)
@response_schema(PlaceOrderResultSchema(), 200)
@response_schema(HTTPErrorSchema(), 400, description='MARGIN_CHECK=on: `{"detail":"Insufficient buying power: …"}`')
@response_schema(HTTPErrorSchema(), 409, description="clientOrderId reused with a different body")
@response_schema(HTTPValidationErrorSchema(), 422)
@response_schema(HTTPErrorSchema(), 503, description=STORE_DOWN)
async def place_order(request: web.Request) -> web.Response:
    # the hot path inline (order_request, _run): a coroutine each costs ~1,500 instructions
    order, client_order_id = wire.load_order_request(await read_json(request))
    account, command = _account(request), _place_command(order, client_order_id)
    durable = account.durable
    order_id = account.engine.run(command) if durable.immediate else await durable.execute(command)
    return raw_json_response(b'{"orderId":"' + order_id.encode() + b'"}')


@routes.post("/orders/preview")
@docs(tags=TAGS, summary="Preview order", operationId="previewOrder")
@gated
@request_schema(PRE_ORDER)
@response_schema(OrderPreviewResultSchema(), 200)
@response_schema(HTTPValidationErrorSchema(), 422)
async def preview_order(request: web.Request) -> web.Response:
    order, _ = await order_request(request)
    result = _engine(request).preview(order)
    return json_response(wire.order_preview(result))


@routes.put("/orders/{order_id}")
@docs(tags=TAGS, summary="Modify order", operationId="modifyOrder")
@gated
@request_schema(PRE_ORDER)
@response_schema(SuccessResponseSchema(), 200)
@response_schema(HTTPErrorSchema(), 400)
@response_schema(HTTPValidationErrorSchema(), 422)
@response_schema(HTTPErrorSchema(), 503, description=STORE_DOWN)
async def modify_order(request: web.Request) -> web.Response:
    order, _ = await order_request(request)
    await _run(request, ModifyOrder(request.match_info["order_id"], order))
    return raw_json_response(OK)


@routes.delete("/orders/{order_id}")
@docs(tags=TAGS, summary="Cancel order", operationId="cancelOrder")
@gated
@response_schema(SuccessResponseSchema(), 200)
@response_schema(HTTPErrorSchema(), 400)
@response_schema(HTTPErrorSchema(), 503, description=STORE_DOWN)
async def cancel_order(request: web.Request) -> web.Response:
    await _run(request, CancelOrder(request.match_info["order_id"]))
    return raw_json_response(OK)


@routes.get("/orders", allow_head=False)
@docs(tags=TAGS, summary="Get orders", operationId="getOrders")
@gated
@response_schema(PlacedOrderSchema(many=True), 200)
@response_schema(HTTPErrorSchema(), 503, description=STORE_DOWN)
async def get_orders(request: web.Request) -> web.Response:
    account = _account(request)
    await account.durable.readable()
    return raw_json_response(account.orders())


@routes.get("/positions", allow_head=False)
@docs(tags=TAGS, summary="Get positions", operationId="getPositions")
@gated
@response_schema(PositionSchema(many=True), 200)
@response_schema(HTTPErrorSchema(), 503, description=STORE_DOWN)
async def get_positions(request: web.Request) -> web.Response:
    return json_response([wire.position(p) for p in (await _committed(request)).positions()])


@routes.get("/executions/{symbol}", allow_head=False)
@docs(tags=TAGS, summary="Get executions", operationId="getExecutions")
@gated
@response_schema(ExecutionSchema(many=True), 200)
@response_schema(HTTPErrorSchema(), 503, description=STORE_DOWN)
async def get_executions(request: web.Request) -> web.Response:
    executions = (await _committed(request)).executions(request.match_info["symbol"])
    return json_response([wire.execution(e) for e in executions])


@routes.get("/account", allow_head=False)
@docs(tags=TAGS, summary="Get account info", operationId="getAccountInfo")
@gated
@response_schema(AccountMetainfoSchema(), 200)
async def get_account_info(request: web.Request) -> web.Response:
    info = _account(request).info
    return json_response({"id": info.id, "name": info.name})


@routes.get("/account/state", allow_head=False)
@docs(tags=TAGS, summary="Get account state", operationId="getAccountState",
      description="Balance, equity, P&L, margin used and buying power of the caller's account, marked "
                  "to market now. Margin: open positions at their closing price and working orders "
                  "(not bracket legs) that would add to a position, each value divided by the symbol's "
                  "leverage; buying power = equity - margin used (README \"Buying power\").")
@gated
@response_schema(AccountStateSchema(), 200)
@response_schema(HTTPErrorSchema(), 503, description=STORE_DOWN)
async def get_account_state(request: web.Request) -> web.Response:
    account = _account(request)
    await account.durable.readable()
    engine, info = account.engine, account.info
    f = engine.account_figures()
    return json_response({
        "id": info.id, "currency": info.currency, "balance": f.balance, "equity": f.equity,
        "unrealizedPL": f.unrealized_pl, "realizedPL": f.realized_pl, "marginUsed": f.margin_used,
        "buyingPower": f.buying_power, "marginCheck": engine.margin_check,
    })


@routes.get("/config", allow_head=False)
@docs(tags=TAGS, summary="Get broker config", operationId="getBrokerConfig",
      description="What the broker supports, for a terminal's order ticket: order types, durations (time in "
                  "force) with the order types each applies to and the default one, leverage range, the "
                  "account's currency and TradingView's configFlags (supportMargin: MARGIN_CHECK is on).")
@gated
@response_schema(BrokerConfigSchema(), 200)
async def get_broker_config(request: web.Request) -> web.Response:
    account = _account(request)
    return json_response(wire.broker_config(broker_config(account.info.currency, account.engine.margin_check)))


@routes.get("/accounts", allow_head=False)
@docs(tags=TAGS, summary="List accounts", operationId="getAccounts",
      description="The accounts the caller may trade: its API key's account (AUTH=off: DEMO-ACCOUNT).")
@gated
@response_schema(AccountSchema(many=True), 200)
async def get_accounts(request: web.Request) -> web.Response:
    info = _account(request).info
    return json_response([{"id": info.id, "name": info.name, "currency": info.currency}])


@routes.delete("/positions/{position_id}")
@docs(tags=TAGS, summary="Close position", operationId="closePosition")
@gated
@querystring_schema(CLOSE_QUERY)
@response_schema(SuccessResponseSchema(), 200)
@response_schema(HTTPErrorSchema(), 400, description="amount not positive or above the position")
@response_schema(HTTPErrorSchema(), 404)
@response_schema(HTTPValidationErrorSchema(), 422)
@response_schema(HTTPErrorSchema(), 503, description=STORE_DOWN)
async def close_position(request: web.Request) -> web.Response:
    amount = load_query(request, CLOSE_QUERY)["amount"]
    closed = await _run(request, ClosePosition(request.match_info["position_id"], amount))
    return success(closed.message)


@routes.put("/positions/{position_id}/brackets")
@docs(tags=TAGS, summary="Edit position brackets", operationId="editPositionBrackets")
@gated
@request_schema(BRACKETS_BODY)
@response_schema(SuccessResponseSchema(), 200)
@response_schema(HTTPErrorSchema(), 404)
@response_schema(HTTPValidationErrorSchema(), 422)
@response_schema(HTTPErrorSchema(), 503, description=STORE_DOWN)
async def edit_position_brackets(request: web.Request) -> web.Response:
    brackets = (await load_body(request, BRACKETS_BODY))["brackets"]
    try:
        message = await _run(request, EditPositionBrackets(
            request.match_info["position_id"],
            take_profit=brackets.get("takeProfit"),
            stop_loss=brackets.get("stopLoss"),
            guaranteed_stop=brackets.get("guaranteedStop"),
            trailing_stop_pips=brackets.get("trailingStopPips"),
        ))
    except InvalidOrder as exc:  # the bracket fields sit one level down in this body
        raise invalid(exc, ("body", "brackets")) from None
    return success(message)


@routes.get("/leverage/info", allow_head=False)
@docs(tags=TAGS, summary="Get leverage info", operationId="leverageInfo")
@gated
@querystring_schema(LEVERAGE_QUERY)
@response_schema(LeverageInfoSchema(), 200)
@response_schema(HTTPValidationErrorSchema(), 422)
@response_schema(HTTPErrorSchema(), 503, description=STORE_DOWN)
async def leverage_info(request: web.Request) -> web.Response:
    query = load_query(request, LEVERAGE_QUERY)
    return json_response(wire.leverage_info((await _committed(request)).leverage_info(query["symbol"])))


@routes.put("/leverage/set")
@docs(tags=TAGS, summary="Set leverage", operationId="setLeverage")
@gated
@request_schema(LEVERAGE_BODY)
@response_schema(LeverageSetResultSchema(), 200)
@response_schema(HTTPErrorSchema(), 400)
@response_schema(HTTPValidationErrorSchema(), 422)
@response_schema(HTTPErrorSchema(), 503, description=STORE_DOWN)
async def set_leverage(request: web.Request) -> web.Response:
    body = await load_body(request, LEVERAGE_BODY)
    value = await _run(request, SetLeverage(body["symbol"], body["leverage"]))
    return json_response({"leverage": float(value)})


@routes.post("/leverage/preview")
@docs(tags=TAGS, summary="Preview leverage", operationId="previewLeverage")
@gated
@request_schema(LEVERAGE_BODY)
@response_schema(LeveragePreviewResultSchema(), 200)
@response_schema(HTTPValidationErrorSchema(), 422)
async def preview_leverage(request: web.Request) -> web.Response:
    body = await load_body(request, LEVERAGE_BODY)
    return json_response(wire.leverage_preview(_engine(request).preview_leverage(body["leverage"])))


@debug_routes.post("/debug/reset")
async def reset_broker_state(request: web.Request) -> web.Response:
    await _run(request, Reset())
    _account(request).orders.invalidate()
    return success("Broker service state reset successfully")


@debug_routes.get("/debug/store")
async def store_stats(request: web.Request) -> web.Response:
    """The store and its group commits so far (how many commands each commit carried)."""
    account = _account(request).durable
    return json_response({"store": account.store.name, "durable": account.store.durable,
                          "epoch": account.epoch, "lastSeq": account.seq, **account.group.stats.to_wire()})


@debug_routes.post("/debug/execute-orders")
async def execute_working_orders(request: web.Request) -> web.Response:
    await _run(request, ExecuteWorking())
    return success("All working orders executed successfully")


__all__ = ["debug_routes", "routes"]
