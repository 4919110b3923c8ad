"""Work spread over turns of the event loop, and the collector paused while a burst lasts."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest

from ws.pacer import CollectorPause, Pacer, Spreader


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


async def test_a_spreader_runs_at_most_per_turn_callbacks_a_turn_in_order() -> None:
    loop = asyncio.get_running_loop()
    spreader = Spreader(loop, per_turn=10, collector=None)
    ran: list[int] = []
    for n in range(35):
        spreader.call(lambda n=n: ran.append(n))
    seen = []
    while len(ran) < 35:
        await asyncio.sleep(0)
        seen.append(len(ran))
    assert ran == list(range(35))
    assert max(b - a for a, b in zip([0, *seen], seen)) == 10
    assert len(spreader) == 0


async def test_a_burst_pauses_the_collector_until_rest_after_it() -> None:
    pause = CollectorPause(rest_s=0.05, max_s=5.0)
    spreader = Spreader(asyncio.get_running_loop(), per_turn=4, collector=pause)
    for _ in range(20):
        spreader.call(lambda: None)
    assert not gc.isenabled() and pause.paused
    while len(spreader):
        await asyncio.sleep(0)
    assert not gc.isenabled(), "resumed only rest_s after the burst"
    await asyncio.sleep(0.1)
    assert gc.isenabled() and not pause.paused


async def test_a_pause_ends_at_its_deadline_even_while_the_burst_goes_on() -> None:
    pause = CollectorPause(rest_s=1.0, max_s=0.05)
    pacer = Pacer(1, pause)
    await pacer.turn()
    waiting = [asyncio.ensure_future(pacer.turn()) for _ in range(3)]
    await asyncio.sleep(0)
    assert not gc.isenabled()
    await asyncio.gather(*waiting)
    await asyncio.sleep(0.1)
    assert gc.isenabled()


async def test_after_a_pause_the_collector_stays_on_for_max_s_so_bursts_cannot_keep_it_off() -> None:
    pause = CollectorPause(rest_s=0.01, max_s=0.2)
    pause.hold()
    pause.release()
    await asyncio.sleep(0.05)
    assert gc.isenabled()
    pause.hold()  # the next burst, within max_s of the last pause's end
    assert gc.isenabled() and not pause.paused
    await asyncio.sleep(0.25)
    pause.hold()  # past it: a burst pauses again
    assert not gc.isenabled() and pause.paused
    pause.resume()


async def test_a_collector_disabled_by_someone_else_stays_disabled() -> None:
    pause = CollectorPause(rest_s=0.01)
    gc.disable()
    pause.hold()
    pause.release()
    await asyncio.sleep(0.05)
    assert not gc.isenabled() and not pause.paused
