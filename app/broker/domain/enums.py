"""Wire enums of the broker (CONTRACT §2) plus the engine's own transition triggers."""

from __future__ import annotations

import enum


class OrderStatus(enum.IntEnum):
    CANCELED = 1
    FILLED = 2
    INACTIVE = 3
    PLACING = 4
    REJECTED = 5
    WORKING = 6

    @property
    def is_final(self) -> bool:
        return self in _FINAL


_FINAL = frozenset({OrderStatus.CANCELED, OrderStatus.FILLED, OrderStatus.REJECTED})


DURATION_TYPES: tuple[str, ...] = ("DAY", "GTC", "IOC", "FOK", "GTD")
"""TradingView's order durations (time in force); an order without one is GTC."""


class OrderType(enum.IntEnum):
    LIMIT = 1
    MARKET = 2
    STOP = 3
    STOP_LIMIT = 4


class Side(enum.IntEnum):
    BUY = 1
    SELL = -1

    @property
    def opposite(self) -> Side:
        return Side.SELL if self is Side.BUY else Side.BUY


class StopType(enum.IntEnum):
    STOP_LOSS = 0
    TRAILING_STOP = 1
    GUARANTEED_STOP = 2


class ParentType(enum.IntEnum):
    """What a bracket order belongs to (ours, after TradingView's ``ParentType``)."""

    ORDER = 1
    POSITION = 2


class Trigger(enum.Enum):
    """What happens to an order; the status table in orders.py decides the outcome."""

    ACTIVATE = "activate"
    MODIFY = "modify"
    CONVERT = "convert"
    PARTIAL_FILL = "partially fill"
    FILL = "fill"
    CANCEL = "cancel"
