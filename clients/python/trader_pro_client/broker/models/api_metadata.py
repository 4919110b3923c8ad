from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.api_metadata_available_versions import APIMetadataAvailableVersions


T = TypeVar("T", bound="APIMetadata")


@_attrs_define
class APIMetadata:
    """
    Attributes:
        current_version (str):
        available_versions (APIMetadataAvailableVersions):
        documentation_url (str):
        support_contact (str):
    """

    current_version: str
    available_versions: APIMetadataAvailableVersions
    documentation_url: str
    support_contact: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        current_version = self.current_version

        available_versions = self.available_versions.to_dict()

        documentation_url = self.documentation_url

        support_contact = self.support_contact

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "current_version": current_version,
                "available_versions": available_versions,
                "documentation_url": documentation_url,
                "support_contact": support_contact,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.api_metadata_available_versions import APIMetadataAvailableVersions

        unparsed_src = dict(src_dict)
        current_version = unparsed_src.pop("current_version")

        available_versions = APIMetadataAvailableVersions.from_dict(unparsed_src.pop("available_versions"))

        documentation_url = unparsed_src.pop("documentation_url")

        support_contact = unparsed_src.pop("support_contact")

        api_metadata = cls(
            current_version=current_version,
            available_versions=available_versions,
            documentation_url=documentation_url,
            support_contact=support_contact,
        )

        api_metadata.additional_properties = unparsed_src
        return api_metadata

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
