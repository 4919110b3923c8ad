"""Engine inputs and the domain validation that needs the catalogue (HTTP 422)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from app.broker.domain.enums import OrderType, Side
from app.broker.domain.errors import InvalidOrder
from app.broker.domain.netting import money
from app.broker.domain.prices import CatalogueLike, SymbolSpecLike
from app.broker.domain.quick import quick_init, quick_make
from app.broker.domain.terms import FLAT, Duration, OrderTerms

DAY_MS = 86_400_000

IMMEDIATE = frozenset({"IOC", "FOK"})
"""Durations that live for one matching step: MARKET and LIMIT orders only."""


def expiry_of(duration: Duration | None, placed: int) -> int | None:
    """When an order placed at ``placed`` expires: DAY at the next 00:00 UTC, GTD at its
    datetime; GTC, IOC and FOK never (IOC and FOK end on their first step instead)."""
    if duration is None:
        return None
    if duration.type == "DAY":
        return (placed // DAY_MS + 1) * DAY_MS
    if duration.type == "GTD":
        return duration.datetime
    return None


def is_immediate(duration: Duration | None) -> bool:
    return duration is not None and duration.type in IMMEDIATE


@quick_init
@dataclass(frozen=True, slots=True)
class OrderRequest:
    """A PreOrder after schema validation (types and enums already checked by the REST layer):
    the client's terms as given, ``seen_price`` and ``current_quotes`` (``(ask, bid)``) the
    display hints a missing limit price falls back to."""

    symbol: str
    type: OrderType
    side: Side
    terms: OrderTerms = field(metadata=FLAT)
    seen_price: float | None = None
    current_quotes: tuple[float, float] | None = None
    duration: Duration | None = None


@dataclass(slots=True)
class ValidOrder:
    """An accepted request: canonical symbol, terms on the tick with the limit price after the
    fallback chain."""

    spec: SymbolSpecLike
    type: OrderType
    side: Side
    terms: OrderTerms
    duration: Duration | None = None

    @property
    def symbol(self) -> str:
        return self.spec.name

    @property
    def bracket_stop(self) -> float | None:
        """The stop-loss leg's price: stopLoss, else guaranteedStop (treated as a stop)."""
        t = self.terms
        return t.stop_loss if t.stop_loss is not None else t.guaranteed_stop


_valid = quick_make(ValidOrder)

MAX_MAGNITUDE = 1e12
"""No quantity or price beyond this: products of two of them stay far from float overflow, so
no amount the broker computes can become inf (which JSON would carry as null)."""


def check_finite(field: str, value: float | None) -> None:
    if value is None:
        return
    if not math.isfinite(value):
        raise InvalidOrder(field, "Input should be a finite number", value)
    if abs(value) > MAX_MAGNITUDE:
        raise InvalidOrder(field, "Input should be less than or equal to 1000000000000", value)


def resolve_symbol(catalogue: CatalogueLike, symbol: str) -> SymbolSpecLike:
    spec = catalogue.resolve(symbol)
    if spec is None:
        raise InvalidOrder("symbol", f"Unknown symbol {symbol}", symbol)
    return spec


def check_on_tick(spec: SymbolSpecLike, field: str, value: float | None) -> None:
    if value is not None and not spec.is_on_tick(value):
        raise InvalidOrder(
            field, f"Price {value} is not a multiple of the tick size {spec.tick_size} of {spec.name}",
            value,
        )


def fallback_limit(request: OrderRequest) -> float | None:
    """CONTRACT §4: limitPrice → seenPrice → currentQuotes ask (BUY) / bid (SELL)."""
    if request.terms.limit_price is not None:
        return request.terms.limit_price
    if request.seen_price is not None:
        return request.seen_price
    if request.current_quotes is not None:
        ask, bid = request.current_quotes
        return ask if request.side is Side.BUY else bid
    return None


def check_positive(field: str, value: float | None) -> None:
    """Every price of this market is above zero: a limit at -5 is a client's mistake, not an order."""
    if value is not None and not value > 0.0:
        raise InvalidOrder(field, "Input should be greater than 0", value)


def _no_symbols() -> Mapping[str, float]:
    return {}


@dataclass(frozen=True, slots=True)
class QtyCap:
    """The largest quantity of one order (MAX_ORDER_QTY): ``default``, or the symbol's own, so no
    single order can dwarf the account (a MARKET buy of 1e12 AAPL on a 100,000 balance)."""

    default: float = MAX_MAGNITUDE
    by_symbol: Mapping[str, float] = field(default_factory=_no_symbols)

    def of(self, symbol: str) -> float:
        return self.by_symbol.get(symbol, self.default)


NO_CAP = QtyCap()


def check_duration(duration: Duration | None, type_: OrderType, now: int | None) -> None:
    """IOC and FOK only on MARKET and LIMIT orders; GTD needs a datetime after ``now`` (the
    engine's clock; None: not checked); ``datetime`` on any other duration is refused."""
    if duration is None:
        return
    if duration.type in IMMEDIATE and type_ in _NEEDS_STOP:
        raise InvalidOrder("duration", f"Duration {duration.type} applies to MARKET and LIMIT orders only, "
                           f"not {type_.name}", duration.type)
    if duration.type == "GTD":
        if duration.datetime is None:
            raise InvalidOrder("duration", "Duration GTD needs a datetime (unix ms)", None)
        if now is not None and duration.datetime <= now:
            raise InvalidOrder("duration", f"Duration GTD datetime {duration.datetime} is not after "
                               f"the server's time {now}", duration.datetime)
    elif duration.datetime is not None:
        raise InvalidOrder("duration", f"datetime is only for duration GTD, not {duration.type}",
                           duration.datetime)


