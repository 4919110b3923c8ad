"""The day warmer: the next UTC day's paths are built on the worker before midnight.

Without it the first quote of a new day builds that day's path for every symbol inline (about
5–20 ms each) at 00:00 UTC, stalling every client at once. Installed into the path LRU (not as
the hot day), they become current at the first question about the new day.
"""

from __future__ import annotations

import asyncio
from functools import partial

from app.market.model import Market
from app.market.timegrid import DAY_MS, day_of
from app.runtime.offload import Offload

LEAD_MS = 5 * 60_000
"""How long before midnight the next day is prepared."""
RECHECK_S = 30.0
"""The clock is re-read at least this often (a test clock or a suspended host may jump)."""


async def warm_day(market: Market, offload: Offload, day: int) -> None:
    for name in market.symbols:
        if not market.has_day_path(name, day):
            await offload.shared(("path", name, day), partial(market.day_path_work, name, day),
                                 partial(market.install_day_path, name, day))


async def run(market: Market, offload: Offload) -> None:
    warmed = day_of(market.now())
    while True:
        now = market.now()
        coming = day_of(now) + 1
        due = coming * DAY_MS - LEAD_MS
        if coming > warmed and now >= due:
            await warm_day(market, offload, coming)
            warmed = coming
            continue
        target = due if coming > warmed else coming * DAY_MS
        await asyncio.sleep(min(RECHECK_S, max(0.05, (target - now) / 1000)))
