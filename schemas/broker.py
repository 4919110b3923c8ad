"""Broker wire models (CONTRACT §3.1, §4): orders, positions, executions, account, leverage, preview.

Our additions keep the original's keys first: ``PlacedOrder`` ends with ``parentId``,
``parentType``, ``clientOrderId`` and ``duration`` (always present, ``null`` when unset);
``PreOrder`` accepts an optional ``clientOrderId`` (idempotent placement, DESIGN §8) and an
optional ``duration`` (time in force, TradingView's ``{type, datetime}``; absent or null: GTC);
``Execution`` ends with its ``commission`` (``0.0`` unless ``COMMISSION`` is set).
"""

from __future__ import annotations

from app.broker.domain.enums import DURATION_TYPES, OrderStatus, OrderType, ParentType, Side, StopType
from marshmallow.fields import Field

from schemas.base import WireSchema
from schemas.enums import WireEnum
from schemas.fields import (
    GreaterThan,
    GreaterThanEqual,
    WireBool,
    WireDict,
    WireFloat,
    WireInt,
    WireList,
    WireNested,
    WireStr,
    OneOfLiteral,
)


def _optional_float(description: str) -> WireFloat:
    return WireFloat(allow_none=True, load_default=None, metadata={"description": description})


def _optional_texts(description: str) -> WireList:
    return WireList(WireStr(), allow_none=True, load_default=None, metadata={"description": description})


class CurrentQuotesSchema(WireSchema):
    ask = WireFloat(required=True, metadata={"description": "Current ask price"})
    bid = WireFloat(required=True, metadata={"description": "Current bid price"})


class DurationSchema(WireSchema):
    """TradingView's ``OrderDuration``: the order's time in force."""

    type = WireStr(required=True, validate=OneOfLiteral(DURATION_TYPES), metadata={
        "description": "DAY: until the next 00:00 UTC; GTC: until cancelled; IOC: fill what the next "
                       "step allows, cancel the rest; FOK: fill whole on the next step or cancel; GTD: "
                       "until datetime"})
    datetime = WireInt(allow_none=True, load_default=None, metadata={
        "description": "GTD only: expiry time (unix timestamp in milliseconds), after the server's time"})


def _duration(description: str) -> WireNested:
    return WireNested(DurationSchema, allow_none=True, load_default=None, metadata={"description": description})


_TERMS: dict[str, tuple[str, str]] = {
    "limitPrice": ("Order limit price", "Price for the limit order"),
    "stopPrice": ("Order stop price", "Price for the stop order"),
    "takeProfit": ("Order take profit (Brackets)", "Take profit price (Brackets)"),
    "stopLoss": ("Order stop loss (Brackets)", "Stop loss price (Brackets)"),
    "guaranteedStop": ("Order guaranteed stop loss (Brackets)", "Guaranteed stop loss price (Brackets)"),
    "trailingStopPips": ("Order trailing stop (Brackets)", "Trailing stop pips value (Brackets)"),
    "stopType": ("Type of stop order", "Stop loss type"),
}
"""The order's terms after ``qty`` (app.broker.domain.terms.OrderTerms), each with its
description in the request (``PreOrder``) and in the order (``PlacedOrder``): the original's
specs word them differently. A term added to ``OrderTerms`` is one row here."""
_REQUEST, _PLACED = 0, 1


def _stop_type(description: str) -> WireEnum:
    return WireEnum(StopType, allow_none=True, load_default=None, metadata={"description": description})


def _order_terms(described_as: int) -> dict[str, Field]:
    """The fields of ``_TERMS`` in wire order, for a class body to take in (``vars().update``:
    a class body's namespace is the class's own, kept in declaration order)."""
    return {key: (_stop_type if key == "stopType" else _optional_float)(texts[described_as])
            for key, texts in _TERMS.items()}