def validate(request: OrderRequest, catalogue: CatalogueLike, qty_cap: QtyCap = NO_CAP,
             now: int | None = None) -> ValidOrder:
    """Raise InvalidOrder naming the first offending wire field. A limit price taken from
    seenPrice/currentQuotes is a client's display hint, so it is rounded to the tick rather
    than rejected; an explicit limitPrice must be on the tick. ``now``: the engine's clock, for
    a GTD duration's datetime."""
    r = request.terms
    qty, limit = r.qty, r.limit_price
    # The plain order (a whole quantity, at most a limit price, GTC) decided by one chain of
    # comparisons: each holds exactly when the checks below pass for it, so the result is
    # theirs (the request's own terms when the tick leaves its limit price as it is); any other
    # request, or a failing one, takes the checks below, which name the first offending field.
    if (r.stop_price is None and r.take_profit is None and r.stop_loss is None and r.guaranteed_stop is None
            and r.trailing_stop_pips is None and request.seen_price is None and request.current_quotes is None
            and request.duration is None and type(qty) is float and 0.0 < qty <= MAX_MAGNITUDE
            and qty.is_integer() and request.type not in _NEEDS_STOP
            and (type(limit) is float and 0.0 < limit <= MAX_MAGNITUDE if limit is not None
                 else request.type not in _NEEDS_LIMIT)):
        spec = catalogue.resolve(request.symbol)
        if spec is not None and (qty <= qty_cap.default if not qty_cap.by_symbol else qty <= qty_cap.of(spec.name)):
            if limit is None:
                return _valid(spec, request.type, request.side, r, None)
            tick = spec.tick_price(limit)
            if tick is not None:
                if tick != limit:  # rare: keeps every other term, one added later included
                    r = replace(r, limit_price=tick)
                return _valid(spec, request.type, request.side, r, None)
    return checked(request, catalogue, qty_cap, now)


def checked(request: OrderRequest, catalogue: CatalogueLike, qty_cap: QtyCap = NO_CAP,
            now: int | None = None) -> ValidOrder:
    """``validate`` by its checks alone, field by field (every request but the plain ones)."""
    r = request.terms
    check_finite("qty", r.qty)
    if r.qty <= 0.0:
        raise InvalidOrder("qty", "Input should be greater than 0", r.qty)
    qty = money(r.qty)
    if qty <= 0.0:
        raise InvalidOrder("qty", "Input should be at least 1e-08", r.qty)
    given = [(wire, value) for wire, value in (
        ("limitPrice", r.limit_price), ("stopPrice", r.stop_price), ("takeProfit", r.take_profit),
        ("stopLoss", r.stop_loss), ("guaranteedStop", r.guaranteed_stop)) if value is not None]
    for wire, value in given:
        check_finite(wire, value)
        check_positive(wire, value)
    pips = r.trailing_stop_pips
    if pips is not None:
        check_finite("trailingStopPips", pips)
        if pips <= 0.0:
            raise InvalidOrder("trailingStopPips", "Input should be greater than 0", pips)
    if request.seen_price is not None:
        check_finite("seenPrice", request.seen_price)
    check_positive("seenPrice", request.seen_price)
    if request.current_quotes is not None:
        for value in request.current_quotes:
            check_finite("currentQuotes", value)
            check_positive("currentQuotes", value)
    spec = resolve_symbol(catalogue, request.symbol)
    cap = qty_cap.of(spec.name)
    if r.qty > cap:
        raise InvalidOrder("qty", f"Input should be less than or equal to {cap:.15g}", r.qty)
    for wire, value in given:
        check_on_tick(spec, wire, value)
    limit = fallback_limit(request)
    if limit is not None:
        limit = spec.round_price(limit)
    if request.type in _NEEDS_LIMIT and limit is None:
        raise InvalidOrder("limitPrice", "limitPrice is required for LIMIT and STOP_LIMIT orders", None)
    if request.type in _NEEDS_STOP and r.stop_price is None:
        raise InvalidOrder("stopPrice", "stopPrice is required for STOP and STOP_LIMIT orders", None)
    check_duration(request.duration, request.type, now)
    norm = spec.round_price  # on-tick prices snapped to the exact tick float: equal prices compare equal
    terms = OrderTerms(
        float(qty), limit,
        None if r.stop_price is None else norm(r.stop_price),
        None if r.take_profit is None else norm(r.take_profit),
        None if r.stop_loss is None else norm(r.stop_loss),
        None if r.guaranteed_stop is None else norm(r.guaranteed_stop),
        pips, r.stop_type,
    )
    return ValidOrder(spec, request.type, request.side, terms, request.duration)


_NEEDS_LIMIT = frozenset({OrderType.LIMIT, OrderType.STOP_LIMIT})
_NEEDS_STOP = frozenset({OrderType.STOP, OrderType.STOP_LIMIT})
