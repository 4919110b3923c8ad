"""The loop-lag ticker measures how late the loop wakes it: a stall shows as its length."""

from __future__ import annotations

import asyncio
import time

from app.runtime.lag import LagTicker


async def test_a_blocked_loop_shows_as_a_lag_of_about_the_block() -> None:
    ticker = LagTicker(interval=0.01)
    task = asyncio.create_task(ticker.run())
    await asyncio.sleep(0.05)
    ticker.reset()
    time.sleep(0.2)  # the stall under test: nothing else runs on the loop meanwhile
    await asyncio.sleep(0.05)
    task.cancel()
    assert 0.15 <= ticker.worst < 2.0
    assert ticker.recent_max() >= ticker.worst


async def test_the_recent_maximum_forgets_old_lags() -> None:
    ticker = LagTicker(window_seconds=3)
    task = asyncio.create_task(ticker.run())
    await asyncio.sleep(0.02)
    now = asyncio.get_running_loop().time()
    ticker.record(now - 10, 5.0)  # a stall long ago...
    ticker.record(now, 0.02)
    task.cancel()
    assert ticker.worst == 5.0  # ...still the worst since reset
    assert ticker.recent_max() < 1.0  # ...but no longer recent