class PreOrderSchema(WireSchema):
    """Body of place, preview and modify; prices are not range-checked here (domain rules)."""

    symbol = WireStr(required=True, metadata={"description": "Symbol identifier"})
    type = WireEnum(OrderType, required=True, metadata={"description": "Order type"})
    side = WireEnum(Side, required=True, metadata={"description": "Order/execution side"})
    qty = WireFloat(required=True, validate=GreaterThan(0), metadata={"description": "Order quantity"})
    vars().update(_order_terms(_REQUEST))
    seenPrice = _optional_float("Price seen at order creation time")
    currentQuotes = WireNested(
        CurrentQuotesSchema,
        allow_none=True,
        load_default=None,
        metadata={"description": "Current market quotes (ask and bid)"},
    )
    clientOrderId = WireStr(
        allow_none=True,
        load_default=None,
        metadata={"description": "Idempotency key: a repeat with the same body returns the same orderId"},
    )
    duration = _duration("Time in force (absent or null: GTC); IOC and FOK for MARKET and LIMIT only")


class PlacedOrderSchema(WireSchema):
    id = WireStr(required=True, metadata={"description": "Order ID"})
    symbol = WireStr(required=True, metadata={"description": "Symbol name"})
    type = WireEnum(OrderType, required=True, metadata={"description": "Order type"})
    side = WireEnum(Side, required=True, metadata={"description": "Order side (buy or sell)"})
    qty = WireFloat(required=True, validate=GreaterThan(0), metadata={"description": "Order quantity"})
    status = WireEnum(OrderStatus, required=True, metadata={"description": "Order status"})
    vars().update(_order_terms(_PLACED))
    filledQty = _optional_float("Filled order quantity")
    avgPrice = _optional_float("Average fulfilled price for the order")
    updateTime = WireInt(
        allow_none=True,
        load_default=None,
        metadata={"description": "Last update time (unix timestamp in milliseconds)"},
    )
    parentId = WireStr(
        allow_none=True,
        load_default=None,
        metadata={"description": "Id of the order or position a bracket belongs to"},
    )
    parentType = WireEnum(
        ParentType, allow_none=True, load_default=None, metadata={"description": "1 = order, 2 = position"}
    )
    clientOrderId = WireStr(
        allow_none=True, load_default=None, metadata={"description": "Client's idempotency key"}
    )
    duration = _duration("Time in force as placed (null: GTC, the order was placed without one)")


class PlaceOrderResultSchema(WireSchema):
    orderId = WireStr(required=True, metadata={"description": "Order ID (mainly for debugging)"})


class PositionSchema(WireSchema):
    id = WireStr(required=True, metadata={"description": "Position ID (usually equal to symbol)"})
    symbol = WireStr(required=True, metadata={"description": "Symbol name"})
    qty = WireFloat(
        required=True,
        validate=GreaterThanEqual(0),
        metadata={"description": "Position quantity (0 when closed, positive otherwise)"},
    )
    side = WireEnum(Side, required=True, metadata={"description": "Position side"})
    avgPrice = WireFloat(required=True, metadata={"description": "Weighted average entry price"})


class ExecutionSchema(WireSchema):
    symbol = WireStr(required=True, metadata={"description": "Symbol name"})
    price = WireFloat(required=True, metadata={"description": "Execution price"})
    qty = WireFloat(required=True, validate=GreaterThan(0), metadata={"description": "Execution quantity"})
    side = WireEnum(Side, required=True, metadata={"description": "Execution side"})
    time = WireInt(required=True, metadata={"description": "Time (unix timestamp in milliseconds)"})
    commission = _optional_float("What this fill cost in the account currency (COMMISSION); 0.0 when free")


class AccountMetainfoSchema(WireSchema):
    id = WireStr(required=True, metadata={"description": "Account ID"})
    name = WireStr(required=True, metadata={"description": "Account name"})


class AccountSchema(WireSchema):
    id = WireStr(required=True, metadata={"description": "Account ID"})
    name = WireStr(required=True, metadata={"description": "Account name"})
    currency = WireStr(required=True, metadata={"description": "Account currency (ISO 4217)"})


class AccountStateSchema(WireSchema):
    """``GET /account/state``: the account's money now (README "Buying power")."""

    id = WireStr(required=True, metadata={"description": "Account ID"})
    currency = WireStr(required=True, metadata={"description": "Account currency (ISO 4217)"})
    balance = WireFloat(required=True, metadata={"description": "Cash balance (net of commissions)"})
    equity = WireFloat(required=True, metadata={"description": "Balance plus unrealized P&L, marked now"})
    unrealizedPL = WireFloat(required=True, metadata={"description": "Unrealized profit/loss of the open positions"})
    realizedPL = WireFloat(required=True, metadata={"description": "Realized profit/loss (net of commissions)"})
    marginUsed = WireFloat(required=True, metadata={
        "description": "Margin held by open positions and working orders (value / the symbol's leverage)"})
    buyingPower = WireFloat(required=True, metadata={
        "description": "Equity minus margin used: the margin a new order may take (MARGIN_CHECK=on refuses more)"})
    marginCheck = WireBool(required=True, metadata={"description": "Whether orders are refused past the buying power"})


