from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.bar import Bar


T = TypeVar("T", bound="GetBarsResponse")


@_attrs_define
class GetBarsResponse:
    """
    Attributes:
        bars (list[Bar]): Historical bars
        no_data (bool): No data flag Default: False.
    """

    bars: list[Bar]
    no_data: bool = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bars = []
        for bars_item_data in self.bars:
            bars_item = bars_item_data.to_dict()
            bars.append(bars_item)

        no_data = self.no_data

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bars": bars,
                "no_data": no_data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.bar import Bar

        unparsed_src = dict(src_dict)
        bars = []
        _bars = unparsed_src.pop("bars")
        for bars_item_data in _bars:
            bars_item = Bar.from_dict(bars_item_data)

            bars.append(bars_item)

        no_data = unparsed_src.pop("no_data")

        get_bars_response = cls(
            bars=bars,
            no_data=no_data,
        )

        get_bars_response.additional_properties = unparsed_src
        return get_bars_response

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
