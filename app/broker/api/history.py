"""``GET /orders/history`` and ``GET /account/history``: the account's past, per account.

The order history is read from the store (``order_history``, written in the same commit as the
events that ended each order); with ``memory:``, which keeps nothing, from the engine's orders,
which hold every final order. Both give the same page for the same account.

The portfolio history is computed on the offload worker (app.runtime.offload), never on the
loop: on the loop it only copies the account's executions and prepares, per symbol and day on
which a position was open at some intraday grid time, the day's price path (cached) or the work
that builds it (not cached: a month of paths would evict everything else; midnights are priced
from the day's open, without a path); on the worker the paths
are built and read at the grid times, then the executions are replayed through a ledger
(app.broker.domain.history), so each point is the engine's own equity at that time.
"""

from __future__ import annotations

from dataclasses import dataclass

import orjson
from aiohttp import web
from aiohttp_apigami import docs, querystring_schema, response_schema

from app.broker.api import wire
from app.broker.api.views import STORE_DOWN, TAGS, _account, gated
from app.broker.domain.accounting import Mark
from app.broker.domain.history import (
    MAX_INTRADAY_PERIOD,
    MAX_POINTS,
    PERIODS,
    TIMEFRAMES,
    EquitySeries,
    Grid,
    equity_series,
    grid,
    held_spans,
    history_key,
    opening_balance,
    page,
    points,
)
from app.broker.domain.snapshots import Execution
from app.http.responses import json_response, raw_json_response
from app.http.validation import load_query
from app.keys import MARKET, OFFLOAD
from app.market import Market
from app.market.daypath import DayPath
from app.market.steps import Steps
from app.market.timegrid import DAY_MS, STEP_MS, day_of
from schemas.common import HTTPErrorSchema, HTTPValidationErrorSchema
from schemas.errors import RequestInvalid, item
from schemas.history import (
    OrderHistoryQuerySchema,
    OrderHistorySchema,
    PortfolioHistoryQuerySchema,
    PortfolioHistorySchema,
    encode_cursor,
)

ORDERS_QUERY = OrderHistoryQuerySchema()
PORTFOLIO_QUERY = PortfolioHistoryQuerySchema()
routes = web.RouteTableDef()


@routes.get("/orders/history", allow_head=False)
@docs(tags=TAGS, summary="Get order history", operationId="getOrderHistory",
      description="Final orders (filled, cancelled, rejected), newest first, a page at a time: pass the "
                  "answer's `next` as `before` for the next page; no order appears twice or is skipped, "
                  "however many orders finish meanwhile. Working orders are in GET /orders.")
@gated
@querystring_schema(ORDERS_QUERY)
@response_schema(OrderHistorySchema(), 200)
@response_schema(HTTPValidationErrorSchema(), 422)
@response_schema(HTTPErrorSchema(), 503, description=STORE_DOWN)
async def order_history(request: web.Request) -> web.Response:
    query = load_query(request, ORDERS_QUERY)
    limit: int = query["limit"]
    before: tuple[int, int] | None = query["before"]
    account = _account(request)
    await account.durable.readable()
    store = account.durable.store
    if store.durable:
        rows = await store.order_history(account.id, limit + 1, before)
        keys, payloads = [r.key for r in rows], [r.payload for r in rows]
    else:
        orders = page(account.engine.state.orders.values(), limit + 1, before)
        keys = [history_key(o) for o in orders]
        payloads = [orjson.dumps(wire.placed_order(o.snapshot())) for o in orders]
    cursor = encode_cursor(keys[limit - 1]) if len(keys) > limit else None
    return raw_json_response(b'{"orders":[' + b",".join(payloads[:limit]) + b'],"next":'
                             + orjson.dumps(cursor) + b"}")


@routes.get("/account/history", allow_head=False)
@docs(tags=TAGS, summary="Get portfolio history", operationId="getPortfolioHistory",
      description="The account's equity over a period at a timeframe's grid times (Alpaca's portfolio "
                  "history): each point is the equity the engine reported at that time, computed from the "
                  f"executions and the market's prices. At most {MAX_POINTS:,} points, and intraday "
                  "timeframes over at most 30 days (as Alpaca), else 422.")
