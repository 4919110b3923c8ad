"""Shared builders for the engine tests."""

from __future__ import annotations

from collections.abc import Sequence

from app.broker.api.errors import translate
from app.broker.api.wire import event_wire
from app.broker.domain.engine import Engine
from app.broker.domain.enums import OrderType, Side
from app.broker.domain.errors import BrokerError
from app.broker.domain.requests import OrderRequest
from app.broker.domain.terms import TERM_FIELDS, OrderTerms
from app.broker.domain.settings import EngineSettings
from app.broker.domain.snapshots import Event
from app.http.errors import ApiError
from tests.broker.scripted import ScriptedMarket


def market(bid: float = 99.99, ask: float = 100.01, symbol: str = "AAPL") -> ScriptedMarket:
    m = ScriptedMarket()
    m.set(symbol, bid, ask)
    return m


def engine(m: ScriptedMarket, settings: EngineSettings | None = None) -> Engine:
    return Engine(m, settings, confirm_id=lambda: "CONFIRM-1")


def req(type_: OrderType = OrderType.MARKET, side: Side = Side.BUY, qty: float = 1.0,
        symbol: str = "AAPL", **kw: object) -> OrderRequest:
    terms = {k: kw.pop(k) for k in TERM_FIELDS if k in kw}
    return OrderRequest(symbol, type_, side, OrderTerms(qty, **terms), **kw)  # type: ignore[arg-type]


def limit(side: Side, qty: float, price: float, symbol: str = "AAPL", **kw: object) -> OrderRequest:
    return req(OrderType.LIMIT, side, qty, symbol, limit_price=price, **kw)


def stop(side: Side, qty: float, price: float, symbol: str = "AAPL", **kw: object) -> OrderRequest:
    return req(OrderType.STOP, side, qty, symbol, stop_price=price, **kw)


def routes(events: Sequence[Event]) -> list[str]:
    return [e.route for e in events]


def wires(events: Sequence[Event]) -> list[dict[str, object]]:
    return [event_wire(e) for e in events]


def http_status(error: BrokerError) -> int:
    """The status the REST layer answers ``error`` with (app.broker.api.errors)."""
    answer = translate(error)
    return answer.status if isinstance(answer, ApiError) else 422
