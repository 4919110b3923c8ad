"""The matching loop: one engine step per interval, and the failure made visible.

A failed step changed nothing (the engine rolls it back) and the next one retries the same
interval of the market. A streak of ``SUSPEND_AFTER_FAILURES`` failed steps means matching is
stuck: the ``broker-connection`` stream says so (status 0, "Matching suspended: …"), and the
first good step announces status 1 again. Readiness and metrics read ``failures`` and
``suspended`` and use the same threshold.

Steps go through the account's store (``execute``): a step whose commit fails is rolled back like
a failed one, so while the store is down matching pauses, and the first step that commits
afterwards covers the whole missed interval (the restart rule: catch up, see README).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from app.broker.domain.commands import Step
from app.broker.domain.engine import CommandFailed
from app.store.interface import StoreError

LOG = logging.getLogger(__name__)

SUSPEND_AFTER_FAILURES = 5
CONNECTED_MESSAGE = "Connected to demo broker"

Status = dict[str, object]


class MatchingLoop:
    """``announce`` publishes a BrokerConnectionStatus payload on the ``broker-connection`` route."""

    def __init__(self, execute: Callable[[Step], Awaitable[None]], clock: Callable[[], int],
                 announce: Callable[[Status], None]) -> None:
        self._execute = execute
        self._clock = clock
        self._announce = announce
        self.failures = 0
        """Consecutive failed steps (0 after a good one)."""
        self.reason: str | None = None

    @property
    def suspended(self) -> bool:
        return self.failures >= SUSPEND_AFTER_FAILURES

    def status(self) -> Status:
        """What a ``broker-connection`` subscriber is told now."""
        if self.suspended:
            return {"status": 0, "message": f"Matching suspended: {self.reason}",
                    "disconnectType": None, "timestamp": self._clock()}
        return {"status": 1, "message": CONNECTED_MESSAGE, "disconnectType": None,
                "timestamp": self._clock()}

    async def step(self) -> bool:
        """One step; False when it failed (and was rolled back)."""
        try:
            await self._execute(Step())
        except CommandFailed as failure:
            cause = failure.__cause__
            self._failed(f"{failure}: {type(cause).__name__}: {cause}", cause)
            return False
        except StoreError as exc:
            self._failed(f"Store unavailable: {exc}", None)
            return False
        except Exception:  # the step was committed; only its publication broke
            LOG.exception("publishing a matching step failed")
        if self.failures:
            was_suspended = self.suspended
            LOG.warning("matching resumed after %d failed steps", self.failures)
            self.failures, self.reason = 0, None
            if was_suspended:
                self._announce(self.status())
        return True

    def _failed(self, reason: str, cause: BaseException | None) -> None:
        self.reason = reason
        self.failures += 1
        if self.failures == 1:
            LOG.error("matching step failed and was rolled back: %s", self.reason, exc_info=cause)
        if self.failures == SUSPEND_AFTER_FAILURES:
            LOG.error("matching suspended after %d failed steps: %s", self.failures, self.reason)
            self._announce(self.status())

    async def run(self, interval_s: float) -> None:
        while True:
            await asyncio.sleep(interval_s)
            await self.step()
