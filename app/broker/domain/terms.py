"""The order's field groups, each declared once and composed by every object that carries it.

``OrderTerms`` (quantity and prices: what a modify may change) is a field of the request, the
validated order, the acceptance and modification events, the order itself and its published
snapshot; ``Duration`` (time in force) likewise. A field added to ``OrderTerms`` is carried by
all of them, by the account snapshots a store writes, and (once the schemas name its wire key)
by the REST binder and the wire serializer, with no further edit.

``field(metadata=FLAT)`` marks a composed group whose fields stand, in a flat record, where
the group stands: on the wire (`schemas.serializers`: ``limitPrice`` is read from
``order.terms.limit_price``, and a loaded body's ``limitPrice`` bound into the request's terms)
and in the store (`app.store.codec`: a stored request or order stays flat JSON, so journals and
snapshots written before the composition read back). The metadata key ``"flat"`` is that
convention.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from types import MappingProxyType

from app.broker.domain.enums import StopType
from app.broker.domain.quick import quick_init

FLAT: Mapping[str, bool] = MappingProxyType({"flat": True})
"""The metadata of a field holding a group dataclass whose fields stand in its place in flat
records: ``terms: OrderTerms = field(metadata=FLAT)``."""


@quick_init
@dataclass(frozen=True, slots=True)
class OrderTerms:
    """An order's quantity and prices: what a modify may change."""

    qty: float
    limit_price: float | None = None
    stop_price: float | None = None
    take_profit: float | None = None
    stop_loss: float | None = None
    guaranteed_stop: float | None = None
    trailing_stop_pips: float | None = None
    stop_type: StopType | None = None


TERM_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(OrderTerms))


@quick_init
@dataclass(frozen=True, slots=True)
class Duration:
    """An order's time in force, TradingView's ``{type, datetime}`` (``datetime``: ms, GTD only)."""

    type: str
    datetime: int | None = None
