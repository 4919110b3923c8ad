"""Balance, realized P&L and open positions, driven only by executions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.broker.domain.netting import Holding, money, net
from app.broker.domain.snapshots import EquityData, Execution, PositionData


@dataclass(slots=True, eq=False)
class Position:
    """An open position; ``tp_leg``/``sl_leg`` are the ids of its bracket orders."""

    symbol: str
    holding: Holding
    tp_leg: str | None = None
    sl_leg: str | None = None

    def snapshot(self) -> PositionData:
        h = self.holding
        return PositionData(self.symbol, self.symbol, h.qty, h.side, h.avg_price)


Mark = Callable[[str, int], float]
"""(symbol, position side) → the price the position would close at."""


class Ledger:
    """Long positions are marked at the bid and shorts at the ask: the price at which they
    could be closed now, so equity never shows a profit the spread would take away."""

    __slots__ = ("balance", "realized", "positions", "last_seq")

    def __init__(self, balance: float) -> None:
        self.balance = balance
        self.realized = 0.0
        self.positions: dict[str, Position] = {}
        self.last_seq = 0

    def apply(self, execution: Execution) -> bool:
        """Apply an execution once; a replayed sequence number is ignored (returns False).
        A position that goes flat leaves the ledger. The commission is a realized cost: it
        comes off the balance and the realized P&L, on opening fills as on closing ones."""
        if execution.seq <= self.last_seq:
            return False
        self.last_seq = execution.seq
        position = self.positions.get(execution.symbol)
        before = None if position is None else position.holding
        netted = net(before, execution.side, execution.qty, execution.price)
        change = netted.realized - execution.commission if execution.commission else netted.realized
        if change:
            self.realized = money(self.realized + change)
            self.balance = money(self.balance + change)
        if position is None:
            position = Position(execution.symbol, netted.holding)
            self.positions[execution.symbol] = position
        else:
            position.holding = netted.holding
        if netted.holding.qty == 0.0:
            del self.positions[execution.symbol]
        return True

    def unrealized(self, mark: Mark) -> float:
        total = 0.0
        for symbol, position in self.positions.items():
            h = position.holding
            total += (mark(symbol, h.side) - h.avg_price) * h.qty * h.side
        return money(total)

    def equity(self, mark: Mark) -> EquityData:
        unrealized = self.unrealized(mark) if self.positions else 0.0
        return EquityData(money(self.balance + unrealized), self.balance, unrealized, self.realized)
