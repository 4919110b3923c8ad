"""examples/sma_bot.py for a bounded run against the app on a fast stepped clock.

The market's clock moves 20 s every 0.1 s (a 1-minute bar every 0.3 s), the matching loop and the
bar streams run as in production; the bot must trade, end flat, and print the P&L the account
reports on its ``equity`` topic.
"""

from __future__ import annotations

import asyncio
import importlib.util
import re
import sys
from collections.abc import AsyncIterator
from types import ModuleType

import pytest
from trader_pro_client.streaming import EquityData, Stream, Update

from app.market import Market, default_catalogue
from tests.clients.conftest import CLIENT_ROOT, base_url
from tests.clock import NOW, SteppedClock
from tests.conftest import ClientFactory

EXAMPLE = CLIENT_ROOT.parents[1] / "examples" / "sma_bot.py"


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sma_bot", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["sma_bot"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
async def fast_clock() -> AsyncIterator[SteppedClock]:
    clock = SteppedClock(NOW)

    async def run() -> None:
        while True:
            await asyncio.sleep(0.1)
            clock.advance(20_000)

    task = asyncio.create_task(run())
    yield clock
    task.cancel()


async def account_pl(url: str) -> EquityData:
    async with Stream(url) as stream:
        await stream.subscribe("equity", {"accountId": "DEMO-ACCOUNT"})
        async for event in stream:
            if isinstance(event, Update) and isinstance(event.item, EquityData):
                return event.item
    raise AssertionError("the stream ended")


@pytest.mark.timeout(180)
async def test_the_bot_trades_and_prints_the_accounts_pnl(
    make_client: ClientFactory, fast_clock: SteppedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    app = await make_client(on=Market(default_catalogue(), seed=0, clock=fast_clock), engine_step_ms=20,
                            first_order_seq=1)
    url = base_url(app)
    bot = load_example()
    report = await asyncio.wait_for(bot.main(url, None, fast=2, slow=4, qty=10, max_bars=30), 120)

    out = capsys.readouterr().out
    assert report.bars == 30 and report.orders, out
    assert report.executions >= 2 * len(report.orders) - 1, out  # every entry was closed again (or by a bracket)
    assert "BUY 10 AAPL at market" in out and "positions: none" in out.splitlines()[-2], out
    printed = re.search(r"^P&L: realized (-?\d+\.\d\d) over", out, re.MULTILINE)
    assert printed is not None, out
    equity = await account_pl(url)
    assert equity.unrealized_pl == 0.0
    assert float(printed.group(1)) == pytest.approx(equity.realized_pl, abs=0.005)
    assert equity.balance == pytest.approx(100_000.0 + equity.realized_pl)
