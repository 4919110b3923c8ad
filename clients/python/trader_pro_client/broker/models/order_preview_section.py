from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.order_preview_section_row import OrderPreviewSectionRow


T = TypeVar("T", bound="OrderPreviewSection")


@_attrs_define
class OrderPreviewSection:
    """
    Attributes:
        rows (list[OrderPreviewSectionRow]): Section rows
        header (None | str): Optional section title
    """

    rows: list[OrderPreviewSectionRow]
    header: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        header: None | str
        header = self.header

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "rows": rows,
                "header": header,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.order_preview_section_row import OrderPreviewSectionRow

        unparsed_src = dict(src_dict)
        rows = []
        _rows = unparsed_src.pop("rows")
        for rows_item_data in _rows:
            rows_item = OrderPreviewSectionRow.from_dict(rows_item_data)

            rows.append(rows_item)

        def _parse_header(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        header = _parse_header(unparsed_src.pop("header"))

        order_preview_section = cls(
            rows=rows,
            header=header,
        )

        order_preview_section.additional_properties = unparsed_src
        return order_preview_section

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
