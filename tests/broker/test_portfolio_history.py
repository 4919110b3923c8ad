"""``GET /account/history`` (issue 18 item 4): at every grid time the equity equals what the
engine itself reported at that time, on the suite's stepped clock (trades long and short in two
symbols, partial closes, fills between grid times), from a memory store and from a SQLite file
after a restart; bad parameters and too many points are 422s."""

from __future__ import annotations

from typing import Any

import pytest

from app.broker.domain.commission import Commission
from app.broker.domain.history import PERIODS, TIMEFRAMES, equity_series, grid, held_spans
from app.broker.domain.snapshots import Execution
from app.market import Market
from schemas.history import PERIODS as WIRE_PERIODS
from schemas.history import TIMEFRAMES as WIRE_TIMEFRAMES
from tests.broker.conftest import SteppedClock
from tests.clock import TODAY
from tests.store.apps import BROKER, Client, account, market_order, matching, post
from tests.store.conftest import Launch, clock, launch, market  # noqa: F401  # the store tests' fixtures
from tests.store.conftest import store_url  # noqa: F401  # SQLite and PostgreSQL

MINUTE = 60_000
HOUR = 60 * MINUTE
START = TODAY + 86_400_000  # the midnight after the account opened (the clock starts at NOW)
COSTS = Commission(per_share=0.01, rate=0.0005, minimum=1.0)
"""Commissions come off the balance at each fill: the history must replay them too."""


async def step(client: Client, clock: SteppedClock, t: int) -> None:  # noqa: F811
    clock.t = t
    assert await matching(client).step() is True


async def close(client: Client, symbol: str, amount: float) -> None:
    response = await client.delete(f"{BROKER}/positions/{symbol}", params={"amount": str(amount)})
    assert response.status == 200, await response.text()


async def trade_a_day(client: Client, clock: SteppedClock, every: int) -> dict[int, float]:  # noqa: F811
    """A day of trading on the stepped clock: the engine's own equity at every ``every`` ms."""
    plan: dict[int, list[tuple[str, Any]]] = {
        1: [("buy", ("AAPL", 10.0))], 3: [("sell", ("MSFT", 4.0))], 5: [("close", ("AAPL", 4.0))],
        8: [("buy", ("MSFT", 1.5)), ("sell", ("AAPL", 20.0))], 13: [("close", ("MSFT", 2.5))],
        17: [("buy", ("AAPL", 14.0))], 21: [("buy", ("MSFT", 3.0))],
    }
    seen: dict[int, float] = {}
    for t in range(START, START + 86_400_000 + 1, every):
        await step(client, clock, t)
        seen[t] = account(client).engine.equity().equity
        hour, offset = divmod(t - START, HOUR)
        if offset == 0 and hour in plan:
            clock.t = t + 7 * MINUTE + 123
            for action, (symbol, qty) in plan[hour]:
                if action == "close":
                    await close(client, symbol, qty)
                else:
                    await post(client, "/orders", market_order(1 if action == "buy" else -1, qty, symbol=symbol))
            await step(client, clock, t + 11 * MINUTE + 456)  # the fills land between grid times
    return seen


async def portfolio(client: Client, status: int = 200, **params: str) -> Any:
    response = await client.get(f"{BROKER}/account/history", params=params)
    assert response.status == status, await response.text()
    return await response.json()


def assert_matches(answer: dict[str, Any], seen: dict[int, float], timeframe: str, step_ms: int) -> None:
    times = [s * 1000 for s in answer["timestamp"]]
    assert times == list(range(START, START + 86_400_000 + 1, step_ms))
    assert answer["equity"] == pytest.approx([seen[t] for t in times], abs=1e-6, rel=0)
    assert len(set(answer["equity"])) > 10  # the positions moved the equity
    base = answer["base_value"]
    assert base == answer["equity"][0] == 100_000.0
    assert answer["profit_loss"] == pytest.approx([e - base for e in answer["equity"]], abs=1e-9)
    assert answer["profit_loss_pct"] == pytest.approx([(e - base) / base for e in answer["equity"]], abs=1e-12)
    assert answer["timeframe"] == timeframe


