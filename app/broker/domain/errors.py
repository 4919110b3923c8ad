"""Typed domain errors: what went wrong, in the engine's words, with no transport attached.

The REST layer (`app.broker.api.errors`) decides what each class means over HTTP; the engine
only picks the class that says why it refused.
"""

from __future__ import annotations


class BrokerError(Exception):
    """A request the engine refuses; nothing changed."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class BadRequest(BrokerError):
    """The request cannot apply: an unknown or final order, a change an order forbids, an amount
    out of range, a leverage outside its bounds."""


class NotFound(BrokerError):
    """The request names something that does not exist."""


class Conflict(BrokerError):
    """The request repeats an idempotency key with a different body."""


class InvalidOrder(BrokerError):
    """A domain rule decidable from the request alone (needs the catalogue).

    ``field`` is the wire name (``limitPrice``) so the REST layer can build ``loc``.
    """

    def __init__(self, field: str, message: str, value: object) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.value = value


class IllegalTransition(BadRequest):
    """The status table has no entry for (status, trigger); the order is unchanged."""

    def __init__(self, order_id: str, status: int, verb: str) -> None:
        super().__init__(f"Cannot {verb} order {order_id} with status {status}")
        self.order_id = order_id
