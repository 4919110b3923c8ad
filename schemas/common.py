"""Shapes shared by both modules: meta endpoints, success and error bodies (CONTRACT §1.3–§1.4, §3.3)."""

from __future__ import annotations

from marshmallow import fields

from schemas.base import WireSchema
from schemas.fields import WireBool, WireDict, WireList, WireNested, WireStr


class HealthResponseSchema(WireSchema):
    status = WireStr(required=True)
    message = WireStr(load_default="Service is healthy")
    timestamp = WireStr(required=True)
    module_name = WireStr(required=True)
    api_version = WireStr(required=True)


class VersionInfoSchema(WireSchema):
    version = WireStr(required=True)
    release_date = WireStr(required=True)
    status = WireStr(required=True)
    breaking_changes = WireList(WireStr(), load_default=list)
    deprecation_notice = WireStr(allow_none=True, load_default=None)
    sunset_date = WireStr(allow_none=True, load_default=None)


class APIMetadataSchema(WireSchema):
    current_version = WireStr(required=True)
    available_versions = WireDict(keys=WireStr(), values=WireNested(VersionInfoSchema), required=True)
    documentation_url = WireStr(required=True)
    support_contact = WireStr(required=True)


class SuccessResponseSchema(WireSchema):
    success = WireBool(load_default=True)
    message = WireStr(load_default="Operation completed successfully")


class HTTPErrorSchema(WireSchema):
    """Application errors (400/404/409/413): ``{"detail": "<text>"}``."""

    detail = WireStr(required=True)


class InternalErrorSchema(WireSchema):
    """An unexpected failure (500): no traceback, the id under which the server logged it."""

    detail = WireStr(required=True)
    request_id = WireStr(required=True)


class ValidationErrorSchema(WireSchema):
    """One 422 item, in pydantic's key order; ``ctx`` only when pydantic has one."""

    type = WireStr(required=True)
    loc = WireList(fields.Raw(), required=True)
    msg = WireStr(required=True)
    input = fields.Raw(required=True, allow_none=True)
    ctx = WireDict(metadata={"wire_optional": True})


class HTTPValidationErrorSchema(WireSchema):
    detail = WireList(WireNested(ValidationErrorSchema))
