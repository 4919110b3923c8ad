from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.udf_history_s import UdfHistoryS
from ..types import UNSET, Unset

T = TypeVar("T", bound="UdfHistory")


@_attrs_define
class UdfHistory:
    """
    Attributes:
        s (UdfHistoryS):
        t (list[int] | Unset):
        o (list[float] | Unset):
        h (list[float] | Unset):
        l (list[float] | Unset):
        c (list[float] | Unset):
        v (list[int] | Unset):
        next_time (int | Unset): Closest earlier bar (Unix seconds)
    """

    s: UdfHistoryS
    t: list[int] | Unset = UNSET
    o: list[float] | Unset = UNSET
    h: list[float] | Unset = UNSET
    l: list[float] | Unset = UNSET
    c: list[float] | Unset = UNSET
    v: list[int] | Unset = UNSET
    next_time: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        s = self.s.value

        t: list[int] | Unset = UNSET
        if not isinstance(self.t, Unset):
            t = self.t

        o: list[float] | Unset = UNSET
        if not isinstance(self.o, Unset):
            o = self.o

        h: list[float] | Unset = UNSET
        if not isinstance(self.h, Unset):
            h = self.h

        l: list[float] | Unset = UNSET
        if not isinstance(self.l, Unset):
            l = self.l

        c: list[float] | Unset = UNSET
        if not isinstance(self.c, Unset):
            c = self.c

        v: list[int] | Unset = UNSET
        if not isinstance(self.v, Unset):
            v = self.v

        next_time = self.next_time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "s": s,
            }
        )
        if t is not UNSET:
            field_dict["t"] = t
        if o is not UNSET:
            field_dict["o"] = o
        if h is not UNSET:
            field_dict["h"] = h
        if l is not UNSET:
            field_dict["l"] = l
        if c is not UNSET:
            field_dict["c"] = c
        if v is not UNSET:
            field_dict["v"] = v
        if next_time is not UNSET:
            field_dict["nextTime"] = next_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        unparsed_src = dict(src_dict)
        s = UdfHistoryS(unparsed_src.pop("s"))

        t = cast(list[int], unparsed_src.pop("t", UNSET))

        o = cast(list[float], unparsed_src.pop("o", UNSET))

        h = cast(list[float], unparsed_src.pop("h", UNSET))

        l = cast(list[float], unparsed_src.pop("l", UNSET))

        c = cast(list[float], unparsed_src.pop("c", UNSET))

        v = cast(list[int], unparsed_src.pop("v", UNSET))

        next_time = unparsed_src.pop("nextTime", UNSET)

        udf_history = cls(
            s=s,
            t=t,
            o=o,
            h=h,
            l=l,
            c=c,
            v=v,
            next_time=next_time,
        )

        udf_history.additional_properties = unparsed_src
        return udf_history

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