async def test_every_point_is_the_engines_equity_at_that_grid_time(
        market: Market, clock: SteppedClock, launch: Launch) -> None:  # noqa: F811
    client = await launch("memory:", market, commission=COSTS)
    seen = await trade_a_day(client, clock, 15 * MINUTE)
    charged = [x.commission for xs in account(client).engine.state.executions.values() for x in xs]
    assert len(charged) == 8 and all(c >= 1.0 for c in charged)  # every order here fills at once
    clock.t = START + 86_400_000 + 14 * MINUTE  # the last grid time is now floored to the timeframe
    for timeframe, step_ms in (("15Min", 15 * MINUTE), ("1H", HOUR)):
        assert_matches(await portfolio(client, period="1D", timeframe=timeframe), seen, timeframe, step_ms)
    assert len((await portfolio(client, period="1W", timeframe="1H"))["equity"]) == 7 * 24 + 1
    daily = await portfolio(client, period="1A", timeframe="1D")  # midnights: priced from each day's open
    assert len(daily["timestamp"]) == 366 and daily["timestamp"][-2:] == [START // 1000, START // 1000 + 86_400]
    assert daily["equity"][-2:] == pytest.approx([seen[START], seen[START + 86_400_000]], abs=1e-6, rel=0)
    assert set(daily["equity"][:-2]) == {100_000.0} and seen[START + 86_400_000] != 100_000.0


async def test_the_history_is_the_same_after_a_restart_on_a_store_file_and_on_postgresql(
        store_url: str, market: Market, clock: SteppedClock, launch: Launch) -> None:  # noqa: F811
    url = store_url
    first = await launch(url, market, commission=COSTS)
    seen = await trade_a_day(first, clock, HOUR)
    clock.t = START + 86_400_000 + 59 * MINUTE
    before = await portfolio(first, period="1D", timeframe="1H")
    assert_matches(before, seen, "1H", HOUR)
    await first.close()
    second = await launch(url, market, commission=COSTS)
    assert await portfolio(second, period="1D", timeframe="1H") == before


async def test_an_account_without_trades_is_flat_at_its_balance(market: Market, launch: Launch) -> None:  # noqa: F811
    client = await launch("memory:", market)
    answer = await portfolio(client)  # defaults: a month of days
    assert len(answer["timestamp"]) == 31 and set(answer["equity"]) == {100_000.0}
    assert set(answer["profit_loss"]) == {0.0} and answer["timeframe"] == "1D"
    assert list(answer) == ["timestamp", "equity", "profit_loss", "profit_loss_pct", "base_value", "timeframe"]


@pytest.mark.parametrize("params, loc, kind", [
    ({"period": "2D"}, "period", "literal_error"),
    ({"timeframe": "2Min"}, "timeframe", "literal_error"),
    ({"period": "1W", "timeframe": "1Min"}, "timeframe", "value_error"),  # 10,081 points
    ({"period": "1A", "timeframe": "5Min"}, "timeframe", "value_error"),
    ({"period": "1A", "timeframe": "1H"}, "timeframe", "value_error"),  # intraday: at most 30 days, as Alpaca
])
async def test_bad_parameters_and_more_than_ten_thousand_points_are_422(
        market: Market, launch: Launch, params: dict[str, str], loc: str, kind: str) -> None:  # noqa: F811
    client = await launch("memory:", market)
    detail = (await portfolio(client, 422, **params))["detail"]
    assert [(d["loc"], d["type"]) for d in detail] == [(["query", loc], kind)]


def test_the_wire_names_are_the_domains() -> None:
    assert tuple(PERIODS) == WIRE_PERIODS and tuple(TIMEFRAMES) == WIRE_TIMEFRAMES
    assert len(grid("1D", "1Min", START + 30_000)) == 1441


def test_prices_are_needed_only_while_a_position_is_open() -> None:
    xs = [Execution(1, "O1", "AAPL", 10.0, 2.0, 1, 100), Execution(3, "O3", "AAPL", 11.0, 2.0, -1, 200),
          Execution(2, "O2", "MSFT", 5.0, 1.0, -1, 150)]
    assert held_spans(xs) == {"AAPL": [(100, 200)], "MSFT": [(150, None)]}
    marks = {"AAPL": 12.0, "MSFT": 4.0}
    series = equity_series(1_000.0, xs, range(0, 301, 50), lambda t: lambda symbol, side: marks[symbol])
    assert series.equity == [1_000.0, 1_000.0, 1_004.0, 1_005.0, 1_003.0, 1_003.0, 1_003.0]