@gated
@querystring_schema(PORTFOLIO_QUERY)
@response_schema(PortfolioHistorySchema(), 200)
@response_schema(HTTPValidationErrorSchema(), 422)
@response_schema(HTTPErrorSchema(), 503, description=STORE_DOWN)
async def portfolio_history(request: web.Request) -> web.Response:
    query = load_query(request, PORTFOLIO_QUERY)
    period, timeframe = query["period"], query["timeframe"]
    count = points(period, timeframe)
    if count > MAX_POINTS:
        raise RequestInvalid([item("value_error", ["query", "timeframe"],
                                   f"Value error, period {period} at timeframe {timeframe} is {count:,} points, "
                                   f"more than {MAX_POINTS:,}: choose a longer timeframe", timeframe)])
    if PERIODS[period] > MAX_INTRADAY_PERIOD and TIMEFRAMES[timeframe] < DAY_MS:
        raise RequestInvalid([item("value_error", ["query", "timeframe"],
                                   f"Value error, an intraday timeframe covers at most 30 days (as Alpaca's): "
                                   f"period {period} takes timeframe 1D", timeframe)])
    account = _account(request)
    await account.durable.readable()
    state = account.engine.state
    executions = [x for xs in state.executions.values() for x in xs]
    opening = opening_balance(state.ledger.balance, state.ledger.realized)
    market = request.config_dict[MARKET]
    times = grid(period, timeframe, market.now())
    marks, days = _prices_needed(market, times, executions)
    work = _series_work(market, marks, days, opening, executions, times)
    series = await request.config_dict[OFFLOAD].run(work)
    return json_response(_wire(series, timeframe))


def _wire(series: EquitySeries, timeframe: str) -> dict[str, object]:
    return {"timestamp": [t // 1000 for t in series.timestamps], "equity": series.equity,
            "profit_loss": series.profit_loss, "profit_loss_pct": series.profit_loss_pct,
            "base_value": series.base_value, "timeframe": timeframe}


Marks = dict[int, dict[str, tuple[float, float]]]
"""Grid time → symbol → (bid, ask) then."""


@dataclass(frozen=True, slots=True)
class _Day:
    """What the worker needs to price one symbol on one day: the path (cached) or its work."""

    symbol: str
    day: int
    times: tuple[int, ...]
    path: DayPath | None
    work: Steps[DayPath] | None


def _prices_needed(market: Market, times: Grid, executions: list[Execution]) -> tuple[Marks, list[_Day]]:
    """On the loop: the (symbol, time) pairs with a position open. A time at midnight is priced
    here, from the day's open (the path's first step is the day's drawn open: no path needed, so
    a year of daily points builds nothing); the other times' days are left to the worker."""
    marks: Marks = {}
    needed = []
    for symbol, spans in held_spans(executions).items():
        wanted: set[int] = set()
        for start, end in spans:
            first = max(times.start, start + (-(start - times.start)) % times.step)
            last = times.end if end is None else min(times.end, end - 1 - (end - 1 - times.start) % times.step)
            wanted.update(range(first, last + 1, times.step))
        midnights = sorted(t for t in wanted if t % DAY_MS == 0)
        if midnights:
            _price_midnights(market, symbol, midnights, marks)
        by_day: dict[int, list[int]] = {}
        for t in sorted(wanted):
            if t % DAY_MS:
                by_day.setdefault(day_of(t), []).append(t)
        for day, day_times in by_day.items():
            cached = market.has_day_path(symbol, day)
            needed.append(_Day(symbol, day, tuple(day_times), market.day_path(symbol, day) if cached else None,
                               None if cached else market.day_path_work(symbol, day)))
    return marks, needed


def _price_midnights(market: Market, symbol: str, midnights: list[int], marks: Marks) -> None:
    spec = market.catalogue.get(symbol)
    bid_offset = market.spread_offsets(symbol)[0]
    opens = {bar.time: bar.open for bar in market.bars(symbol, "1D", midnights[0], midnights[-1])}
    for t in midnights:
        bid = spec.price_to_ticks(opens[t]) - bid_offset
        marks.setdefault(t, {})[symbol] = (spec.ticks_to_price(bid), spec.ticks_to_price(bid + spec.spread_ticks))


def _series_work(market: Market, marks: Marks, days: list[_Day], opening: float, executions: list[Execution],
                 times: Grid) -> Steps[EquitySeries]:
    """On the worker: each day's path built (one at a time, then dropped) and read at its grid
    times, as ``Market.top`` reads it; then the replay."""
    for need in days:
        path = need.path
        if path is None:
            assert need.work is not None
            path = yield from need.work
        spec = market.catalogue.get(need.symbol)
        bid_offset = market.spread_offsets(need.symbol)[0]
        price = spec.ticks_to_price
        for t in need.times:
            bid = int(path.last[(t - need.day * DAY_MS) // STEP_MS]) - bid_offset
            marks.setdefault(t, {})[need.symbol] = (price(bid), price(bid + spec.spread_ticks))
        yield
    empty: dict[str, tuple[float, float]] = {}

    def mark_at(t: int) -> Mark:
        quotes = marks.get(t, empty)

        def mark(symbol: str, side: int) -> float:
            bid, ask = quotes[symbol]
            return bid if side > 0 else ask

        return mark

    return equity_series(opening, executions, times.times, mark_at)
