from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="HealthResponse")


@_attrs_define
class HealthResponse:
    """
    Attributes:
        status (str):
        message (str):  Default: 'Service is healthy'.
        timestamp (str):
        module_name (str):
        api_version (str):
    """

    status: str
    timestamp: str
    module_name: str
    api_version: str
    message: str = "Service is healthy"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        message = self.message

        timestamp = self.timestamp

        module_name = self.module_name

        api_version = self.api_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "message": message,
                "timestamp": timestamp,
                "module_name": module_name,
                "api_version": api_version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        unparsed_src = dict(src_dict)
        status = unparsed_src.pop("status")

        message = unparsed_src.pop("message")

        timestamp = unparsed_src.pop("timestamp")

        module_name = unparsed_src.pop("module_name")

        api_version = unparsed_src.pop("api_version")

        health_response = cls(
            status=status,
            message=message,
            timestamp=timestamp,
            module_name=module_name,
            api_version=api_version,
        )

        health_response.additional_properties = unparsed_src
        return health_response

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
