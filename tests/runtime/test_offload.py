"""The worker thread: resumable work runs off the loop, one shared build per key."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator

import pytest

from app.market.steps import Steps
from app.runtime.offload import Offload


def counting(threads: list[str], value: int, pieces: int = 3) -> Steps[int]:
    for _ in range(pieces):
        threads.append(threading.current_thread().name)
        yield
    return value


@pytest.fixture
async def offload() -> AsyncIterator[Offload]:
    worker = Offload()
    worker.start()
    yield worker
    worker.close()


async def test_work_runs_on_the_worker_thread_and_returns_its_value(offload: Offload) -> None:
    threads: list[str] = []
    assert await offload.run(counting(threads, 42)) == 42
    assert len(threads) == 3 and all(name.startswith("offload") for name in threads)


async def test_switched_off_the_work_runs_inline() -> None:
    threads: list[str] = []
    assert await Offload(enabled=False).run(counting(threads, 7)) == 7
    assert set(threads) == {threading.current_thread().name}


async def test_concurrent_asks_for_one_key_share_one_build_installed_before_anyone_resumes(offload: Offload) -> None:
    prepared: list[int] = []
    installed: list[int] = []
    seen_installed: list[int] = []
    threads: list[str] = []

    def prepare() -> Steps[int]:
        prepared.append(1)
        return counting(threads, 5)

    async def ask() -> int:
        value = await offload.shared(("minutes", "AAPL", 1), prepare, installed.append)
        seen_installed.append(len(installed))
        return value

    assert await asyncio.gather(*(ask() for _ in range(5))) == [5] * 5
    assert (prepared, installed, seen_installed) == ([1], [5], [1] * 5)
    again = await offload.shared(("minutes", "AAPL", 1), prepare, installed.append)
    assert (again, len(prepared)) == (5, 2), "a finished build is not kept by the offload (the cache keeps it)"


async def test_a_cancelled_asker_does_not_cancel_the_shared_build(offload: Offload) -> None:
    installed: list[int] = []
    release = threading.Event()

    def slow() -> Steps[int]:
        release.wait(5)
        yield
        return 9

    first = asyncio.create_task(offload.shared("k", slow, installed.append))
    second = asyncio.create_task(offload.shared("k", slow, installed.append))
    await asyncio.sleep(0.01)
    first.cancel()
    release.set()
    assert await second == 9
    assert installed == [9]
    with pytest.raises(asyncio.CancelledError):
        await first


async def test_a_failed_build_fails_every_asker_and_is_retried_next_time(offload: Offload) -> None:
    def broken() -> Steps[int]:
        yield
        raise RuntimeError("boom")

    results = await asyncio.gather(*(offload.shared("x", broken, lambda _: None) for _ in range(2)),
                                   return_exceptions=True)
    assert [type(r) for r in results] == [RuntimeError, RuntimeError]
    assert await offload.shared("x", lambda: counting([], 1), lambda _: None) == 1


async def test_the_worker_runs_at_a_lower_scheduling_priority_than_the_loop(offload: Offload) -> None:
    import os

    def niceness() -> Steps[int]:
        yield
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    loop_nice = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert await offload.run(niceness()) == min(19, loop_nice + 10)
