"""Leverage and order preview keep the original's exact texts (CONTRACT §7.9, §7.10)."""

from __future__ import annotations

import pytest

from app.broker.domain.commands import SetLeverage
from app.broker.api import wire
from app.broker.domain.enums import OrderType, Side
from app.broker.domain.errors import BadRequest
from tests.broker.helpers import engine, limit, market, req


def test_leverage_info_defaults_to_ten_and_reports_what_was_set() -> None:
    e = engine(market())
    assert wire.leverage_info(e.leverage_info("AAPL")) == {
        "title": "Leverage for AAPL", "leverage": 10.0, "min": 1.0, "max": 100.0, "step": 1.0}
    assert e.handle(SetLeverage("AAPL", 25.5)).value == 25.5
    assert e.leverage_info("AAPL").leverage == 25.5
    assert e.leverage_info("MSFT").leverage == 10.0


@pytest.mark.parametrize(("value", "text"), [
    (0.5, "Leverage must be at least 1.0"), (100.5, "Leverage cannot exceed 100.0")])
def test_set_leverage_out_of_range_is_400_and_keeps_the_old_value(value: float, text: str) -> None:
    e = engine(market())
    with pytest.raises(BadRequest) as info:
        e.handle(SetLeverage("AAPL", value))
    assert info.value.detail == text
    assert e.leverage_info("AAPL").leverage == 10.0


@pytest.mark.parametrize(("value", "expected"), [
    (0.5, {"infos": None, "warnings": None, "errors": ["Leverage must be at least 1.0"]}),
    (101.0, {"infos": None, "warnings": None, "errors": ["Leverage cannot exceed 100.0"]}),
    (1.0, {"infos": ["Margin requirement: 100.00%", "No leverage applied (1:1 ratio)"],
           "warnings": None, "errors": None}),
    (20.0, {"infos": ["Margin requirement: 5.00%",
                      "With 20.0x leverage, a $1,000 investment controls $20000.00 in assets"],
            "warnings": None, "errors": None}),
    (25.0, {"infos": ["Margin requirement: 4.00%",
                      "With 25.0x leverage, a $1,000 investment controls $25000.00 in assets"],
            "warnings": ["Moderate leverage (25.0x) increases risk. Ensure adequate risk management."],
            "errors": None}),
    (75.0, {"infos": ["Margin requirement: 1.33%",
                      "With 75.0x leverage, a $1,000 investment controls $75000.00 in assets"],
            "warnings": ["High leverage (75.0x) significantly increases risk. You may lose more than "
                         "your initial investment."],
            "errors": None}),
])
def test_leverage_preview_texts(value: float, expected: dict[str, object]) -> None:
    assert wire.leverage_preview(engine(market()).preview_leverage(value)) == expected


def test_preview_of_a_limit_order_with_risk_rows() -> None:
    e = engine(market())
    out = wire.order_preview(e.preview(limit(Side.BUY, 10.0, 150.0, take_profit=160.0, stop_loss=145.0,
                                             trailing_stop_pips=25.0)))
    assert out == {
        "sections": [
            {"rows": [{"title": "Symbol", "value": "AAPL"}, {"title": "Side", "value": "Buy"},
                      {"title": "Quantity", "value": "10.00"}, {"title": "Order Type", "value": "Limit"},
                      {"title": "Limit Price", "value": "$150.00"}], "header": "Order Details"},
            {"rows": [{"title": "Estimated Price", "value": "$150.00"},
                      {"title": "Order Value", "value": "$1500.00"},
                      {"title": "Commission", "value": "$1.50"},
                      {"title": "Margin Required", "value": "$750.00"},
                      {"title": "Total Cost", "value": "$1501.50"}], "header": "Cost Analysis"},
            {"rows": [{"title": "Take Profit", "value": "$160.00 (+$100.00)"},
                      {"title": "Stop Loss", "value": "$145.00 (-$50.00)"},
                      {"title": "Trailing Stop", "value": "25.0 pips"}], "header": "Risk Management"},
        ],
        "confirmId": "CONFIRM-1", "warnings": None, "errors": None,
    }


def test_preview_of_a_market_order_is_estimated_at_the_market_and_warns() -> None:
    e = engine(market(99.99, 100.01))
    out = wire.order_preview(e.preview(req(OrderType.MARKET, Side.SELL, 2000.0, seen_price=50.0)))
    sections = out["sections"]
    assert isinstance(sections, list)
    assert sections[0]["rows"][-1] == {"title": "Order Type", "value": "Market"}
    assert sections[1]["rows"][0] == {"title": "Estimated Price", "value": "$99.99"}
    assert sections[1]["rows"][1] == {"title": "Order Value", "value": "$199980.00"}
    assert out["warnings"] == ["Market orders execute immediately at current market price",
                               "Large order size may experience slippage"]
    assert e.orders() == []
