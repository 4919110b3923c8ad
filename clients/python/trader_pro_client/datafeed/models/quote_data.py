from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.quote_data_s import QuoteDataS

if TYPE_CHECKING:
    from ..models.quote_data_v_type_1 import QuoteDataVType1
    from ..models.quote_values import QuoteValues


T = TypeVar("T", bound="QuoteData")


@_attrs_define
class QuoteData:
    """
    Attributes:
        s (QuoteDataS): Status
        n (str): Symbol name
        v (QuoteDataVType1 | QuoteValues): Quote values or error
    """

    s: QuoteDataS
    n: str
    v: QuoteDataVType1 | QuoteValues
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.quote_values import QuoteValues

        s = self.s.value

        n = self.n

        v: dict[str, Any]
        if isinstance(self.v, QuoteValues):
            v = self.v.to_dict()
        else:
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
        from ..models.quote_data_v_type_1 import QuoteDataVType1
        from ..models.quote_values import QuoteValues

        unparsed_src = dict(src_dict)
        s = QuoteDataS(unparsed_src.pop("s"))

        n = unparsed_src.pop("n")

        def _parse_v(data: object) -> QuoteDataVType1 | QuoteValues:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                v_type_0 = QuoteValues.from_dict(data)

                return v_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            v_type_1 = QuoteDataVType1.from_dict(data)

            return v_type_1

        v = _parse_v(unparsed_src.pop("v"))

        quote_data = cls(
            s=s,
            n=n,
            v=v,
        )

        quote_data.additional_properties = unparsed_src
        return quote_data

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
