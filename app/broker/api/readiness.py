"""What the broker's ``/health`` checks: the store answers, and matching is not suspended.

The store is probed by a read every ``PROBE_S`` (commands alone would not notice it is gone
while nobody trades, nor that it is back); the matching loop reports its own suspension after
``SUSPEND_AFTER_FAILURES`` consecutive failed steps, the threshold of its stream status.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from aiohttp import web

from app.broker.api.accounts import Accounts
from app.broker.api.matching import MatchingLoop
from app.store.interface import StoreError

LOG = logging.getLogger(__name__)

PROBE_S = 1.0


class StoreProbe:
    """The store every account shares, and each account's reload state."""

    def __init__(self, accounts: Accounts) -> None:
        self._accounts = accounts
        self.error: str | None = None

    async def probe(self) -> None:
        store = self._accounts.store
        try:
            await store.ping()
        except StoreError as exc:
            if self.error is None:
                LOG.error("readiness: store %s does not answer: %s", store.name, exc)
            self.error = str(exc)
        else:
            if self.error is not None:
                LOG.warning("readiness: store %s answers again", store.name)
            self.error = None

    def check(self) -> str | None:
        if self.error is not None:
            return f"Store unavailable: {self.error}"
        for account in self._accounts.all():
            if account.durable.stale:
                return f"Store unavailable: account {account.id} awaits a reload"
        return None

    def context(self, interval: float = PROBE_S) -> Callable[[web.Application], AsyncIterator[None]]:
        async def run() -> None:
            while True:
                await asyncio.sleep(interval)
                await self.probe()

        async def context(_: web.Application) -> AsyncIterator[None]:
            task = asyncio.create_task(run(), name="broker-store-probe")
            yield
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

        return context


def matching_check(loop: MatchingLoop) -> Callable[[], str | None]:
    def check() -> str | None:
        return f"Matching suspended: {loop.reason}" if loop.suspended else None

    return check
