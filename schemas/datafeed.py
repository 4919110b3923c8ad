"""Datafeed wire models (CONTRACT §3.2, §5): bars, quotes, symbols, search, configuration."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields

from schemas.base import WireSchema
from schemas.fields import (
    GreaterThanEqual,
    OneOfLiteral,
    WireBool,
    WireFloat,
    WireInt,
    WireList,
    WireNested,
    WireStr,
)
from schemas.limits import MAX_SYMBOLS
from schemas.problems import DICT_TYPE, MISSING


class BarSchema(WireSchema):
    time = WireInt(required=True, metadata={"description": "Bar timestamp in milliseconds"})
    open = WireFloat(required=True, metadata={"description": "Open price"})
    high = WireFloat(required=True, metadata={"description": "High price"})
    low = WireFloat(required=True, metadata={"description": "Low price"})
    close = WireFloat(required=True, metadata={"description": "Close price"})
    volume = WireInt(load_default=0, metadata={"description": "Volume"})


class GetBarsResponseSchema(WireSchema):
    bars = WireList(WireNested(BarSchema), required=True, metadata={"description": "Historical bars"})
    no_data = WireBool(load_default=False, metadata={"description": "No data flag"})


class QuoteValuesSchema(WireSchema):
    lp = WireFloat(required=True, metadata={"description": "Last price"})
    ask = WireFloat(required=True, metadata={"description": "Ask price"})
    bid = WireFloat(required=True, metadata={"description": "Bid price"})
    spread = WireFloat(required=True, metadata={"description": "Spread"})
    open_price = WireFloat(required=True, metadata={"description": "Open price"})
    high_price = WireFloat(required=True, metadata={"description": "High price"})
    low_price = WireFloat(required=True, metadata={"description": "Low price"})
    prev_close_price = WireFloat(required=True, metadata={"description": "Previous close price"})
    volume = WireInt(required=True, metadata={"description": "Volume"})
    ch = WireFloat(required=True, metadata={"description": "Change"})
    chp = WireFloat(required=True, metadata={"description": "Change percent"})
    short_name = WireStr(required=True, metadata={"description": "Short name"})
    exchange = WireStr(required=True, metadata={"description": "Exchange"})
    description = WireStr(required=True, metadata={"description": "Description"})
    original_name = WireStr(required=True, metadata={"description": "Original name"})


class QuoteErrorSchema(WireSchema):
    """``QuoteData.v`` when ``s`` is ``"error"`` (not a component: the original types it ``object``)."""

    error = WireStr(required=True)


QUOTE_VALUES = QuoteValuesSchema()
QUOTE_ERROR = QuoteErrorSchema()


class QuoteValuesOrError(fields.Field):
    """``QuoteData.v``: `QuoteValuesSchema` for ``s == "ok"``, ``{"error": reason}`` otherwise."""

    default_error_messages = {"required": MISSING, "null": DICT_TYPE}

    def wire_schema(self, parent: Mapping[str, Any]) -> Schema:
        """The schema the value follows, given the enclosing QuoteData (used by contract checks)."""
        return QUOTE_VALUES if parent.get("s") == "ok" else QUOTE_ERROR

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, dict):
            raise ValidationError(DICT_TYPE)
        schema = self.wire_schema(data or {})
        return schema.load(value)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return value


class QuoteDataSchema(WireSchema):
    s = WireStr(required=True, validate=OneOfLiteral(["ok", "error"]), metadata={"description": "Status"})
    n = WireStr(required=True, metadata={"description": "Symbol name"})
    v = QuoteValuesOrError(required=True, metadata={"description": "Quote values or error"})


class GetQuotesRequestSchema(WireSchema):
    symbols = WireList(
        WireStr(), required=True, max_length=MAX_SYMBOLS, metadata={"description": "Symbol names"}
    )


class SymbolInfoSchema(WireSchema):
    name = WireStr(required=True, metadata={"description": "Symbol name"})
    description = WireStr(required=True, metadata={"description": "Symbol description"})
    type = WireStr(required=True, metadata={"description": "Symbol type (stock, crypto, forex, etc.)"})
    session = WireStr(required=True, metadata={"description": "Trading session hours"})
    timezone = WireStr(required=True, metadata={"description": "Symbol timezone"})
    ticker = WireStr(load_default="", metadata={"description": "Symbol ticker"})
    exchange = WireStr(required=True, metadata={"description": "Exchange name"})
    listed_exchange = WireStr(required=True, metadata={"description": "Listed exchange"})
    format = WireStr(required=True, metadata={"description": "Price format"})
    pricescale = WireInt(required=True, metadata={"description": "Price scale"})
    minmov = WireInt(required=True, metadata={"description": "Minimum movement"})
    has_intraday = WireBool(required=True, metadata={"description": "Has intraday data"})
    has_daily = WireBool(required=True, metadata={"description": "Has daily data"})
    supported_resolutions = WireList(
        WireStr(), required=True, metadata={"description": "Supported resolutions"}
    )
    volume_precision = WireInt(required=True, metadata={"description": "Volume precision"})
    data_status = WireStr(
        required=True,
        validate=OneOfLiteral(["streaming", "endofday", "delayed_streaming"]),
        metadata={"description": "Data status"},
    )


class SearchSymbolResultItemSchema(WireSchema):
    symbol = WireStr(required=True, metadata={"description": "Symbol name"})
    description = WireStr(required=True, metadata={"description": "Symbol description"})
    exchange = WireStr(required=True, metadata={"description": "Exchange name"})
    ticker = WireStr(load_default="", metadata={"description": "Symbol ticker"})
    type = WireStr(required=True, metadata={"description": "Symbol type"})


class ExchangeSchema(WireSchema):
    value = WireStr(
        required=True, metadata={"description": "Value to be passed as exchange argument to searchSymbols"}
    )
    name = WireStr(required=True, metadata={"description": "Name of the exchange"})
    desc = WireStr(required=True, metadata={"description": "Description of the exchange"})


class DatafeedSymbolTypeSchema(WireSchema):
    name = WireStr(required=True, metadata={"description": "Name of the symbol type"})
    value = WireStr(
        required=True, metadata={"description": "Value to be passed as symbolType argument to searchSymbols"}
    )


class DatafeedConfigurationSchema(WireSchema):
    supported_resolutions = WireList(
        WireStr(), load_default=list, metadata={"description": "Supported resolutions"}
    )
    supports_marks = WireBool(load_default=False, metadata={"description": "Supports marks"})
    supports_timescale_marks = WireBool(
        load_default=False, metadata={"description": "Supports timescale marks"}
    )
    supports_time = WireBool(load_default=False, metadata={"description": "Supports time"})
    exchanges = WireList(
        WireNested(ExchangeSchema), load_default=list, metadata={"description": "Available exchanges"}
    )
    symbols_types = WireList(
        WireNested(DatafeedSymbolTypeSchema),
        load_default=list,
        metadata={"description": "Available symbol types"},
    )


class SearchSymbolsQuerySchema(WireSchema):
    user_input = WireStr(required=True, metadata={"description": "User search input (may be empty)"})
    exchange = WireStr(load_default="", metadata={"description": "Exchange filter"})
    symbol_type = WireStr(load_default="", metadata={"description": "Symbol type filter"})
    max_results = WireInt(
        load_default=50, validate=GreaterThanEqual(0), metadata={"description": "Maximum results"}
    )


class GetBarsQuerySchema(WireSchema):
    symbol = WireStr(required=True, metadata={"description": "Symbol name"})
    resolution = WireStr(required=True, metadata={"description": "Resolution (e.g., '1D')"})
    from_time = WireInt(required=True, metadata={"description": "From timestamp (milliseconds)"})
    to_time = WireInt(required=True, metadata={"description": "To timestamp (milliseconds)"})
    count_back = WireInt(
        allow_none=True,
        load_default=None,
        validate=GreaterThanEqual(0),
        metadata={"description": "Number of most recent bars in the range"},
    )