class BracketsSchema(WireSchema):
    stopLoss = _optional_float("Stop loss price")
    guaranteedStop = _optional_float("Guaranteed stop price")
    takeProfit = _optional_float("Take profit price")
    trailingStopPips = _optional_float("Trailing stop pips value")


class Body_editPositionBracketsSchema(WireSchema):
    brackets = WireNested(BracketsSchema, required=True)
    customFields = WireDict(allow_none=True, load_default=None)


class LeverageInfoSchema(WireSchema):
    title = WireStr(required=True, metadata={"description": "Title for leverage dialogs"})
    leverage = WireFloat(required=True, metadata={"description": "Current leverage value"})
    min = WireFloat(required=True, metadata={"description": "Minimum leverage value"})
    max = WireFloat(required=True, metadata={"description": "Maximum leverage value"})
    step = WireFloat(required=True, metadata={"description": "Minimum change between leverage values"})


class LeverageSetParamsSchema(WireSchema):
    """The range (1..100) is not a schema rule: set answers 400, preview lists errors (DESIGN §8)."""

    symbol = WireStr(required=True, metadata={"description": "Symbol identifier"})
    orderType = WireEnum(OrderType, required=True, metadata={"description": "Order type"})
    side = WireEnum(Side, required=True, metadata={"description": "Order side (buy or sell)"})
    customFields = WireDict(
        allow_none=True, load_default=None, metadata={"description": "Custom data for the broker"}
    )
    leverage = WireFloat(required=True, metadata={"description": "Requested leverage value"})


class LeverageSetResultSchema(WireSchema):
    leverage = WireFloat(required=True, metadata={"description": "Confirmed leverage value"})


class LeveragePreviewResultSchema(WireSchema):
    infos = _optional_texts("Informative messages about the leverage value")
    warnings = _optional_texts("Warnings about the leverage value")
    errors = _optional_texts("Errors about the leverage value")


class OrderPreviewSectionRowSchema(WireSchema):
    title = WireStr(required=True, metadata={"description": "Description of the item"})
    value = WireStr(required=True, metadata={"description": "Formatted value of the item"})


class OrderPreviewSectionSchema(WireSchema):
    rows = WireList(
        WireNested(OrderPreviewSectionRowSchema), required=True, metadata={"description": "Section rows"}
    )
    header = WireStr(allow_none=True, load_default=None, metadata={"description": "Optional section title"})


class OrderPreviewResultSchema(WireSchema):
    sections = WireList(
        WireNested(OrderPreviewSectionSchema), required=True, metadata={"description": "Preview sections"}
    )
    confirmId = WireStr(
        allow_none=True, load_default=None, metadata={"description": "Confirmation ID for placeOrder"}
    )
    warnings = _optional_texts("Warning messages")
    errors = _optional_texts("Error messages")


class EquityDataSchema(WireSchema):
    equity = WireFloat(required=True, metadata={"description": "Total account equity"})
    balance = WireFloat(required=True, metadata={"description": "Account balance"})
    unrealizedPL = WireFloat(required=True, metadata={"description": "Unrealized profit/loss"})
    realizedPL = WireFloat(required=True, metadata={"description": "Realized profit/loss"})


class BrokerConnectionStatusSchema(WireSchema):
    status = WireInt(
        required=True, metadata={"description": "Connection status (1 = Connected, 0 = Disconnected)"}
    )
    message = WireStr(allow_none=True, load_default=None, metadata={"description": "Status message"})
    disconnectType = WireInt(
        allow_none=True, load_default=None, metadata={"description": "Type of disconnection"}
    )
    timestamp = WireInt(required=True, metadata={"description": "Timestamp in milliseconds"})


