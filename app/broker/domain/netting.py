"""Position netting as a pure function (one position per symbol, id = symbol)."""

from __future__ import annotations

from dataclasses import dataclass

MONEY_DIGITS = 8
"""Money, quantities and average prices are floats rounded to 1e-8, which removes binary noise
(``0.1 + 0.2``) without visible loss; prices of fills are on the symbol's tick already."""


def money(value: float) -> float:
    value = float(value)
    if value.is_integer():  # whole quantities are the common case, and round() is slow
        return value + 0.0
    return round(value, MONEY_DIGITS) + 0.0


@dataclass(frozen=True, slots=True)
class Holding:
    """``side`` is +1/-1; a flat holding has qty 0.0 and keeps its last side/average."""

    side: int
    qty: float
    avg_price: float


@dataclass(frozen=True, slots=True)
class Netted:
    holding: Holding
    realized: float


def net(held: Holding | None, side: int, qty: float, price: float) -> Netted:
    """Increase re-averages; reduce keeps the average and realizes (price − avg)·closed·side
    of the position; crossing zero opens the remainder at the fill price."""
    if held is None or held.qty <= 0.0:
        return Netted(Holding(side, money(qty), price), 0.0)
    if side == held.side:
        total = money(held.qty + qty)
        avg = money((held.avg_price * held.qty + price * qty) / total)
        return Netted(Holding(side, total, avg), 0.0)
    closed = min(held.qty, qty)
    realized = money((price - held.avg_price) * closed * held.side)
    left = money(held.qty - qty)
    if left > 0.0:
        return Netted(Holding(held.side, left, held.avg_price), realized)
    if left == 0.0:
        return Netted(Holding(held.side, 0.0, held.avg_price), realized)
    return Netted(Holding(side, -left, price), realized)
