"""What the decision code of one command works with: the state it reads, the market, and the
two outputs it builds: domain events (applied at once, so later decisions see them) and the
wire snapshots to publish, each taken when its change happened (DESIGN #25).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.broker.domain.accounting import Ledger
from app.broker.domain.enums import OrderStatus, OrderType, ParentType, Side
from app.broker.domain.events import DomainEvent, OrderAccepted, Spot
from app.broker.domain.orders import Order
from app.broker.domain.prices import CatalogueLike, PriceSource, QuoteLike, SymbolSpecLike
from app.broker.domain.quick import quick_make
from app.broker.domain.requests import is_immediate
from app.broker.domain.settings import EngineSettings
from app.broker.domain.snapshots import EquityData, Event
from app.broker.domain.state import AccountState
from app.broker.domain.terms import Duration, OrderTerms

STOP_LIKE = (OrderType.STOP, OrderType.STOP_LIMIT)
LIMIT_LIKE = (OrderType.LIMIT, OrderType.STOP_LIMIT)
# Enum members read on every order, as module constants: ``Spot.OFF`` on an enum class costs
# about 65 ns on CPython 3.11 (EnumType defines ``__getattr__``, so every class attribute read
# goes through a bound-method call), a global read a few.
_BUY, _MARKET, _STOP, _WORKING = Side.BUY, OrderType.MARKET, OrderType.STOP, OrderStatus.WORKING
_QUEUED, _RESTING, _OFF = Spot.QUEUED, Spot.RESTING, Spot.OFF
_accepted = quick_make(OrderAccepted)


def market_price(side: Side, quote: QuoteLike) -> float:
    return quote.ask if side is _BUY else quote.bid


def marketable(side: Side, limit: float, quote: QuoteLike) -> bool:
    return quote.ask <= limit if side is _BUY else quote.bid >= limit


def stop_reached(side: Side, stop: float, quote: QuoteLike) -> bool:
    return quote.ask >= stop if side is _BUY else quote.bid <= stop


@dataclass(slots=True)
class Context:
    state: AccountState
    prices: PriceSource
    catalogue: CatalogueLike
    settings: EngineSettings
    events: list[DomainEvent] = field(default_factory=list)
    published: list[Event] = field(default_factory=list)
    symbols: list[str] = field(default_factory=list)
    involved: list[str] = field(default_factory=list)
    """Symbols and orders the command worked on, named when it fails."""

    def emit(self, event: DomainEvent) -> None:
        self.state.apply(event)
        self.events.append(event)

    def publish(self, snapshot: Event) -> None:
        self.published.append(snapshot)

    def publish_order(self, order: Order) -> None:
        self.published.append(order.snapshot())

    def spec(self, symbol: str) -> SymbolSpecLike:
        spec = self.catalogue.resolve(symbol)
        assert spec is not None, f"{symbol} left the catalogue"
        return spec

    def order(self, order_id: str) -> Order:
        return self.state.orders[order_id]

    def arrival(self, symbol: str, type_: OrderType, side: Side, limit: float | None,
                stop: float | None, triggered: bool, now: int, immediate: bool = False) -> Spot:
        """Where a WORKING order with these terms goes now: queued for the next step when it
        can fill at once (MARKET, a triggered STOP, a stop already crossed, a marketable limit)
        or must be decided then (``immediate``: IOC, FOK), else resting in the book."""
        if immediate or type_ is _MARKET or (type_ is _STOP and triggered):
            return _QUEUED
        quote = self.prices.top(symbol, now)
        if type_ in STOP_LIKE and not triggered:
            assert stop is not None
            return _QUEUED if stop_reached(side, stop, quote) else _RESTING
        assert limit is not None
        return _QUEUED if marketable(side, limit, quote) else _RESTING

    def arrival_of(self, order: Order, now: int) -> Spot:
        return self.arrival(order.symbol, order.type, order.side, order.terms.limit_price,
                            order.terms.stop_price, order.triggered, now, is_immediate(order.duration))

    def accept(self, symbol: str, type_: OrderType, side: Side, status: OrderStatus, now: int,
               terms: OrderTerms, *, parent_id: str | None = None,
               parent_type: ParentType | None = None, client_order_id: str | None = None,
               duration: Duration | None = None) -> Order:
        """Create ORDER-n; a WORKING one arrives in the book at once."""
        seq = self.state.next_order_seq
        spot = (self.arrival(symbol, type_, side, terms.limit_price, terms.stop_price, False, now,
                             is_immediate(duration))
                if status is _WORKING else _OFF)
        order_id = f"ORDER-{seq}"
        self.emit(_accepted(order_id, seq, symbol, type_, side, status, terms, parent_id,
                            parent_type, client_order_id, now, spot, duration))
        order = self.state.orders[order_id]
        self.publish_order(order)
        return order

    def equity(self, now: int) -> EquityData:
        return equity_at(self.state.ledger, self.prices, now)


def equity_at(ledger: Ledger, prices: PriceSource, now: int) -> EquityData:
    """Longs marked at the bid and shorts at the ask, one quote per symbol."""
    quotes: dict[str, QuoteLike] = {}

    def mark(symbol: str, side: int) -> float:
        quote = quotes.get(symbol)
        if quote is None:
            quote = quotes[symbol] = prices.top(symbol, now)
        return quote.bid if side > 0 else quote.ask

    return ledger.equity(mark)
