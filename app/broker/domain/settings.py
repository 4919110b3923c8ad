"""Engine knobs (pure data; the application Settings builds one)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from app.broker.domain.commission import FREE, Commission
from app.broker.domain.requests import QtyCap

INITIAL_BALANCE = 100000.0


def _no_caps() -> Mapping[str, float]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """``liquidity``: symbol → the most quantity that may fill per step on that symbol (all its
    orders together); symbols not listed fill without a cap. ``equity_interval_ms``: the least
    time between two mark-to-market equity events from ``step`` (fills always publish).
    ``first_order_seq``: the number of the first order (and of the first after a reset); the
    server starts it at a boot epoch so ids of one run never alias those of an earlier one.
    """

    liquidity: Mapping[str, float] = field(default_factory=_no_caps)
    equity_interval_ms: int = 1000
    initial_balance: float = INITIAL_BALANCE
    first_order_seq: int = 1
    qty_cap: QtyCap = field(default_factory=lambda: QtyCap(1e7))
    """The largest quantity of one order, per symbol (HTTP 422 past it)."""
    commission: Commission = FREE
    """What each fill costs (commission.py); free by default."""
    margin_check: bool = False
    """Refuse an order whose margin exceeds the buying power (margin.py); off by default."""
