from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.side import Side

T = TypeVar("T", bound="Position")


@_attrs_define
class Position:
    """
    Attributes:
        id (str): Position ID (usually equal to symbol)
        symbol (str): Symbol name
        qty (float): Position quantity (0 when closed, positive otherwise)
        side (Side): Order/Position side enumeration matching TradingView Side
        avg_price (float): Weighted average entry price
    """

    id: str
    symbol: str
    qty: float
    side: Side
    avg_price: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        symbol = self.symbol

        qty = self.qty

        side = self.side.value

        avg_price = self.avg_price

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "symbol": symbol,
                "qty": qty,
                "side": side,
                "avgPrice": avg_price,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        unparsed_src = dict(src_dict)
        id = unparsed_src.pop("id")

        symbol = unparsed_src.pop("symbol")

        qty = unparsed_src.pop("qty")

        side = Side(unparsed_src.pop("side"))

        avg_price = unparsed_src.pop("avgPrice")

        position = cls(
            id=id,
            symbol=symbol,
            qty=qty,
            side=side,
            avg_price=avg_price,
        )

        position.additional_properties = unparsed_src
        return position

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
