"""The datafeed's WebSocket routes: ``bars`` and ``quotes`` producers over the market model.

Quote topics emit every symbol at a fixed rate (``fast_symbols`` every 0.2 s, the others every
1 s, the first time within 0.2 s and 1 s of the subscription respectively, at a random phase;
unknown symbols as an error quote on every tick). Bar topics emit the current bar every
0.25 s and, when the period rolls, the finished bar's final values before the new bar.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Hashable

from app.datafeed.api.wire import bar as bar_wire
from app.datafeed.domain.service import Datafeed
from schemas.ws import (
    BarsSubscriptionRequestSchema,
    QuoteDataSubscriptionRequestSchema,
    SubscriptionUpdate_Bar_Schema,
    SubscriptionUpdate_QuoteData_Schema,
)
from ws.route import Kind, Payload, Publisher, Route

FAST_INTERVAL = 0.2
SLOW_EVERY = 5  # slow symbols go out on every fifth fast tick: 1 s
BAR_INTERVAL = 0.25


def _quote_key(payload: Payload) -> Hashable:
    key: Hashable = payload["n"]
    return key


def quote_weight(params: Payload) -> int:
    """A quote topic's share of the connection's ``WS_MAX_SYMBOLS``: the quotes a second it
    streams, i.e. each distinct slow symbol 1 and each fast one ``SLOW_EVERY`` (5), known or not
    (an unknown symbol costs an error quote per tick all the same)."""
    fast = set(params["fast_symbols"])
    slow = set(params["symbols"]) - fast
    return len(slow) + SLOW_EVERY * len(fast)


def _bar_key(payload: Payload) -> Hashable:
    key: Hashable = payload["time"]
    return key


class _Ticker:
    """Sleeps to fixed deadlines, so the time spent publishing does not stretch the period
    (5 Hz stays 5 Hz under load); a deadline already missed is skipped, not caught up.
    ``phase`` waits a random part of the interval before the first tick, so topics subscribed
    together (hundreds in one burst) do not tick in the same instant, then or ever after."""

    def __init__(self, interval: float) -> None:
        self._interval = interval
        self._loop = asyncio.get_running_loop()
        self._deadline = self._loop.time()

    async def phase(self) -> None:
        self._deadline = self._loop.time() + random.random() * self._interval
        await asyncio.sleep(self._deadline - self._loop.time())

    async def wait(self) -> None:
        now = self._loop.time()
        self._deadline = max(self._deadline + self._interval, now)
        await asyncio.sleep(self._deadline - now)


def datafeed_routes(feed: Datafeed) -> list[Route]:
    async def bars(params: Payload, publish: Publisher) -> None:
        spec = feed.resolve(params["symbol"])
        resolution = params["resolution"]
        if spec is None or not feed.is_resolution(resolution):
            return  # as the original: the subscription stands, nothing is emitted
        market = feed.market
        previous: int | None = None
        ticks = _Ticker(BAR_INTERVAL)
        while True:
            now = market.now()
            bar = market.current_bar(spec.name, resolution, now)
            if previous is not None and bar.time != previous:
                final = market.bars(spec.name, resolution, previous, previous)
                if final:
                    publish(bar_wire(final[-1]))
            publish(bar_wire(bar))
            previous = bar.time
            await ticks.wait()

    async def quotes(params: Payload, publish: Publisher) -> None:
        fast = list(dict.fromkeys(params["fast_symbols"]))
        fast_set = set(fast)
        slow = [s for s in dict.fromkeys(params["symbols"]) if s not in fast_set]
        tick = 0
        # slow symbols: first on a random one of the first five ticks, then every fifth: topics
        # subscribed together (an attacker's hundreds) spread their slow quotes over the whole
        # second from the start, not all in the first 0.2 s (issue 21: a 19,000-quote burst).
        # Without fast symbols a tick a second (at a random phase) does the same for a fifth of
        # the wake-ups.
        every = SLOW_EVERY if fast else 1
        slow_phase = random.randrange(every)
        ticks = _Ticker(FAST_INTERVAL if fast else FAST_INTERVAL * SLOW_EVERY)
        await ticks.phase()
        quote = feed.quote
        while True:
            # by key: a socket holding conflated quotes gets none built, only owed (ws.fanout)
            publish.latest(fast, quote)
            if tick % every == slow_phase:
                publish.latest(slow, quote)
            tick += 1
            await ticks.wait()

    return [
        Route(
            "bars",
            BarsSubscriptionRequestSchema(),
            Kind.LATEST,
            producer=bars,
            conflation_key=_bar_key,
            update_schema=SubscriptionUpdate_Bar_Schema(),
            summary="OHLCV bars",
        ),
        Route(
            "quotes",
            QuoteDataSubscriptionRequestSchema(),
            Kind.LATEST,
            producer=quotes,
            conflation_key=_quote_key,
            weight=quote_weight,
            update_schema=SubscriptionUpdate_QuoteData_Schema(),
            summary="Quotes",
        ),
    ]
