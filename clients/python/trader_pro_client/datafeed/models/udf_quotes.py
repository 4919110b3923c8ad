from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.udf_quotes_s import UdfQuotesS

if TYPE_CHECKING:
    from ..models.udf_quote import UdfQuote


T = TypeVar("T", bound="UdfQuotes")


@_attrs_define
class UdfQuotes:
    """
    Attributes:
        s (UdfQuotesS):
        d (list[UdfQuote]):
    """

    s: UdfQuotesS
    d: list[UdfQuote]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        s = self.s.value

        d = []
        for d_item_data in self.d:
            d_item = d_item_data.to_dict()
            d.append(d_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "s": s,
                "d": d,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.udf_quote import UdfQuote

        unparsed_src = dict(src_dict)
        s = UdfQuotesS(unparsed_src.pop("s"))

        d = []
        _d = unparsed_src.pop("d")
        for d_item_data in _d:
            d_item = UdfQuote.from_dict(d_item_data)

            d.append(d_item)

        udf_quotes = cls(
            s=s,
            d=d,
        )

        udf_quotes.additional_properties = unparsed_src
        return udf_quotes

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
