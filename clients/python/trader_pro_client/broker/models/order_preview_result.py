from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.order_preview_section import OrderPreviewSection


T = TypeVar("T", bound="OrderPreviewResult")


@_attrs_define
class OrderPreviewResult:
    """
    Attributes:
        sections (list[OrderPreviewSection]): Preview sections
        confirm_id (None | str): Confirmation ID for placeOrder
        warnings (list[str] | None): Warning messages
        errors (list[str] | None): Error messages
    """

    sections: list[OrderPreviewSection]
    confirm_id: None | str
    warnings: list[str] | None
    errors: list[str] | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sections = []
        for sections_item_data in self.sections:
            sections_item = sections_item_data.to_dict()
            sections.append(sections_item)

        confirm_id: None | str
        confirm_id = self.confirm_id

        warnings: list[str] | None
        if isinstance(self.warnings, list):
            warnings = self.warnings

        else:
            warnings = self.warnings

        errors: list[str] | None
        if isinstance(self.errors, list):
            errors = self.errors

        else:
            errors = self.errors

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sections": sections,
                "confirmId": confirm_id,
                "warnings": warnings,
                "errors": errors,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.order_preview_section import OrderPreviewSection

        unparsed_src = dict(src_dict)
        sections = []
        _sections = unparsed_src.pop("sections")
        for sections_item_data in _sections:
            sections_item = OrderPreviewSection.from_dict(sections_item_data)

            sections.append(sections_item)

        def _parse_confirm_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        confirm_id = _parse_confirm_id(unparsed_src.pop("confirmId"))

        def _parse_warnings(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                warnings_type_0 = cast(list[str], data)

                return warnings_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        warnings = _parse_warnings(unparsed_src.pop("warnings"))

        def _parse_errors(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                errors_type_0 = cast(list[str], data)

                return errors_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        errors = _parse_errors(unparsed_src.pop("errors"))

        order_preview_result = cls(
            sections=sections,
            confirm_id=confirm_id,
            warnings=warnings,
            errors=errors,
        )

        order_preview_result.additional_properties = unparsed_src
        return order_preview_result

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
