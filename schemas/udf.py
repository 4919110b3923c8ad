"""Query parameters of the TradingView UDF endpoints (shared/reference/TRADINGVIEW.md)."""

from __future__ import annotations

from schemas.base import WireSchema
from schemas.fields import GreaterThanEqual, WireInt, WireStr


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
