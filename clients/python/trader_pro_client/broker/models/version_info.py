from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="VersionInfo")


@_attrs_define
class VersionInfo:
    """
    Attributes:
        version (str):
        release_date (str):
        status (str):
        breaking_changes (list[str]):
        deprecation_notice (None | str):
        sunset_date (None | str):
    """

    version: str
    release_date: str
    status: str
    breaking_changes: list[str]
    deprecation_notice: None | str
    sunset_date: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        release_date = self.release_date

        status = self.status

        breaking_changes = self.breaking_changes

        deprecation_notice: None | str
        deprecation_notice = self.deprecation_notice

        sunset_date: None | str
        sunset_date = self.sunset_date

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "version": version,
                "release_date": release_date,
                "status": status,
                "breaking_changes": breaking_changes,
                "deprecation_notice": deprecation_notice,
                "sunset_date": sunset_date,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        unparsed_src = dict(src_dict)
        version = unparsed_src.pop("version")

        release_date = unparsed_src.pop("release_date")

        status = unparsed_src.pop("status")

        breaking_changes = cast(list[str], unparsed_src.pop("breaking_changes"))

        def _parse_deprecation_notice(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        deprecation_notice = _parse_deprecation_notice(unparsed_src.pop("deprecation_notice"))

        def _parse_sunset_date(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sunset_date = _parse_sunset_date(unparsed_src.pop("sunset_date"))

        version_info = cls(
            version=version,
            release_date=release_date,
            status=status,
            breaking_changes=breaking_changes,
            deprecation_notice=deprecation_notice,
            sunset_date=sunset_date,
        )

        version_info.additional_properties = unparsed_src
        return version_info

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
