"""Order preview with the original's texts (CONTRACT §7.10); nothing is stored."""

from __future__ import annotations

from dataclasses import dataclass

from app.broker.domain.commission import FREE, Commission
from app.broker.domain.enums import OrderType, Side
from app.broker.domain.requests import ValidOrder

FALLBACK_PRICE = 100.0
_TYPE_NAMES = {OrderType.MARKET: "Market", OrderType.LIMIT: "Limit", OrderType.STOP: "Stop",
               OrderType.STOP_LIMIT: "Stop Limit"}


@dataclass(frozen=True, slots=True)
class PreviewRow:
    title: str
    value: str


@dataclass(frozen=True, slots=True)
class PreviewSection:
    rows: tuple[PreviewRow, ...]
    header: str | None


@dataclass(frozen=True, slots=True)
class OrderPreviewResult:
    sections: tuple[PreviewSection, ...]
    confirm_id: str | None
    warnings: tuple[str, ...] | None
    errors: tuple[str, ...] | None


def _money(x: float) -> str:
    return f"${x:.2f}"


def build(order: ValidOrder, market_price: float, confirm_id: str, commission: Commission = FREE,
          leverage: float | None = None) -> OrderPreviewResult:
    """``market_price`` (ask for a buy, bid for a sell) estimates MARKET orders, where the
    original used 100.0; other types keep ``limitPrice or stopPrice or 100.0``.

    "Commission" is the original's 0.1 % of the value while ``COMMISSION`` is unset (free), and
    the ``COMMISSION`` rule for the whole order filled at the estimate when it is set.
    "Margin Required" is the original's half of the value, or value / ``leverage`` when given
    (``MARGIN_CHECK=on``: the margin the buying-power check holds for it)."""
    t = order.terms
    if order.type is OrderType.MARKET:
        est = market_price
    else:
        est = t.limit_price or t.stop_price or FALLBACK_PRICE
    qty = t.qty
    value = qty * est
    fee = 0.001 * value if commission.free else commission.estimate(qty, est)
    margin = 0.5 * value if leverage is None else value / leverage
    details = [
        PreviewRow("Symbol", order.symbol),
        PreviewRow("Side", "Buy" if order.side is Side.BUY else "Sell"),
        PreviewRow("Quantity", f"{qty:.2f}"),
        PreviewRow("Order Type", _TYPE_NAMES[order.type]),
    ]
    if t.limit_price:
        details.append(PreviewRow("Limit Price", _money(t.limit_price)))
    if t.stop_price:
        details.append(PreviewRow("Stop Price", _money(t.stop_price)))
    sections = [
        PreviewSection(tuple(details), "Order Details"),
        PreviewSection((
            PreviewRow("Estimated Price", _money(est)),
            PreviewRow("Order Value", _money(value)),
            PreviewRow("Commission", _money(fee)),
            PreviewRow("Margin Required", _money(margin)),
            PreviewRow("Total Cost", _money(value + fee)),
        ), "Cost Analysis"),
    ]
    if t.take_profit or t.stop_loss or t.guaranteed_stop:
        risk = []
        if t.take_profit:
            tp = t.take_profit
            risk.append(PreviewRow("Take Profit", f"{_money(tp)} (+{_money(abs(tp - est) * qty)})"))
        if t.stop_loss:
            sl = t.stop_loss
            risk.append(PreviewRow("Stop Loss", f"{_money(sl)} (-{_money(abs(sl - est) * qty)})"))
        if t.guaranteed_stop:
            risk.append(PreviewRow("Guaranteed Stop", _money(t.guaranteed_stop)))
        if t.trailing_stop_pips:
            risk.append(PreviewRow("Trailing Stop", f"{t.trailing_stop_pips:.1f} pips"))
        sections.append(PreviewSection(tuple(risk), "Risk Management"))
    warnings = []
    if order.type is OrderType.MARKET:
        warnings.append("Market orders execute immediately at current market price")
    if qty > 1000:
        warnings.append("Large order size may experience slippage")
    return OrderPreviewResult(tuple(sections), confirm_id, tuple(warnings) or None, None)
