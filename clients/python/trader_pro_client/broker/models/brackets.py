from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Brackets")


@_attrs_define
class Brackets:
    """
    Attributes:
        stop_loss (float | None | Unset): Stop loss price
        guaranteed_stop (float | None | Unset): Guaranteed stop price
        take_profit (float | None | Unset): Take profit price
        trailing_stop_pips (float | None | Unset): Trailing stop pips value
    """

    stop_loss: float | None | Unset = UNSET
    guaranteed_stop: float | None | Unset = UNSET
    take_profit: float | None | Unset = UNSET
    trailing_stop_pips: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        stop_loss: float | None | Unset
        if isinstance(self.stop_loss, Unset):
            stop_loss = UNSET
        else:
            stop_loss = self.stop_loss

        guaranteed_stop: float | None | Unset
        if isinstance(self.guaranteed_stop, Unset):
            guaranteed_stop = UNSET
        else:
            guaranteed_stop = self.guaranteed_stop

        take_profit: float | None | Unset
        if isinstance(self.take_profit, Unset):
            take_profit = UNSET
        else:
            take_profit = self.take_profit

        trailing_stop_pips: float | None | Unset
        if isinstance(self.trailing_stop_pips, Unset):
            trailing_stop_pips = UNSET
        else:
            trailing_stop_pips = self.trailing_stop_pips

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if stop_loss is not UNSET:
            field_dict["stopLoss"] = stop_loss
        if guaranteed_stop is not UNSET:
            field_dict["guaranteedStop"] = guaranteed_stop
        if take_profit is not UNSET:
            field_dict["takeProfit"] = take_profit
        if trailing_stop_pips is not UNSET:
            field_dict["trailingStopPips"] = trailing_stop_pips

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        unparsed_src = dict(src_dict)

        def _parse_stop_loss(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        stop_loss = _parse_stop_loss(unparsed_src.pop("stopLoss", UNSET))

        def _parse_guaranteed_stop(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        guaranteed_stop = _parse_guaranteed_stop(unparsed_src.pop("guaranteedStop", UNSET))

        def _parse_take_profit(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        take_profit = _parse_take_profit(unparsed_src.pop("takeProfit", UNSET))

        def _parse_trailing_stop_pips(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        trailing_stop_pips = _parse_trailing_stop_pips(unparsed_src.pop("trailingStopPips", UNSET))

        brackets = cls(
            stop_loss=stop_loss,
            guaranteed_stop=guaranteed_stop,
            take_profit=take_profit,
            trailing_stop_pips=trailing_stop_pips,
        )

        brackets.additional_properties = unparsed_src
        return brackets

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
