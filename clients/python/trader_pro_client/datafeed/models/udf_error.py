from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.udf_error_s import UdfErrorS

T = TypeVar("T", bound="UdfError")


@_attrs_define
class UdfError:
    """
    Attributes:
        s (UdfErrorS):
        errmsg (str):
    """

    s: UdfErrorS
    errmsg: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        s = self.s.value

        errmsg = self.errmsg

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "s": s,
                "errmsg": errmsg,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        unparsed_src = dict(src_dict)
        s = UdfErrorS(unparsed_src.pop("s"))

        errmsg = unparsed_src.pop("errmsg")

        udf_error = cls(
            s=s,
            errmsg=errmsg,
        )

        udf_error.additional_properties = unparsed_src
        return udf_error

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
