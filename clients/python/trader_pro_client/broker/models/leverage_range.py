from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="LeverageRange")


@_attrs_define
class LeverageRange:
    """
    Attributes:
        min_ (float): Minimum leverage
        max_ (float): Maximum leverage
        step (float): Leverage step
        default (float): Leverage of a symbol never set
    """

    min_: float
    max_: float
    step: float
    default: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        min_ = self.min_

        max_ = self.max_

        step = self.step

        default = self.default

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "min": min_,
                "max": max_,
                "step": step,
                "default": default,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        unparsed_src = dict(src_dict)
        min_ = unparsed_src.pop("min")

        max_ = unparsed_src.pop("max")

        step = unparsed_src.pop("step")

        default = unparsed_src.pop("default")

        leverage_range = cls(
            min_=min_,
            max_=max_,
            step=step,
            default=default,
        )

        leverage_range.additional_properties = unparsed_src
        return leverage_range

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
