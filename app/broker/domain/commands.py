"""Commands: what a client (or the matching clock) asks of the engine, as plain frozen data.

``Command[T]`` names the type of the value ``Engine.handle`` answers with (the new order's id,
the close message, ...), so a caller gets it typed without a method per command.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar, Union

from app.broker.domain.quick import quick_init
from app.broker.domain.requests import OrderRequest

T = TypeVar("T")


class Command(Generic[T]):
    __slots__ = ()


@dataclass(frozen=True, slots=True)
class ClosedPosition:
    order_id: str
    message: str


@quick_init
@dataclass(frozen=True, slots=True)
class PlaceOrder(Command[str]):
    """Answers the order id; a known ``client_order_id`` with the same request answers the
    existing id and changes nothing."""

    request: OrderRequest
    client_order_id: str | None = None


@dataclass(frozen=True, slots=True)
class ModifyOrder(Command[None]):
    order_id: str
    request: OrderRequest


@dataclass(frozen=True, slots=True)
class CancelOrder(Command[None]):
    order_id: str


@dataclass(frozen=True, slots=True)
class ClosePosition(Command[ClosedPosition]):
    position_id: str
    amount: float | None = None


@dataclass(frozen=True, slots=True)
class EditPositionBrackets(Command[str]):
    """Answers the success message; a None price removes that leg."""

    position_id: str
    take_profit: float | None = None
    stop_loss: float | None = None
    guaranteed_stop: float | None = None
    trailing_stop_pips: float | None = None


@dataclass(frozen=True, slots=True)
class SetLeverage(Command[float]):
    symbol: str
    leverage: float


@dataclass(frozen=True, slots=True)
class Step(Command[None]):
    """Match against the market up to ``time`` (None: the clock's now)."""

    time: int | None = None


@dataclass(frozen=True, slots=True)
class ExecuteWorking(Command[None]):
    """The debug force-fill of every WORKING order."""


@dataclass(frozen=True, slots=True)
class Reset(Command[None]):
    pass


AnyCommand = Union[PlaceOrder, ModifyOrder, CancelOrder, ClosePosition, EditPositionBrackets,
                   SetLeverage, Step, ExecuteWorking, Reset]
