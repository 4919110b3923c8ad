"""What the broker supports (``GET /broker/config``): durations, order types, brackets, leverage,
currency and the flags of TradingView's ``configFlags``. Constant per server but the currency
(the account's) and ``supportMargin`` (``MARGIN_CHECK``); every value here is what the engine
actually does, so a terminal fed from it offers nothing the server refuses."""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.broker.domain import leverage
from app.broker.domain.enums import DURATION_TYPES, OrderType
from app.broker.domain.requests import IMMEDIATE

DEFAULT_DURATION = "GTC"
"""An order placed without a duration is GTC (the original's behaviour)."""

_NAMES = {"DAY": "Day", "GTC": "Good till cancelled", "IOC": "Immediate or cancel", "FOK": "Fill or kill",
          "GTD": "Good till date"}
_ALL_TYPES = tuple(int(t) for t in OrderType)
_IMMEDIATE_TYPES = (int(OrderType.LIMIT), int(OrderType.MARKET))


@dataclass(frozen=True, slots=True)
class DurationInfo:
    """One entry of TradingView's ``durations`` (``OrderDurationMetaInfo``)."""

    value: str
    name: str
    has_date_picker: bool
    has_time_picker: bool
    supported_order_types: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class LeverageRange:
    min: float
    max: float
    step: float
    default: float


@dataclass(frozen=True, slots=True)
class ConfigFlags:
    """TradingView's ``BrokerConfigFlags`` that this broker answers ``true`` or ``false``."""

    support_order_brackets: bool
    support_position_brackets: bool
    support_trailing_stop: bool
    support_guaranteed_stop: bool
    support_close_position: bool
    support_partial_close_position: bool
    support_modify_order_price: bool
    support_edit_amount: bool
    support_modify_brackets: bool
    support_modify_duration: bool
    support_durations: bool
    support_leverage: bool
    support_market_orders: bool
    support_limit_orders: bool
    support_stop_orders: bool
    support_stop_limit_orders: bool
    support_order_preview: bool
    support_plupdate: bool
    support_margin: bool
    """``MARGIN_CHECK=on``: orders are checked against buying power, ``GET /account/state`` is meaningful."""


@dataclass(frozen=True, slots=True)
class BrokerConfig:
    currency: str
    order_types: tuple[int, ...]
    durations: tuple[DurationInfo, ...]
    default_duration: str
    leverage: LeverageRange
    config_flags: ConfigFlags


FLAGS = ConfigFlags(
    support_order_brackets=True, support_position_brackets=True, support_trailing_stop=True,
    support_guaranteed_stop=True, support_close_position=True, support_partial_close_position=True,
    support_modify_order_price=True, support_edit_amount=True, support_modify_brackets=True,
    support_modify_duration=False,  # a modify keeps the order's duration (another one is a 400)
    support_durations=True, support_leverage=True, support_market_orders=True,
    support_limit_orders=True, support_stop_orders=True, support_stop_limit_orders=True,
    support_order_preview=True, support_plupdate=True, support_margin=False,
)

DURATIONS = tuple(
    DurationInfo(value, _NAMES[value], value == "GTD", value == "GTD",
                 _IMMEDIATE_TYPES if value in IMMEDIATE else _ALL_TYPES)
    for value in DURATION_TYPES)

LEVERAGE = LeverageRange(leverage.MIN_LEVERAGE, leverage.MAX_LEVERAGE, leverage.LEVERAGE_STEP,
                         leverage.DEFAULT_LEVERAGE)


def broker_config(currency: str, margin_check: bool) -> BrokerConfig:
    """The config of an account in ``currency``; ``supportMargin`` is the server's ``MARGIN_CHECK``."""
    flags = replace(FLAGS, support_margin=margin_check)
    return BrokerConfig(currency, _ALL_TYPES, DURATIONS, DEFAULT_DURATION, LEVERAGE, flags)
