"""TradingView UDF endpoints under ``/api/v1/datafeed/udf/`` (shared/reference/TRADINGVIEW.md).

UDF speaks seconds and columnar arrays; the bars are the very ones ``/bars`` serves, so both
APIs agree on every OHLC value.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from aiohttp_apigami import docs, querystring_schema, response_schema

from app.datafeed.api import wire
from app.datafeed.api import bars
from app.datafeed.api.encoding import udf_history_columns
from app.datafeed.domain.service import Datafeed
from app.http.responses import json_response, raw_json_response
from app.http.validation import load_query
from app.keys import DATAFEED, OFFLOAD
from app.market.timegrid import Resolution, parse_resolution
from schemas.common import HTTPValidationErrorSchema
from schemas.errors import RequestInvalid, item
from schemas.limits import MAX_SYMBOLS
from schemas.udf import (
    UdfConfigurationSchema,
    UdfErrorSchema,
    UdfHistoryQuerySchema,
    UdfHistorySchema,
    UdfQuotesQuerySchema,
    UdfQuotesSchema,
    UdfSearchItemSchema,
    UdfSearchQuerySchema,
    UdfSymbolInfoSchema,
    UdfSymbolQuerySchema,
)

routes = web.RouteTableDef()
TAGS = ["datafeed"]
UNKNOWN_SYMBOL = b'{"s":"error","errmsg":"unknown_symbol"}'


INTRADAY = frozenset(r for r in Resolution if r.is_intraday)
HISTORY_QUERY = UdfHistoryQuerySchema()
SEARCH_QUERY = UdfSearchQuerySchema()
SYMBOL_QUERY = UdfSymbolQuerySchema()
QUOTES_QUERY = UdfQuotesQuerySchema()


def _strip_exchange(feed: Datafeed, text: str) -> str:
    """UDF clients may send ``EXCHANGE:SYMBOL``; resolve on the part after the colon."""
    if ":" in text and feed.resolve(text) is None:
        return text.split(":", 1)[1]
    return text


@routes.get("/udf/config", allow_head=False)
@docs(tags=TAGS, summary="UDF: datafeed configuration", operationId="udfGetConfig")
@response_schema(UdfConfigurationSchema(), 200)
async def udf_config(request: web.Request) -> web.Response:
    config = request.app[DATAFEED].configuration()
    return json_response(
        {
            "supported_resolutions": config["supported_resolutions"],
            "supports_search": True,
            "supports_group_request": False,
            "supports_marks": False,
            "supports_timescale_marks": False,
            "supports_time": True,
            "exchanges": config["exchanges"],
            "symbols_types": config["symbols_types"],
        }
    )


@routes.get("/udf/time", allow_head=False)
@docs(
    tags=TAGS,
    summary="UDF: server time (Unix seconds, text)",
    operationId="udfGetTime",
    responses={200: {"description": "Unix seconds as text", "content": {"text/plain": {"schema": {"type": "string"}}}}},
)
async def udf_time(request: web.Request) -> web.Response:
    return web.Response(text=str(request.app[DATAFEED].market.now() // 1000), content_type="text/plain")


@routes.get("/udf/symbols", allow_head=False)
@docs(tags=TAGS, summary="UDF: symbol info", operationId="udfResolveSymbol")
@querystring_schema(SYMBOL_QUERY)
@response_schema(UdfSymbolInfoSchema(), 200)
@response_schema(UdfErrorSchema(), 404, description="Unknown symbol")
@response_schema(HTTPValidationErrorSchema(), 422)
async def udf_symbols(request: web.Request) -> web.Response:
    feed = request.app[DATAFEED]
    text = load_query(request, SYMBOL_QUERY)["symbol"]
    spec = feed.resolve(_strip_exchange(feed, text))
    if spec is None:
        return raw_json_response(UNKNOWN_SYMBOL, status=404)
    info = wire.symbol_info(spec)
    info["full_name"] = f"{spec.exchange}:{spec.name}"
    return json_response(info)


@routes.get("/udf/search", allow_head=False)
@docs(tags=TAGS, summary="UDF: search symbols", operationId="udfSearchSymbols")
@querystring_schema(SEARCH_QUERY)
@response_schema(UdfSearchItemSchema(many=True), 200)
@response_schema(HTTPValidationErrorSchema(), 422)
async def udf_search(request: web.Request) -> web.Response:
    feed = request.app[DATAFEED]
    q = load_query(request, SEARCH_QUERY)
    found = feed.catalogue.search(q["query"], q["exchange"], q["type"], q["limit"])
    return json_response(
        [
            {
                "symbol": spec.name,
                "full_name": f"{spec.exchange}:{spec.name}",
                "description": spec.description,
                "exchange": spec.exchange,
                "ticker": spec.ticker,
                "type": spec.type,
            }
            for spec in found
        ]
    )


@routes.get("/udf/history", allow_head=False)
@docs(tags=TAGS, summary="UDF: bars as columns (Unix seconds)", operationId="udfGetHistory")
@querystring_schema(HISTORY_QUERY)
@response_schema(UdfHistorySchema(), 200)
@response_schema(UdfErrorSchema(), 404, description="Unknown symbol")
@response_schema(HTTPValidationErrorSchema(), 422)
async def udf_history(request: web.Request) -> web.Response:
    feed = request.app[DATAFEED]
    q = load_query(request, HISTORY_QUERY)
    spec = feed.resolve(_strip_exchange(feed, q["symbol"]))
    if spec is None:
        return raw_json_response(UNKNOWN_SYMBOL, status=404)
    if not feed.is_resolution(q["resolution"]):
        raise RequestInvalid(
            [item("literal_error", ["query", "resolution"], "Unsupported resolution", q["resolution"])]
        )
    to_ms = q["to"] * 1000
    countback = q["countback"] or None
    # countback wins over from (TradingView's rule): the last n bars ending at `to`.
    from_ms = 0 if countback else q["from_"] * 1000
    if parse_resolution(q["resolution"]) in INTRADAY:
        offload = request.config_dict[OFFLOAD]
        body = await bars.udf_history(feed.market, offload, spec.name, q["resolution"], from_ms, to_ms, countback)
        if body is not None:
            return raw_json_response(body)
    else:
        found = feed.market.bars(spec.name, q["resolution"], from_ms, to_ms, countback)
        if found:
            return raw_json_response(udf_history_columns(
                [b.time // 1000 for b in found], [b.open for b in found], [b.high for b in found],
                [b.low for b in found], [b.close for b in found], [b.volume for b in found]))
    answer: dict[str, Any] = {"s": "no_data"}
    earlier = None if countback else feed.market.last_bar_time_before(spec.name, q["resolution"], from_ms)
    if earlier is not None:
        answer["nextTime"] = earlier // 1000
    return json_response(answer)


@routes.get("/udf/quotes", allow_head=False)
@docs(tags=TAGS, summary="UDF: quotes", operationId="udfGetQuotes")
@querystring_schema(QUOTES_QUERY)
@response_schema(UdfQuotesSchema(), 200)
@response_schema(HTTPValidationErrorSchema(), 422)
async def udf_quotes(request: web.Request) -> web.Response:
    feed = request.app[DATAFEED]
    names = [s for s in load_query(request, QUOTES_QUERY)["symbols"].split(",") if s]
    if len(names) > MAX_SYMBOLS:
        raise RequestInvalid(
            [item("too_long", ["query", "symbols"], f"List should have at most {MAX_SYMBOLS} items", len(names))]
        )
    data = []
    for quote in feed.quotes(names):
        v = quote["v"]
        if quote["s"] == "ok":
            v = {
                "ch": v["ch"], "chp": v["chp"], "short_name": v["short_name"], "exchange": v["exchange"],
                "description": v["description"], "lp": v["lp"], "ask": v["ask"], "bid": v["bid"],
                "spread": v["spread"], "open_price": v["open_price"], "high_price": v["high_price"],
                "low_price": v["low_price"], "prev_close_price": v["prev_close_price"], "volume": v["volume"],
            }
        data.append({"s": quote["s"], "n": quote["n"], "v": v})
    return json_response({"s": "ok", "d": data})
