"""A moving-average crossover bot on the Trader Pro paper broker, written against `trader_pro_client`.

History comes from ``GET /bars``, live bars from the ``bars`` stream (a bar is final when the next
one opens), trades are MARKET orders with a take-profit and a stop-loss bracket: long when the fast
average crosses above the slow one, flat again when it crosses below (or when a bracket fills).
After every trade it prints the position; at the end it closes what is left and prints the P&L it
computes itself from its executions (netting: a reducing fill realizes ``(fill − avg) · qty · side``),
which must equal the account's.

    make run                                         # in one terminal
    python examples/sma_bot.py --bars 30             # in another (.venv/bin/python)

``main(base_url, key)`` is what tests call, in-process, against the app on a fast clock.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from trader_pro_client import broker_client, datafeed_client
from trader_pro_client.broker import Client as BrokerClient
from trader_pro_client.broker.api.broker import close_position, get_executions, get_positions, place_order
from trader_pro_client.datafeed import Client as DatafeedClient
from trader_pro_client.broker.models import Execution, OrderType, PlaceOrderResult, Position, PreOrder, Side
from trader_pro_client.datafeed.api.datafeed import get_bars, resolve_symbol
from trader_pro_client.datafeed.models import Bar, GetBarsResponse, SymbolInfo
from trader_pro_client.streaming import FAR_FUTURE_MS, Snapshot, Stream, Update


@dataclass(frozen=True)
class Report:
    bars: int
    orders: list[str]
    executions: int
    realized_pl: float


def sma(values: Sequence[float], n: int) -> float:
    return sum(values[-n:]) / n


def realized_pl(executions: Sequence[Execution]) -> float:
    """Replay the fills with netting (the broker's rules): what closing trades made or lost."""
    position, average, realized = 0.0, 0.0, 0.0
    for fill in sorted(executions, key=lambda e: e.time):
        signed = fill.qty * int(fill.side)
        if position == 0 or (position > 0) == (signed > 0):
            average = (average * abs(position) + fill.price * abs(signed)) / (abs(position) + abs(signed))
            position += signed
            continue
        closed = min(abs(signed), abs(position))
        realized += (fill.price - average) * closed * (1 if position > 0 else -1)
        position += signed
        if position != 0 and abs(signed) > closed:  # crossed zero: the remainder opens at the fill
            average = fill.price
    return realized


class Bot:
    def __init__(self, broker: BrokerClient, symbol: str, tick: float, *, fast: int, slow: int, qty: float,
                 take_profit: float, stop_loss: float) -> None:
        self.broker, self.symbol, self.tick = broker, symbol, tick
        self.fast, self.slow, self.qty = fast, slow, qty
        self.take_profit, self.stop_loss = take_profit, stop_loss
        self.closes: deque[float] = deque(maxlen=slow + 1)
        self.current: Bar | None = None
        self.orders: list[str] = []
        self.closed_bars = 0

    def seed(self, bars: Sequence[Bar]) -> None:
        """History (or a resync after a reconnect): every bar but the last is final."""
        self.closes.clear()
        self.closes.extend(bar.close for bar in bars[:-1])
        self.current = bars[-1] if bars else None

    async def on_bar(self, bar: Bar) -> bool:
        """A live bar; True when it finished the previous one (which then was traded on)."""
        finished = self.current is not None and bar.time > self.current.time
        if finished and self.current is not None:
            self.closes.append(self.current.close)
            self.closed_bars += 1
            await self.decide(self.current.close)
        if self.current is None or bar.time >= self.current.time:
            self.current = bar
        return finished

    async def decide(self, close: float) -> None:
        if len(self.closes) < self.slow + 1:
            return
        closes = list(self.closes)  # a deque does not slice
        previous = closes[:-1]
        was_above = sma(previous, self.fast) > sma(previous, self.slow)
        is_above = sma(closes, self.fast) > sma(closes, self.slow)
        held = await self.position()
        if is_above and not was_above and held is None:
            order = PreOrder(
                symbol=self.symbol, type_=OrderType.MARKET, side=Side.BUY, qty=self.qty,
                take_profit=self.on_tick(close * (1 + self.take_profit)),
                stop_loss=self.on_tick(close * (1 - self.stop_loss)),
            )
            placed = await place_order.asyncio(client=self.broker, body=order)
            if not isinstance(placed, PlaceOrderResult):
                raise RuntimeError(f"placeOrder refused: {placed!r}")
            self.orders.append(placed.order_id)
            print(f"BUY {self.qty:g} {self.symbol} at market (~{close}), take-profit {order.take_profit}, "
                  f"stop-loss {order.stop_loss}: {placed.order_id}")
        elif was_above and not is_above and held is not None:
            await close_position.asyncio(held.id, client=self.broker)
            print(f"SELL: close {held.qty:g} {self.symbol} at market (~{close})")
        else:
            return
        await self.print_positions()

    def on_tick(self, price: float) -> float:
        decimals = max(0, len(f"{self.tick:.10f}".rstrip("0").split(".")[1]))
        return round(round(price / self.tick) * self.tick, decimals)

    async def position(self) -> Position | None:
        positions = await get_positions.asyncio(client=self.broker)
        assert isinstance(positions, list)
        return next((p for p in positions if p.symbol == self.symbol and p.qty > 0), None)

    async def print_positions(self) -> None:
        positions = await get_positions.asyncio(client=self.broker)
        assert isinstance(positions, list)
        listed = ", ".join(f"{p.symbol} {'long' if p.side == Side.BUY else 'short'} {p.qty:g} @ {p.avg_price}"
                           for p in positions if p.qty > 0)
        print(f"positions: {listed or 'none'}")

    async def flatten(self, timeout: float = 30.0) -> None:
        held = await self.position()
        if held is None:
            return
        await close_position.asyncio(held.id, client=self.broker)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while await self.position() is not None:
            if loop.time() > deadline:
                raise TimeoutError(f"{self.symbol} position still open after {timeout} s")
            await asyncio.sleep(0.05)
        print(f"closed the {self.symbol} position")


async def tick_size(client: DatafeedClient, symbol: str) -> float:
    info = await resolve_symbol.asyncio(symbol, client=client)
    if not isinstance(info, SymbolInfo):
        raise RuntimeError(f"unknown symbol {symbol}: {info!r}")
    return info.minmov / info.pricescale


async def main(
    base_url: str,
    key: str | None = None,
    *,
    symbol: str = "AAPL",
    resolution: str = "1",
    fast: int = 5,
    slow: int = 20,
    qty: float = 10,
    take_profit: float = 0.02,
    stop_loss: float = 0.01,
    max_bars: int | None = None,
) -> Report:
    """Trade until ``max_bars`` bars have closed (forever when None), then go flat and print the P&L."""
    broker, datafeed = broker_client(base_url, key), datafeed_client(base_url, key)
    bot = Bot(broker, symbol, await tick_size(datafeed, symbol), fast=fast, slow=slow, qty=qty,
              take_profit=take_profit, stop_loss=stop_loss)
    history = await get_bars.asyncio(client=datafeed, symbol=symbol, resolution=resolution, from_time=0,
                                     to_time=FAR_FUTURE_MS, count_back=slow + 2)
    if not isinstance(history, GetBarsResponse):
        raise RuntimeError(f"no history for {symbol}: {history!r}")
    bot.seed(history.bars)
    print(f"{symbol} {resolution}: {len(history.bars)} bars of history, SMA {fast}/{slow}")
    try:
        async with Stream(base_url, key) as stream:
            await stream.subscribe("bars", {"symbol": symbol, "resolution": resolution})
            async for event in stream:
                if isinstance(event, Snapshot) and event.route == "bars":
                    bot.seed([bar for bar in event.items if isinstance(bar, Bar)])
                elif isinstance(event, Update) and isinstance(event.item, Bar):
                    if await bot.on_bar(event.item) and max_bars is not None and bot.closed_bars >= max_bars:
                        break
        await bot.flatten()
        await bot.print_positions()
        executions = await get_executions.asyncio(symbol, client=broker)
        assert isinstance(executions, list)
        pnl = realized_pl(executions)
        print(f"P&L: realized {pnl:.2f} over {len(executions)} executions, {len(bot.orders)} entries")
        return Report(bot.closed_bars, bot.orders, len(executions), pnl)
    finally:
        await broker.get_async_httpx_client().aclose()
        await datafeed.get_async_httpx_client().aclose()


def cli(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--key", default=None, help="API key (servers with AUTH=required)")
    parser.add_argument("--symbol", default="AAPL")
    parser.add_argument("--resolution", default="1")
    parser.add_argument("--fast", type=int, default=5)
    parser.add_argument("--slow", type=int, default=20)
    parser.add_argument("--qty", type=float, default=10)
    parser.add_argument("--bars", type=int, default=None, help="stop after this many closed bars")
    args = parser.parse_args(argv)
    asyncio.run(main(args.base_url, args.key, symbol=args.symbol, resolution=args.resolution, fast=args.fast,
                     slow=args.slow, qty=args.qty, max_bars=args.bars))
    return 0


if __name__ == "__main__":
    sys.exit(cli())
