"""``event_loop_lag_seconds``: the lag ticker's largest lag of the last seconds, per scrape."""

from __future__ import annotations

import time
from typing import Any

from app.factory import create_app
from app.keys import LAG
from app.market import Market, default_catalogue
from app.settings import Settings
from tests.clock import NOW
from tests.observability.scrape import scrape, value
from tests.waiting import wait_until


async def test_a_stall_of_the_loop_shows_in_the_lag_series(aiohttp_client: Any) -> None:
    market = Market(default_catalogue(), seed=0, clock=lambda: NOW)
    client = await aiohttp_client(create_app(Settings(modules=("datafeed",)), market=market))
    ticker = client.app[LAG]
    await wait_until(lambda: ticker.ticks > 3, what="the ticker ticking")
    quiet = value(await scrape(client), "event_loop_lag_seconds")
    time.sleep(0.3)  # the stall under test: the server shares this loop
    await wait_until(lambda: ticker.recent_max() >= 0.25, what="the stall recorded")
    stalled = value(await scrape(client), "event_loop_lag_seconds")
    assert 0.25 <= stalled < 3.0
    assert quiet < stalled
