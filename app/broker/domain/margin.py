"""Buying power (``MARGIN_CHECK``, README "Buying power"): the margin an account holds and the
check that refuses an order it cannot afford.

- An open position holds ``qty · mark / leverage``: marked where it would close (a long at the
  bid, a short at the ask, as equity), with the symbol's leverage (``/leverage/set``, default 10).
- A WORKING order that is not a bracket leg holds ``opening qty · price / leverage``. Its price
  is the worse (higher) of its own price (limit, else stop) and the current quote of its side
  (ask to buy, bid to sell); MARKET orders use the quote. Its opening quantity is what would
  add to the symbol's position: all of what remains when the order is on the position's side
  (or the symbol is flat); against the position, only what would be left after closing it.
  Bracket legs (and every order that only reduces) hold nothing.
- Buying power = equity − margin used. A new order whose own margin (same rule) exceeds it is
  refused (400 ``Insufficient buying power: …``); so is a modify whose new terms would. An
  order that only reduces or closes a position has no margin and is never refused.

The sums walk every working order and position of the account: O(n) per check, which is why
the check is off by default (the benchmarks rest 100k+ orders).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.broker.domain.accounting import Ledger
from app.broker.domain.enums import OrderStatus, OrderType, Side
from app.broker.domain.errors import BadRequest
from app.broker.domain.leverage import DEFAULT_LEVERAGE
from app.broker.domain.netting import money
from app.broker.domain.orders import Order
from app.broker.domain.prices import PriceSource, QuoteLike


class InsufficientBuyingPower(BadRequest):
    """The order's margin exceeds the account's buying power (HTTP 400)."""


@dataclass(frozen=True, slots=True)
class AccountFigures:
    balance: float
    equity: float
    unrealized_pl: float
    realized_pl: float
    margin_used: float
    buying_power: float


Quotes = Callable[[str], QuoteLike]


def quotes_of(prices: PriceSource, now: int) -> Quotes:
    """One quote per symbol for one computation."""
    cache: dict[str, QuoteLike] = {}

    def quote(symbol: str) -> QuoteLike:
        q = cache.get(symbol)
        if q is None:
            q = cache[symbol] = prices.top(symbol, now)
        return q

    return quote


def leverage_of(leverage: dict[str, float], symbol: str) -> float:
    return leverage.get(symbol, DEFAULT_LEVERAGE)


def order_price(type_: OrderType, side: Side, limit: float | None, stop: float | None,
                quote: QuoteLike) -> float:
    current = quote.ask if side is Side.BUY else quote.bid
    own = limit if limit is not None and type_ in (OrderType.LIMIT, OrderType.STOP_LIMIT) else stop
    if type_ is OrderType.MARKET or own is None:
        return current
    return max(own, current)


def opening_qty(ledger: Ledger, symbol: str, side: Side, qty: float) -> float:
    position = ledger.positions.get(symbol)
    if position is None or position.holding.side == int(side):
        return qty
    return max(0.0, money(qty - position.holding.qty))


def order_margin(ledger: Ledger, leverage: dict[str, float], quote: QuoteLike, symbol: str,
                 type_: OrderType, side: Side, qty: float, limit: float | None, stop: float | None) -> float:
    opening = opening_qty(ledger, symbol, side, qty)
    if opening <= 0.0:
        return 0.0
    return opening * order_price(type_, side, limit, stop, quote) / leverage_of(leverage, symbol)


def margin_used(ledger: Ledger, orders: dict[str, Order], leverage: dict[str, float], quote: Quotes,
                excluding: str | None = None) -> float:
    total = 0.0
    for symbol, position in ledger.positions.items():
        h = position.holding
        q = quote(symbol)
        mark = q.bid if h.side > 0 else q.ask
        total += h.qty * mark / leverage_of(leverage, symbol)
    for order in orders.values():
        if order.status is not OrderStatus.WORKING or order.is_leg or order.id == excluding:
            continue
        total += order_margin(ledger, leverage, quote(order.symbol), order.symbol, order.type, order.side,
                              order.remaining, order.terms.limit_price, order.terms.stop_price)
    return money(total)


def figures(ledger: Ledger, orders: dict[str, Order], leverage: dict[str, float], quote: Quotes,
            excluding: str | None = None) -> AccountFigures:
    def mark(symbol: str, side: int) -> float:
        q = quote(symbol)
        return q.bid if side > 0 else q.ask

    equity = ledger.equity(mark)
    used = margin_used(ledger, orders, leverage, quote, excluding)
    return AccountFigures(equity.balance, equity.equity, equity.unrealized_pl, equity.realized_pl, used,
                          money(equity.equity - used))


def check(ledger: Ledger, orders: dict[str, Order], leverage: dict[str, float], quote: Quotes,
          symbol: str, type_: OrderType, side: Side, qty: float, limit: float | None, stop: float | None,
          excluding: str | None = None) -> None:
    """Refuse (InsufficientBuyingPower) an order whose margin exceeds the buying power;
    ``excluding``: the order being modified (its current margin is not held against it)."""
    needed = money(order_margin(ledger, leverage, quote(symbol), symbol, type_, side, qty, limit, stop))
    if needed <= 0.0:
        return
    account = figures(ledger, orders, leverage, quote, excluding)
    if needed > account.buying_power:
        raise InsufficientBuyingPower(
            f"Insufficient buying power: order margin {needed:.2f} exceeds buying power "
            f"{account.buying_power:.2f} (equity {account.equity:.2f}, margin used {account.margin_used:.2f}, "
            f"leverage {leverage_of(leverage, symbol)})")
