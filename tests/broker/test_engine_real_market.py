"""The engine against the real simulated market on a stepped clock: fills predicted from the
pure model (first_crossing / quote) must be exactly what the engine does."""

from __future__ import annotations

from app.broker.domain.commands import PlaceOrder, Step
from app.broker.domain.engine import Engine
from app.broker.domain.enums import OrderType, Side
from app.broker.domain.requests import OrderRequest
from app.broker.domain.terms import OrderTerms
from app.market.catalogue import default_catalogue
from app.market.model import Market
from tests.clock import SteppedClock
from tests.market.crossings import first_crossing

T0 = 1_795_521_600_000  # 2026-11-24 12:00:00 UTC
WINDOW = 600_000


def _run(engine: Engine, clock: SteppedClock, until: int) -> None:
    while clock.t < until:
        clock.advance(1000)
        engine.handle(Step())


def test_resting_limit_and_stop_fill_where_and_when_the_model_says() -> None:
    clock = SteppedClock(T0)
    market = Market(default_catalogue(), seed=11, clock=clock)
    engine = Engine(market)
    symbol = "AAPL"
    start = market.quote(symbol, T0)
    ext = market.extremes(symbol, T0, T0 + WINDOW)
    assert ext.ask_low < start.ask < ext.ask_high  # the scenario needs both sides to move
    limit_price, stop_price = ext.ask_low, ext.ask_high
    engine.handle(PlaceOrder(OrderRequest(symbol, OrderType.LIMIT, Side.BUY, OrderTerms(1.0, limit_price))))
    engine.handle(PlaceOrder(OrderRequest(symbol, OrderType.STOP, Side.BUY, OrderTerms(1.0, stop_price=stop_price))))

    limit_time = first_crossing(market, symbol, T0, T0 + WINDOW, ask_at_or_below=limit_price)
    stop_time = first_crossing(market, symbol, T0, T0 + WINDOW, ask_at_or_above=stop_price)
    assert limit_time is not None and stop_time is not None

    _run(engine, clock, T0 + WINDOW)

    fills = {x.order_id: x for x in engine.executions(symbol)}
    assert set(fills) == {"ORDER-1", "ORDER-2"}
    # the resting limit fills at its limit, on the buy side, at the first step after the crossing
    assert (fills["ORDER-1"].price, fills["ORDER-1"].side) == (limit_price, 1)
    assert fills["ORDER-1"].time == -(-limit_time // 1000) * 1000
    # the stop fills at the ask the datafeed shows at that step's time
    stop_fill = fills["ORDER-2"]
    assert stop_fill.time == -(-stop_time // 1000) * 1000
    assert (stop_fill.price, stop_fill.side) == (market.quote(symbol, stop_fill.time).ask, 1)
    assert stop_fill.price >= stop_price


def test_benchmark_style_resting_orders_never_fill_and_steps_stay_cheap() -> None:
    clock = SteppedClock(T0)
    market = Market(default_catalogue(), seed=3, clock=clock)
    engine = Engine(market)
    for _ in range(2000):
        engine.handle(PlaceOrder(OrderRequest("AAPL", OrderType.LIMIT, Side.BUY, OrderTerms(1.0, 1.5))))
    _run(engine, clock, T0 + 60_000)
    assert engine.executions("AAPL") == []
    assert len(engine.working_orders()) == 2000
