from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.body_edit_position_brackets_custom_fields_type_0 import BodyEditPositionBracketsCustomFieldsType0
    from ..models.brackets import Brackets


T = TypeVar("T", bound="BodyEditPositionBrackets")


@_attrs_define
class BodyEditPositionBrackets:
    """
    Attributes:
        brackets (Brackets):
        custom_fields (BodyEditPositionBracketsCustomFieldsType0 | None | Unset):
    """

    brackets: Brackets
    custom_fields: BodyEditPositionBracketsCustomFieldsType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.body_edit_position_brackets_custom_fields_type_0 import BodyEditPositionBracketsCustomFieldsType0

        brackets = self.brackets.to_dict()

        custom_fields: dict[str, Any] | None | Unset
        if isinstance(self.custom_fields, Unset):
            custom_fields = UNSET
        elif isinstance(self.custom_fields, BodyEditPositionBracketsCustomFieldsType0):
            custom_fields = self.custom_fields.to_dict()
        else:
            custom_fields = self.custom_fields

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "brackets": brackets,
            }
        )
        if custom_fields is not UNSET:
            field_dict["customFields"] = custom_fields

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.body_edit_position_brackets_custom_fields_type_0 import BodyEditPositionBracketsCustomFieldsType0
        from ..models.brackets import Brackets

        unparsed_src = dict(src_dict)
        brackets = Brackets.from_dict(unparsed_src.pop("brackets"))

        def _parse_custom_fields(data: object) -> BodyEditPositionBracketsCustomFieldsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                custom_fields_type_0 = BodyEditPositionBracketsCustomFieldsType0.from_dict(data)

                return custom_fields_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BodyEditPositionBracketsCustomFieldsType0 | None | Unset, data)

        custom_fields = _parse_custom_fields(unparsed_src.pop("customFields", UNSET))

        body_edit_position_brackets = cls(
            brackets=brackets,
            custom_fields=custom_fields,
        )

        body_edit_position_brackets.additional_properties = unparsed_src
        return body_edit_position_brackets

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
