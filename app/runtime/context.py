"""The runtime's background parts, started and stopped with the application (cleanup_ctx)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from aiohttp import web

from app.keys import LAG, MARKET, OFFLOAD
from app.runtime import warmer


async def runtime_ctx(app: web.Application) -> AsyncIterator[None]:
    offload = app[OFFLOAD]
    offload.start()
    tasks = [asyncio.create_task(app[LAG].run(), name="loop-lag"),
             asyncio.create_task(warmer.run(app[MARKET], offload), name="day-warmer")]
    yield
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError):
            await task
    offload.close()
