"""The base every wire schema derives from."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema

from schemas.problems import MODEL_TYPE


class WireSchema(Schema):
    """Unknown input keys ignored (lax like the original); a non-object input reported as
    pydantic's ``model_attributes_type``.

    Field order is the declaration order, which marshmallow 3.26 always keeps (its ``Meta.ordered``
    is deprecated and would warn, an error under our pytest config), so declare fields in wire order.
    Subclasses inherit this ``Meta``; one that declares its own must derive from ``WireSchema.Meta``.
    """

    class Meta:
        unknown = EXCLUDE

    error_messages = {"type": MODEL_TYPE}
