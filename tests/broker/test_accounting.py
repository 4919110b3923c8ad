"""Netting and the ledger, exact values and a property against lot-by-lot bookkeeping."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.broker.domain.accounting import Ledger
from app.broker.domain.netting import Holding, Netted, net
from app.broker.domain.snapshots import EquityData, Execution


def test_opening_takes_the_fill() -> None:
    assert net(None, -1, 3.0, 50.0) == Netted(Holding(-1, 3.0, 50.0), 0.0)


def test_increase_re_averages() -> None:
    assert net(Holding(1, 10.0, 100.0), 1, 30.0, 120.0) == Netted(Holding(1, 40.0, 115.0), 0.0)


def test_reduce_keeps_the_average_and_realizes_with_the_positions_side() -> None:
    assert net(Holding(1, 20.0, 105.0), -1, 5.0, 120.0) == Netted(Holding(1, 15.0, 105.0), 75.0)
    assert net(Holding(-1, 20.0, 105.0), 1, 5.0, 120.0) == Netted(Holding(-1, 15.0, 105.0), -75.0)


def test_closing_to_zero_keeps_side_and_average_with_qty_zero() -> None:
    assert net(Holding(-1, 2.0, 10.0), 1, 2.0, 9.0) == Netted(Holding(-1, 0.0, 10.0), 2.0)


def test_crossing_zero_opens_the_rest_at_the_fill_price() -> None:
    assert net(Holding(1, 10.0, 100.0), -1, 15.0, 110.0) == Netted(Holding(-1, 5.0, 110.0), 100.0)


def test_float_noise_is_rounded_away() -> None:
    assert net(Holding(1, 0.1, 1.0), 1, 0.2, 1.0).holding == Holding(1, 0.3, 1.0)


def _ex(seq: int, side: int, qty: float, price: float) -> Execution:
    return Execution(seq, f"ORDER-{seq}", "AAPL", price, qty, side, seq)


def test_an_execution_is_applied_at_most_once() -> None:
    ledger = Ledger(100000.0)
    first = _ex(1, 1, 2.0, 10.0)
    assert ledger.apply(first) is True
    assert ledger.apply(first) is False
    assert ledger.positions["AAPL"].holding == Holding(1, 2.0, 10.0)


def test_equity_marks_longs_at_the_bid_and_shorts_at_the_ask() -> None:
    ledger = Ledger(1000.0)
    ledger.apply(_ex(1, 1, 2.0, 10.0))
    ledger.apply(Execution(2, "ORDER-2", "MSFT", 20.0, 1.0, -1, 2))
    prices = {"AAPL": (11.0, 11.5), "MSFT": (18.0, 18.5)}

    def mark(symbol: str, side: int) -> float:
        bid, ask = prices[symbol]
        return bid if side > 0 else ask

    # AAPL (11 − 10)·2 = 2; MSFT (18.5 − 20)·1·(−1) = 1.5
    assert ledger.equity(mark) == EquityData(1003.5, 1000.0, 3.5, 0.0)


fills = st.lists(st.tuples(st.sampled_from([1, -1]), st.integers(1, 20), st.integers(50, 150)),
                 min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(fills)
def test_ledger_agrees_with_fifo_lots_on_realized_pnl_and_open_quantity(
        script: list[tuple[int, int, int]]) -> None:
    """Average-cost and FIFO agree on the total once the position is flat; while open they
    agree on quantity and on realized + unrealized at any mark (here: the last fill price)."""
    ledger = Ledger(0.0)
    lots: list[list[float]] = []  # [signed qty, price]
    fifo_realized = 0.0
    for seq, (side, qty, price) in enumerate(script, start=1):
        ledger.apply(_ex(seq, side, float(qty), float(price)))
        left = float(qty)
        while left > 0 and lots and (lots[0][0] > 0) != (side > 0):
            lot = lots[0]
            take = min(left, abs(lot[0]))
            fifo_realized += (price - lot[1]) * take * (1 if lot[0] > 0 else -1)
            lot[0] -= take if lot[0] > 0 else -take
            left -= take
            if lot[0] == 0:
                lots.pop(0)
        if left > 0:
            lots.append([left * side, float(price)])
    open_qty = sum(lot[0] for lot in lots)
    position = ledger.positions.get("AAPL")
    assert (0.0 if position is None else position.holding.qty * position.holding.side) == open_qty
    last = float(script[-1][2])
    fifo_total = fifo_realized + sum((last - lot[1]) * lot[0] for lot in lots)

    def mark(symbol: str, side: int) -> float:
        return last

    assert abs(ledger.realized + ledger.unrealized(mark) - fifo_total) < 1e-4  # avg kept to 1e-8
    assert ledger.balance == ledger.realized
