"""An idle step (no working order in any book) writes nothing: an idle server does not commit
five times a second. The last step time then stays where the last step with work left it, which
the restart rule may read: an order placed later is matched only on the path since it arrived,
before a restart and after it."""

from __future__ import annotations

from pathlib import Path

import orjson

from app.market import Market
from tests.broker.conftest import SteppedClock
from tests.store.apps import account, get_bytes, limit, market_order, matching, post
from tests.store.conftest import Launch

SECOND = 1000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE


async def test_idle_steps_commit_nothing_and_a_working_order_makes_them_write_again(
        tmp_path: Path, market: Market, clock: SteppedClock, launch: Launch) -> None:
    client = await launch(f"sqlite:///{tmp_path / 'broker.sqlite3'}", market)
    durable = account(client)
    seq, last_step = durable.seq, durable.engine.state.last_step
    for _ in range(50):
        clock.t += 200
        assert await matching(client).step() is True
    assert (durable.seq, durable.engine.state.last_step) == (seq, last_step)
    assert (await durable.store.load(durable.account_id)).last_seq == seq  # nothing reached the store

    await post(client, "/orders", limit(1, 1.5))
    written = durable.seq
    clock.t += 200
    assert await matching(client).step() is True
    assert durable.engine.state.last_step == clock.t and durable.seq == written + 1  # one Stepped


async def test_an_order_placed_after_a_long_idle_stretch_sees_only_the_path_since_it_arrived(
        tmp_path: Path, market: Market, clock: SteppedClock, launch: Launch) -> None:
    url = f"sqlite:///{tmp_path / 'broker.sqlite3'}"
    first = await launch(url, market)
    since = account(first).engine.state.last_step
    for hour in range(1, 25):  # idle hours, stepped every minute, until one dips below the next minute
        for _ in range(60):
            clock.t += MINUTE
            assert await matching(first).step() is True
        idle_low = market.extremes("AAPL", since, clock.t).ask_low
        if idle_low < market.extremes("AAPL", clock.t, clock.t + 2 * MINUTE).ask_low:
            break
    else:
        raise AssertionError("no idle hour of the market dipped below its next two minutes")
    assert account(first).engine.state.last_step == since  # not one of those steps was written
    order_id = (await post(first, "/orders", limit(1, idle_low)))["orderId"]
    clock.t += MINUTE
    assert await matching(first).step() is True  # from the stale last step: only the order's own path counts
    orders = orjson.loads(await get_bytes(first, "/orders"))
    assert [(o["id"], o["status"]) for o in orders] == [(order_id, 6)]
    await first.close()

    second = await launch(url, market)
    before = await get_bytes(second, "/orders")
    clock.t += MINUTE
    assert await matching(second).step() is True
    assert await get_bytes(second, "/orders") == before  # the restart rule filled nothing either
    assert account(second).engine.state.last_step == clock.t


async def test_a_position_alone_is_marked_to_market_without_a_step_event(
        tmp_path: Path, market: Market, clock: SteppedClock, launch: Launch) -> None:
    client = await launch(f"sqlite:///{tmp_path / 'broker.sqlite3'}", market)
    durable = account(client)
    await post(client, "/orders", market_order(1, 2.0))
    clock.t += 200
    assert await matching(client).step() is True
    assert orjson.loads(await get_bytes(client, "/positions"))[0]["qty"] == 2.0
    seq = durable.seq
    for _ in range(25):
        clock.t += 200
        assert await matching(client).step() is True
    kinds = [r.kind for r in (await durable.store.load(durable.account_id)).records if r.seq > seq]
    assert kinds and set(kinds) == {"EquityMarked"}
