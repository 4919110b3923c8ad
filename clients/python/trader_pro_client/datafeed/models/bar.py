from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Bar")


@_attrs_define
class Bar:
    """
    Attributes:
        time (int): Bar timestamp in milliseconds
        open_ (float): Open price
        high (float): High price
        low (float): Low price
        close (float): Close price
        volume (int): Volume Default: 0.
    """

    time: int
    open_: float
    high: float
    low: float
    close: float
    volume: int = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        time = self.time

        open_ = self.open_

        high = self.high

        low = self.low

        close = self.close

        volume = self.volume

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "time": time,
                "open": open_,
                "high": high,
                "low": low,
                "close": close,
                "volume": volume,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        unparsed_src = dict(src_dict)
        time = unparsed_src.pop("time")

        open_ = unparsed_src.pop("open")

        high = unparsed_src.pop("high")

        low = unparsed_src.pop("low")

        close = unparsed_src.pop("close")

        volume = unparsed_src.pop("volume")

        bar = cls(
            time=time,
            open_=open_,
            high=high,
            low=low,
            close=close,
            volume=volume,
        )

        bar.additional_properties = unparsed_src
        return bar

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
