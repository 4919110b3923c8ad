from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UdfSearchItem")


@_attrs_define
class UdfSearchItem:
    """
    Attributes:
        symbol (str):
        full_name (str):
        description (str):
        exchange (str):
        ticker (str):
        type_ (str):
    """

    symbol: str
    full_name: str
    description: str
    exchange: str
    ticker: str
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        symbol = self.symbol

        full_name = self.full_name

        description = self.description

        exchange = self.exchange

        ticker = self.ticker

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "symbol": symbol,
                "full_name": full_name,
                "description": description,
                "exchange": exchange,
                "ticker": ticker,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        unparsed_src = dict(src_dict)
        symbol = unparsed_src.pop("symbol")

        full_name = unparsed_src.pop("full_name")

        description = unparsed_src.pop("description")

        exchange = unparsed_src.pop("exchange")

        ticker = unparsed_src.pop("ticker")

        type_ = unparsed_src.pop("type")

        udf_search_item = cls(
            symbol=symbol,
            full_name=full_name,
            description=description,
            exchange=exchange,
            ticker=ticker,
            type_=type_,
        )

        udf_search_item.additional_properties = unparsed_src
        return udf_search_item

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
