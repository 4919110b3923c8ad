"""Bar queries with the heavy part off the event loop (app.runtime.offload).

An intraday query first has the minute aggregates of the days it reads built on the worker
(one shared build per symbol and day), then its series planned on the loop (cheap: slices of
cached arrays), then encoded on the worker in pieces. Daily and weekly answers are a few
hundred cached bars and stay on the loop.
"""

from __future__ import annotations

import asyncio
from functools import partial

from app.datafeed.api.encoding import NO_BARS, NO_DATA, BarCache, series_body, udf_history_body
from app.datafeed.domain.service import MAX_BARS, Datafeed
from app.market.intraday import PIECE_BARS, IntradaySeries
from app.market.model import Market
from app.market.steps import Steps, finish
from app.market.timegrid import parse_resolution
from app.runtime.offload import Offload


async def intraday_series(
    market: Market, offload: Offload, symbol: str, resolution: str, from_ms: int, to_ms: int,
    count_back: int | None, limit: int = MAX_BARS,
) -> IntradaySeries | None:
    """``Market.intraday_series`` once the days it reads are built (on the worker)."""
    days = market.intraday_days_needed(symbol, resolution, from_ms, to_ms, count_back, limit)
    if days:
        await asyncio.gather(*(
            offload.shared(("minutes", symbol, day), partial(market.minutes_work, symbol, day),
                           partial(market.install_minutes, symbol, day))
            for day in days
        ))
    return market.intraday_series(symbol, resolution, from_ms, to_ms, count_back, limit)


async def _encode(offload: Offload, series: IntradaySeries, work: Steps[bytes]) -> bytes:
    """A short series is encoded at once (a thread hop would cost more than it saves)."""
    if len(series) <= PIECE_BARS:
        return finish(work)
    return await offload.run(work)


async def bars_body(
    feed: Datafeed, cache: BarCache, offload: Offload, symbol: str, resolution: str, from_ms: int, to_ms: int,
    count_back: int | None,
) -> bytes:
    """``GetBarsResponse`` bytes (DESIGN §8); the resolution is already known to be valid."""
    res = parse_resolution(resolution)
    spec = feed.resolve(symbol)
    if spec is None or res is None or not res.is_intraday:
        return cache.body(feed.bars(symbol, resolution, from_ms, to_ms, count_back))
    market = feed.market
    series = await intraday_series(market, offload, spec.name, resolution, from_ms, to_ms, count_back or None)
    if series is None:
        return NO_BARS if market.has_bar_at_or_before(spec.name, resolution, to_ms) else NO_DATA
    return await _encode(offload, series, series_body(series))


async def udf_history(
    market: Market, offload: Offload, symbol: str, resolution: str, from_ms: int, to_ms: int,
    count_back: int | None,
) -> bytes | None:
    """UDF ``history`` bytes of an intraday query, None when it has no bars."""
    series = await intraday_series(market, offload, symbol, resolution, from_ms, to_ms, count_back)
    if series is None:
        return None
    return await _encode(offload, series, udf_history_body(series))
