"""Query parameters of the TradingView UDF endpoints (shared/reference/TRADINGVIEW.md)."""

from __future__ import annotations

from schemas.base import WireSchema
from schemas.datafeed import DatafeedSymbolTypeSchema, ExchangeSchema, SymbolInfoSchema
from schemas.fields import (
    GreaterThanEqual,
    OneOfLiteral,
    WireBool,
    WireDict,
    WireFloat,
    WireInt,
    WireList,
    WireNested,
    WireStr,
)


class UdfHistoryQuerySchema(WireSchema):
    symbol = WireStr(required=True)
    resolution = WireStr(required=True)
    from_ = WireInt(required=True, data_key="from", metadata={"description": "Unix seconds"})
    to = WireInt(required=True, metadata={"description": "Unix seconds"})
    countback = WireInt(load_default=None, allow_none=True, validate=GreaterThanEqual(0))


class UdfSearchQuerySchema(WireSchema):
    query = WireStr(load_default="")
    type = WireStr(load_default="")
    exchange = WireStr(load_default="")
    limit = WireInt(load_default=30, validate=GreaterThanEqual(0))


class UdfSymbolQuerySchema(WireSchema):
    symbol = WireStr(required=True)


class UdfQuotesQuerySchema(WireSchema):
    symbols = WireStr(required=True, metadata={"description": "Comma-separated symbols"})


# --- answers (TradingView's UDF shapes, shared/reference/TRADINGVIEW.md) ------------------------

_OPTIONAL = {"wire_optional": True}


class UdfConfigurationSchema(WireSchema):
    supported_resolutions = WireList(WireStr(), required=True)
    supports_search = WireBool(required=True)
    supports_group_request = WireBool(required=True)
    supports_marks = WireBool(required=True)
    supports_timescale_marks = WireBool(required=True)
    supports_time = WireBool(required=True)
    exchanges = WireList(WireNested(ExchangeSchema), required=True)
    symbols_types = WireList(WireNested(DatafeedSymbolTypeSchema), required=True)


class UdfSymbolInfoSchema(SymbolInfoSchema):
    full_name = WireStr(required=True, metadata={"description": "EXCHANGE:SYMBOL"})


class UdfSearchItemSchema(WireSchema):
    symbol = WireStr(required=True)
    full_name = WireStr(required=True)
    description = WireStr(required=True)
    exchange = WireStr(required=True)
    ticker = WireStr(required=True)
    type = WireStr(required=True)


class UdfHistorySchema(WireSchema):
    """``s: ok`` with the columns (Unix seconds), or ``s: no_data`` with ``nextTime`` when an
    earlier bar exists."""

    s = WireStr(required=True, validate=OneOfLiteral(["ok", "no_data"]))
    t = WireList(WireInt(), metadata=_OPTIONAL)
    o = WireList(WireFloat(), metadata=_OPTIONAL)
    h = WireList(WireFloat(), metadata=_OPTIONAL)
    l = WireList(WireFloat(), metadata=_OPTIONAL)  # noqa: E741 - UDF's own name
    c = WireList(WireFloat(), metadata=_OPTIONAL)
    v = WireList(WireInt(), metadata=_OPTIONAL)
    nextTime = WireInt(metadata={**_OPTIONAL, "description": "Closest earlier bar (Unix seconds)"})


class UdfErrorSchema(WireSchema):
    s = WireStr(required=True, validate=OneOfLiteral(["error"]))
    errmsg = WireStr(required=True)


class UdfQuoteSchema(WireSchema):
    s = WireStr(required=True, validate=OneOfLiteral(["ok", "error"]))
    n = WireStr(required=True)
    v = WireDict(required=True, metadata={
        "description": "ch, chp, short_name, exchange, description, lp, ask, bid, spread, open_price, "
                       "high_price, low_price, prev_close_price, volume; or {error} when s is error"})


class UdfQuotesSchema(WireSchema):
    s = WireStr(required=True, validate=OneOfLiteral(["ok"]))
    d = WireList(WireNested(UdfQuoteSchema), required=True)
