from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.validation_error_ctx import ValidationErrorCtx


T = TypeVar("T", bound="ValidationError")


@_attrs_define
class ValidationError:
    """
    Attributes:
        type_ (str):
        loc (list[Any]):
        msg (str):
        input_ (Any):
        ctx (ValidationErrorCtx | Unset):
    """

    type_: str
    loc: list[Any]
    msg: str
    input_: Any
    ctx: ValidationErrorCtx | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        loc = self.loc

        msg = self.msg

        input_ = self.input_

        ctx: dict[str, Any] | Unset = UNSET
        if not isinstance(self.ctx, Unset):
            ctx = self.ctx.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "loc": loc,
                "msg": msg,
                "input": input_,
            }
        )
        if ctx is not UNSET:
            field_dict["ctx"] = ctx

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.validation_error_ctx import ValidationErrorCtx

        unparsed_src = dict(src_dict)
        type_ = unparsed_src.pop("type")

        loc = cast(list[Any], unparsed_src.pop("loc"))

        msg = unparsed_src.pop("msg")

        input_ = unparsed_src.pop("input")

        _ctx = unparsed_src.pop("ctx", UNSET)
        ctx: ValidationErrorCtx | Unset
        if isinstance(_ctx, Unset):
            ctx = UNSET
        else:
            ctx = ValidationErrorCtx.from_dict(_ctx)

        validation_error = cls(
            type_=type_,
            loc=loc,
            msg=msg,
            input_=input_,
            ctx=ctx,
        )

        validation_error.additional_properties = unparsed_src
        return validation_error

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
