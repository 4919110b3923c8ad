"""The broker's domain errors in HTTP terms: the one table from error class to status.

Views let domain errors through; the JSON error middleware (`app.http.errors`) finds this
translator on the broker's sub-application and answers with it. An `InvalidOrder` is a 422
item naming the wire field under ``body`` (the brackets view nests it one level deeper).
"""

from __future__ import annotations

from collections.abc import Sequence

from app.broker.api.durable import NotServed
from app.broker.domain.errors import BadRequest, BrokerError, Conflict, InvalidOrder, NotFound
from app.http.errors import ApiError
from app.store.interface import StoreError
from schemas.errors import RequestInvalid, clip_words, item

STORE_UNAVAILABLE = "Store unavailable"
MOVED_DETAIL = "Account moved to another broker instance: retry"
STATUS: dict[type[BrokerError], int] = {BadRequest: 400, NotFound: 404, Conflict: 409, BrokerError: 400}
"""HTTP status per refusal, found along the class's bases (IllegalTransition answers as BadRequest)."""


def invalid(exc: InvalidOrder, loc: Sequence[str] = ("body",)) -> RequestInvalid:
    return RequestInvalid([item("value_error", [*loc, exc.field], exc.message, exc.value)])


def translate(exc: Exception) -> Exception | None:
    if isinstance(exc, NotServed):  # it moved while the request was on its way (issue 17)
        return ApiError(503, MOVED_DETAIL)
    if isinstance(exc, StoreError):  # the batch was rolled back (or the account awaits a reload)
        return ApiError(503, STORE_UNAVAILABLE)
    if isinstance(exc, InvalidOrder):
        return invalid(exc)
    if isinstance(exc, BrokerError):
        for cls in type(exc).__mro__:
            status = STATUS.get(cls)
            if status is not None:
                return ApiError(status, clip_words(exc.detail))
    return None
