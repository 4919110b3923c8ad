from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.broker_config_default_duration import BrokerConfigDefaultDuration
from ..models.order_type import OrderType

if TYPE_CHECKING:
    from ..models.config_flags import ConfigFlags
    from ..models.duration_info import DurationInfo
    from ..models.leverage_range import LeverageRange


T = TypeVar("T", bound="BrokerConfig")


@_attrs_define
class BrokerConfig:
    """
    Attributes:
        currency (str): The account's currency (ISO 4217)
        order_types (list[OrderType]): Supported order types
        durations (list[DurationInfo]): Supported durations (time in force), in TradingView's order
        default_duration (BrokerConfigDefaultDuration): The duration of an order placed without one
        leverage (LeverageRange):
        config_flags (ConfigFlags):
    """

    currency: str
    order_types: list[OrderType]
    durations: list[DurationInfo]
    default_duration: BrokerConfigDefaultDuration
    leverage: LeverageRange
    config_flags: ConfigFlags
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency = self.currency

        order_types = []
        for order_types_item_data in self.order_types:
            order_types_item = order_types_item_data.value
            order_types.append(order_types_item)

        durations = []
        for durations_item_data in self.durations:
            durations_item = durations_item_data.to_dict()
            durations.append(durations_item)

        default_duration = self.default_duration.value

        leverage = self.leverage.to_dict()

        config_flags = self.config_flags.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "currency": currency,
                "orderTypes": order_types,
                "durations": durations,
                "defaultDuration": default_duration,
                "leverage": leverage,
                "configFlags": config_flags,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.config_flags import ConfigFlags
        from ..models.duration_info import DurationInfo
        from ..models.leverage_range import LeverageRange

        unparsed_src = dict(src_dict)
        currency = unparsed_src.pop("currency")

        order_types = []
        _order_types = unparsed_src.pop("orderTypes")
        for order_types_item_data in _order_types:
            order_types_item = OrderType(order_types_item_data)

            order_types.append(order_types_item)

        durations = []
        _durations = unparsed_src.pop("durations")
        for durations_item_data in _durations:
            durations_item = DurationInfo.from_dict(durations_item_data)

            durations.append(durations_item)

        default_duration = BrokerConfigDefaultDuration(unparsed_src.pop("defaultDuration"))

        leverage = LeverageRange.from_dict(unparsed_src.pop("leverage"))

        config_flags = ConfigFlags.from_dict(unparsed_src.pop("configFlags"))

        broker_config = cls(
            currency=currency,
            order_types=order_types,
            durations=durations,
            default_duration=default_duration,
            leverage=leverage,
            config_flags=config_flags,
        )

        broker_config.additional_properties = unparsed_src
        return broker_config

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
