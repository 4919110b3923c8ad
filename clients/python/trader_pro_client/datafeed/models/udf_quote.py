from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.udf_quote_s import UdfQuoteS

if TYPE_CHECKING:
    from ..models.udf_quote_v import UdfQuoteV


T = TypeVar("T", bound="UdfQuote")


@_attrs_define
class UdfQuote:
    """
    Attributes:
        s (UdfQuoteS):
        n (str):
        v (UdfQuoteV): ch, chp, short_name, exchange, description, lp, ask, bid, spread, open_price, high_price,
            low_price, prev_close_price, volume; or {error} when s is error
    """

    s: UdfQuoteS
    n: str
    v: UdfQuoteV
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        s = self.s.value

        n = self.n

        v = self.v.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "s": s,
                "n": n,
                "v": v,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.udf_quote_v import UdfQuoteV

        unparsed_src = dict(src_dict)
        s = UdfQuoteS(unparsed_src.pop("s"))

        n = unparsed_src.pop("n")

        v = UdfQuoteV.from_dict(unparsed_src.pop("v"))

        udf_quote = cls(
            s=s,
            n=n,
            v=v,
        )

        udf_quote.additional_properties = unparsed_src
        return udf_quote

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
