from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="LeverageInfo")


@_attrs_define
class LeverageInfo:
    """
    Attributes:
        title (str): Title for leverage dialogs
        leverage (float): Current leverage value
        min_ (float): Minimum leverage value
        max_ (float): Maximum leverage value
        step (float): Minimum change between leverage values
    """

    title: str
    leverage: float
    min_: float
    max_: float
    step: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        title = self.title

        leverage = self.leverage

        min_ = self.min_

        max_ = self.max_

        step = self.step

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "title": title,
                "leverage": leverage,
                "min": min_,
                "max": max_,
                "step": step,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        unparsed_src = dict(src_dict)
        title = unparsed_src.pop("title")

        leverage = unparsed_src.pop("leverage")

        min_ = unparsed_src.pop("min")

        max_ = unparsed_src.pop("max")

        step = unparsed_src.pop("step")

        leverage_info = cls(
            title=title,
            leverage=leverage,
            min_=min_,
            max_=max_,
            step=step,
        )

        leverage_info.additional_properties = unparsed_src
        return leverage_info

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
