"""The garbage collector's policy for a long-running server (``GC_FREEZE`` and
``GC_THRESHOLDS``, both set by default in ``python -m app server``).

What start-up builds (modules, schemas, the market, routes, a loaded account) lives as long as
the process. Left in the collector's oldest generation it is scanned by every full collection,
and those full collections are the p99 stalls of a busy server (docs/PERFORMANCE.md: tens of
milliseconds each). Once start-up is over the heap is collected once and frozen
(``gc.freeze``): later collections scan only what was allocated since. Garbage is still freed
by reference counting; only a reference cycle among the frozen objects would never be
collected, which is why the freeze waits for the end of start-up and collects first.

What start-up did not build, the orders above all (two tracked objects each), is scanned by
every full collection, which grows with the orders kept (35 ms over 29,000 resting orders,
measured with ``gc.callbacks``): a stall every client waits for, and what a p99 shows.
CPython runs one after every 10 middle collections once the old generation has grown by a
quarter; the server's default (``GC_THRESHOLDS=700,10,100``) waits for 100, so a growing heap
is scanned a tenth as often. The cost is that reference cycles which outlive the young
generations wait longer to be freed: under the REST benchmarks the full collections found
fewer than a hundred such objects; under WebSocket churn and fan-out, about 1 MB of them
(tracebacks and frames above all) waited for the next full collection, about one a minute
under that load (docs/PERFORMANCE.md, "p99 and the collector").
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable

from aiohttp import web


async def freeze_after_startup(_: web.Application) -> None:
    gc.collect()
    gc.freeze()


def thresholds_ctx(
    thresholds: tuple[int, int, int],
) -> Callable[[web.Application], AsyncIterator[None]]:
    """The thresholds while the application runs; the ones found are put back at its cleanup
    (tests build many applications in one process)."""

    async def ctx(_: web.Application) -> AsyncIterator[None]:
        found = gc.get_threshold()
        gc.set_threshold(*thresholds)
        try:
            yield
        finally:
            gc.set_threshold(*found)

    return ctx


def install(app: web.Application, *, freeze: bool, thresholds: tuple[int, int, int] | None) -> None:
    """Append to the root application's start-up, after every module's (appended before)."""
    if thresholds is not None:
        app.cleanup_ctx.append(thresholds_ctx(thresholds))
    if freeze:
        app.on_startup.append(freeze_after_startup)
