"""The garbage collector's policy for a long-running server (``GC_FREEZE``, on by default in
``python -m app server``).

What start-up builds (modules, schemas, the market, routes, a loaded account) lives as long as
the process. Left in the collector's oldest generation it is scanned by every full collection,
and those full collections are the p99 stalls of a busy server (docs/PERFORMANCE.md: tens of
milliseconds each). Once start-up is over the heap is collected once and frozen
(``gc.freeze``): later collections scan only what was allocated since. Garbage is still freed
by reference counting; only a reference cycle among the frozen objects would never be
collected, which is why the freeze waits for the end of start-up and collects first.
"""

from __future__ import annotations

import gc

from aiohttp import web


async def freeze_after_startup(_: web.Application) -> None:
    gc.collect()
    gc.freeze()


def install(app: web.Application) -> None:
    """Append to the root application's start-up, after every module's (appended before)."""
    app.on_startup.append(freeze_after_startup)
