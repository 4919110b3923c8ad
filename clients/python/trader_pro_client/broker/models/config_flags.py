from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ConfigFlags")


@_attrs_define
class ConfigFlags:
    """
    Attributes:
        support_order_brackets (bool): takeProfit/stopLoss on an order
        support_position_brackets (bool): PUT /positions/{id}/brackets
        support_trailing_stop (bool): trailingStopPips on the stop leg
        support_guaranteed_stop (bool): guaranteedStop (treated as a stop)
        support_close_position (bool): DELETE /positions/{id}
        support_partial_close_position (bool): DELETE /positions/{id}?amount=
        support_modify_order_price (bool): PUT /orders/{id} changes prices
        support_edit_amount (bool): PUT /orders/{id} changes the quantity
        support_modify_brackets (bool): PUT /orders/{id} changes an order's brackets
        support_modify_duration (bool): false: a modify keeps the order's duration (another is a 400)
        support_durations (bool): orders take a duration (the list is durations)
        support_leverage (bool): GET /leverage/info, PUT /leverage/set, POST /leverage/preview
        support_market_orders (bool): MARKET orders
        support_limit_orders (bool): LIMIT orders
        support_stop_orders (bool): STOP orders
        support_stop_limit_orders (bool): STOP_LIMIT orders
        support_order_preview (bool): POST /orders/preview
        support_pl_update (bool): equity and P&L pushed on the equity stream
        support_margin (bool): MARGIN_CHECK=on: orders are refused beyond buying power; GET /account/state's buyingPower
            and marginUsed apply
    """

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
    support_pl_update: bool
    support_margin: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        support_order_brackets = self.support_order_brackets

        support_position_brackets = self.support_position_brackets

        support_trailing_stop = self.support_trailing_stop

        support_guaranteed_stop = self.support_guaranteed_stop

        support_close_position = self.support_close_position

        support_partial_close_position = self.support_partial_close_position

        support_modify_order_price = self.support_modify_order_price

        support_edit_amount = self.support_edit_amount

        support_modify_brackets = self.support_modify_brackets

        support_modify_duration = self.support_modify_duration

        support_durations = self.support_durations

        support_leverage = self.support_leverage

        support_market_orders = self.support_market_orders

        support_limit_orders = self.support_limit_orders

        support_stop_orders = self.support_stop_orders

        support_stop_limit_orders = self.support_stop_limit_orders

        support_order_preview = self.support_order_preview

        support_pl_update = self.support_pl_update

        support_margin = self.support_margin

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "supportOrderBrackets": support_order_brackets,
                "supportPositionBrackets": support_position_brackets,
                "supportTrailingStop": support_trailing_stop,
                "supportGuaranteedStop": support_guaranteed_stop,
                "supportClosePosition": support_close_position,
                "supportPartialClosePosition": support_partial_close_position,
                "supportModifyOrderPrice": support_modify_order_price,
                "supportEditAmount": support_edit_amount,
                "supportModifyBrackets": support_modify_brackets,
                "supportModifyDuration": support_modify_duration,
                "supportDurations": support_durations,
                "supportLeverage": support_leverage,
                "supportMarketOrders": support_market_orders,
                "supportLimitOrders": support_limit_orders,
                "supportStopOrders": support_stop_orders,
                "supportStopLimitOrders": support_stop_limit_orders,
                "supportOrderPreview": support_order_preview,
                "supportPLUpdate": support_pl_update,
                "supportMargin": support_margin,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        unparsed_src = dict(src_dict)
        support_order_brackets = unparsed_src.pop("supportOrderBrackets")

        support_position_brackets = unparsed_src.pop("supportPositionBrackets")

        support_trailing_stop = unparsed_src.pop("supportTrailingStop")

        support_guaranteed_stop = unparsed_src.pop("supportGuaranteedStop")

        support_close_position = unparsed_src.pop("supportClosePosition")

        support_partial_close_position = unparsed_src.pop("supportPartialClosePosition")

        support_modify_order_price = unparsed_src.pop("supportModifyOrderPrice")

        support_edit_amount = unparsed_src.pop("supportEditAmount")

        support_modify_brackets = unparsed_src.pop("supportModifyBrackets")

        support_modify_duration = unparsed_src.pop("supportModifyDuration")

        support_durations = unparsed_src.pop("supportDurations")

        support_leverage = unparsed_src.pop("supportLeverage")

        support_market_orders = unparsed_src.pop("supportMarketOrders")

        support_limit_orders = unparsed_src.pop("supportLimitOrders")

        support_stop_orders = unparsed_src.pop("supportStopOrders")

        support_stop_limit_orders = unparsed_src.pop("supportStopLimitOrders")

        support_order_preview = unparsed_src.pop("supportOrderPreview")

        support_pl_update = unparsed_src.pop("supportPLUpdate")

        support_margin = unparsed_src.pop("supportMargin")

        config_flags = cls(
            support_order_brackets=support_order_brackets,
            support_position_brackets=support_position_brackets,
            support_trailing_stop=support_trailing_stop,
            support_guaranteed_stop=support_guaranteed_stop,
            support_close_position=support_close_position,
            support_partial_close_position=support_partial_close_position,
            support_modify_order_price=support_modify_order_price,
            support_edit_amount=support_edit_amount,
            support_modify_brackets=support_modify_brackets,
            support_modify_duration=support_modify_duration,
            support_durations=support_durations,
            support_leverage=support_leverage,
            support_market_orders=support_market_orders,
            support_limit_orders=support_limit_orders,
            support_stop_orders=support_stop_orders,
            support_stop_limit_orders=support_stop_limit_orders,
            support_order_preview=support_order_preview,
            support_pl_update=support_pl_update,
            support_margin=support_margin,
        )

        config_flags.additional_properties = unparsed_src
        return config_flags

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
