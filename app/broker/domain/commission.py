"""Commissions (``COMMISSION``, README "Commissions"): what one fill costs.

The rule. An order's commission so far is ``max(min, per_share · filled qty + rate · filled
value)`` rounded to the cent (Python's ``round(x, 2)``), where the filled value is Σ price · qty
of its fills; zero before its first fill. Each execution is charged the increase of that total,
so the minimum is charged in full by the order's first fill, later fills of the same order
charge only what the order's running total passes the minimum by, and the fills of an order
always add up to exactly ``max(min, per_share · qty + rate · value)`` (to the cent), however it
was split (liquidity cap, partial closes). An order cancelled after a partial fill has paid the
minimum. Every order counts: bracket legs, the orders of a position close and the debug
force-fill alike. The default (no setting) charges 0.0 on every fill: today's numbers exactly.

The charge is decided when the fill happens and carried by its event (``OrderFilled``), so a
store replays the amount that was charged, not the rule in force at replay.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.broker.domain.netting import money


def filled_after(filled_qty: float, filled_value: float, qty: float, price: float) -> tuple[float, float]:
    """An order's (filled quantity, filled value) after one more fill: the one formula both the
    decision (the charge) and ``AccountState.apply`` (the order's totals) use."""
    return money(filled_qty + qty), money(filled_value + price * qty)


@dataclass(frozen=True, slots=True)
class Commission:
    """``per_share``: currency per unit filled; ``rate``: fraction of the traded value
    (0.0001 = 1 basis point); ``minimum``: the least one order pays once it fills at all."""

    per_share: float = 0.0
    rate: float = 0.0
    minimum: float = 0.0

    def __post_init__(self) -> None:
        for name in ("per_share", "rate", "minimum"):
            value = getattr(self, name)
            if not 0.0 <= value < 1e9:  # also refuses NaN
                raise ValueError(f"COMMISSION {name} must be zero or positive, not {value}")
        if self.rate >= 1.0:
            raise ValueError(f"COMMISSION rate is a fraction of the traded value (below 1), not {self.rate}")

    @property
    def free(self) -> bool:
        return self.per_share == 0.0 and self.rate == 0.0 and self.minimum == 0.0

    def total(self, filled_qty: float, filled_value: float) -> float:
        """What an order with these fills has paid in all."""
        if filled_qty <= 0.0:
            return 0.0
        return round(max(self.minimum, self.per_share * filled_qty + self.rate * filled_value), 2) + 0.0

    def charge(self, filled_qty: float, filled_value: float, qty: float, price: float) -> float:
        """The commission of one fill of ``qty`` at ``price`` of an order filled so far
        ``filled_qty`` for ``filled_value``."""
        if self.free:
            return 0.0
        after_qty, after_value = filled_after(filled_qty, filled_value, qty, price)
        return money(self.total(after_qty, after_value) - self.total(filled_qty, filled_value))

    def estimate(self, qty: float, price: float) -> float:
        """An order filled whole at ``price`` (the order preview's "Commission")."""
        return self.total(money(qty), money(price * qty))


FREE = Commission()


def parse_commission(value: str) -> Commission:
    """``per_share=0.005,rate=0.0001,min=1.0`` (any subset; empty or ``0``: free)."""
    text = value.strip()
    if text in ("", "0", "off", "none"):
        return FREE
    names = {"per_share": "per_share", "rate": "rate", "min": "minimum", "minimum": "minimum"}
    values: dict[str, float] = {}
    for item in (i.strip() for i in text.split(",") if i.strip()):
        key, equals, number = item.partition("=")
        name = names.get(key.strip().lower())
        if not equals or name is None or name in values:
            raise ValueError(f"COMMISSION must look like per_share=0.005,rate=0.0001,min=1.0, not {value!r}")
        try:
            values[name] = float(number)
        except ValueError:
            raise ValueError(f"COMMISSION {key.strip()} must be a number, not {number.strip()!r}") from None
    return Commission(**values)
