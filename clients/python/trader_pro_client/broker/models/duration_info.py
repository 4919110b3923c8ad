from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.duration_info_value import DurationInfoValue
from ..models.order_type import OrderType

T = TypeVar("T", bound="DurationInfo")


@_attrs_define
class DurationInfo:
    """
    Attributes:
        value (DurationInfoValue): The duration's type, as sent in an order's duration.type
        name (str): Label for the order ticket
        has_date_picker (bool): The duration needs a date (GTD)
        has_time_picker (bool): The duration needs a time (GTD)
        supported_order_types (list[OrderType]): Order types that take this duration (IOC and FOK: LIMIT and MARKET
            only)
    """

    value: DurationInfoValue
    name: str
    has_date_picker: bool
    has_time_picker: bool
    supported_order_types: list[OrderType]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        value = self.value.value

        name = self.name

        has_date_picker = self.has_date_picker

        has_time_picker = self.has_time_picker

        supported_order_types = []
        for supported_order_types_item_data in self.supported_order_types:
            supported_order_types_item = supported_order_types_item_data.value
            supported_order_types.append(supported_order_types_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "value": value,
                "name": name,
                "hasDatePicker": has_date_picker,
                "hasTimePicker": has_time_picker,
                "supportedOrderTypes": supported_order_types,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        unparsed_src = dict(src_dict)
        value = DurationInfoValue(unparsed_src.pop("value"))

        name = unparsed_src.pop("name")

        has_date_picker = unparsed_src.pop("hasDatePicker")

        has_time_picker = unparsed_src.pop("hasTimePicker")

        supported_order_types = []
        _supported_order_types = unparsed_src.pop("supportedOrderTypes")
        for supported_order_types_item_data in _supported_order_types:
            supported_order_types_item = OrderType(supported_order_types_item_data)

            supported_order_types.append(supported_order_types_item)

        duration_info = cls(
            value=value,
            name=name,
            has_date_picker=has_date_picker,
            has_time_picker=has_time_picker,
            supported_order_types=supported_order_types,
        )

        duration_info.additional_properties = unparsed_src
        return duration_info

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
