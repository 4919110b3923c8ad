from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.side import Side

T = TypeVar("T", bound="Execution")


@_attrs_define
class Execution:
    """
    Attributes:
        symbol (str): Symbol name
        price (float): Execution price
        qty (float): Execution quantity
        side (Side): Order/Position side enumeration matching TradingView Side
        time (int): Time (unix timestamp in milliseconds)
        commission (float | None): What this fill cost in the account currency (COMMISSION); 0.0 when free
    """

    symbol: str
    price: float
    qty: float
    side: Side
    time: int
    commission: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        symbol = self.symbol

        price = self.price

        qty = self.qty

        side = self.side.value

        time = self.time

        commission: float | None
        commission = self.commission

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "symbol": symbol,
                "price": price,
                "qty": qty,
                "side": side,
                "time": time,
                "commission": commission,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        unparsed_src = dict(src_dict)
        symbol = unparsed_src.pop("symbol")

        price = unparsed_src.pop("price")

        qty = unparsed_src.pop("qty")

        side = Side(unparsed_src.pop("side"))

        time = unparsed_src.pop("time")

        def _parse_commission(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        commission = _parse_commission(unparsed_src.pop("commission"))

        execution = cls(
            symbol=symbol,
            price=price,
            qty=qty,
            side=side,
            time=time,
            commission=commission,
        )

        execution.additional_properties = unparsed_src
        return execution

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
