from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.duration_type import DurationType
from ..types import UNSET, Unset

T = TypeVar("T", bound="Duration")


@_attrs_define
class Duration:
    """
    Attributes:
        type_ (DurationType): DAY: until the next 00:00 UTC; GTC: until cancelled; IOC: fill what the next step allows,
            cancel the rest; FOK: fill whole on the next step or cancel; GTD: until datetime
        datetime_ (int | None | Unset): GTD only: expiry time (unix timestamp in milliseconds), after the server's time
    """

    type_: DurationType
    datetime_: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        datetime_: int | None | Unset
        if isinstance(self.datetime_, Unset):
            datetime_ = UNSET
        else:
            datetime_ = self.datetime_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
            }
        )
        if datetime_ is not UNSET:
            field_dict["datetime"] = datetime_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        unparsed_src = dict(src_dict)
        type_ = DurationType(unparsed_src.pop("type"))

        def _parse_datetime_(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        datetime_ = _parse_datetime_(unparsed_src.pop("datetime", UNSET))

        duration = cls(
            type_=type_,
            datetime_=datetime_,
        )

        duration.additional_properties = unparsed_src
        return duration

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
