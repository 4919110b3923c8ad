"""The datafeed REST API of CONTRACT §5 (base ``/api/v1/datafeed``)."""

from __future__ import annotations

from aiohttp import web
from aiohttp_apigami import docs, querystring_schema, request_schema, response_schema

from app.datafeed.api import wire
from app.datafeed.api.bars import bars_body
from app.datafeed.domain.service import SYMBOL_NOT_FOUND
from app.http.errors import ApiError
from app.http.responses import json_response, raw_json_response
from app.http.validation import load_body, load_query
from app.keys import BAR_CACHE, DATAFEED, OFFLOAD
from app.market.timegrid import ACCEPTED_RESOLUTIONS, SUPPORTED_RESOLUTIONS
from schemas.common import HTTPErrorSchema, HTTPValidationErrorSchema
from schemas.datafeed import (
    DatafeedConfigurationSchema,
    GetBarsQuerySchema,
    GetBarsResponseSchema,
    GetQuotesRequestSchema,
    QuoteDataSchema,
    SearchSymbolResultItemSchema,
    SearchSymbolsQuerySchema,
    SymbolInfoSchema,
)
from schemas.errors import RequestInvalid, item

TAGS = ["datafeed"]

SEARCH_QUERY = SearchSymbolsQuerySchema()
BARS_QUERY = GetBarsQuerySchema()
QUOTES_BODY = GetQuotesRequestSchema()
RESOLUTION_MSG = (f"Input should be one of the supported resolutions: {', '.join(SUPPORTED_RESOLUTIONS)} "
                  f"(or {', '.join(ACCEPTED_RESOLUTIONS[len(SUPPORTED_RESOLUTIONS):])})")

routes = web.RouteTableDef()


@routes.get("/config", allow_head=False)
@docs(tags=TAGS, summary="Get datafeed configuration", operationId="getConfig")
@response_schema(DatafeedConfigurationSchema(), 200)
async def get_config(request: web.Request) -> web.Response:
    return json_response(request.app[DATAFEED].configuration())


@routes.get("/search", allow_head=False)
@docs(tags=TAGS, summary="Search symbols", operationId="searchSymbols")
@querystring_schema(SEARCH_QUERY)
@response_schema(SearchSymbolResultItemSchema(many=True), 200)
@response_schema(HTTPValidationErrorSchema(), 422)
async def search_symbols(request: web.Request) -> web.Response:
    q = load_query(request, SEARCH_QUERY)
    found = request.app[DATAFEED].search(q["user_input"], q["exchange"], q["symbol_type"], q["max_results"])
    return json_response(found)


@routes.get("/resolve/{symbol}", allow_head=False)
@docs(tags=TAGS, summary="Resolve symbol", operationId="resolveSymbol")
@response_schema(SymbolInfoSchema(), 200)
@response_schema(HTTPErrorSchema(), 404)
async def resolve_symbol(request: web.Request) -> web.Response:
    spec = request.app[DATAFEED].resolve(request.match_info["symbol"])
    if spec is None:
        raise ApiError(404, SYMBOL_NOT_FOUND)
    return json_response(wire.symbol_info(spec))


@routes.get("/bars", allow_head=False)
@docs(
    tags=TAGS,
    summary="Get historical bars",
    description="`from_time`/`to_time` are Unix milliseconds; `count_back` keeps the last n bars of the range; "
    "at most 10,000 bars (the most recent); a `to_time` in the future stops at now.",
    operationId="getBars",
)
@querystring_schema(BARS_QUERY)
@response_schema(GetBarsResponseSchema(), 200)
@response_schema(HTTPValidationErrorSchema(), 422)
async def get_bars(request: web.Request) -> web.Response:
    q = load_query(request, BARS_QUERY)
    feed = request.app[DATAFEED]
    if not feed.is_resolution(q["resolution"]):
        raise RequestInvalid([item("literal_error", ["query", "resolution"], RESOLUTION_MSG, q["resolution"])])
    body = await bars_body(feed, request.app[BAR_CACHE], request.config_dict[OFFLOAD], q["symbol"], q["resolution"],
                           q["from_time"], q["to_time"], q["count_back"])
    return raw_json_response(body)


@routes.post("/quotes")
@docs(tags=TAGS, summary="Get quotes", operationId="getQuotes")
@request_schema(QUOTES_BODY)
@response_schema(QuoteDataSchema(many=True), 200)
@response_schema(HTTPValidationErrorSchema(), 422)
async def get_quotes(request: web.Request) -> web.Response:
    body = await load_body(request, QUOTES_BODY)
    return json_response(request.app[DATAFEED].quotes(body["symbols"]))


__all__ = ["routes"]
