from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.datafeed_symbol_type import DatafeedSymbolType
    from ..models.exchange import Exchange


T = TypeVar("T", bound="UdfConfiguration")


@_attrs_define
class UdfConfiguration:
    """
    Attributes:
        supported_resolutions (list[str]):
        supports_search (bool):
        supports_group_request (bool):
        supports_marks (bool):
        supports_timescale_marks (bool):
        supports_time (bool):
        exchanges (list[Exchange]):
        symbols_types (list[DatafeedSymbolType]):
    """

    supported_resolutions: list[str]
    supports_search: bool
    supports_group_request: bool
    supports_marks: bool
    supports_timescale_marks: bool
    supports_time: bool
    exchanges: list[Exchange]
    symbols_types: list[DatafeedSymbolType]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        supported_resolutions = self.supported_resolutions

        supports_search = self.supports_search

        supports_group_request = self.supports_group_request

        supports_marks = self.supports_marks

        supports_timescale_marks = self.supports_timescale_marks

        supports_time = self.supports_time

        exchanges = []
        for exchanges_item_data in self.exchanges:
            exchanges_item = exchanges_item_data.to_dict()
            exchanges.append(exchanges_item)

        symbols_types = []
        for symbols_types_item_data in self.symbols_types:
            symbols_types_item = symbols_types_item_data.to_dict()
            symbols_types.append(symbols_types_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "supported_resolutions": supported_resolutions,
                "supports_search": supports_search,
                "supports_group_request": supports_group_request,
                "supports_marks": supports_marks,
                "supports_timescale_marks": supports_timescale_marks,
                "supports_time": supports_time,
                "exchanges": exchanges,
                "symbols_types": symbols_types,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.datafeed_symbol_type import DatafeedSymbolType
        from ..models.exchange import Exchange

        unparsed_src = dict(src_dict)
        supported_resolutions = cast(list[str], unparsed_src.pop("supported_resolutions"))

        supports_search = unparsed_src.pop("supports_search")

        supports_group_request = unparsed_src.pop("supports_group_request")

        supports_marks = unparsed_src.pop("supports_marks")

        supports_timescale_marks = unparsed_src.pop("supports_timescale_marks")

        supports_time = unparsed_src.pop("supports_time")

        exchanges = []
        _exchanges = unparsed_src.pop("exchanges")
        for exchanges_item_data in _exchanges:
            exchanges_item = Exchange.from_dict(exchanges_item_data)

            exchanges.append(exchanges_item)

        symbols_types = []
        _symbols_types = unparsed_src.pop("symbols_types")
        for symbols_types_item_data in _symbols_types:
            symbols_types_item = DatafeedSymbolType.from_dict(symbols_types_item_data)

            symbols_types.append(symbols_types_item)

        udf_configuration = cls(
            supported_resolutions=supported_resolutions,
            supports_search=supports_search,
            supports_group_request=supports_group_request,
            supports_marks=supports_marks,
            supports_timescale_marks=supports_timescale_marks,
            supports_time=supports_time,
            exchanges=exchanges,
            symbols_types=symbols_types,
        )

        udf_configuration.additional_properties = unparsed_src
        return udf_configuration

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