class ClosePositionQuerySchema(WireSchema):
    """Query of ``DELETE /positions/{position_id}``; amount limits are 400s (DESIGN §4 #22)."""

    amount = WireFloat(
        allow_none=True, load_default=None, metadata={"description": "Quantity to close (default: all)"}
    )


class LeverageInfoQuerySchema(WireSchema):
    symbol = WireStr(required=True, metadata={"description": "Symbol identifier"})
    orderType = WireEnum(OrderType, required=True, metadata={"description": "Order type"})
    side = WireEnum(Side, required=True, metadata={"description": "Order side (buy or sell)"})


class DurationInfoSchema(WireSchema):
    """One duration the broker supports (TradingView's ``OrderDurationMetaInfo``)."""

    value = WireStr(required=True, validate=OneOfLiteral(DURATION_TYPES), metadata={
        "description": "The duration's type, as sent in an order's duration.type"})
    name = WireStr(required=True, metadata={"description": "Label for the order ticket"})
    hasDatePicker = WireBool(required=True, metadata={"description": "The duration needs a date (GTD)"})
    hasTimePicker = WireBool(required=True, metadata={"description": "The duration needs a time (GTD)"})
    supportedOrderTypes = WireList(WireEnum(OrderType), required=True, metadata={
        "description": "Order types that take this duration (IOC and FOK: LIMIT and MARKET only)"})


class LeverageRangeSchema(WireSchema):
    min = WireFloat(required=True, metadata={"description": "Minimum leverage"})
    max = WireFloat(required=True, metadata={"description": "Maximum leverage"})
    step = WireFloat(required=True, metadata={"description": "Leverage step"})
    default = WireFloat(required=True, metadata={"description": "Leverage of a symbol never set"})


def _flag(description: str) -> WireBool:
    return WireBool(required=True, metadata={"description": description})


class ConfigFlagsSchema(WireSchema):
    """TradingView's ``BrokerConfigFlags`` this broker answers (its own names)."""

    supportOrderBrackets = _flag("takeProfit/stopLoss on an order")
    supportPositionBrackets = _flag("PUT /positions/{id}/brackets")
    supportTrailingStop = _flag("trailingStopPips on the stop leg")
    supportGuaranteedStop = _flag("guaranteedStop (treated as a stop)")
    supportClosePosition = _flag("DELETE /positions/{id}")
    supportPartialClosePosition = _flag("DELETE /positions/{id}?amount=")
    supportModifyOrderPrice = _flag("PUT /orders/{id} changes prices")
    supportEditAmount = _flag("PUT /orders/{id} changes the quantity")
    supportModifyBrackets = _flag("PUT /orders/{id} changes an order's brackets")
    supportModifyDuration = _flag("false: a modify keeps the order's duration (another is a 400)")
    supportDurations = _flag("orders take a duration (the list is durations)")
    supportLeverage = _flag("GET /leverage/info, PUT /leverage/set, POST /leverage/preview")
    supportMarketOrders = _flag("MARKET orders")
    supportLimitOrders = _flag("LIMIT orders")
    supportStopOrders = _flag("STOP orders")
    supportStopLimitOrders = _flag("STOP_LIMIT orders")
    supportOrderPreview = _flag("POST /orders/preview")
    supportPLUpdate = _flag("equity and P&L pushed on the equity stream")
    supportMargin = _flag("MARGIN_CHECK=on: orders are refused beyond buying power; GET /account/state's "
                          "buyingPower and marginUsed apply")


class BrokerConfigSchema(WireSchema):
    """``GET /broker/config``: what the broker supports, for a terminal's order ticket."""

    currency = WireStr(required=True, metadata={"description": "The account's currency (ISO 4217)"})
    orderTypes = WireList(WireEnum(OrderType), required=True, metadata={"description": "Supported order types"})
    durations = WireList(WireNested(DurationInfoSchema), required=True, metadata={
        "description": "Supported durations (time in force), in TradingView's order"})
    defaultDuration = WireStr(required=True, validate=OneOfLiteral(DURATION_TYPES), metadata={
        "description": "The duration of an order placed without one"})
    leverage = WireNested(LeverageRangeSchema, required=True, metadata={"description": "Leverage range"})
    configFlags = WireNested(ConfigFlagsSchema, required=True, metadata={
        "description": "TradingView's configFlags"})
